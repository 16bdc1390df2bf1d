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
}
