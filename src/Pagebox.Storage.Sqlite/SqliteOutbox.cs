using Pagebox.Domain.Store;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// The webhook outbox on SQLite. Claiming runs on the writer loop, so no two claims race; leases protect a
/// delivery while it is in flight and are cleared at start-up (a crashed process's work is due again).
/// </summary>
internal sealed class SqliteOutbox(SqliteStore store) : IWebhookOutbox
{
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

            // :: Step 1: group waiting events into a delivery per app and Page, unless one is unfinished there
            // (it may be retrying) or failed (given up: it waits for a replay): later events wait behind it, so each
            // conversation's order holds.
            var groups = s.Many(
                "SELECT DISTINCT e.app_id, e.page_id FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen,
                r => (App: r.GetString(0), Page: r.GetString(1))
            );
            foreach (var (app, page) in groups)
            {
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
                        SqliteSession.Ms(r.GetInt64(6))
                    ),
                    app,
                    page,
                    maxEventsPerDelivery
                );
                if (events.Count == 0)
                    continue;
                var body = buildBody(events);
                var fields = string.Join(',', events.Select(e => e.Field).Distinct());
                // The give-up horizon counts from the oldest event, not from when the delivery was formed: events that
                // waited behind a failing delivery are as old as they are (Meta gives up on an hour-old outage). After
                // a
                // replay (the lane's last delivery was put back at that time) the backlog gets its hour from then.
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
                s.Exec(
                    "UPDATE webhook_events SET delivery_id = $1 WHERE app_id = $2 AND page_id = $3 AND delivery_id "
                        + "IS NULL AND id <= $4",
                    id,
                    app,
                    page,
                    events[^1].Id
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
                r => new DeliveryWork(
                    r.GetInt64(0),
                    r.GetString(1),
                    r.GetString(2),
                    r.GetString(3),
                    r.GetString(4),
                    (byte[])r.GetValue(5),
                    r.GetInt32(6),
                    SqliteSession.Ms(r.GetInt64(7)),
                    r.GetInt64(8) != 0
                ),
                realNow,
                maxDeliveries
            );
            var leaseUntil = realNow + (long)lease.TotalMilliseconds;
            foreach (var d in due)
                s.Exec("UPDATE webhook_deliveries SET lease_until_ms = $2 WHERE id = $1", d.Id, leaseUntil);
            return due;
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
            var changed = s.Exec(
                "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status = $3, last_error = "
                    + "$4, "
                    + "next_attempt_ms = COALESCE($5, next_attempt_ms), lease_until_ms = 0 WHERE id = $1",
                deliveryId,
                (int)status,
                httpStatus,
                error,
                nextAttempt?.ToUnixTimeMilliseconds()
            );
            // Each attempt is kept with the bot's answer, on the app's clock (the developer's view lists them).
            if (
                s.One(
                    "SELECT app_id, attempts FROM webhook_deliveries WHERE id = $1",
                    r => (App: r.GetString(0), Attempt: r.GetInt32(1)),
                    deliveryId
                ) is
                { App: not null } d
            )
                s.Exec(
                    "INSERT OR REPLACE INTO webhook_attempts (delivery_id, app_id, attempt, time_ms, status, error, "
                        + "answer, duration_ms) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                    deliveryId,
                    d.App,
                    d.Attempt,
                    s.AppNowMs(d.App),
                    httpStatus,
                    error,
                    answer?.Body,
                    answer?.DurationMs
                );
            if (
                status == DeliveryStatus.Failed
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

    public Task<DeliveryLogEntry?> GetAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync(
            s =>
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
                        SqliteSession.Ms(r.GetInt64(8)),
                        r.GetInt32(4) == 1 ? SqliteSession.Ms(r.GetInt64(9)) : null,
                        (byte[])r.GetValue(10)
                    ),
                    appId,
                    deliveryId
                ),
            cancellationToken
        );

    public Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(
        string appId,
        IReadOnlyCollection<long> deliveryIds,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync<IReadOnlyList<DeliveryAttempt>>(
            s =>
                deliveryIds.Count == 0
                    ? []
                    : s.Many(
                        "SELECT delivery_id, attempt, time_ms, status, error, answer, duration_ms FROM "
                            + "webhook_attempts "
                            + "WHERE app_id = $1 AND delivery_id IN (SELECT value FROM json_each($2)) ORDER BY "
                            + "delivery_id, attempt",
                        r => new DeliveryAttempt(
                            r.GetInt64(0),
                            r.GetInt32(1),
                            SqliteSession.Ms(r.GetInt64(2)),
                            r.IsDBNull(3) ? null : r.GetInt32(3),
                            r.IsDBNull(4) ? null : r.GetString(4),
                            r.IsDBNull(5) ? null : r.GetString(5),
                            r.IsDBNull(6) ? null : r.GetInt64(6)
                        ),
                        appId,
                        "[" + string.Join(',', deliveryIds) + "]"
                    ),
            cancellationToken
        );

    public Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken = default) =>
        store.ReadRawAsync<TimeSpan?>(
            s =>
            {
                var realNow = store.Real.GetUtcNow().ToUnixTimeMilliseconds();
                var waiting = s.One(
                    "SELECT 1 FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen + " LIMIT 1",
                    r => true
                );
                if (waiting)
                    return TimeSpan.Zero;
                var next = s.One(
                    "SELECT MIN(MAX(d.next_attempt_ms - a.clock_offset_ms, d.lease_until_ms)) FROM "
                        + "webhook_deliveries d JOIN apps a ON a.id = d.app_id WHERE d.status = 1",
                    r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0)
                );
                return next is null ? null : TimeSpan.FromMilliseconds(Math.Max(0, next.Value - realNow));
            },
            cancellationToken
        );

    public Task<IReadOnlyList<DeliveryLogEntry>> ListAsync(
        string appId,
        int limit,
        CancellationToken cancellationToken = default
    ) =>
        store.ReadRawAsync<IReadOnlyList<DeliveryLogEntry>>(
            s =>
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
                        SqliteSession.Ms(r.GetInt64(8)),
                        r.GetInt32(4) == 1 ? SqliteSession.Ms(r.GetInt64(9)) : null,
                        (byte[])r.GetValue(10)
                    ),
                    appId,
                    limit
                ),
            cancellationToken
        );

    public Task<ReplayOutcome> ReplayAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) =>
        store.WriteRawAsync(s =>
        {
            var page = s.One(
                "SELECT page_id FROM webhook_deliveries WHERE id = $1 AND app_id = $2 AND status = 3",
                r => r.GetString(0),
                deliveryId,
                appId
            );
            if (page is null)
                return ReplayOutcome.NoSuchFailedDelivery;
            // One unfinished delivery per app and Page keeps each conversation's order: replay after the current one.
            if (
                s.One(
                    "SELECT 1 FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 AND status = 1 LIMIT 1",
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
                    "SELECT 1 FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 AND id > $3 LIMIT 1",
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

    /// <summary>
    /// The lane of <c>e</c> (its app and Page) takes a new delivery: none is unfinished there, and its newest one did
    /// not fail (a failed delivery holds the later events until it is replayed, so order holds).
    /// </summary>
    private const string LaneOpen =
        "NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = e.page_id AND "
        + "d.status = 1) "
        + "AND COALESCE((SELECT d.status FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = "
        + "e.page_id ORDER BY d.id DESC LIMIT 1), 0) <> 3";
}
