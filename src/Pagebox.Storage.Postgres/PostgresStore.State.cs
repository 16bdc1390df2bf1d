using System.Data;
using Npgsql;
using NpgsqlTypes;
using Pagebox.Domain.Store;

namespace Pagebox.Storage.Postgres;

/// <summary>
/// Export and import of the whole state or one app's part (<see cref="IStateTransfer"/>), mirroring SQLite's: tables
/// and columns from the catalogue, an app's rows by the columns a table has. Columns only PostgreSQL has (the
/// <c>created_seq</c> sequences that keep insertion order) are left out of a snapshot and give its order; an import
/// writes each table with binary COPY inside the command's one transaction, then moves the id sequences past the rows.
/// </summary>
public sealed partial class PostgresStore : IStateTransfer
{
    private static readonly HashSet<string> NotState = new(StringComparer.Ordinal)
    {
        "schema_migrations",
        "server_settings",
    };

    private static List<StateTableInfo> Catalogue(PostgresSession s)
    {
        var keys = s.Many(
                "SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc JOIN "
                    + "information_schema.key_column_usage kcu "
                    + "ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema "
                    + "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()",
                r => (r.GetString(0), r.GetString(1))
            )
            .ToHashSet();
        var tables = new SortedDictionary<string, List<StateColumn>>(StringComparer.Ordinal);
        var columns = s.Many(
            "SELECT c.table_name, c.column_name, c.data_type, COALESCE(c.column_default, '') LIKE 'nextval(%' "
                + "FROM information_schema.columns c "
                + "JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = "
                + "c.table_schema "
                + "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY "
                + "c.table_name, c.ordinal_position",
            r => (Table: r.GetString(0), Name: r.GetString(1), Type: r.GetString(2), Serial: r.GetBoolean(3))
        );
        foreach (var c in columns)
        {
            if (NotState.Contains(c.Table))
                continue;
            if (!tables.TryGetValue(c.Table, out var list))
                tables[c.Table] = list = [];
            list.Add(new StateColumn(c.Name, c.Type, c.Serial, keys.Contains((c.Table, c.Name))));
        }
        return [.. tables.Select(t => new StateTableInfo(t.Key, t.Value))];
    }

    /// <summary>As on SQLite: the rows of the app <c>$1</c>, its Pages <c>$2</c> and the persons <paramref
    /// name="persons"/>.</summary>
    private static string? Scope(StateTableInfo t, string persons) =>
        StateValues.Scope(t.Name, t.Has, "$1", "= ANY($2)", persons);

