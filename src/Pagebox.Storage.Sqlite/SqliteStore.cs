using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// The embedded store. One writer loop owns every mutation: it takes the queued commands, runs them one after
/// another inside one transaction (replayed with a savepoint around each when one throws, so a failing command rolls
/// back alone) and commits the batch with one fsync (group commit; none under <see cref="SqliteDurability.Process"/>).
/// Readers use their own pooled connections (WAL).
/// </summary>
public sealed partial class SqliteStore : IPageboxStore, IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly string _connectionString;
    private readonly IWebhookEventEncoder _encoder;
    private readonly TimeProvider _real;
    private readonly SqliteDurability _durability;
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(
        new UnboundedChannelOptions { SingleReader = true }
    );
    private readonly CommandCache _writerCommands = new();
    private SqliteConnection? _writer;
    private FileStream? _lock;
    private Task? _loop;
    private Checkpointer? _checkpointer;

    /// <summary>Raised after a commit that recorded webhook events (wakes the dispatcher).</summary>
    public event Action? EventsCommitted;

    public SqliteStore(
        string databasePath,
        IWebhookEventEncoder encoder,
        TimeProvider real,
        SqliteDurability durability = SqliteDurability.Disk
    )
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _encoder = encoder;
        _real = real;
        _durability = durability;
        Outbox = new SqliteOutbox(this);
    }

    public IWebhookOutbox Outbox { get; }

    internal TimeProvider Real => _real;

    /// <summary>Opens the database, runs the migrations and starts the writer loop.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(new SqliteConnectionStringBuilder(_connectionString).DataSource);
        PrepareFiles(path);
        _lock = Lock(path);
        _writer = new SqliteConnection(_connectionString);
        await _writer.OpenAsync(cancellationToken);
        using (var pragma = _writer.CreateCommand())
        {
            // WAL lets readers run beside the writer; FULL makes each group commit durable (one fsync per batch);
            // NORMAL (SqliteDurability.Process, opt-in) hands the commit to the OS without the fsync. The page cache
            // stays at SQLite's default: a larger one made every commit slower (pcache1TruncateUnsafe walks it).
            var synchronous = _durability == SqliteDurability.Process ? "NORMAL" : "FULL";
            pragma.CommandText =
                $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=30000; PRAGMA "
                + "temp_store=MEMORY;";
            pragma.ExecuteNonQuery();
        }
        Migrator.Run(_writer);
        RestrictFiles(path);
        RecoverLeases();
        // Checkpoints leave the writer's path (bench: they were the p99 of a lone write): the writer no longer
        // checkpoints at a commit; a thread of its own copies the WAL back into the database behind it (Checkpointer).
        using (var pragma = _writer.CreateCommand())
        {
            pragma.CommandText = "PRAGMA wal_autocheckpoint=0";
            pragma.ExecuteNonQuery();
        }
        _checkpointer = new Checkpointer(_connectionString);
        // The writer owns a thread of its own: it blocks while the queue is empty and never competes in the thread
        // pool.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                WriterLoop();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "pagebox-sqlite-writer",
        };
        thread.Start();
        _loop = done.Task;
    }

    /// <summary>Owner only: the data directory (when created here) 0700, the database and its -wal and -shm files
    /// 0600.</summary>
    public const UnixFileMode OwnerOnlyDirectory =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The database holds app secrets, tokens and the admin key. Its directory is created owner-only and the file is
    /// created empty with mode 0600 before SQLite opens it: SQLite gives the -wal and -shm files the database's mode.
    /// </summary>
    private static void PrepareFiles(string path)
    {
        var dir = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(dir) && !Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows())
                Directory.CreateDirectory(dir);
            else
                Directory.CreateDirectory(dir, OwnerOnlyDirectory);
        }
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            using var created = new FileStream(
                path,
                new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = OwnerOnlyFile,
                }
            );
        }
    }

    /// <summary>
    /// One store per database: the single writer is the lock of every rule (docs/design-notes.md §1), so a second
    /// process on the same file would break them. An exclusive lock on a file beside it says so; the system drops it
    /// when the process dies, so a crash never leaves it behind.
    /// </summary>
    private static FileStream Lock(string path)
    {
        try
        {
            var lockOptions = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
                lockOptions.UnixCreateMode = OwnerOnlyFile;
            return new FileStream(path + ".lock", lockOptions);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StoreInUseException($"another Pagebox is using the database {path}", ex);
        }
    }

    /// <summary>A database from before (or copied in) may be readable by others: owner-only from now on.</summary>
    private static void RestrictFiles(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~OwnerOnlyFile) != 0)
                File.SetUnixFileMode(file, OwnerOnlyFile);
        }
    }

    /// <summary>A process that died mid-delivery left leases behind; its work is due again now.</summary>
    private void RecoverLeases()
    {
        using var cmd = _writer!.CreateCommand();
        cmd.CommandText = "UPDATE webhook_deliveries SET lease_until_ms = 0 WHERE status = 1 AND lease_until_ms > 0";
        cmd.ExecuteNonQuery();
    }

    public Task<T> WriteAsync<T>(Func<IStoreSession, T> command, CancellationToken cancellationToken = default)
    {
        var item = new WorkItem<T>(command);
        if (!_queue.Writer.TryWrite(item))
            throw new InvalidOperationException("The store is closed.");
        return item.Task;
    }

    public Task<T> ReadAsync<T>(Func<IStoreReader, T> query, CancellationToken cancellationToken = default) =>
        ReadRawAsync(query, cancellationToken);

    /// <summary>
    /// Runs a query on a read session from a small pool: each keeps its connection open and its statements prepared, so
    /// a read costs the query alone. Outside a query a connection holds no snapshot (WAL checkpoints are not held up).
    /// </summary>
    internal Task<T> ReadRawAsync<T>(Func<SqliteSession, T> query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_readers.TryTake(out var reader))
        {
            var connection = new SqliteConnection(_connectionString);
            connection.Open();
            var commands = new CommandCache();
            reader = new ReadSession(connection, commands, new SqliteSession(connection, commands, _encoder, _real));
        }
        try
        {
            return Task.FromResult(query(reader.Session));
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
        finally
        {
            // Only the writer's session may keep facts between commands; a reader's would go stale.
            reader.Session.ForgetCachedFacts();
            if (_readers.Count < MaxPooledReaders)
                _readers.Add(reader);
            else
                reader.Dispose();
        }
    }

    private const int MaxPooledReaders = 8;
    private readonly System.Collections.Concurrent.ConcurrentBag<ReadSession> _readers = [];

    private sealed record ReadSession(SqliteConnection Connection, CommandCache Commands, SqliteSession Session)
        : IDisposable
    {
        public void Dispose()
        {
            Commands.Clear();
            Connection.Dispose();
        }
    }

    internal Task<T> WriteRawAsync<T>(Func<SqliteSession, T> command) => WriteAsync(s => command((SqliteSession)s));

    private void WriterLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<WorkItem>(MaxBatch);
        var session = new SqliteSession(_writer!, _writerCommands, _encoder, _real);
        var begin = _writer!.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        var commit = _writer.CreateCommand();
        commit.CommandText = "COMMIT";
        var rollback = _writer.CreateCommand();
        rollback.CommandText = "ROLLBACK";
        var savepoint = _writer.CreateCommand();
        savepoint.CommandText = "SAVEPOINT cmd";
        var release = _writer.CreateCommand();
        release.CommandText = "RELEASE cmd";
        var rollbackTo = _writer.CreateCommand();
        rollbackTo.CommandText = "ROLLBACK TO cmd; RELEASE cmd";

        while (reader.TryPeek(out _) || reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
                batch.Add(item);
            session.EventsRecorded = false;
            try
            {
                // :: Step 1: the fast path, every command of the batch in one transaction without savepoints.
                begin.ExecuteNonQuery();
                var failed = false;
                foreach (var item in batch)
                {
                    if (!item.TryRun(session))
                    {
                        failed = true;
                        break;
                    }
                }
                if (failed)
                {
                    // :: Step 2: a command threw (rare: rules return refusals as values). Undo the batch and replay it
                    // with a savepoint around each command, so only the failing one is rolled back. Nothing of the
                    // first run was acknowledged, so running the commands again is safe.
                    rollback.ExecuteNonQuery();
                    session.ForgetCachedFacts();
                    session.EventsRecorded = false;
                    begin.ExecuteNonQuery();
                    foreach (var item in batch)
                    {
                        item.Reset();
                        savepoint.ExecuteNonQuery();
                        if (item.TryRun(session))
                            release.ExecuteNonQuery();
                        else
                            rollbackTo.ExecuteNonQuery();
                    }
                }
                // :: Step 3: one commit, one fsync, for the whole batch.
                commit.ExecuteNonQuery();
                StoreMetrics.SqliteCommit(batch.Count);
            }
            catch (Exception ex)
            {
                try
                {
                    rollback.ExecuteNonQuery();
                }
                catch (SqliteException)
                { /* no transaction left to roll back */
                }
                session.ForgetCachedFacts();
                // Nothing of the batch is committed: every caller learns it (and none waits for ever).
                foreach (var item in batch)
                {
                    item.Fail(ex);
                    item.Complete();
                }
                continue;
            }
            // Answer only after the commit: an acknowledged write is durable.
            foreach (var item in batch)
                item.Complete();
            _checkpointer?.Committed();
            if (session.EventsRecorded)
                EventsCommitted?.Invoke();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
            await _loop;
        _checkpointer?.Dispose();
        _writerCommands.Clear();
        if (_writer is not null)
            await _writer.DisposeAsync();
        while (_readers.TryTake(out var reader))
            reader.Dispose();
        SqliteConnection.ClearAllPools();
        if (_lock is not null)
            await _lock.DisposeAsync();
    }

    private abstract class WorkItem
    {
        /// <summary>Runs the command; false (with the exception kept) when it threw.</summary>
        public abstract bool TryRun(SqliteSession session);
        public abstract void Reset();
        public abstract void Fail(Exception ex);
        public abstract void Complete();
    }

    private sealed class WorkItem<T>(Func<IStoreSession, T> command) : WorkItem
    {
        private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _tcs.Task;

        public override bool TryRun(SqliteSession session)
        {
            try
            {
                _result = command(session);
                return true;
            }
            catch (Exception ex)
            {
                _error = ex;
                return false;
            }
        }

        public override void Reset()
        {
            _result = default;
            _error = null;
        }

        public override void Fail(Exception ex) => _error = ex;

        public override void Complete()
        {
            if (_error is null)
                _tcs.TrySetResult(_result!);
            else
                _tcs.TrySetException(_error);
        }
    }
}

