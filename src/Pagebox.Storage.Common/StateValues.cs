using System.Data.Common;
using Pagebox.Domain.Store;

namespace Pagebox.Storage;

/// <summary>A column as a store's catalogue gives it: its type and, on PostgreSQL, whether a sequence fills it
/// (<paramref name="Serial"/>) and whether it is the table's key.</summary>
internal sealed record StateColumn(string Name, string Type, bool Serial = false, bool Key = false);

/// <summary>A table of the state as a store's catalogue gives it.</summary>
internal sealed record StateTableInfo(string Name, IReadOnlyList<StateColumn> Columns)
{
    public bool Has(string column) => Columns.Any(c => c.Name == column);

    /// <summary>What a snapshot holds: every column but the ordering sequences no other store has.</summary>
    public IEnumerable<StateColumn> Portable => Columns.Where(c => !c.Serial || c.Key);

    /// <summary>Whether the table holds rows per app (<see cref="StateValues.Scope"/> names them).</summary>
    public bool PerApp => StateValues.Scope(Name, Has, "", "", "") is not null;

    /// <summary>The column a snapshot's rows follow (PostgreSQL): its ordering sequence, else its key.</summary>
    public string? OrderColumn =>
        Columns.FirstOrDefault(c => c.Serial)?.Name ?? Columns.FirstOrDefault(c => c.Key)?.Name;
}

/// <summary>What both stores' state export, import and outbox gauge say the same way (the dialect pieces stay per
/// store).</summary>
internal static class StateValues
{
    /// <summary>The outbox's depth: events not yet batched, deliveries due or in flight, deliveries given up.</summary>
    private const string WaitingEvents = "SELECT COUNT(*) FROM webhook_events WHERE delivery_id IS NULL";
    private const string PendingDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 1";
    private const string GivenUpDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 3";

    /// <summary>A snapshot value's kind, as an import error names it.</summary>
    public static string Describe(object value) =>
        value switch
        {
            bool => "a boolean",
            long or int => "an integer",
            double => "a number",
            byte[] => "bytes",
            string => "a string",
            _ => value.GetType().Name,
        };

    /// <summary>
    /// The ids a document's table holds (its <c>id</c> column): the Pages and persons an app's import replaces, read in
    /// a pass of their own before anything is deleted (the document's tables come in any order).
    /// </summary>
    public static List<string> DocumentIds(StateSnapshot snapshot, string table)
    {
        var ids = new List<string>();
        foreach (var t in snapshot.Tables)
        {
            if (t.Name != table)
                continue;
            var i = t.Columns.ToList().IndexOf("id");
            if (i < 0)
                break;
            foreach (var row in t.Rows)
                if (i < row.Length && row[i] is string id)
                    ids.Add(id);
            break;
        }
        return ids;
    }

    /// <summary>
    /// The rows of a table that belong to an app: the app itself (<paramref name="app"/> is its parameter); rows of its
    /// Pages (<paramref name="inPages"/> matches a page id against them) or with its app id; the persons (and their
    /// rows) named by <paramref name="persons"/>; the rows of its ad accounts. Null: the table holds nothing per app.
    /// </summary>
    public static string? Scope(string table, Func<string, bool> has, string app, string inPages, string persons)
    {
        if (table == "apps")
            return $"id = {app}";
        if (table == "persons")
            return $"id IN ({persons})";
        if (has("app_id") && has("page_id"))
            return $"(app_id = {app} OR page_id {inPages})";
        if (has("app_id"))
            return $"app_id = {app}";
        if (has("page_id"))
            return $"page_id {inPages}";
        if (has("person_id"))
            return $"person_id IN ({persons})";
        if (has("ad_account_id"))
            return $"ad_account_id IN (SELECT id FROM ad_accounts WHERE app_id = {app})";
        return null;
    }