    private static string[] PagesOf(NpgsqlConnection connection, string appId, IEnumerable<string>? more = null)
    {
        var ids = new List<string>();
        using (var cmd = new NpgsqlCommand("SELECT id FROM pages WHERE app_id = $1", connection))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = appId });
            using var r = cmd.ExecuteReader();
            while (r.Read())
                ids.Add(r.GetString(0));
        }
        if (more is not null)
            ids.AddRange(more);
        return [.. ids.Distinct(StringComparer.Ordinal)];
    }

    private static NpgsqlCommand Command(
        NpgsqlConnection connection,
        string sql,
        string? app,
        string[]? pages,
        string[]? persons
    )
    {
        // Every placeholder typed, all three always given: a statement may use $3 alone (PostgreSQL takes unused typed
        // parameters).
        var cmd = new NpgsqlCommand(sql, connection);
        if (!sql.Contains('$', StringComparison.Ordinal))
            return cmd;
        cmd.Parameters.Add(new NpgsqlParameter { Value = app ?? "", NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(
            new NpgsqlParameter { Value = pages ?? [], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        cmd.Parameters.Add(
            new NpgsqlParameter { Value = persons ?? [], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }
        );
        return cmd;
    }

    public Task<StateSnapshot> ExportStateAsync(string? appId, CancellationToken cancellationToken = default) =>
        ReadRawAsync(
            s =>
            {
                var connection = s.Connection;
                // One snapshot for every table.
                using var tx = connection.BeginTransaction(IsolationLevel.RepeatableRead);
                var pages = appId is null ? [] : PagesOf(connection, appId);
                var snapshot = StateValues.Export(
                    Catalogue(s),
                    appId,
                    PostgresMigrator.Expected,
                    t => Scope(t, "SELECT person_id FROM conversations WHERE page_id = ANY($2)"),
                    t => t.OrderColumn is { } o ? $" ORDER BY \"{o}\"" : "",
                    (sql, width) =>
                    {
                        using var cmd = Command(connection, sql, appId, pages, null);
                        using var r = cmd.ExecuteReader();
                        return StateValues.ReadRows(
                            r,
                            width,
                            v =>
                                v switch
                                {
                                    int n => (long)n,
                                    short n => (long)n,
                                    float f => (double)f,
                                    _ => v,
                                }
                        );
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
            var tables = Catalogue(s).ToDictionary(t => t.Name, StringComparer.Ordinal);

            try
            {
                // :: Steps 1 and 2: clear what the document replaces (TRUNCATE when everything), then each table's
                // rows by binary COPY (the fast path for a large world).
                var result = StateValues.Import(
                    snapshot,
                    tables,
                    () => s.Exec($"TRUNCATE {StateValues.Quoted(tables.Keys)}"),
                    (app, more) => PagesOf(connection, app, more),
                    ids => (string[])[.. ids],
                    t => Scope(t, "SELECT unnest($3::text[])"),
                    (sql, pages, persons) =>
                    {
                        using var delete = Command(connection, sql, snapshot.AppId, pages, persons);
                        delete.ExecuteNonQuery();
                    },
                    (table, columns) => new CopyWriter(connection, table.Name, columns)
                );

                // :: Step 4: ids a store hands out continue after the imported ones.
                foreach (var t in tables.Values)
                {
                    foreach (var c in t.Columns.Where(c => c.Serial))
                        s.Exec(
                            $"SELECT setval(pg_get_serial_sequence('\"{t.Name}\"', '{c.Name}'), COALESCE((SELECT "
                                + $"MAX(\"{c.Name}\") FROM \"{t.Name}\"), 0) + 1, false)"
                        );
                }
                s.Exec(StateValues.ReleaseLeases);
                s.Notify = true; // other instances' dispatchers look again
                return result;
            }
            catch (PostgresException ex)
            {
                throw new StateImportException($"the store refused the document: {ex.MessageText}", ex);
            }
        });

    /// <summary>A table's rows by binary COPY, begun with the first row.</summary>
    private sealed class CopyWriter(NpgsqlConnection connection, string table, StateColumn[] columns)
        : StateValues.IRowWriter
    {
        private NpgsqlBinaryImporter? _copy;

        public void Write(object?[] row, string at)
        {
            _copy ??= connection.BeginBinaryImport(
                $"COPY \"{table}\" ({StateValues.Quoted(columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)"
            );
            _copy.StartRow();
            for (var i = 0; i < columns.Length; i++)
            {
                var (value, type) = Convert(row[i], columns[i].Type, $"{at}.{columns[i].Name}");
                if (value is null)
                    _copy.WriteNull();
                else
                    _copy.Write(value, type);
            }
        }

        public void Complete() => _copy?.Complete();

        public void Dispose() => _copy?.Dispose();
    }

    /// <summary>A snapshot's value as the column's type takes it, with the COPY type to write it as.</summary>
    private static (object? Value, NpgsqlDbType Type) Convert(object? value, string type, string where)
    {
        if (value is null)
            return (null, NpgsqlDbType.Unknown);
        return (type, value) switch
        {
            ("boolean", bool b) => (b, NpgsqlDbType.Boolean),
            ("boolean", long l) when l is 0 or 1 => (l == 1, NpgsqlDbType.Boolean),
            ("bigint", long l) => (l, NpgsqlDbType.Bigint),
            ("bigint", bool b) => (b ? 1L : 0L, NpgsqlDbType.Bigint),
            ("integer", long l) when l is >= int.MinValue and <= int.MaxValue => ((int)l, NpgsqlDbType.Integer),
            ("integer", bool b) => (b ? 1 : 0, NpgsqlDbType.Integer),
            ("smallint", long l) when l is >= short.MinValue and <= short.MaxValue => ((short)l, NpgsqlDbType.Smallint),
            ("double precision", double d) => (d, NpgsqlDbType.Double),
            ("double precision", long l) => ((double)l, NpgsqlDbType.Double),
            ("bytea", byte[] bytes) => (bytes, NpgsqlDbType.Bytea),
            ("text", string text) => (text, NpgsqlDbType.Text),
            _ => throw new StateImportException(
                $"{where}: {StateValues.Describe(value)} where the column holds {type}"
            ),
        };
    }

    public Task<SchemaState> SchemaStateAsync(CancellationToken cancellationToken = default) =>
        ReadRawAsync(
            s => StateValues.ReadSchemaState(s, PostgresMigrator.Expected, PostgresMigrator.Count),
            cancellationToken
        );

    public Task<OutboxDepth> OutboxDepthAsync(CancellationToken cancellationToken = default) =>
        ReadRawAsync(s => StateValues.ReadOutboxDepth(s), cancellationToken);
}
