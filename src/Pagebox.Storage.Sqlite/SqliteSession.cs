using Microsoft.Data.Sqlite;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// Facts and effects over one SQLite connection. On the writer connection every read sees the earlier commands
/// of the same batch (same transaction), so the single writer loop needs no locks (docs/design-notes.md §1).
/// </summary>
internal sealed class SqliteSession(
    SqliteConnection connection,
    CommandCache commands,
    IWebhookEventEncoder encoder,
    TimeProvider real
) : StoreSession<SqliteDialect>(encoder, real), IStoreSession
{
    internal SqliteConnection Connection => connection;

    internal SqliteCommand Command(string sql) => commands.Get(connection, sql);

    // The writer session owns every mutation, so it may keep who subscribes to a Page for as long as it lives (any
    // subscription change, or a rolled-back batch, clears it). Read sessions have their own, short-lived cache.
    protected override IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> ReadSubscribers(
        string pageId,
        string obj
    ) => WebhookFanout.Subscribers(this, pageId, obj);

    // :: Helpers

    // The commands are the connection's prepared ones (CommandCache): kept, not disposed after a run.
    protected override bool KeepsCommands => true;

    protected override SqliteCommand Bind(string sql, object?[] args)
    {
        var cmd = commands.Get(connection, sql);
        var parameters = cmd.Parameters;
        if (parameters.Count != args.Length)
        {
            parameters.Clear();
            for (var i = 0; i < args.Length; i++)
                parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }
        for (var i = 0; i < args.Length; i++)
        {
            parameters[i].Value = args[i] switch
            {
                null => DBNull.Value,
                bool b => b ? 1L : 0L,
                var v => v,
            };
        }
        return cmd;
    }
}

/// <summary>SQLite's words where the shared statements differ (<see cref="IStoreDialect"/>).</summary>
internal sealed class SqliteDialect : IStoreDialect
{
    public static string InsertOrder => "rowid";

    public static string PaidOrder => "rowid";

    public static string Greatest => "MAX";

    public static string RowVersion => "";

    public static string ReleaseLease => "lease_until_ms = 0";
}

/// <summary>Prepared commands per connection (re-preparing a statement costs more than running it).</summary>
internal sealed class CommandCache
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(SqliteConnection connection, string sql)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }
        return cmd;
    }

    public void Clear()
    {
        foreach (var cmd in _commands.Values)
            cmd.Dispose();
        _commands.Clear();
    }
}