    /// <summary>
    /// A document's table against the schema: the table, and the schema's column each of the document's columns
    /// names (of its <see cref="StateTableInfo.Portable"/> ones). Refused: an unknown table or column, a column named
    /// twice, and in an app's import (<paramref name="appId"/> set) a table that holds nothing per app.
    /// </summary>
    public static (StateTableInfo Table, StateColumn[] Columns) Plan(
        IReadOnlyDictionary<string, StateTableInfo> tables,
        StateTable data,
        string? appId
    )
    {
        if (!tables.TryGetValue(data.Name, out var table))
            throw new StateImportException($"tables.{data.Name}: no such table");
        var known = table.Portable.ToList();
        var columns = new StateColumn[data.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var at = known.FindIndex(c => c.Name == data.Columns[i]);
            if (at < 0)
                throw new StateImportException($"tables.{data.Name}.columns: no such column {data.Columns[i]}");
            columns[i] = known[at];
        }
        if (columns.Distinct().Count() != columns.Length)
            throw new StateImportException($"tables.{data.Name}.columns: a column is named twice");
        if (appId is not null && !table.PerApp)
            throw new StateImportException($"tables.{data.Name}: not part of an app's state");
        return (table, columns);
    }

    /// <summary>
    /// A snapshot of <paramref name="tables"/>, each table's <see cref="StateTableInfo.Portable"/> columns: every row,
    /// or in an app's export (<paramref name="appId"/> set) the rows <paramref name="scope"/> names, leaving out the
    /// tables that hold nothing per app. <paramref name="read"/> runs a table's SELECT (its text, its width);
    /// <paramref name="order"/> is what ends it (the dialect's insertion order).
    /// </summary>
    public static StateSnapshot Export(
        IReadOnlyList<StateTableInfo> tables,
        string? appId,
        int version,
        Func<StateTableInfo, string?> scope,
        Func<StateTableInfo, string> order,
        Func<string, int, List<object?[]>> read
    )
    {
        var result = new List<StateTable>(tables.Count);
        foreach (var t in tables)
        {
            string? where = null;
            if (appId is not null)
            {
                where = scope(t);
                if (where is null)
                    continue;
            }
            string[] columns = [.. t.Portable.Select(c => c.Name)];
            var rows = read(
                $"SELECT {Quoted(columns)} FROM \"{t.Name}\"" + $"{(where is null ? "" : " WHERE " + where)}{order(t)}",
                columns.Length
            );
            result.Add(new StateTable(t.Name, columns, rows));
        }
        return new StateSnapshot(appId, version, result);
    }