/// <summary>
/// Numbered embedded migrations, applied in order once each (mailpit's schemas/ habit). Every migration still due
/// runs in one transaction, recorded row by row in <c>schema_migrations</c>: a fresh store pays one fsync instead of
/// one per migration, and a migration that fails leaves the store as it found it (none of the due ones applied).
/// </summary>
internal static class Migrator
{
    private static readonly MigrationScripts Scripts = new(typeof(Migrator).Assembly);

    /// <summary>The newest migration this build carries.</summary>
    public static int Expected => Scripts.Expected;

    /// <summary>How many migrations this build carries.</summary>
    public static int Count => Scripts.Count;

    /// <summary>Every script this build carries, in order (name, file, number).</summary>
    internal static IReadOnlyList<(string Name, string File, int Version)> All => Scripts.All;

    /// <summary>The text of the script <paramref name="name"/>.</summary>
    internal static string Read(string name) => Scripts.Read(name);

    public static void Run(SqliteConnection connection) => Run(connection, Scripts.All, Scripts.Read);

    /// <summary>Applies <paramref name="scripts"/> not yet recorded (tests give their own list).</summary>
    internal static void Run(
        SqliteConnection connection,
        IReadOnlyList<(string Name, string File, int Version)> scripts,
        Func<string, string> read
    )
    {
        using var tx = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.Transaction = tx;
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                + "applied_ms INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }
        var applied = new HashSet<long>();
        using (var check = connection.CreateCommand())
        {
            check.Transaction = tx;
            check.CommandText = "SELECT version FROM schema_migrations";
            using var r = check.ExecuteReader();
            while (r.Read())
                applied.Add(r.GetInt64(0));
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var due = 0;
        foreach (var (name, file, version) in scripts)
        {
            if (applied.Contains(version))
                continue;
            using var apply = connection.CreateCommand();
            apply.Transaction = tx;
            apply.CommandText = read(name);
            apply.ExecuteNonQuery();
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($v, $n, $t)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$n", file);
            record.Parameters.AddWithValue("$t", now);
            record.ExecuteNonQuery();
            due++;
        }
        // Nothing due and the table already there: nothing to make durable (a rollback spares the fsync).
        if (due == 0 && applied.Count > 0)
            tx.Rollback();
        else
            tx.Commit();
    }
}

/// <summary>The database is open in another process (another Pagebox on the same data directory).</summary>
public sealed class StoreInUseException(string message, Exception inner) : IOException(message, inner);
