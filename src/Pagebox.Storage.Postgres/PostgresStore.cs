using System.Data;
using System.Data.Common;
using System.Threading.Channels;
using Npgsql;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Postgres;

/// <summary>Tuning of the shared store (README, "Running several instances").</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>
    /// Commands in flight at once in this process, each on a worker thread with its own pooled connection
    /// (PAGEBOX_POSTGRES_POOL). The data source's pool holds this many plus a few for health probes; the listener has
    /// a connection of its own.
    /// </summary>
    public int Workers { get; init; } = 16;

    /// <summary>How long a command may keep failing on a lost connection before its caller gets an error.</summary>
    public TimeSpan OutageRetry { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a command runs again after a conflict (a lock deadlock, a guarded write, a unique key) at
    /// most.</summary>
    public int MaxConflictRetries { get; init; } = 64;
}

/// <summary>
/// The shared store: several Pagebox processes on one PostgreSQL database (docs/design-notes.md §1). Each command runs
/// on one of <see cref="PostgresStoreOptions.Workers"/> worker threads, in a READ COMMITTED transaction of its own,
/// under the locking contract written on <see cref="IPageboxStore"/>; a conflict (deadlock, serialization failure,
/// unique key, failed guard) rolls back and runs the command again, a lost connection is retried on a fresh one for
/// <see cref="PostgresStoreOptions.OutageRetry"/>, then the caller gets <see cref="StoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// The port's readers are synchronous (a command is a plain function of its facts), so commands run on threads of
/// their own and never block the thread pool that serves HTTP. Commits that recorded webhook events NOTIFY the other
/// processes, whose listeners wake their dispatchers. Each process holds a session-level advisory lock while it
/// lives; a delivery leased by a process whose lock is gone may be claimed again at once.
/// </remarks>
public sealed partial class PostgresStore : IPageboxStore, IAsyncDisposable
{
    /// <summary>Advisory lock namespaces (the first key of the two-key form): migrations, live processes, outbox
    /// grouping.</summary>
    internal const int MigrationLockKey = 0x50427801;
    internal const int InstanceLockKey = 0x50427802;
    internal const int OutboxLockKey = 0x50427803;

    internal const string Channel = "pagebox_events";

    /// <summary>
    /// A unique key taken meanwhile (two first contacts of one person) resolves on the next run, which finds the row; a
    /// key that stays taken is the command's own error, not a race, and is not worth more runs.
    /// </summary>
    private const int MaxUniqueRetries = 4;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenerConnectionString;
    private readonly IWebhookEventEncoder _encoder;
    private readonly TimeProvider _real;
    private readonly PostgresStoreOptions _options;
    private readonly Channel<WorkItem> _queue = System.Threading.Channels.Channel.CreateUnbounded<WorkItem>();
    private readonly List<Thread> _workers = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task? _listener;
    private volatile string? _lastFailure;