    /// <summary>Column names as a statement lists them, each quoted.</summary>
    public static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(c => $"\"{c}\""));

    /// <summary>Writes an import's rows into one table, each value converted for its column (a bad one named by
    /// where it stands); starts with the first row, so a table without rows writes nothing.</summary>
    public interface IRowWriter : IDisposable
    {
        /// <summary>Writes one row (its values in the planned columns' order); <paramref name="at"/> names it in an
        /// error (<c>tables.T.rows[N]</c>).</summary>
        void Write(object?[] row, string at);

        /// <summary>The table's rows are all written.</summary>
        void Complete();
    }

    /// <summary>
    /// An import's steps 1 and 2. Step 1 clears what the document replaces: everything (<paramref name="clearAll"/>),
    /// or in an app's import the app's part and the persons it names, table by table (<paramref name="delete"/> runs a
    /// DELETE with the app's Pages, the document's own included, and the persons, each list as the dialect binds it:
    /// <paramref name="pagesOf"/>, <paramref name="ids"/>; <paramref name="scope"/> is the dialect's
    /// <see cref="Scope"/> of a table). Step 2 writes the document's tables (<see cref="WriteTables"/>).
    /// </summary>
    public static StateImportResult Import<TIds>(
        StateSnapshot snapshot,
        IReadOnlyDictionary<string, StateTableInfo> tables,
        Action clearAll,
        Func<string, IEnumerable<string>, TIds> pagesOf,
        Func<IEnumerable<string>, TIds> ids,
        Func<StateTableInfo, string?> scope,
        Action<string, TIds, TIds> delete,
        Func<StateTableInfo, StateColumn[], IRowWriter> open
    )
    {
        // All of the import is one transaction: a bad table or row found later undoes step 1 with the rest.
        if (snapshot.AppId is null)
        {
            clearAll();
        }
        else
        {
            var pages = pagesOf(snapshot.AppId, DocumentIds(snapshot, "pages"));
            var persons = ids(DocumentIds(snapshot, "persons"));
            foreach (var t in tables.Values)
            {
                if (scope(t) is { } where)
                    delete($"DELETE FROM \"{t.Name}\" WHERE {where}", pages, persons);
            }
        }
        return WriteTables(snapshot, tables, open);
    }

    /// <summary>
    /// Step 2 of an import: each table as the document brings it, checked against the schema (<see cref="Plan"/>),
    /// then its rows one at a time through the store's writer (<paramref name="open"/>; the document is never held
    /// whole). The tables and rows written.
    /// </summary>
    private static StateImportResult WriteTables(
        StateSnapshot snapshot,
        IReadOnlyDictionary<string, StateTableInfo> tables,
        Func<StateTableInfo, StateColumn[], IRowWriter> open
    )
    {
        long rows = 0;
        var count = 0;
        foreach (var data in snapshot.Tables)
        {
            var (table, columns) = Plan(tables, data, snapshot.AppId);
            count++;
            using var writer = open(table, columns);
            var n = 0;
            foreach (var row in data.Rows)
            {
                if (row.Length != columns.Length)
                    throw new StateImportException(
                        $"tables.{table.Name}.rows[{n}]: {row.Length} values for {columns.Length} columns"
                    );
                writer.Write(row, $"tables.{table.Name}.rows[{n}]");
                n++;
            }
            writer.Complete();
            rows += n;
        }
        return new StateImportResult(count, rows);
    }

    /// <summary>After an import: a lease of the exporting process means nothing here, whatever was in flight is due
    /// again.</summary>
    public const string ReleaseLeases = "UPDATE webhook_deliveries SET lease_until_ms = 0 WHERE status = 1";

    /// <summary>The outbox's depth (<see cref="IStateTransfer.OutboxDepthAsync"/>).</summary>
    public static OutboxDepth ReadOutboxDepth<TDialect>(StoreSession<TDialect> s)
        where TDialect : IStoreDialect =>
        new(
            s.One(WaitingEvents, r => r.GetInt64(0)),
            s.One(PendingDeliveries, r => r.GetInt64(0)),
            s.One(GivenUpDeliveries, r => r.GetInt64(0))
        );

    /// <summary>The schema's state (<see cref="IStateTransfer.SchemaStateAsync"/>): the store's <paramref
    /// name="expected"/> version of <paramref name="count"/> migrations against what was applied.</summary>
    public static SchemaState ReadSchemaState<TDialect>(StoreSession<TDialect> s, int expected, int count)
        where TDialect : IStoreDialect
    {
        var applied = s.One("SELECT CAST(COUNT(*) AS INTEGER) FROM schema_migrations", r => r.GetInt32(0));
        var newest = s.One("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", r => r.GetInt32(0));
        return new SchemaState(expected, newest, Math.Max(0, count - applied));
    }

    /// <summary>Every row of an export's query, each value as the snapshot holds it (<paramref name="value"/> maps
    /// what the reader gives; null stays null).</summary>
    public static List<object?[]> ReadRows(DbDataReader r, int width, Func<object, object> value)
    {
        var rows = new List<object?[]>();
        while (r.Read())
        {
            var row = new object?[width];
            for (var i = 0; i < row.Length; i++)
                row[i] = r.IsDBNull(i) ? null : value(r.GetValue(i));
            rows.Add(row);
        }
        return rows;
    }
}
