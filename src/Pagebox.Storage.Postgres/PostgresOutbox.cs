using Pagebox.Domain.Store;

namespace Pagebox.Storage.Postgres;

/// <summary>
/// The webhook outbox shared by every process on the database (docs/design-notes.md §3). Forming deliveries is
/// serialized per
/// app and Page by a transaction advisory lock (so a Page never has two unfinished deliveries and order holds);
/// claiming uses <c>FOR UPDATE SKIP LOCKED</c> and a lease owned by this process. A lease runs out at its time, or at
/// once when its owner's advisory lock is gone (the process died): another process then delivers it again.
/// </summary>
internal sealed class PostgresOutbox(PostgresStore store) : IWebhookOutbox
{
    // The live processes: those holding their instance lock on this database.
    private const string LiveOwners =
        "SELECT l.objid::bigint FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND "
        + "l.classid = $3::bigint::oid "
        + "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    /// <summary>
    /// The lane of <c>e</c> (its app and Page) takes a new delivery: none is unfinished there, and its newest one did
    /// not fail (a failed delivery holds the later events until it is replayed, so order holds).
    /// </summary>
    private const string LaneOpen =
        "NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = e.page_id AND "
        + "d.status = 1) "
        + "AND COALESCE((SELECT d.status FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = "
        + "e.page_id ORDER BY d.id DESC LIMIT 1), 0) <> 3";

    // The per-(app, Page) key of the grouping lock, within this schema.
    private const string PageKey = "hashtext(current_schema() || '/' || $1 || '/' || $2)";

