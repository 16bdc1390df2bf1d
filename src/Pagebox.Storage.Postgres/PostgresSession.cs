using Npgsql;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Postgres;

/// <summary>
/// Facts and effects over one PostgreSQL connection, for one run of one command. The readers and effects are
/// SQLite's (<see cref="StoreSession{TDialect}"/>, one SQL text for both); this class adds how a statement runs, the
/// locks, the row-version guards and the one-query subscriber list.
/// </summary>
/// <remarks>
/// Inside a write (<paramref name="write"/> true, READ COMMITTED transaction) the session keeps the locking contract
/// written on <see cref="IPageboxStore"/>: the readers of the rows a command decides on lock them (<c>FOR UPDATE</c>);
/// the rows read without a lock (<see cref="Guarded"/>) are written back only if unchanged, and inserted only if still
/// absent. A failed guard throws <see cref="WriteConflictException"/> and the store runs the command again. Nothing is
/// cached beyond the session: another process may change any row between two commands.
/// </remarks>
internal sealed class PostgresSession(
    NpgsqlConnection connection,
    IWebhookEventEncoder encoder,
    TimeProvider real,
    bool write
) : StoreSession<PostgresDialect>(encoder, real), IStoreSession
{
    internal NpgsqlConnection Connection => connection;

    /// <summary>" FOR UPDATE" inside a write, nothing in a read (a read runs outside any transaction).</summary>
    internal override string Lock => write ? " FOR UPDATE" : "";

    // One marketing message per token per window, follow-up counts: the token is locked, after its conversation (the
    // lock order every command keeps: conversation first, then what hangs off it), so no deadlock with an opt-in or a
    // stop that holds the conversation and then writes the token.
    protected override void LockTokenConversation(string token)
    {
        if (write)
            Exec(
                "SELECT 1 FROM conversations WHERE psid = (SELECT psid FROM notification_tokens WHERE token = $1) "
                    + "FOR UPDATE",
                token
            );
    }

    // Who subscribes to a Page, in one query (WebhookFanout.Subscribers does it in 1 + N): the same list, the same
    // order.
    protected override IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> ReadSubscribers(
        string pageId,
        string obj
    ) =>
        Many(
                "SELECT ps.app_id, ps.fields, s.fields FROM page_subscriptions ps JOIN app_subscriptions s ON "
                    + "s.app_id = ps.app_id AND s.object = $2 "
                    + "WHERE ps.page_id = $1 ORDER BY ps.app_id",
                r =>
                    (
                        AppId: r.GetString(0),
                        Fields: (IReadOnlySet<string>)
                            SplitFields(r.GetString(1))
                                .Intersect(SplitFields(r.GetString(2)), StringComparer.Ordinal)
                                .ToHashSet(StringComparer.Ordinal)
                    ),
                pageId,
                obj
            )
            .Where(x => x.Fields.Count > 0)
            .ToList();

    /// <summary>Set when other processes should hear of this commit (events recorded, a clock moved): NOTIFY before
    /// it.</summary>
    internal bool Notify { get; set; }

    protected override void EventsChanged()
    {
        base.EventsChanged();
        Notify = true;
    }

    protected override void ClockMoved() => Notify = true;

    // :: Guarded writes of rows read without a lock

    // (table, key) → the row version (xmin) the command read, or null when it read the row as absent.
    private readonly Dictionary<(string Table, string Key), string?> _seen = [];

    protected override void Seen(string table, string key, string? version)
    {
        if (write)
            _seen[(table, key)] = version;
    }

    /// <summary>
    /// Writes a row by its upsert. A row this command read (version known) is updated only if no one changed it since;
    /// a row it read as absent is inserted only if still absent (else 23505); a row it never read is simply upserted.
    /// </summary>
    private void Guarded(string table, string key, string upsert, params object?[] args)
    {
        if (!_seen.Remove((table, key), out var version))
        {
            Exec(upsert, args);
            return;
        }
        if (version is null)
        {
            Exec(upsert[..upsert.IndexOf(" ON CONFLICT", StringComparison.Ordinal)], args);
            return;
        }
        var guard = $" WHERE {table}.xmin::text = ${args.Length + 1}";
        if (Exec(upsert + guard, [.. args, version]) == 0)
            throw new WriteConflictException(table, key);
    }

    private void GuardedDelete(string table, string key, string delete, params object?[] args)
    {
        if (_seen.Remove((table, key), out var version) && version is not null)
        {
            if (Exec(delete + $" AND xmin::text = ${args.Length + 1}", [.. args, version]) == 0)
                throw new WriteConflictException(table, key);
            return;
        }
        Exec(delete, args);
    }

    protected override void WriteRow(string table, string key, string upsert, params object?[] args) =>
        Guarded(table, key, upsert, args);

    protected override void DeleteRow(string table, string key, string delete, params object?[] args) =>
        GuardedDelete(table, key, delete, args);

    // :: Helpers

    // Positional parameters ($1, $2, …) as on SQLite; statements are prepared automatically by the data source
    // (Max Auto Prepare), per physical connection.
    protected override NpgsqlCommand Bind(string sql, object?[] args)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        return cmd;
    }
}

/// <summary>A row read without a lock changed before the command wrote it back: the store runs the command
/// again.</summary>
internal sealed class WriteConflictException(string table, string key)
    : Exception($"{table} row {key} changed under the command");

/// <summary>PostgreSQL's words where the shared statements differ (<see cref="IStoreDialect"/>).</summary>
internal sealed class PostgresDialect : IStoreDialect
{
    public static string InsertOrder => "created_seq";

    public static string PaidOrder => "seq";

    public static string Greatest => "GREATEST";

    public static string RowVersion => ", xmin::text";

    public static string ReleaseLease => "lease_until_ms = 0, lease_owner = 0";
}
