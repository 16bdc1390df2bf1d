using Pagebox.Domain.Store;

namespace Pagebox.Storage;

/// <summary>
/// The effects, one statement text for both dialects: upserts are <c>INSERT … ON CONFLICT … DO UPDATE</c> (SQLite
/// keeps the row and its rowid, as PostgreSQL does). The rows PostgreSQL reads without a lock are written through
/// <see cref="WriteRow"/> and <see cref="DeleteRow"/>, which it guards by row version.
/// </summary>
internal abstract partial class StoreSession<TDialect>
{
    private static readonly string MoveClock =
        $"UPDATE apps SET clock_offset_ms = {TDialect.Greatest}(clock_offset_ms, $2) WHERE id = $1";

    // The lane's newest delivery, if it failed, is due now and gets a fresh give-up horizon.
    private static readonly string ResumeLane =
        $"UPDATE webhook_deliveries SET status = 1, next_attempt_ms = $3, created_ms = $3, {TDialect.ReleaseLease} "
        + "WHERE id = (SELECT id FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 "
        + "ORDER BY id DESC LIMIT 1) AND status = 3";

    private static readonly string UpsertComment = Upsert("comments", CommentColumns, "comment_id");
    private static readonly string UpsertUserRef = Upsert("user_refs", UserRefColumns, "page_id, user_ref");
    private static readonly string UpsertPersona = Upsert("personas", PersonaColumns, "id");
    private static readonly string UpsertAttachment = Upsert("attachments", AttachmentColumns, "id");

    /// <summary>Writes a row by its upsert (<paramref name="table"/> and <paramref name="key"/> name it for a
    /// guard).</summary>
    protected virtual void WriteRow(string table, string key, string upsert, params object?[] args) =>
        Exec(upsert, args);

    /// <summary>Deletes a row (<paramref name="table"/> and <paramref name="key"/> name it for a guard).</summary>
    protected virtual void DeleteRow(string table, string key, string delete, params object?[] args) =>
        Exec(delete, args);

    /// <summary>Webhook events were recorded or put back due: the store wakes the dispatcher after commit.</summary>
    protected virtual void EventsChanged() => EventsRecorded = true;

    /// <summary>An app's clock moved.</summary>
    protected virtual void ClockMoved() { }

    /// <summary>Set when this session recorded webhook events, so the store can wake the dispatcher after
    /// commit.</summary>
    internal bool EventsRecorded { get; set; }

    protected static string SubscriptionKey(string appId, string obj) => appId + "\n" + obj;