    public PostgresStore(
        string connectionString,
        IWebhookEventEncoder encoder,
        TimeProvider real,
        PostgresStoreOptions? options = null
    )
    {
        _encoder = encoder;
        _real = real;
        _options = options ?? new PostgresStoreOptions();
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var cs = builder.ConnectionStringBuilder;
        // Defaults a user's connection string may override: statements prepared once per connection, a pool that fits
        // the workers, quick failure when the server is unreachable.
        if (!Has(given, "Max Auto Prepare", "MaxAutoPrepare"))
            cs.MaxAutoPrepare = 128;
        if (!Has(given, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
            cs.AutoPrepareMinUsages = 2;
        if (!Has(given, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
            cs.MaxPoolSize = _options.Workers + 4;
        if (!Has(given, "Timeout"))
            cs.Timeout = 3;
        if (!Has(given, "Keepalive"))
            cs.KeepAlive = 10;
        if (!Has(given, "Application Name", "ApplicationName"))
            cs.ApplicationName = "pagebox";
        _dataSource = builder.Build();
        // The listener keeps its connection (and the process's advisory lock) outside the pool.
        _listenerConnectionString = new NpgsqlConnectionStringBuilder(cs.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            ApplicationName = "pagebox-listener",
        }.ConnectionString;
        Outbox = new PostgresOutbox(this);
    }

    private static bool Has(DbConnectionStringBuilder b, params string[] keys) => keys.Any(b.ContainsKey);

    public IWebhookOutbox Outbox { get; }

    public event Action? EventsCommitted;

    public bool SharedAcrossProcesses => true;

    /// <summary>This process's id among those sharing the database: the second key of its advisory lock, and the lease
    /// owner.</summary>
    internal int InstanceId { get; private set; }

    internal TimeProvider Real => _real;

    /// <summary>Runs the migrations (one process at a time), takes this process's advisory lock, starts the
    /// workers.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await PostgresMigrator.RunAsync(_dataSource, cancellationToken);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _listener = Task.Run(() => ListenAsync(first, _stopping.Token), CancellationToken.None);
        await first.Task.WaitAsync(cancellationToken);
        for (var i = 0; i < _options.Workers; i++)
        {
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"pagebox-postgres-{i}" };
            thread.Start();
            _workers.Add(thread);
        }
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, T> command, CancellationToken cancellationToken = default) =>
        Enqueue<T>(s => command(s), write: true, CancellationToken.None);

    public Task<T> ReadAsync<T>(Func<IStoreReader, T> query, CancellationToken cancellationToken = default) =>
        ReadRawAsync<T>(s => query(s), cancellationToken);

    internal Task<T> WriteRawAsync<T>(Func<PostgresSession, T> command) =>
        Enqueue(command, write: true, CancellationToken.None);

    /// <summary>A read, as SQLite's: not started once <paramref name="cancellationToken"/> is cancelled (a read that
    /// waits in the queue is dropped when its turn comes).</summary>
    internal Task<T> ReadRawAsync<T>(Func<PostgresSession, T> query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Enqueue(query, write: false, cancellationToken);
    }

    private Task<T> Enqueue<T>(Func<PostgresSession, T> command, bool write, CancellationToken cancellationToken)
    {
        var item = new WorkItem<T>(
            this,
            command,
            write,
            System.Diagnostics.Stopwatch.GetTimestamp(),
            cancellationToken
        );
        if (!_queue.Writer.TryWrite(item))
            throw new InvalidOperationException("The store is closed.");
        return item.Task;
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token);
            await using var cmd = new NpgsqlCommand("SELECT 1", connection);
            await cmd.ExecuteScalarAsync(timeout.Token);
            _lastFailure = null;
            return null;
        }
        catch (Exception ex)
            when (ex
                    is NpgsqlException
                        or OperationCanceledException
                        or TimeoutException
                        or System.Net.Sockets.SocketException
            )
        {
            _lastFailure = ex.Message;
            return $"PostgreSQL is not reachable: {ex.Message}";
        }
    }

    private void WorkerLoop()
    {
        var reader = _queue.Reader;
        while (reader.TryPeek(out _) || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (reader.TryRead(out var item))
                item.Run();
        }
    }