    public Task<IReadOnlyList<DeliveryWork>> ClaimDueAsync(
        Func<IReadOnlyList<PendingEvent>, byte[]> buildBody,
        int maxEventsPerDelivery,
        TimeSpan lease,
        int maxDeliveries = 256,
        CancellationToken cancellationToken = default
    ) =>
        store.WriteRawAsync<IReadOnlyList<DeliveryWork>>(s =>
        {
            var realNow = store.Real.GetUtcNow().ToUnixTimeMilliseconds();

            // :: Step 1: group waiting events into a delivery per app and Page, unless one is unfinished there (it may
            // be
            // retrying) or failed (given up: it waits for a replay): later events wait behind it, so each
            // conversation's
            // order holds. Another process grouping the
            // same Page holds its lock: skip it, that process does the work.
            var groups = s.Many(
                "SELECT DISTINCT e.app_id, e.page_id FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen,
                r => (App: r.GetString(0), Page: r.GetString(1))
            );
            foreach (var (app, page) in groups)
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
                var events = s.Many(
                    "SELECT id, app_id, page_id, object, field, event, created_ms FROM webhook_events WHERE app_id = "
                        + "$1 AND page_id = $2 AND delivery_id IS NULL ORDER BY id LIMIT $3",
                    r => new PendingEvent(
                        r.GetInt64(0),
                        r.GetString(1),
                        r.GetString(2),
                        r.GetString(3),
                        r.GetString(4),
                        r.GetString(5),
                        PostgresSession.Ms(r.GetInt64(6))
                    ),
                    app,
                    page,
                    maxEventsPerDelivery
                );
                if (events.Count == 0)
                    continue;
                var body = buildBody(events);
                var fields = string.Join(',', events.Select(e => e.Field).Distinct());
                // The give-up horizon counts from the oldest event, not from when the delivery was formed. After a
                // replay
                // (the lane's last delivery was put back at that time) the backlog gets its hour from then.
                var appNow = s.AppNowMs(app);
                var lastStart =
                    s.One(
                        "SELECT created_ms FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 ORDER BY id "
                            + "DESC LIMIT 1",
                        r => (long?)r.GetInt64(0),
                        app,
                        page
                    ) ?? long.MinValue;
                var created = Math.Max(events[0].Created.ToUnixTimeMilliseconds(), lastStart);
                var id = s.One(
                    "INSERT INTO webhook_deliveries (app_id, page_id, object, fields, body, status, attempts, "
                        + "created_ms, next_attempt_ms) VALUES ($1,$2,$3,$4,$5,1,0,$6,$7) RETURNING id",
                    r => r.GetInt64(0),
                    app,
                    page,
                    events[0].Object,
                    fields,
                    body,
                    created,
                    appNow
                );
                // By id, not by "id <= last": an event of a transaction that commits late may carry a smaller id, and
                // belongs to the next delivery, not to one whose body lacks it.
                s.Exec(
                    "UPDATE webhook_events SET delivery_id = $1 WHERE id = ANY($2)",
                    id,
                    events.Select(e => e.Id).ToArray()
                );
            }

            // :: Step 2: claim what is due on its app's clock and not leased by a live process.
            var leaseUntil = realNow + (long)lease.TotalMilliseconds;
            return s.Many(
                $"WITH live AS ({LiveOwners}), claimed AS (UPDATE webhook_deliveries d SET lease_until_ms = $4, "
                    + $"lease_owner = $5 FROM ("
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
                r => new DeliveryWork(
                    r.GetInt64(0),
                    r.GetString(1),
                    r.GetString(2),
                    r.GetString(3),
                    r.GetString(4),
                    (byte[])r.GetValue(5),
                    r.GetInt32(6),
                    PostgresSession.Ms(r.GetInt64(7)),
                    r.GetBoolean(8)
                ),
                realNow,
                maxDeliveries,
                PostgresStore.InstanceLockKey,
                leaseUntil,
                store.InstanceId
            );
        });

    public Task RecordAttemptAsync(
        long deliveryId,
        bool delivered,
        int? httpStatus,
        string? error,
        DateTimeOffset? nextAttempt,
        bool unsubscribe = false,
        DeliveryAnswer? answer = null,
        CancellationToken cancellationToken = default
    ) =>
        store.WriteRawAsync(s =>
        {
            var status =
                delivered ? DeliveryStatus.Delivered
                : nextAttempt is null ? DeliveryStatus.Failed
                : DeliveryStatus.Pending;
            // Only while this process holds the lease: had it lapsed, another process owns the delivery (and records
            // it).
            var changed = s.Exec(
                "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status = $3, last_error = "
                    + "$4, "
                    + "next_attempt_ms = COALESCE($5, next_attempt_ms), lease_until_ms = 0, lease_owner = 0 WHERE id "
                    + "= $1 AND status = 1 AND lease_owner = $6",
                deliveryId,
                (int)status,
                httpStatus,
                error,
                nextAttempt?.ToUnixTimeMilliseconds(),
                store.InstanceId
            );
            // Each attempt is kept with the bot's answer, on the app's clock (the developer's view lists them).
            if (
                changed > 0
                && s.One(
                    "SELECT app_id, attempts FROM webhook_deliveries WHERE id = $1",
                    r => (App: r.GetString(0), Attempt: r.GetInt32(1)),
                    deliveryId
                )
                    is { App: not null } d
            )
                s.Exec(
                    "INSERT INTO webhook_attempts (delivery_id, app_id, attempt, time_ms, status, error, answer, "
                        + "duration_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) "
                        + "ON CONFLICT(delivery_id, attempt) DO UPDATE SET time_ms=excluded.time_ms, "
                        + "status=excluded.status, error=excluded.error, answer=excluded.answer, "
                        + "duration_ms=excluded.duration_ms",
                    deliveryId,
                    d.App,
                    d.Attempt,
                    s.AppNowMs(d.App),
                    httpStatus,
                    error,
                    answer?.Body,
                    answer?.DurationMs
                );
            // An hour of failures: the platform unsubscribes the app from the Page (when the app has that switch on).
            if (
                changed > 0
                && status == DeliveryStatus.Failed
                && unsubscribe
                && s.One(
                    "SELECT app_id, page_id FROM webhook_deliveries WHERE id = $1",
                    r => (App: r.GetString(0), Page: r.GetString(1)),
                    deliveryId
                )
                    is { App: not null } lane
            )
                s.Apply(new DeletePageSubscription(lane.Page, lane.App));
            return changed;
        });

    public Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken = default) =>
        store.ReadRawAsync<TimeSpan?>(s =>
        {
            var realNow = store.Real.GetUtcNow().ToUnixTimeMilliseconds();
            var waiting = s.One(
                "SELECT true FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen + " LIMIT 1",
                r => true
            );
            if (waiting)
                return TimeSpan.Zero;
            var next = s.One(
                "SELECT MIN(GREATEST(d.next_attempt_ms - a.clock_offset_ms, d.lease_until_ms)) FROM "
                    + "webhook_deliveries d JOIN apps a ON a.id = d.app_id WHERE d.status = 1",
                r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0)
            );
            return next is null ? null : TimeSpan.FromMilliseconds(Math.Max(0, next.Value - realNow));
        });

    public Task<IReadOnlyList<DeliveryLogEntry>> ListAsync(
        string appId,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync<IReadOnlyList<DeliveryLogEntry>>(s =>
            s.Many(
                "SELECT d.id, d.app_id, d.page_id, d.fields, d.status, d.attempts, d.last_status, d.last_error, "
                    + "d.created_ms, d.next_attempt_ms, d.body "
                    + "FROM webhook_deliveries d WHERE d.app_id = $1 ORDER BY d.id DESC LIMIT $2",
                r => new DeliveryLogEntry(
                    r.GetInt64(0),
                    r.GetString(1),
                    r.GetString(2),
                    r.GetString(3).Split(','),
                    (DeliveryStatus)r.GetInt32(4),
                    r.GetInt32(5),
                    r.IsDBNull(6) ? null : r.GetInt32(6),
                    r.IsDBNull(7) ? null : r.GetString(7),
                    PostgresSession.Ms(r.GetInt64(8)),
                    r.GetInt32(4) == 1 ? PostgresSession.Ms(r.GetInt64(9)) : null,
                    (byte[])r.GetValue(10)
                ),
                appId,
                limit
            )
        );

    public Task<DeliveryLogEntry?> GetAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync(s =>
            s.One(
                "SELECT d.id, d.app_id, d.page_id, d.fields, d.status, d.attempts, d.last_status, d.last_error, "
                    + "d.created_ms, d.next_attempt_ms, d.body "
                    + "FROM webhook_deliveries d WHERE d.app_id = $1 AND d.id = $2",
                r => new DeliveryLogEntry(
                    r.GetInt64(0),
                    r.GetString(1),
                    r.GetString(2),
                    r.GetString(3).Split(','),
                    (DeliveryStatus)r.GetInt32(4),
                    r.GetInt32(5),
                    r.IsDBNull(6) ? null : r.GetInt32(6),
                    r.IsDBNull(7) ? null : r.GetString(7),
                    PostgresSession.Ms(r.GetInt64(8)),
                    r.GetInt32(4) == 1 ? PostgresSession.Ms(r.GetInt64(9)) : null,
                    (byte[])r.GetValue(10)
                ),
                appId,
                deliveryId
            )
        );

    public Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(
        string appId,
        IReadOnlyCollection<long> deliveryIds,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync<IReadOnlyList<DeliveryAttempt>>(s =>
            deliveryIds.Count == 0
                ? []
                : s.Many(
                    "SELECT delivery_id, attempt, time_ms, status, error, answer, duration_ms FROM webhook_attempts "
                        + "WHERE app_id = $1 AND delivery_id = ANY($2) ORDER BY delivery_id, attempt",
                    r => new DeliveryAttempt(
                        r.GetInt64(0),
                        r.GetInt32(1),
                        PostgresSession.Ms(r.GetInt64(2)),
                        r.IsDBNull(3) ? null : r.GetInt32(3),
                        r.IsDBNull(4) ? null : r.GetString(4),
                        r.IsDBNull(5) ? null : r.GetString(5),
                        r.IsDBNull(6) ? null : r.GetInt64(6)
                    ),
                    appId,
                    deliveryIds.ToArray()
                )
        );

    public Task<ReplayOutcome> ReplayAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) =>
        store.WriteRawAsync(s =>
        {
            var page = s.One(
                "SELECT page_id FROM webhook_deliveries WHERE id = $1 AND app_id = $2 AND status = 3 FOR UPDATE",
                r => r.GetString(0),
                deliveryId,
                appId
            );
            if (page is null)
                return ReplayOutcome.NoSuchFailedDelivery;
            // The grouping lock of its Page: no process forms a delivery there while this one decides.
            s.Exec($"SELECT pg_advisory_xact_lock($3, {PageKey})", appId, page, PostgresStore.OutboxLockKey);
            if (
                s.One(
                    "SELECT true FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 AND status = 1 LIMIT 1",
                    r => true,
                    appId,
                    page
                )
            )
                return ReplayOutcome.PageBusy;
            // A failed delivery with later ones after it (made before failures held their Page) would arrive after
            // them.
            if (
                s.One(
                    "SELECT true FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 AND id > $3 LIMIT 1",
                    r => true,
                    appId,
                    page,
                    deliveryId
                )
            )
                return ReplayOutcome.Superseded;
            // Webhooks disabled: nothing goes to the app until it subscribes to the Page again (which replays this
            // one).
            if (!s.GetPageSubscriptions(page).Any(x => x.AppId == appId))
                return ReplayOutcome.NotSubscribed;
            s.Apply(new ResumeWebhooks(appId, page));
            return ReplayOutcome.Replayed;
        });
}
