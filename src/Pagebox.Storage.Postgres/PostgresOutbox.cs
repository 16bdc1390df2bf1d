using Pagebox.Domain.Store;

namespace Pagebox.Storage.Postgres;

/// <summary>
/// The webhook outbox shared by every process on the database (docs/design-notes.md §3). Forming deliveries is
/// serialized per app and Page by a transaction advisory lock (so a Page never has two unfinished deliveries and order
/// holds); claiming uses <c>FOR UPDATE SKIP LOCKED</c> and a lease owned by this process. A lease runs out at its time,
/// or at once when its owner's advisory lock is gone (the process died): another process then delivers it again.
/// </summary>
internal sealed class PostgresOutbox(PostgresStore store) : StoreOutbox<PostgresDialect>(store.Real)
{
    protected override Task<T> RunAsync<T>(
        bool write,
        Func<StoreSession<PostgresDialect>, T> run,
        CancellationToken cancellationToken
    ) => write ? store.WriteRawAsync(run) : store.ReadRawAsync(run, cancellationToken);

    // The live processes: those holding their instance lock on this database.
    private const string LiveOwners =
        "SELECT l.objid::bigint FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND "
        + "l.classid = $3::bigint::oid "
        + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    // The per-(app, Page) key of the grouping lock, within this schema.
    private const string PageKey = "hashtext(current_schema() || '/' || $1 || '/' || $2)";

    protected override IReadOnlyList<DeliveryWork> Claim(StoreSession<PostgresDialect> s, ClaimTerms terms)
    {
        // :: Step 1: group waiting events into a delivery per app and Page, unless one is unfinished there (it may
        // be retrying) or failed (given up: it waits for a replay): later events wait behind it, so each
        // conversation's order holds. Another process grouping the same Page holds its lock: skip it, that process
        // does the work.
        foreach (var (app, page) in WaitingLanes(s))
        {
            if (
                !s.One(
                    $"SELECT pg_try_advisory_xact_lock($3, {PageKey})",
                    r => r.GetBoolean(0),
                    app,
                    page,
                    PostgresStore.OutboxLockKey
                )
            )
                continue;
            // Under the lock, read again: another process may have formed a delivery since the first look.
            if (
                s.One(
                    "SELECT true FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 AND status = 1 LIMIT 1",
                    r => true,
                    app,
                    page
                )
            )
                continue;
            if (
                s.One(
                    "SELECT status FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 ORDER BY id DESC "
                        + "LIMIT 1",
                    r => r.GetInt32(0),
                    app,
                    page
                ) == 3
            )
                continue;
            if (FormDelivery(s, app, page, terms) is not { } formed)
                continue;
            // By id, not by "id <= last": an event of a transaction that commits late may carry a smaller id, and
            // belongs to the next delivery, not to one whose body lacks it.
            s.Exec(
                "UPDATE webhook_events SET delivery_id = $1 WHERE id = ANY($2)",
                formed.Id,
                formed.Events.Select(e => e.Id).ToArray()
            );
        }

        // :: Step 2: claim what is due on its app's clock and not leased by a live process.
        return s.Many(
            $"WITH live AS ({LiveOwners}), claimed AS (UPDATE webhook_deliveries d SET lease_until_ms = $4, "
                + "lease_owner = $5 FROM ("
                + "SELECT d2.id FROM webhook_deliveries d2 JOIN apps a ON a.id = d2.app_id "
                + "WHERE d2.status = 1 AND d2.next_attempt_ms <= $1 + a.clock_offset_ms AND (d2.lease_until_ms < "
                + "$1 OR d2.lease_owner NOT IN (SELECT objid FROM live)) "
                + "ORDER BY d2.id LIMIT $2 FOR UPDATE OF d2 SKIP LOCKED) c WHERE d.id = c.id RETURNING d.id, "
                + "d.app_id, d.page_id, d.object, d.body, d.attempts, d.created_ms) "
                + "SELECT c.id, c.app_id, c.page_id, COALESCE(sub.callback_url, ''), a.secret, c.body, "
                + "c.attempts, c.created_ms, a.disable_webhooks_on_failure FROM claimed c JOIN apps a ON a.id "
                + "= c.app_id "
                + "LEFT JOIN app_subscriptions sub ON sub.app_id = c.app_id AND sub.object = c.object ORDER BY "
                + "c.id",
            ReadWork,
            terms.RealNow,
            terms.MaxDeliveries,
            PostgresStore.InstanceLockKey,
            terms.LeaseUntil,
            store.InstanceId
        );
    }

    // Only while this process holds the lease: had it lapsed, another process owns the delivery (and records it).
    protected override (string Sql, object?[] Args) AttemptGuard =>
        (" AND status = 1 AND lease_owner = $6", [store.InstanceId]);

    protected override List<DeliveryAttempt> ReadAttempts(
        StoreSession<PostgresDialect> s,
        string appId,
        IReadOnlyCollection<long> deliveryIds
    ) => Attempts(s, appId, "= ANY($2)", deliveryIds.ToArray());

    // The grouping lock of its Page: no process forms a delivery there while this one decides.
    protected override void LockLane(StoreSession<PostgresDialect> s, string appId, string pageId) =>
        s.Exec($"SELECT pg_advisory_xact_lock($3, {PageKey})", appId, pageId, PostgresStore.OutboxLockKey);
}