    public void Apply(Effect effect)
    {
        if (
            effect
            is SaveAppSubscription
                or DeleteAppSubscription
                or SavePageSubscription
                or DeletePageSubscription
                or DeleteApp
        )
            _subscribers.Clear();
        if (effect is SetClockOffset or SaveApp or DeleteApp)
            _offsets.Clear();
        switch (effect)
        {
            case SaveApp(var a):
                Exec(
                    "INSERT INTO apps (id, name, secret, require_proof, clock_offset_ms, created_ms, human_agent) "
                        + "VALUES ($1,$2,$3,$4,$5,$6,$7) "
                        + "ON CONFLICT(id) DO UPDATE SET name=excluded.name, secret=excluded.secret, "
                        + "require_proof=excluded.require_proof, clock_offset_ms=excluded.clock_offset_ms, "
                        + "human_agent=excluded.human_agent",
                    a.Id,
                    a.Name,
                    a.Secret,
                    a.RequireAppSecretProof,
                    a.ClockOffsetMs,
                    a.Created.ToUnixTimeMilliseconds(),
                    a.HumanAgentPermission
                );
                break;
            case DeleteApp(var appId):
                Exec("DELETE FROM messages WHERE page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
                Exec("DELETE FROM conversations WHERE page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
                Exec(
                    "DELETE FROM page_subscriptions WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE "
                        + "app_id = $1)",
                    appId
                );
                Exec(
                    "DELETE FROM page_tokens WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE app_id = $1)",
                    appId
                );
                foreach (var table in DependentTables)
                    Exec($"DELETE FROM {table} WHERE page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
                // Other apps subscribed to its Pages lose their pending events too: those Pages no longer exist.
                Exec("DELETE FROM webhook_events WHERE page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
                Exec(
                    "DELETE FROM webhook_deliveries WHERE status = 1 AND page_id IN (SELECT id FROM pages WHERE "
                        + "app_id = $1)",
                    appId
                );
                // a deleted app owns no thread of another app's Page
                Exec("DELETE FROM thread_owners WHERE app_id = $1", appId);
                DeleteCampaignData(appId);
                Exec("DELETE FROM policy_blocks WHERE app_id = $1", appId);
                Exec("DELETE FROM pages WHERE app_id = $1", appId);
                Exec("DELETE FROM app_subscriptions WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_events WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_deliveries WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_attempts WHERE app_id = $1", appId);
                Exec("DELETE FROM apps WHERE id = $1", appId);
                break;
            case ResetApp(var appId):
                foreach (var table in ResetTables)
                    Exec($"DELETE FROM {table} WHERE page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
                Exec(
                    "DELETE FROM webhook_events WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE app_id = "
                        + "$1)",
                    appId
                );
                Exec("DELETE FROM webhook_attempts WHERE app_id = $1", appId);
                Exec(
                    "DELETE FROM webhook_deliveries WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE "
                        + "app_id = $1)",
                    appId
                );
                break;
            case SetClockOffset(var appId, var offset):
                // Never back, even against a concurrent move (a PostgreSQL command also holds the app's lock).
                Exec(MoveClock, appId, offset);
                ClockMoved();
                break;
            case SavePage(var p):
                WriteRow(
                    "pages",
                    p.Id,
                    $"INSERT INTO pages ({PageColumns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON "
                        + $"CONFLICT(id) DO UPDATE SET "
                        + "name=excluded.name, timezone=excluded.timezone, "
                        + "messaging_enabled=excluded.messaging_enabled, commerce_enabled=excluded.commerce_enabled, "
                        + "restricted=excluded.restricted, pages_messaging=excluded.pages_messaging, "
                        + "optin_requests_allowed=excluded.optin_requests_allowed, "
                        + "send_rate_per_second=excluded.send_rate_per_second, "
                        + "abusive=excluded.abusive",
                    p.Id,
                    p.AppId,
                    p.Name,
                    (int)p.Platform,
                    p.TimeZone,
                    p.Settings.MessagingEnabled,
                    p.Settings.CommerceEnabled,
                    p.Settings.Restricted,
                    p.Settings.PagesMessagingPermission,
                    p.Settings.OptInRequestsAllowed,
                    p.Settings.SendRatePerSecond,
                    p.Settings.Abusive
                );
                break;
            case SavePageToken(var t):
                Exec(
                    "INSERT INTO page_tokens (token, page_id, app_id) VALUES ($1,$2,$3) ON CONFLICT(token) DO UPDATE "
                        + "SET page_id=excluded.page_id, app_id=excluded.app_id",
                    t.Token,
                    t.PageId,
                    t.AppId
                );
                break;
            case SavePerson(var p):
                Exec(
                    "INSERT INTO persons (id, name, timezone, locale) VALUES ($1,$2,$3,$4) ON CONFLICT(id) DO UPDATE "
                        + "SET name=excluded.name, timezone=excluded.timezone, locale=excluded.locale",
                    p.Id,
                    p.Name,
                    p.TimeZone,
                    p.Locale
                );
                break;
            case SaveConversation(var c):
                // A second first contact (another psid for the same page and person) fails the unique (page_id,
                // person_id): 23505, run again.
                Exec(
                    $"INSERT INTO conversations ({ConversationColumns}) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT(psid) "
                        + $"DO UPDATE SET last_inbound_ms=excluded.last_inbound_ms, blocked=excluded.blocked",
                    c.PageId,
                    c.PersonId,
                    c.Psid,
                    c.LastInboundAt?.ToUnixTimeMilliseconds(),
                    c.Blocked,
                    c.Created.ToUnixTimeMilliseconds()
                );
                break;
            case SaveMessage(var m):
                Exec(
                    "INSERT INTO messages (mid, page_id, psid, direction, kind, time_ms, message, app_id) VALUES "
                        + "($1,$2,$3,$4,$5,$6,$7,$8)",
                    m.Mid,
                    m.PageId,
                    m.Psid,
                    (int)m.Direction,
                    (int)m.Kind,
                    m.Time.ToUnixTimeMilliseconds(),
                    m.MessageJson,
                    m.AppId
                );
                break;
            case SaveAppSubscription(var s):
                WriteRow(
                    "app_subscriptions",
                    SubscriptionKey(s.AppId, s.Object),
                    "INSERT INTO app_subscriptions (app_id, object, callback_url, verify_token, fields) VALUES "
                        + "($1,$2,$3,$4,$5) ON CONFLICT(app_id, object) DO UPDATE SET "
                        + "callback_url=excluded.callback_url, verify_token=excluded.verify_token, "
                        + "fields=excluded.fields",
                    s.AppId,
                    s.Object,
                    s.CallbackUrl,
                    s.VerifyToken,
                    string.Join(',', s.Fields)
                );
                break;
            case DeleteAppSubscription(var appId, var obj):
                DeleteRow(
                    "app_subscriptions",
                    SubscriptionKey(appId, obj),
                    "DELETE FROM app_subscriptions WHERE app_id = $1 AND object = $2",
                    appId,
                    obj
                );
                break;
            case SavePageSubscription(var s):
                Exec(
                    "INSERT INTO page_subscriptions (page_id, app_id, fields) VALUES ($1,$2,$3) ON CONFLICT(page_id, "
                        + "app_id) DO UPDATE SET fields=excluded.fields",
                    s.PageId,
                    s.AppId,
                    string.Join(',', s.Fields)
                );
                break;
            case DeletePageSubscription(var pageId, var appId):
                Exec("DELETE FROM page_subscriptions WHERE page_id = $1 AND app_id = $2", pageId, appId);
                break;
            case SaveToken(var t):
                Exec(
                    $"INSERT INTO notification_tokens ({TokenColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19) ON CONFLICT(token) DO "
                        + $"UPDATE SET "
                        + "page_id=excluded.page_id, psid=excluded.psid, person_id=excluded.person_id, "
                        + "title=excluded.title, payload=excluded.payload, timezone=excluded.timezone, "
                        + "frequency=excluded.frequency, reoptin=excluded.reoptin, status=excluded.status, "
                        + "user_token_status=excluded.user_token_status, created_ms=excluded.created_ms, "
                        + "updated_ms=excluded.updated_ms, expires_ms=excluded.expires_ms, "
                        + "last_send_ms=excluded.last_send_ms, followups_sent=excluded.followups_sent, "
                        + "first_followup_ms=excluded.first_followup_ms, followup_open=excluded.followup_open, "
                        + "followup_opened_ms=excluded.followup_opened_ms",
                    t.Token,
                    t.PageId,
                    t.Psid,
                    t.PersonId,
                    t.Title,
                    t.Payload,
                    t.TimeZone,
                    (int?)t.Frequency,
                    (int)t.ReOptIn,
                    (int)t.Status,
                    (int)t.UserTokenStatus,
                    t.Created.ToUnixTimeMilliseconds(),
                    t.Updated.ToUnixTimeMilliseconds(),
                    t.ExpiresAt?.ToUnixTimeMilliseconds(),
                    t.LastMarketingSendAt?.ToUnixTimeMilliseconds(),
                    t.FollowUpsSent,
                    t.FirstFollowUpAt?.ToUnixTimeMilliseconds(),
                    t.FollowUpOpen,
                    t.FollowUpOpenedAt?.ToUnixTimeMilliseconds()
                );
                break;
            case SaveOptInRequest(var o):
                Exec(
                    $"INSERT INTO optin_requests ({OptInColumns}) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON "
                        + $"CONFLICT(mid, element) DO UPDATE SET "
                        + "page_id=excluded.page_id, psid=excluded.psid, title=excluded.title, "
                        + "payload=excluded.payload, image_url=excluded.image_url, frequency=excluded.frequency, "
                        + "reoptin=excluded.reoptin, timezone=excluded.timezone, sent_ms=excluded.sent_ms, "
                        + "reoptin_token=excluded.reoptin_token",
                    o.Mid,
                    o.Element,
                    o.PageId,
                    o.Psid,
                    o.Title,
                    o.Payload,
                    o.ImageUrl,
                    (int)o.Frequency,
                    (int)o.ReOptIn,
                    o.TimeZone,
                    o.SentAt.ToUnixTimeMilliseconds(),
                    o.ReOptInToken
                );
                break;
            case SaveProfileField(var pageId, var field, var value):
                Exec(
                    "INSERT INTO messenger_profile (page_id, field, value) VALUES ($1,$2,$3) ON CONFLICT(page_id, "
                        + "field) DO UPDATE SET value=excluded.value",
                    pageId,
                    field,
                    value
                );
                break;
            case DeleteProfileField(var pageId, var field):
                Exec("DELETE FROM messenger_profile WHERE page_id = $1 AND field = $2", pageId, field);
                break;
            case SavePost(var post):
                Exec(
                    "INSERT INTO posts (post_id, page_id, created_ms) VALUES ($1,$2,$3) ON CONFLICT(post_id) DO "
                        + "UPDATE SET page_id=excluded.page_id, created_ms=excluded.created_ms",
                    post.PostId,
                    post.PageId,
                    post.Created.ToUnixTimeMilliseconds()
                );
                break;
            case SaveComment(var c):
                Exec(
                    UpsertComment,
                    c.CommentId,
                    c.PostId,
                    c.PageId,
                    c.PersonId,
                    c.Text,
                    c.Created.ToUnixTimeMilliseconds(),
                    c.RepliedAt?.ToUnixTimeMilliseconds()
                );
                break;
            case SaveUserRef(var u):
                Exec(
                    UpsertUserRef,
                    u.UserRef,
                    u.PageId,
                    u.PersonId,
                    u.Created.ToUnixTimeMilliseconds(),
                    u.UsedAt?.ToUnixTimeMilliseconds()
                );
                break;
            case SavePersona(var p):
                WriteRow(
                    "personas",
                    p.Id,
                    UpsertPersona,
                    p.Id,
                    p.PageId,
                    p.Name,
                    p.PictureUrl,
                    p.Created.ToUnixTimeMilliseconds(),
                    p.Deleted?.ToUnixTimeMilliseconds()
                );
                break;
            case SaveAttachment(var a):
                Exec(
                    UpsertAttachment,
                    a.Id,
                    a.PageId,
                    a.Type,
                    a.Url,
                    a.ContentType,
                    a.SizeBytes,
                    a.FileName,
                    a.Created.ToUnixTimeMilliseconds(),
                    a.Sha256
                );
                break;
            case SaveThreadOwner(var pageId, var psid, null):
                Exec("DELETE FROM thread_owners WHERE page_id = $1 AND psid = $2", pageId, psid);
                break;
            case SaveThreadOwner(var pageId, var psid, var appId):
                Exec(
                    "INSERT INTO thread_owners (page_id, psid, app_id) VALUES ($1,$2,$3) ON CONFLICT(page_id, psid) "
                        + "DO UPDATE SET app_id=excluded.app_id",
                    pageId,
                    psid,
                    appId
                );
                break;
            case Domain.Campaigns.CampaignEffect campaignEffect:
                ApplyCampaign(campaignEffect);
                break;
            case SaveMessagePersona(var mid, var pageId, var personaId):
                Exec(
                    "INSERT INTO message_personas (mid, page_id, persona_id) VALUES ($1,$2,$3) ON CONFLICT(mid) DO "
                        + "UPDATE SET persona_id=excluded.persona_id",
                    mid,
                    pageId,
                    personaId
                );
                break;
            case SetWebhooksDisableOnFailure(var appId, var enabled):
                Exec("UPDATE apps SET disable_webhooks_on_failure = $2 WHERE id = $1", appId, enabled);
                break;
            case ResumeWebhooks(var appId, var pageId):
                // The lane's newest delivery, if it failed, is due now and gets a fresh give-up horizon; the events
                // held behind it follow it in order.
                if (Exec(ResumeLane, appId, pageId, AppNowMs(appId)) > 0)
                    EventsChanged();
                break;
            case SaveReaction(_, var mid, var psid, null):
                Exec("DELETE FROM message_reactions WHERE mid = $1 AND psid = $2", mid, psid);
                break;
            case SaveReaction(var pageId, var mid, var psid, var emoji):
                Exec(
                    "INSERT INTO message_reactions (page_id, mid, psid, emoji) VALUES ($1,$2,$3,$4) ON CONFLICT(mid, "
                        + "psid) DO UPDATE SET emoji=excluded.emoji",
                    pageId,
                    mid,
                    psid,
                    emoji
                );
                break;
            case EditMessage(var pageId, var mid, var json, var count):
                Exec("UPDATE messages SET message = $2 WHERE mid = $1", mid, json);
                Exec(
                    "INSERT INTO message_edits (mid, page_id, num_edit) VALUES ($1,$2,$3) ON CONFLICT(mid) DO UPDATE "
                        + "SET num_edit=excluded.num_edit",
                    mid,
                    pageId,
                    count
                );
                break;
            case DeleteMessage(var mid):
                Exec("DELETE FROM messages WHERE mid = $1", mid);
                Exec("DELETE FROM message_reactions WHERE mid = $1", mid);
                Exec("DELETE FROM message_edits WHERE mid = $1", mid);
                break;
            case SaveFeedbackAnswer(var pageId, var mid, var at):
                Exec(
                    "INSERT INTO feedback_answers (mid, page_id, answered_ms) VALUES ($1,$2,$3) ON CONFLICT(mid) DO "
                        + "UPDATE SET answered_ms=excluded.answered_ms",
                    mid,
                    pageId,
                    at.ToUnixTimeMilliseconds()
                );
                break;
            case SavePolicyBlock(var pageId, var appId, true):
                Exec(
                    "INSERT INTO policy_blocks (page_id, app_id) VALUES ($1,$2) ON CONFLICT DO NOTHING",
                    pageId,
                    appId
                );
                break;
            case SavePolicyBlock(var pageId, var appId, false):
                Exec("DELETE FROM policy_blocks WHERE page_id = $1 AND app_id = $2", pageId, appId);
                break;
            case SaveSetting(var key, var value):
                WriteRow(
                    "server_settings",
                    key,
                    "INSERT INTO server_settings (key, value) VALUES ($1,$2) ON CONFLICT(key) DO UPDATE SET "
                        + "value=excluded.value",
                    key,
                    value
                );
                break;
            case RecordWebhook(var appId, var obj, var e):
                // One event fans out to every subscribed app: encode it once.
                if (!ReferenceEquals(_lastEvent, e))
                    (_lastEvent, _lastEncoded) = (e, encoder.Encode(e));
                Exec(
                    "INSERT INTO webhook_events (app_id, page_id, object, field, order_key, event, created_ms) "
                        + "VALUES ($1,$2,$3,$4,$5,$6,$7)",
                    appId,
                    e.PageId,
                    obj,
                    e.Field,
                    e.Psid,
                    _lastEncoded,
                    AppNowMs(appId)
                );
                EventsChanged();
                break;
            default:
                throw new NotSupportedException($"No {GetType().Name} mapping for effect {effect.GetType().Name}");
        }
    }

    /// <summary>Tables of later features keyed by page_id, cleared with their app.</summary>
    private static readonly string[] DependentTables =
    [
        "notification_tokens",
        "optin_requests",
        "messenger_profile",
        "posts",
        "comments",
        "user_refs",
        "personas",
        "attachments",
        "thread_owners",
        "message_reactions",
        "message_edits",
        "feedback_answers",
        "policy_blocks",
        "message_personas",
    ];

    /// <summary>What <see cref="ResetApp"/> clears on the app's Pages (the activity; the Pages' own setup
    /// stays).</summary>
    private static readonly string[] ResetTables =
    [
        "messages",
        "conversations",
        "notification_tokens",
        "optin_requests",
        "posts",
        "comments",
        "user_refs",
        "thread_owners",
        "message_reactions",
        "message_edits",
        "feedback_answers",
        "message_personas",
        "paid_messages",
    ];
}
