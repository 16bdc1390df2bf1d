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
        // order holds.
        foreach (var (app, page) in WaitingLanes(s))
        {
            if (FormDelivery(s, app, page, terms) is not { } formed)
                continue;
            s.Exec(
                "UPDATE webhook_events SET delivery_id = $1 WHERE app_id = $2 AND page_id = $3 AND delivery_id "
                    + "IS NULL AND id <= $4",
                formed.Id,
                app,
                page,
                formed.Events[^1].Id
            );
        }

        // :: Step 2: claim what is due on its app's clock and not leased.
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
        foreach (var d in due)
            s.Exec("UPDATE webhook_deliveries SET lease_until_ms = $2 WHERE id = $1", d.Id, terms.LeaseUntil);
        return due;
    }

    protected override List<DeliveryAttempt> ReadAttempts(
        StoreSession<SqliteDialect> s,
        string appId,
        IReadOnlyCollection<long> deliveryIds
    ) => Attempts(s, appId, "IN (SELECT value FROM json_each($2))", "[" + string.Join(',', deliveryIds) + "]");
}
