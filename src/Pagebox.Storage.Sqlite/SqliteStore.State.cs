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

    private static List<StateTableInfo> Catalogue(SqliteConnection connection)
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
        var tables = new List<StateTableInfo>(names.Count);
        foreach (var name in names)
        {
            var columns = new List<StateColumn>();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = $"PRAGMA table_info(\"{name}\")";
            using var r = cmd.ExecuteReader();
            while (r.Read())
                columns.Add(new StateColumn(r.GetString(1), r.GetString(2).ToUpperInvariant()));
            tables.Add(new StateTableInfo(name, columns));
        }
        return tables;
    }

    /// <summary>The rows of <paramref name="t"/> that belong to the app <c>$app</c> and its Pages <c>$pages</c>
    /// (<see cref="StateValues.Scope"/>).</summary>
    private static string? Scope(StateTableInfo t, string persons) =>
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
                var pages = appId is null ? "[]" : PagesOf(connection, appId);
                var snapshot = StateValues.Export(
                    Catalogue(connection),
                    appId,
                    Migrator.Expected,
                    t =>
                        Scope(
                            t,
                            "SELECT person_id FROM conversations WHERE page_id IN (SELECT value FROM json_each($pages))"
                        ),
                    _ => " ORDER BY rowid",
                    (sql, width) =>
                    {
                        using var cmd = connection.CreateCommand();
                        cmd.Transaction = tx;
                        cmd.CommandText = sql;
                        if (appId is not null)
                        {
                            cmd.Parameters.AddWithValue("$app", appId);
                            cmd.Parameters.AddWithValue("$pages", pages);
                        }
                        using var r = cmd.ExecuteReader();
                        return StateValues.ReadRows(r, width, v => v);
                    }
                );
                tx.Commit();
                return snapshot;
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
                // :: Steps 1 and 2: clear what the document replaces, then each table's rows through one prepared
                // statement per table.
                var result = StateValues.Import(
                    snapshot,
                    tables,
                    () =>
                    {
                        foreach (var t in tables.Values)
                            Run(connection, $"DELETE FROM \"{t.Name}\"", null, null, null);
                    },
                    (app, more) => PagesOf(connection, app, more),
                    JsonArray,
                    t => Scope(t, "SELECT value FROM json_each($persons)"),
                    (sql, pages, persons) => Run(connection, sql, snapshot.AppId, pages, persons),
                    (table, columns) => new InsertWriter(connection, table.Name, columns)
                );
                Run(connection, StateValues.ReleaseLeases, null, null, null);
                s.ForgetCachedFacts();
                return result;
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

    /// <summary>A table's rows through one prepared INSERT, prepared with the first row.</summary>
    private sealed class InsertWriter(SqliteConnection connection, string table, StateColumn[] columns)
        : StateValues.IRowWriter
    {
        private readonly SqliteCommand _insert = connection.CreateCommand();
        private SqliteParameter[]? _parameters;

        public void Write(object?[] row, string at)
        {
            _parameters ??= Prepare();
            for (var i = 0; i < columns.Length; i++)
            {
                var (value, sqliteType) = Convert(row[i], columns[i].Type, $"{at}.{columns[i].Name}");
                _parameters[i].SqliteType = sqliteType;
                _parameters[i].Value = value;
            }
            _insert.ExecuteNonQuery();
        }

        private SqliteParameter[] Prepare()
        {
            _insert.CommandText =
                $"INSERT INTO \"{table}\" ({StateValues.Quoted(columns.Select(c => c.Name))}) "
                + "VALUES ("
                + string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(CultureInfo.InvariantCulture)))
                + ")";
            var parameters = new SqliteParameter[columns.Length];
            for (var i = 0; i < columns.Length; i++)
                parameters[i] = _insert.Parameters.Add(
                    "$" + (i + 1).ToString(CultureInfo.InvariantCulture),
                    SqliteType.Text
                );
            _insert.Prepare();
            return parameters;
        }

        public void Complete() { }

        public void Dispose() => _insert.Dispose();
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
        ReadRawAsync(s => StateValues.ReadSchemaState(s, Migrator.Expected, Migrator.Count), cancellationToken);

    public Task<OutboxDepth> OutboxDepthAsync(CancellationToken cancellationToken = default) =>
        ReadRawAsync(s => StateValues.ReadOutboxDepth(s), cancellationToken);
}