    /// <summary>
    /// Runs one command to its end: in a transaction when it writes, again after a conflict, again on a fresh
    /// connection after a lost one (until <see cref="PostgresStoreOptions.OutageRetry"/> from its arrival).
    /// </summary>
    private T Execute<T>(Func<PostgresSession, T> command, bool write, long arrived)
    {
        for (var attempt = 1; ; attempt++)
        {
            NpgsqlConnection? connection = null;
            NpgsqlTransaction? transaction = null;
            var committing = false;
            try
            {
                connection = _dataSource.OpenConnection();
                if (write)
                    transaction = connection.BeginTransaction(IsolationLevel.ReadCommitted);
                var session = new PostgresSession(connection, _encoder, _real, write);
                var result = command(session);
                if (transaction is not null)
                {
                    // NOTIFY is delivered at commit, and only if the commit happens.
                    if (session.Notify)
                        session.Exec(
                            "SELECT pg_notify($1, $2)",
                            Channel,
                            InstanceId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        );
                    committing = true;
                    transaction.Commit();
                    StoreMetrics.PostgresCommit();
                }
                _lastFailure = null;
                if (session.EventsRecorded || session.Notify)
                    EventsCommitted?.Invoke();
                return result;
            }
            catch (Exception ex)
                when (!committing
                    && IsConflict(ex)
                    && attempt
                        < (
                            ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                ? MaxUniqueRetries
                                : _options.MaxConflictRetries
                        )
                )
            {
                // Another command holds or changed what this one decided on: run it again on fresh facts.
                Rollback(transaction);
                Thread.Sleep(Random.Shared.Next(0, Math.Min(50, 1 << Math.Min(attempt, 6)) + 1));
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                _lastFailure = ex.Message;
                Rollback(transaction);
                _dataSource.Clear();
                // A commit cut off mid-way may or may not have happened: the caller must know, not a second run.
                if (committing)
                    throw new StoreUnavailableException(
                        "The connection to PostgreSQL was lost while committing; the outcome is unknown. Retry the "
                            + "request.",
                        ex
                    );
                if (System.Diagnostics.Stopwatch.GetElapsedTime(arrived) >= _options.OutageRetry)
                    throw new StoreUnavailableException($"PostgreSQL is not reachable: {ex.Message}", ex);
                Thread.Sleep(Math.Min(1000, 100 * attempt));
            }
            finally
            {
                transaction?.Dispose();
                connection?.Dispose();
            }
        }
    }

    private static void Rollback(NpgsqlTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        { /* the connection is gone; so is the transaction */
        }
    }

    /// <summary>Deadlock, serialization failure, a unique key taken meanwhile, a guarded write that found the row
    /// changed.</summary>
    internal static bool IsConflict(Exception ex) =>
        ex switch
        {
            WriteConflictException => true,
            PostgresException
            {
                SqlState: PostgresErrorCodes.SerializationFailure
                    or PostgresErrorCodes.DeadlockDetected
                    or PostgresErrorCodes.UniqueViolation
            } => true,
            _ => false,
        };

    /// <summary>A lost or refused connection, a server shutting down: worth trying again on a fresh
    /// connection.</summary>
    public static bool IsTransient(Exception ex) =>
        ex switch
        {
            DomainException => false,
            PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)
                || p.SqlState
                    is PostgresErrorCodes.AdminShutdown
                        or PostgresErrorCodes.CrashShutdown
                        or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.TooManyConnections,
            NpgsqlException n => n.IsTransient
                || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
            TimeoutException or IOException or System.Net.Sockets.SocketException => true,
            InvalidOperationException when ex.Message.Contains("connection", StringComparison.OrdinalIgnoreCase) =>
                true,
            _ => false,
        };

    /// <summary>
    /// Holds this process's advisory lock and LISTENs for the other processes' commits; reconnects when the connection
    /// drops (and wakes the dispatcher then: notifications may have been missed meanwhile).
    /// </summary>
    private async Task ListenAsync(TaskCompletionSource first, CancellationToken stopping)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_listenerConnectionString);
                await connection.OpenAsync(stopping);
                await TakeInstanceLockAsync(connection, stopping);
                connection.Notification += (_, e) =>
                {
                    if (e.Payload != InstanceId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        EventsCommitted?.Invoke();
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stopping);
                first.TrySetResult();
                EventsCommitted?.Invoke();
                delay = TimeSpan.FromMilliseconds(200);
                while (!stopping.IsCancellationRequested)
                {
                    // A timed wait, then a round trip: a dead connection shows up within seconds, not at the next
                    // event.
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(5), stopping))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
                when (ex
                        is NpgsqlException
                            or IOException
                            or System.Net.Sockets.SocketException
                            or TimeoutException
                            or InvalidOperationException
                )
            {
                _lastFailure = ex.Message;
                if (!first.Task.IsCompleted && ex is PostgresException { IsTransient: false })
                {
                    first.TrySetException(ex);
                    return;
                }
                try
                {
                    await Task.Delay(delay, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromMilliseconds(Math.Min(5000, delay.TotalMilliseconds * 2));
            }
        }
    }

    private async Task TakeInstanceLockAsync(NpgsqlConnection connection, CancellationToken stopping)
    {
        // Keep the id across reconnects when it is still free (our leases carry it); a random id otherwise.
        var id = InstanceId;
        for (var tries = 0; ; tries++)
        {
            if (id == 0)
                id = Random.Shared.Next(1, int.MaxValue);
            await using var cmd = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
            cmd.Parameters.Add(new NpgsqlParameter { Value = InstanceLockKey });
            cmd.Parameters.Add(new NpgsqlParameter { Value = id });
            if (await cmd.ExecuteScalarAsync(stopping) is true)
            {
                InstanceId = id;
                return;
            }
            if (tries > 100)
                throw new InvalidOperationException("No free instance id for this process's advisory lock");
            id = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        foreach (var thread in _workers)
            await Task.Run(thread.Join);
        await _stopping.CancelAsync();
        if (_listener is not null)
            await _listener;
        await _dataSource.DisposeAsync();
        _stopping.Dispose();
    }

    private abstract class WorkItem
    {
        public abstract void Run();
    }

    private sealed class WorkItem<T>(
        PostgresStore store,
        Func<PostgresSession, T> command,
        bool write,
        long arrived,
        CancellationToken cancellationToken
    ) : WorkItem
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _tcs.Task;

        public override void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                _tcs.TrySetCanceled(cancellationToken);
                return;
            }
            try
            {
                _tcs.TrySetResult(store.Execute(command, write, arrived));
            }
            catch (Exception ex)
            {
                _tcs.TrySetException(ex);
            }
        }
    }
}

