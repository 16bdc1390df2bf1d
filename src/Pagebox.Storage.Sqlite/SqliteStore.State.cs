using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Pagebox.Domain.Store;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// Export and import of the whole state or one app's part (<see cref="IStateTransfer"/>). Tables and columns come from
/// the database's own catalogue, so a table a later migration adds travels without a change here; which rows belong to
/// an app follows from the columns a table has (<see cref="Scope"/>). An import is one command of the single writer:
/// one transaction, one prepared INSERT per table, all or nothing.
/// </summary>
public sealed partial class SqliteStore : IStateTransfer
{
    /// <summary>Never exported nor replaced: the migrations' own record, and server settings (the admin key).</summary>
    private static readonly HashSet<string> NotState = new(StringComparer.Ordinal)
    {
        "schema_migrations",
        "server_settings",
    };

    private sealed record TableInfo(string Name, IReadOnlyList<(string Name, string Type)> Columns)
    {
        public bool Has(string column) => Columns.Any(c => c.Name == column);
    }

    private static List<TableInfo> Catalogue(SqliteConnection connection)
    {
        var names = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText =
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                if (!NotState.Contains(r.GetString(0)))
                    names.Add(r.GetString(0));
        }
        var tables = new List<TableInfo>(names.Count);
        foreach (var name in names)
        {
            var columns = new List<(string, string)>();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"PRAGMA table_info(\"{name}\")";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                columns.Add((r.GetString(1), r.GetString(2).ToUpperInvariant()));
            tables.Add(new TableInfo(name, columns));
        }
        return tables;
    }

    /// <summary>The rows of <paramref name="t"/> that belong to the app <c>$app</c> and its Pages <c>$pages</c>
    /// (<see cref="StateValues.Scope"/>).</summary>
    private static string? Scope(TableInfo t, string persons) =>
        StateValues.Scope(t.Name, t.Has, "$app", "IN (SELECT value FROM json_each($pages))", persons);

    private static string PagesOf(SqliteConnection connection, string appId, IEnumerable<string>? more = null)
    {
        var ids = new List<string>();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT id FROM pages WHERE app_id = $app";
            cmd.Parameters.AddWithValue("$app", appId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                ids.Add(r.GetString(0));
        }
        if (more is not null)
            ids.AddRange(more);
        return JsonArray(ids.Distinct(StringComparer.Ordinal));
    }

    private static string JsonArray(IEnumerable<string> ids)
    {
        var sb = new StringBuilder("[");
        foreach (var id in ids)
        {
            if (sb.Length > 1)
                sb.Append(',');
            sb.Append('"');
            foreach (var c in id)
            {
                if (c is '"' or '\\')
                    sb.Append('\\');
                if (c < ' ')
                    sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                else
                    sb.Append(c);
            }
            sb.Append('"');
        }
        return sb.Append(']').ToString();
    }

    public Task<StateSnapshot> ExportStateAsync(string? appId, CancellationToken cancellationToken = default) =>
        ReadRawAsync(
            s =>
            {
                var connection = s.Connection;
                using var tx = connection.BeginTransaction(deferred: true); // one snapshot for every table
                var tables = Catalogue(connection);
                var pages = appId is null ? "[]" : PagesOf(connection, appId);
                var result = new List<StateTable>(tables.Count);
                foreach (var t in tables)
                {
                    string? where = null;
                    if (appId is not null)
                    {
                        where = Scope(
                            t,
                            "SELECT person_id FROM conversations WHERE page_id IN (SELECT value FROM json_each($pages))"
                        );
                        if (where is null)
                            continue;
                    }
                    using var cmd = connection.CreateCommand();
                    cmd.Transaction = tx;
                    cmd.CommandText =
                        $"SELECT {string.Join(", ", t.Columns.Select(c => $"\"{c.Name}\""))} FROM \"{t.Name}\""
                        + $"{(where is null ? "" : " WHERE " + where)} ORDER BY rowid";
                    if (appId is not null)
                    {
                        cmd.Parameters.AddWithValue("$app", appId);
                        cmd.Parameters.AddWithValue("$pages", pages);
                    }
                    List<object?[]> rows;
                    using (var r = cmd.ExecuteReader())
                        rows = StateValues.ReadRows(r, t.Columns.Count, v => v);
                    result.Add(new StateTable(t.Name, [.. t.Columns.Select(c => c.Name)], rows));
                }
                tx.Commit();
                return new StateSnapshot(appId, Migrator.Expected, result);
            },
            cancellationToken
        );

    public Task<StateImportResult> ImportStateAsync(
        StateSnapshot snapshot,
        CancellationToken cancellationToken = default
    ) =>
        WriteRawAsync(s =>
        {
            var connection = s.Connection;
            var tables = Catalogue(connection).ToDictionary(t => t.Name, StringComparer.Ordinal);
            try
            {
                // :: Step 1: clear what the document replaces: everything, or the app's part and the persons it names.
                // All of this command is one transaction: a bad table or row found later undoes it with the rest.
                if (snapshot.AppId is null)
                {
                    foreach (var t in tables.Values)
                        Run(connection, $"DELETE FROM \"{t.Name}\"", null, null, null);
                }
                else
                {
                    var pages = PagesOf(connection, snapshot.AppId, StateValues.DocumentIds(snapshot, "pages"));
                    var persons = JsonArray(StateValues.DocumentIds(snapshot, "persons"));
                    foreach (var t in tables.Values)
                    {
                        if (Scope(t, "SELECT value FROM json_each($persons)") is { } where)
                            Run(connection, $"DELETE FROM \"{t.Name}\" WHERE {where}", snapshot.AppId, pages, persons);
                    }
                }

                // :: Step 2: each table as the document brings it, checked against the schema, then its rows one at a
                // time through one prepared statement per table (the document is never held whole).
                long rows = 0;
                var count = 0;
                foreach (var data in snapshot.Tables)
                {
                    var (table, columns) = Plan(tables, data, snapshot.AppId);
                    count++;
                    using var insert = connection.CreateCommand();
                    SqliteParameter[]? parameters = null;
                    var n = 0;
                    foreach (var row in data.Rows)
                    {
                        n++;
                        if (row.Length != columns.Length)
                            throw new StateImportException(
                                $"tables.{table.Name}.rows[{n - 1}]: {row.Length} values for {columns.Length} columns"
                            );
                        parameters ??= Prepare(insert, table.Name, data.Columns);
                        for (var i = 0; i < columns.Length; i++)
                        {
                            var (name, type) = columns[i];
                            var (value, sqliteType) = Convert(
                                row[i],
                                type,
                                $"tables.{table.Name}.rows[{n - 1}].{name}"
                            );
                            parameters[i].SqliteType = sqliteType;
                            parameters[i].Value = value;
                        }
                        insert.ExecuteNonQuery();
                    }
                    rows += n;
                }
                // A lease of the exporting process means nothing here: whatever was in flight is due again.
                Run(connection, "UPDATE webhook_deliveries SET lease_until_ms = 0 WHERE status = 1", null, null, null);
                s.ForgetCachedFacts();
                return new StateImportResult(count, rows);
            }
            catch (SqliteException ex)
            {
                s.ForgetCachedFacts();
                throw new StateImportException($"the store refused the document: {ex.Message}", ex);
            }
            catch (StateImportException)
            {
                s.ForgetCachedFacts();
                throw;
            }
        });

    private static (TableInfo Table, (string Name, string Type)[] Columns) Plan(
        Dictionary<string, TableInfo> tables,
        StateTable data,
        string? appId
    ) => StateValues.Plan(tables, data, appId, t => t.Columns, c => c.Name, t => Scope(t, "") is not null);

    private static SqliteParameter[] Prepare(SqliteCommand insert, string table, IReadOnlyList<string> columns)
    {
        insert.CommandText =
            $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) "
            + "VALUES ("
            + string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)))
            + ")";
        var parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
            parameters[i] = insert.Parameters.Add(
                "$" + (i + 1).ToString(CultureInfo.InvariantCulture),
                SqliteType.Text
            );
        insert.Prepare();
        return parameters;
    }

    private static void Run(SqliteConnection connection, string sql, string? app, string? pages, string? persons)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (sql.Contains("$app", StringComparison.Ordinal))
            cmd.Parameters.AddWithValue("$app", app);
        if (sql.Contains("$pages", StringComparison.Ordinal))
            cmd.Parameters.AddWithValue("$pages", pages);
        if (sql.Contains("$persons", StringComparison.Ordinal))
            cmd.Parameters.AddWithValue("$persons", persons);
        cmd.ExecuteNonQuery();
    }

    /// <summary>A snapshot's value as the column's declared type stores it (booleans are integers here).</summary>
    private static (object Value, SqliteType Type) Convert(object? value, string type, string where)
    {
        if (value is null)
            return (DBNull.Value, SqliteType.Text);
        var integer = type.Contains("INT", StringComparison.Ordinal);
        var blob = type.Contains("BLOB", StringComparison.Ordinal);
        var real =
            type.Contains("REAL", StringComparison.Ordinal)
            || type.Contains("DOUB", StringComparison.Ordinal)
            || type.Contains("FLOA", StringComparison.Ordinal);
        return value switch
        {
            bool b when integer => (b ? 1L : 0L, SqliteType.Integer),
            long l when integer => (l, SqliteType.Integer),
            int i when integer => ((long)i, SqliteType.Integer),
            long l when real => ((double)l, SqliteType.Real),
            double d when real => (d, SqliteType.Real),
            byte[] bytes when blob => (bytes, SqliteType.Blob),
            string text when !integer && !blob && !real => (text, SqliteType.Text),
            _ => throw new StateImportException(
                $"{where}: {StateValues.Describe(value)} where the column holds "
                    + $"{(integer ? "integers" : blob ? "bytes" : real ? "numbers" : "text")}"
            ),
        };
    }

    public Task<SchemaState> SchemaStateAsync(CancellationToken cancellationToken = default) =>
        ReadRawAsync(
            s =>
            {
                var applied = s.One("SELECT COUNT(*) FROM schema_migrations", r => r.GetInt32(0));
                var newest = s.One("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", r => r.GetInt32(0));
                return new SchemaState(Migrator.Expected, newest, Math.Max(0, Migrator.Count - applied));
            },
            cancellationToken
        );

    public Task<OutboxDepth> OutboxDepthAsync(CancellationToken cancellationToken = default) =>
        ReadRawAsync(
            s => new OutboxDepth(
                s.One(StateValues.WaitingEvents, r => r.GetInt64(0)),
                s.One(StateValues.PendingDeliveries, r => r.GetInt64(0)),
                s.One(StateValues.GivenUpDeliveries, r => r.GetInt64(0))
            ),
            cancellationToken
        );
}
