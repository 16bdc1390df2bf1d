using System.Data.Common;
using Pagebox.Domain.Store;

namespace Pagebox.Storage;

/// <summary>What both stores' state import and outbox gauge say the same way (the dialect pieces stay per
/// store).</summary>
internal static class StateValues
{
    /// <summary>The outbox's depth: events not yet batched, deliveries due or in flight, deliveries given up.</summary>
    public const string WaitingEvents = "SELECT COUNT(*) FROM webhook_events WHERE delivery_id IS NULL";
    public const string PendingDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 1";
    public const string GivenUpDeliveries = "SELECT COUNT(*) FROM webhook_deliveries WHERE status = 3";

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
    /// names. Refused: an unknown table or column, a column named twice, and in an app's import (<paramref
    /// name="appId"/> set) a table that holds nothing per app.
    /// </summary>
    public static (TTable Table, TColumn[] Columns) Plan<TTable, TColumn>(
        IReadOnlyDictionary<string, TTable> tables,
        StateTable data,
        string? appId,
        Func<TTable, IEnumerable<TColumn>> columnsOf,
        Func<TColumn, string> nameOf,
        Func<TTable, bool> perApp
    )
    {
        if (!tables.TryGetValue(data.Name, out var table))
            throw new StateImportException($"tables.{data.Name}: no such table");
        var known = columnsOf(table).ToList();
        var columns = new TColumn[data.Columns.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var at = known.FindIndex(c => nameOf(c) == data.Columns[i]);
            if (at < 0)
                throw new StateImportException($"tables.{data.Name}.columns: no such column {data.Columns[i]}");
            columns[i] = known[at];
        }
        if (columns.Distinct().Count() != columns.Length)
            throw new StateImportException($"tables.{data.Name}.columns: a column is named twice");
        if (appId is not null && !perApp(table))
            throw new StateImportException($"tables.{data.Name}: not part of an app's state");
        return (table, columns);
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
