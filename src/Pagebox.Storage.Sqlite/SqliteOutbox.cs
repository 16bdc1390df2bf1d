using Pagebox.Domain.Store;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// The webhook outbox on SQLite. Claiming runs on the writer loop, so no two claims race; leases protect a
/// delivery while it is in flight and are cleared at start-up (a crashed process's work is due again).
/// </summary>
internal sealed class SqliteOutbox(SqliteStore store) : StoreOutbox<SqliteDialect>(store.Real)
{
    protected override Task<T> RunAsync<T>(
        bool write,
        Func<StoreSession<SqliteDialect>, T> run,
        CancellationToken cancellationToken
    ) => write ? store.WriteRawAsync(run) : store.ReadRawAsync(run, cancellationToken);

    protected override IReadOnlyList<DeliveryWork> Claim(StoreSession<SqliteDialect> s, ClaimTerms terms)
    {
        // :: Step 1: group waiting events into a delivery per app and Page, unless one is unfinished there (it may be
        // retrying) or failed (given up: it waits for a replay): later events wait behind it, so each conversation's
        // order holds. One read finds every open lane's next events (at most a delivery's worth each, oldest first)
        // and when the lane's newest delivery was created; each lane then costs its INSERT and its UPDATE.
        var waiting = s.Many(
            NextEventsOfOpenLanes,
            r => (Event: ReadPendingEvent(r), LastStart: LastStart(r)),
            terms.MaxEventsPerDelivery
        );
        var i = 0;
        while (i < waiting.Count)
        {
            var lane = new List<PendingEvent>();
            var lastStart = waiting[i].LastStart;
            var (app, page) = (waiting[i].Event.AppId, waiting[i].Event.PageId);
            for (; i < waiting.Count && waiting[i].Event.AppId == app && waiting[i].Event.PageId == page; i++)
                lane.Add(waiting[i].Event);
            var id = InsertDelivery(s, lane, lastStart, terms);
            s.Exec(
                "UPDATE webhook_events SET delivery_id = $1 WHERE app_id = $2 AND page_id = $3 AND delivery_id "
                    + "IS NULL AND id <= $4",
                id,
                app,
                page,
                lane[^1].Id
            );
        }

        // :: Step 2: claim what is due on its app's clock and not leased, and lease it (one UPDATE).
        var due = s.Many(
            "SELECT d.id, d.app_id, d.page_id, COALESCE(sub.callback_url, ''), a.secret, d.body, d.attempts, "
                + "d.created_ms, a.disable_webhooks_on_failure "
                + "FROM webhook_deliveries d JOIN apps a ON a.id = d.app_id "
                + "LEFT JOIN app_subscriptions sub ON sub.app_id = d.app_id AND sub.object = d.object "
                + "WHERE d.status = 1 AND d.next_attempt_ms <= $1 + a.clock_offset_ms AND d.lease_until_ms < $1 "
                + "ORDER BY d.id LIMIT $2",
            ReadWork,
            terms.RealNow,
            terms.MaxDeliveries
        );
        if (due.Count > 0)
            s.Exec(
                "UPDATE webhook_deliveries SET lease_until_ms = $2 WHERE id IN (SELECT value FROM json_each($1))",
                "[" + string.Join(',', due.Select(d => d.Id)) + "]",
                terms.LeaseUntil
            );
        return due;
    }

    /// <summary>
    /// The waiting events of every open lane (<see cref="StoreOutbox{TDialect}.LaneOpen"/>), at most <c>$1</c> per
    /// lane, by lane and then in order, each with when its lane's newest delivery was created (null: none yet).
    /// </summary>
    private const string NextEventsOfOpenLanes =
        "SELECT e.id, e.app_id, e.page_id, e.object, e.field, e.event, e.created_ms, (SELECT d.created_ms FROM "
        + "webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = e.page_id ORDER BY d.id DESC LIMIT 1) "
        + "FROM (SELECT id, app_id, page_id, object, field, event, created_ms, ROW_NUMBER() OVER (PARTITION BY "
        + "app_id, page_id ORDER BY id) AS n FROM webhook_events WHERE delivery_id IS NULL) e WHERE e.n <= $1 AND "
        + LaneOpen
        + " ORDER BY e.app_id, e.page_id, e.id";

    private static long? LastStart(System.Data.Common.DbDataReader r) => r.IsDBNull(7) ? null : r.GetInt64(7);

    protected override List<DeliveryAttempt> ReadAttempts(
        StoreSession<SqliteDialect> s,
        string appId,
        IReadOnlyCollection<long> deliveryIds
    ) => Attempts(s, appId, "IN (SELECT value FROM json_each($2))", "[" + string.Join(',', deliveryIds) + "]");
}
