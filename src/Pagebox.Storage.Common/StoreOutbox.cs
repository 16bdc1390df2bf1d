using System.Data.Common;
using Pagebox.Domain.Store;

namespace Pagebox.Storage;

/// <summary>
/// What both webhook outboxes do the same way: forming a delivery from a lane's waiting events, recording an attempt,
/// the replay checks, the delivery log and its rows. Each outbox keeps how it claims (SQLite's writer loop and lease,
/// PostgreSQL's advisory locks and <c>FOR UPDATE SKIP LOCKED</c>), how it marks the events it batched and how it
/// guards an attempt's update.
/// </summary>
internal abstract class StoreOutbox<TDialect>(TimeProvider real) : IWebhookOutbox
    where TDialect : IStoreDialect
{
    /// <summary>Runs <paramref name="run"/> as a write of the store (<paramref name="write"/>) or as a read.</summary>
    protected abstract Task<T> RunAsync<T>(
        bool write,
        Func<StoreSession<TDialect>, T> run,
        CancellationToken cancellationToken
    );

    /// <summary>One claim's terms: how a delivery's body is built and the most events it carries, the real time
    /// (milliseconds) the claim runs at, when the leases it takes run out, and the most deliveries it takes.</summary>
    protected readonly record struct ClaimTerms(
        Func<IReadOnlyList<PendingEvent>, byte[]> BuildBody,
        int MaxEventsPerDelivery,
        long RealNow,
        long LeaseUntil,
        int MaxDeliveries
    );

    /// <summary>Step 1 and 2 of <see cref="ClaimDueAsync"/>, inside one write.</summary>
    protected abstract IReadOnlyList<DeliveryWork> Claim(StoreSession<TDialect> s, ClaimTerms terms);

    /// <summary>What the store adds to an attempt's update (<see cref="AttemptUpdate"/>) to guard it, with the
    /// guard's parameters from <c>$6</c> on; no guard by default.</summary>
    protected virtual (string Sql, object?[] Args) AttemptGuard => ("", []);

    /// <summary>The attempts of an app's deliveries (none asked: none read).</summary>
    protected abstract List<DeliveryAttempt> ReadAttempts(
        StoreSession<TDialect> s,
        string appId,
        IReadOnlyCollection<long> deliveryIds
    );

    /// <summary>Takes the grouping lock of a lane before a replay decides on it (PostgreSQL).</summary>
    protected virtual void LockLane(StoreSession<TDialect> s, string appId, string pageId) { }

    private Task<T> WriteAsync<T>(Func<StoreSession<TDialect>, T> command) => RunAsync(true, command, default);

    private Task<T> ReadAsync<T>(Func<StoreSession<TDialect>, T> query, CancellationToken cancellationToken) =>
        RunAsync(false, query, cancellationToken);

    public Task<IReadOnlyList<DeliveryWork>> ClaimDueAsync(
        Func<IReadOnlyList<PendingEvent>, byte[]> buildBody,
        int maxEventsPerDelivery,
        TimeSpan lease,
        int maxDeliveries = 256,
        CancellationToken cancellationToken = default
    ) =>
        WriteAsync(s =>
        {
            var realNow = real.GetUtcNow().ToUnixTimeMilliseconds();
            var leaseUntil = realNow + (long)lease.TotalMilliseconds;
            return Claim(s, new ClaimTerms(buildBody, maxEventsPerDelivery, realNow, leaseUntil, maxDeliveries));
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
        WriteAsync(s =>
        {
            var status = StatusOf(delivered, nextAttempt);
            var (guard, guardArgs) = AttemptGuard;
            // The updated row's lane and attempt count come back with the update (none: the guard refused it).
            var updated = s.One(
                AttemptUpdate + guard + " RETURNING app_id, page_id, attempts",
                r => ((string App, string Page, int Attempt)?)(r.GetString(0), r.GetString(1), r.GetInt32(2)),
                [deliveryId, (int)status, httpStatus, error, nextAttempt?.ToUnixTimeMilliseconds(), .. guardArgs]
            );
            return Attempted(s, deliveryId, status, httpStatus, error, unsubscribe, answer, updated);
        });

    public Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(s => NextDueIn(s, real.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);

    public Task<IReadOnlyList<DeliveryLogEntry>> ListAsync(
        string appId,
        int limit,
        CancellationToken cancellationToken = default
    ) => ReadAsync<IReadOnlyList<DeliveryLogEntry>>(s => List(s, appId, limit), cancellationToken);

    public Task<DeliveryLogEntry?> GetAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) => ReadAsync(s => Get(s, appId, deliveryId), cancellationToken);

    public Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(
        string appId,
        IReadOnlyCollection<long> deliveryIds,
        CancellationToken cancellationToken = default
    ) =>
        ReadAsync<IReadOnlyList<DeliveryAttempt>>(
            s => deliveryIds.Count == 0 ? [] : ReadAttempts(s, appId, deliveryIds),
            cancellationToken
        );

    public Task<ReplayOutcome> ReplayAsync(
        string appId,
        long deliveryId,
        CancellationToken cancellationToken = default
    ) => WriteAsync(s => Replay(s, appId, deliveryId, page => LockLane(s, appId, page)));

    /// <summary>
    /// The lane of <c>e</c> (its app and Page) takes a new delivery: none is unfinished there, and its newest one did
    /// not fail (a failed delivery holds the later events until it is replayed, so order holds).
    /// </summary>
    protected const string LaneOpen =
        "NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = e.page_id AND "
        + "d.status = 1) "
        + "AND COALESCE((SELECT d.status FROM webhook_deliveries d WHERE d.app_id = e.app_id AND d.page_id = "
        + "e.page_id ORDER BY d.id DESC LIMIT 1), 0) <> 3";

    /// <summary>The lanes (app, Page) with events waiting for a delivery.</summary>
    protected static List<(string App, string Page)> WaitingLanes(StoreSession<TDialect> s) =>
        s.Many(
            "SELECT DISTINCT e.app_id, e.page_id FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen,
            r => (App: r.GetString(0), Page: r.GetString(1))
        );

    /// <summary>
    /// Forms the lane's next delivery from up to <see cref="ClaimTerms.MaxEventsPerDelivery"/> waiting events, in
    /// order; null when none waits. The caller marks the events as batched (<c>delivery_id</c>) its own way.
    /// </summary>
    protected static (long Id, List<PendingEvent> Events)? FormDelivery(
        StoreSession<TDialect> s,
        string app,
        string page,
        ClaimTerms terms
    )
    {
        var events = s.Many(
            "SELECT id, app_id, page_id, object, field, event, created_ms FROM webhook_events WHERE app_id = "
                + "$1 AND page_id = $2 AND delivery_id IS NULL ORDER BY id LIMIT $3",
            ReadPendingEvent,
            app,
            page,
            terms.MaxEventsPerDelivery
        );
        if (events.Count == 0)
            return null;
        var lastStart = s.One(
            "SELECT created_ms FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 ORDER BY id DESC LIMIT 1",
            r => (long?)r.GetInt64(0),
            app,
            page
        );
        return (InsertDelivery(s, events, lastStart, terms), events);
    }

    /// <summary>A waiting event (<c>id, app_id, page_id, object, field, event, created_ms</c>).</summary>
    protected static PendingEvent ReadPendingEvent(DbDataReader r)
    {
        var (id, app, page) = (r.GetInt64(0), r.GetString(1), r.GetString(2));
        return new PendingEvent(id, app, page, r.GetString(3), r.GetString(4), r.GetString(5), Ms(r.GetInt64(6)));
    }

    /// <summary>
    /// Records the delivery of a lane's next <paramref name="events"/> (its oldest first) and returns its id;
    /// <paramref name="lastStart"/> is when the lane's newest delivery so far was created (none: null).
    /// </summary>
    protected static long InsertDelivery(
        StoreSession<TDialect> s,
        List<PendingEvent> events,
        long? lastStart,
        ClaimTerms terms
    )
    {
        var app = events[0].AppId;
        var body = terms.BuildBody(events);
        var fields = string.Join(',', events.Select(e => e.Field).Distinct());
        // The give-up horizon counts from the oldest event, not from when the delivery was formed: events that waited
        // behind a failing delivery are as old as they are (Meta gives up on an hour-old outage). After a replay (the
        // lane's last delivery was put back at that time) the backlog gets its hour from then.
        var appNow = s.AppNowMs(app);
        var created = Math.Max(events[0].Created.ToUnixTimeMilliseconds(), lastStart ?? long.MinValue);
        return s.One(
            "INSERT INTO webhook_deliveries (app_id, page_id, object, fields, body, status, attempts, "
                + "created_ms, next_attempt_ms) VALUES ($1,$2,$3,$4,$5,1,0,$6,$7) RETURNING id",
            r => r.GetInt64(0),
            app,
            events[0].PageId,
            events[0].Object,
            fields,
            body,
            created,
            appNow
        );
    }

    /// <summary>A claimed delivery: id, app, Page, callback URL, app secret, body, attempts, created, and whether the
    /// app disables webhooks on failure.</summary>
    protected static DeliveryWork ReadWork(DbDataReader r) =>
        new(
            r.GetInt64(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            (byte[])r.GetValue(5),
            r.GetInt32(6),
            Ms(r.GetInt64(7)),
            r.GetBoolean(8)
        );

    /// <summary>The delivery's status for an attempt's outcome.</summary>
    private static DeliveryStatus StatusOf(bool delivered, DateTimeOffset? nextAttempt) =>
        delivered ? DeliveryStatus.Delivered
        : nextAttempt is null ? DeliveryStatus.Failed
        : DeliveryStatus.Pending;

    /// <summary>What the store's UPDATE of an attempt sets (<c>$2</c> to <c>$5</c>, the delivery's id as
    /// <c>$1</c>).</summary>
    private static readonly string AttemptUpdate =
        "UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status = $3, last_error = $4, "
        + $"next_attempt_ms = COALESCE($5, next_attempt_ms), {TDialect.ReleaseLease} WHERE id = $1";

    private static readonly string AttemptUpsert = Upsert(
        "webhook_attempts",
        "delivery_id, app_id, attempt, time_ms, status, error, answer, duration_ms",
        "delivery_id, attempt"
    );

    /// <summary>
    /// After the store updated the delivery (<paramref name="updated"/>: its app, Page and attempt count as updated;
    /// null when the guard refused the update, and 0 rows changed is returned): keeps the attempt with the bot's answer
    /// on the app's clock (the developer's view lists them) and, after an hour of failures, unsubscribes the app from
    /// the Page when the app has that switch on.
    /// </summary>
    private static int Attempted(
        StoreSession<TDialect> s,
        long deliveryId,
        DeliveryStatus status,
        int? httpStatus,
        string? error,
        bool unsubscribe,
        DeliveryAnswer? answer,
        (string App, string Page, int Attempt)? updated
    )
    {
        if (updated is not { } d)
            return 0;
        s.Exec(
            AttemptUpsert,
            deliveryId,
            d.App,
            d.Attempt,
            s.AppNowMs(d.App),
            httpStatus,
            error,
            answer?.Body,
            answer?.DurationMs
        );
        if (status == DeliveryStatus.Failed && unsubscribe)
            s.Apply(new DeletePageSubscription(d.Page, d.App));
        return 1;
    }

    private static readonly string NextDue =
        $"SELECT MIN({TDialect.Greatest}(d.next_attempt_ms - a.clock_offset_ms, d.lease_until_ms)) FROM "
        + "webhook_deliveries d JOIN apps a ON a.id = d.app_id WHERE d.status = 1";

    /// <summary>How long until the next work: none when nothing waits, zero when events wait for a delivery.</summary>
    private static TimeSpan? NextDueIn(StoreSession<TDialect> s, long realNow)
    {
        if (s.One("SELECT 1 FROM webhook_events e WHERE e.delivery_id IS NULL AND " + LaneOpen + " LIMIT 1", r => true))
            return TimeSpan.Zero;
        var next = s.One(NextDue, r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0));
        return next is null ? null : TimeSpan.FromMilliseconds(Math.Max(0, next.Value - realNow));
    }

    private const string LogColumns =
        "SELECT d.id, d.app_id, d.page_id, d.fields, d.status, d.attempts, d.last_status, d.last_error, "
        + "d.created_ms, d.next_attempt_ms, d.body FROM webhook_deliveries d ";

    private static DeliveryLogEntry? Get(StoreSession<TDialect> s, string appId, long deliveryId) =>
        s.One(LogColumns + "WHERE d.app_id = $1 AND d.id = $2", ReadLogEntry, appId, deliveryId);

    private static List<DeliveryLogEntry> List(StoreSession<TDialect> s, string appId, int limit) =>
        s.Many(LogColumns + "WHERE d.app_id = $1 ORDER BY d.id DESC LIMIT $2", ReadLogEntry, appId, limit);

    private static DeliveryLogEntry ReadLogEntry(DbDataReader r) =>
        new(
            r.GetInt64(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3).Split(','),
            (DeliveryStatus)r.GetInt32(4),
            r.GetInt32(5),
            r.IsDBNull(6) ? null : r.GetInt32(6),
            r.IsDBNull(7) ? null : r.GetString(7),
            Ms(r.GetInt64(8)),
            r.GetInt32(4) == 1 ? Ms(r.GetInt64(9)) : null,
            (byte[])r.GetValue(10)
        );

    /// <summary>The attempts of an app's deliveries, the deliveries named by <paramref name="idsIn"/> (the dialect's
    /// test of <c>delivery_id</c> against <c>$2</c>).</summary>
    protected static List<DeliveryAttempt> Attempts(StoreSession<TDialect> s, string appId, string idsIn, object ids) =>
        s.Many(
            "SELECT delivery_id, attempt, time_ms, status, error, answer, duration_ms FROM webhook_attempts "
                + $"WHERE app_id = $1 AND delivery_id {idsIn} ORDER BY delivery_id, attempt",
            r => new DeliveryAttempt(
                r.GetInt64(0),
                r.GetInt32(1),
                Ms(r.GetInt64(2)),
                r.IsDBNull(3) ? null : r.GetInt32(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.IsDBNull(6) ? null : r.GetInt64(6)
            ),
            appId,
            ids
        );

    /// <summary>
    /// Puts a failed delivery back due, when its lane allows: <paramref name="lockLane"/> takes the lane's grouping
    /// lock (PostgreSQL) once the delivery is found, so no delivery is formed there meanwhile.
    /// </summary>
    private static ReplayOutcome Replay(
        StoreSession<TDialect> s,
        string appId,
        long deliveryId,
        Action<string> lockLane
    )
    {
        var page = s.One(
            "SELECT page_id FROM webhook_deliveries WHERE id = $1 AND app_id = $2 AND status = 3" + s.Lock,
            r => r.GetString(0),
            deliveryId,
            appId
        );
        if (page is null)
            return ReplayOutcome.NoSuchFailedDelivery;
        lockLane(page);
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
        // A failed delivery with later ones after it (made before failures held their Page) would arrive after them.
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
        // Webhooks disabled: nothing goes to the app until it subscribes to the Page again (which replays this one).
        if (!s.GetPageSubscriptions(page).Any(x => x.AppId == appId))
            return ReplayOutcome.NotSubscribed;
        s.Apply(new ResumeWebhooks(appId, page));
        return ReplayOutcome.Replayed;
    }
}