/// <summary>
/// Numbered embedded migrations (Migrations/NNN_name.sql), applied once each in order, all those due in one
/// transaction, by one process at a time: several processes starting together wait on one advisory lock, and the later
/// ones find the work done.
/// </summary>
internal static class PostgresMigrator
{
    private static readonly MigrationScripts Scripts = new(typeof(PostgresMigrator).Assembly);

    /// <summary>The newest migration this build carries.</summary>
    public static int Expected => Scripts.Expected;

    /// <summary>How many migrations this build carries.</summary>
    public static int Count => Scripts.Count;

    public static async Task RunAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var schema = new NpgsqlCommand("SELECT current_schema()", connection))
        {
            if (await schema.ExecuteScalarAsync(cancellationToken) is not string)
                throw new InvalidOperationException(
                    "The connection's search path names no existing schema: create it, or fix Search Path."
                );
        }
        // One lock per schema: the same database may hold several Pagebox schemas (tests do).
        await Exec(
            connection,
            "SELECT pg_advisory_lock($1, hashtext(current_schema()))",
            cancellationToken,
            PostgresStore.MigrationLockKey
        );
        try
        {
            await Exec(
                connection,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, "
                    + "applied_ms bigint NOT NULL)",
                cancellationToken
            );
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var r = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await r.ReadAsync(cancellationToken))
                    applied.Add(r.GetInt32(0));
            }
            // Every migration still due in one transaction: one commit for a fresh schema, and a migration that
            // fails leaves the schema as it was found (none of the due ones applied).
            var due = Scripts.All.Where(s => !applied.Contains(s.Version)).ToList();
            if (due.Count > 0)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                foreach (var (name, file, version) in due)
                {
                    await Exec(connection, Scripts.Read(name), cancellationToken);
                    await Exec(
                        connection,
                        "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)",
                        cancellationToken,
                        version,
                        file,
                        now
                    );
                }
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await Exec(
                connection,
                "SELECT pg_advisory_unlock($1, hashtext(current_schema()))",
                CancellationToken.None,
                PostgresStore.MigrationLockKey
            );
        }
    }

    private static async Task Exec(
        NpgsqlConnection connection,
        string sql,
        CancellationToken cancellationToken,
        params object[] args
    )
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
