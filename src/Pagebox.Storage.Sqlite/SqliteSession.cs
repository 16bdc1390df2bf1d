using Microsoft.Data.Sqlite;
using Pagebox.Domain.Attachments;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// Facts and effects over one SQLite connection. On the writer connection every read sees the earlier commands
/// of the same batch (same transaction), so the single writer loop needs no locks (docs/design-notes.md §1).
/// </summary>
internal sealed partial class SqliteSession(
    SqliteConnection connection,
    CommandCache commands,
    IWebhookEventEncoder encoder,
    TimeProvider real
) : IStoreSession
{
    internal SqliteConnection Connection => connection;

    internal SqliteCommand Command(string sql) => commands.Get(connection, sql);

    public bool DisablesWebhooksOnFailure(string appId) =>
        One("SELECT disable_webhooks_on_failure FROM apps WHERE id = $1", r => r.GetInt64(0) != 0, appId);

    public AppRecord? GetApp(string appId) => One($"SELECT {AppColumns} FROM apps WHERE id = $1", ReadApp, appId);

    public PageRecord? GetPage(string pageId) =>
        One($"SELECT {PageColumns} FROM pages WHERE id = $1", ReadPageRow, pageId);

    public IReadOnlyList<PageRecord> GetPagesOfApp(string appId) =>
        Many($"SELECT {PageColumns} FROM pages WHERE app_id = $1 ORDER BY rowid", ReadPageRow, appId);

    public PageToken? GetPageToken(string token) =>
        One("SELECT token, page_id, app_id FROM page_tokens WHERE token = $1", ReadPageToken, token);

    public PageToken? GetPageTokenFor(string pageId, string appId) =>
        One(
            "SELECT token, page_id, app_id FROM page_tokens WHERE page_id = $1 AND app_id = $2 LIMIT 1",
            ReadPageToken,
            pageId,
            appId
        );

    public PersonRecord? GetPerson(string personId) =>
        One($"SELECT {PersonColumns} FROM persons WHERE id = $1", ReadPerson, personId);

    public Conversation? GetConversationByPsid(string psid) =>
        One($"SELECT {ConversationColumns} FROM conversations WHERE psid = $1", ReadConversation, psid);

    public Conversation? GetConversation(string pageId, string personId) =>
        One(
            $"SELECT {ConversationColumns} FROM conversations WHERE page_id = $1 AND person_id = $2",
            ReadConversation,
            pageId,
            personId
        );

    public StoredMessage? GetMessage(string mid) =>
        One($"SELECT {MessageColumns} FROM messages WHERE mid = $1", ReadMessage, mid);

    public IReadOnlyList<StoredMessage> GetConversationMessages(string pageId, string psid, int limit)
    {
        // Newest N, returned oldest first.
        var newest = Many(
            $"SELECT {MessageColumns} FROM messages WHERE psid = $1 AND page_id = $2 ORDER BY seq DESC LIMIT $3",
            ReadMessage,
            psid,
            pageId,
            limit
        );
        newest.Reverse();
        return newest;
    }

    public IReadOnlyList<StoredMessage> GetConversationMessagesBefore(
        string pageId,
        string psid,
        string? beforeMid,
        int limit
    )
    {
        var newest = Many(
            $"SELECT {MessageColumns} FROM messages WHERE psid = $1 AND page_id = $2 "
                + "AND ($3 = '' OR seq < (SELECT seq FROM messages WHERE mid = $3)) ORDER BY seq DESC LIMIT $4",
            ReadMessage,
            psid,
            pageId,
            beforeMid ?? "",
            limit
        );
        newest.Reverse();
        return newest;
    }

    // Conversations API: correlated subqueries ride the messages(psid, seq) index; sender actions (kind 5) are not
    // messages.
    public IReadOnlyList<ConversationSummary> ListConversations(
        string pageId,
        string? psid,
        ConversationCursor? after,
        int limit
    ) =>
        Many(
            $"SELECT {ConversationColumns}, updated_ms, n FROM (SELECT c.*, (SELECT MAX(time_ms) FROM messages m "
                + $"WHERE m.psid = c.psid AND m.kind <> 5) AS updated_ms, "
                + "(SELECT COUNT(*) FROM messages m WHERE m.psid = c.psid AND m.kind <> 5) AS n FROM conversations c "
                + "WHERE c.page_id = $1 AND ($2 = '' OR c.psid = $2)) "
                + "WHERE updated_ms IS NOT NULL AND (updated_ms < $3 OR (updated_ms = $3 AND psid < $4)) ORDER BY "
                + "updated_ms DESC, psid DESC LIMIT $5",
            ReadConversationSummary,
            pageId,
            psid ?? "",
            after?.Updated.ToUnixTimeMilliseconds() ?? long.MaxValue,
            after?.Psid ?? "",
            limit
        );

    public IReadOnlyList<StoredMessage> ListConversationMessages(
        string pageId,
        string psid,
        string? afterMid,
        int limit
    ) =>
        Many(
            $"SELECT {MessageColumns} FROM messages WHERE psid = $1 AND page_id = $2 AND kind <> 5 "
                + "AND ($3 = '' OR seq < (SELECT seq FROM messages WHERE mid = $3)) ORDER BY seq DESC LIMIT $4",
            ReadMessage,
            psid,
            pageId,
            afterMid ?? "",
            limit
        );

    // A Page message (kind <> 5) or a mark_seen sender action reads everything the person wrote before it.
    public ConversationActivity GetConversationActivity(string pageId, string psid)
    {
        var unread = One(
            "SELECT COUNT(*) FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 1 AND seq > "
                + "COALESCE((SELECT MAX(seq) FROM messages "
                + "WHERE psid = $1 AND page_id = $2 AND direction = 2 AND (kind <> 5 OR message LIKE "
                + "'%\"mark_seen\"%')), 0)",
            r => r.GetInt32(0),
            psid,
            pageId
        );
        var last = One(
            "SELECT message FROM messages WHERE psid = $1 AND page_id = $2 AND kind <> 5 ORDER BY seq DESC LIMIT 1",
            r => r.GetString(0),
            psid,
            pageId
        );
        var person = One(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 1)",
            r => r.GetInt64(0) != 0,
            psid,
            pageId
        );
        var pageSent = One(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 2 AND kind <> 5)",
            r => r.GetInt64(0) != 0,
            psid,
            pageId
        );
        return new ConversationActivity(unread, last, person, pageSent);
    }

    public AppSubscription? GetAppSubscription(string appId, string obj) =>
        One(
            "SELECT app_id, object, callback_url, verify_token, fields FROM app_subscriptions WHERE app_id = $1 AND "
                + "object = $2",
            ReadAppSubscription,
            appId,
            obj
        );

    public IReadOnlyList<AppSubscription> GetAppSubscriptions(string appId) =>
        Many(
            "SELECT app_id, object, callback_url, verify_token, fields FROM app_subscriptions WHERE app_id = $1 "
                + "ORDER BY object",
            ReadAppSubscription,
            appId
        );

    private static AppSubscription ReadAppSubscription(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), SplitFields(r.GetString(4)));

    public IReadOnlyList<PageSubscription> GetPageSubscriptions(string pageId) =>
        Many(
            "SELECT page_id, app_id, fields FROM page_subscriptions WHERE page_id = $1 ORDER BY app_id",
            r => new PageSubscription(r.GetString(0), r.GetString(1), SplitFields(r.GetString(2))),
            pageId
        );

    public string? GetSetting(string key) =>
        One("SELECT value FROM server_settings WHERE key = $1", r => r.GetString(0), key);

    // :: Marketing

    public NotificationToken? GetToken(string token) =>
        One($"SELECT {TokenColumns} FROM notification_tokens WHERE token = $1", ReadToken, token);

    public IReadOnlyList<NotificationToken> GetTokensOf(string pageId, string psid) =>
        Many(
            $"SELECT {TokenColumns} FROM notification_tokens WHERE page_id = $1 AND psid = $2 ORDER BY created_ms, "
                + $"token",
            ReadToken,
            pageId,
            psid
        );

    public IReadOnlyList<NotificationToken> ListTokens(
        string pageId,
        TokenCursor? after,
        int limit,
        DateTimeOffset? unexpiredAt = null,
        bool onePerRecipient = false
    )
    {
        // Valid tokens only: active, the person not blocking the Page, and (when expiry applies) not expired.
        const string valid =
            "t.status = 1 AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.psid = t.psid AND c.blocked = 1) "
            + "AND ($2 IS NULL OR t.expires_ms IS NULL OR t.expires_ms > $2)";
        // do_not_return_duplicates: a token is left out when the same person holds a valid token later in the order
        // (newer update, or the same update and a larger token), so each person appears once, on every page alike.
        const string newest =
            " AND NOT EXISTS (SELECT 1 FROM notification_tokens u WHERE u.page_id = t.page_id AND u.psid = t.psid "
            + "AND u.status = 1 "
            + "AND ($2 IS NULL OR u.expires_ms IS NULL OR u.expires_ms > $2) "
            + "AND (u.updated_ms > t.updated_ms OR (u.updated_ms = t.updated_ms AND u.token > t.token)))";
        var filter = onePerRecipient ? valid + newest : valid;
        var columns = string.Join(", ", TokenColumns.Split(", ").Select(c => "t." + c));
        var at = unexpiredAt?.ToUnixTimeMilliseconds();
        return after is null
            ? Many(
                $"SELECT {columns} FROM notification_tokens t WHERE t.page_id = $1 AND {filter} ORDER BY "
                    + $"t.updated_ms DESC, t.token DESC LIMIT $3",
                ReadToken,
                pageId,
                at,
                limit
            )
            : Many(
                $"SELECT {columns} FROM notification_tokens t WHERE t.page_id = $1 AND {filter} AND (t.updated_ms < "
                    + $"$3 OR (t.updated_ms = $3 AND t.token < $4)) "
                    + "ORDER BY t.updated_ms DESC, t.token DESC LIMIT $5",
                ReadToken,
                pageId,
                at,
                after.Updated.ToUnixTimeMilliseconds(),
                after.Token,
                limit
            );
    }

    public IReadOnlyList<OptInRequestRecord> GetOptInRequestsSince(string pageId, string psid, DateTimeOffset since) =>
        Many(
            $"SELECT {OptInColumns} FROM optin_requests WHERE page_id = $1 AND psid = $2 AND sent_ms > $3 ORDER BY "
                + $"sent_ms, mid, element",
            ReadOptIn,
            pageId,
            psid,
            since.ToUnixTimeMilliseconds()
        );

    public IReadOnlyList<OptInRequestRecord> GetOptInRequest(string mid) =>
        Many($"SELECT {OptInColumns} FROM optin_requests WHERE mid = $1 ORDER BY element", ReadOptIn, mid);

    public PostRecord? GetPost(string postId) =>
        One("SELECT post_id, page_id, created_ms FROM posts WHERE post_id = $1", ReadPost, postId);

    public CommentRecord? GetComment(string commentId) =>
        One($"SELECT {CommentColumns} FROM comments WHERE comment_id = $1", ReadComment, commentId);

    public UserRefRecord? GetUserRef(string pageId, string userRef) =>
        One(
            $"SELECT {UserRefColumns} FROM user_refs WHERE page_id = $1 AND user_ref = $2",
            ReadUserRef,
            pageId,
            userRef
        );

    public PersonaRecord? GetPersona(string personaId) =>
        One($"SELECT {PersonaColumns} FROM personas WHERE id = $1", ReadPersonaRow, personaId);

    public IReadOnlyList<PersonaRecord> ListPersonas(string pageId, string? afterId, int limit) =>
        Many(
            $"SELECT {PersonaColumns} FROM personas WHERE page_id = $1 AND deleted_ms IS NULL AND id > $2 ORDER BY "
                + $"id LIMIT $3",
            ReadPersonaRow,
            pageId,
            afterId ?? "",
            limit
        );

    public AttachmentRecord? GetAttachment(string attachmentId) =>
        One($"SELECT {AttachmentColumns} FROM attachments WHERE id = $1", ReadAttachment, attachmentId);

    public string? GetThreadOwner(string pageId, string psid) =>
        One("SELECT app_id FROM thread_owners WHERE page_id = $1 AND psid = $2", r => r.GetString(0), pageId, psid);

    // :: Person actions and policy enforcement

    public string? GetReaction(string mid, string psid) =>
        One("SELECT emoji FROM message_reactions WHERE mid = $1 AND psid = $2", r => r.GetString(0), mid, psid);

    public int GetEditCount(string mid) =>
        One("SELECT num_edit FROM message_edits WHERE mid = $1", r => r.GetInt32(0), mid);

    public bool IsFeedbackAnswered(string mid) => One("SELECT 1 FROM feedback_answers WHERE mid = $1", r => true, mid);

    public bool IsBlockedByPolicy(string pageId, string appId) =>
        One("SELECT 1 FROM policy_blocks WHERE page_id = $1 AND app_id = $2", r => true, pageId, appId);

    public bool HasOptInTopic(string pageId, string title) =>
        One(
            "SELECT 1 FROM optin_requests WHERE page_id = $1 AND title = $2 AND reoptin_token IS NULL LIMIT 1",
            r => true,
            pageId,
            title
        );

    public IReadOnlyDictionary<string, string> GetMessengerProfile(string pageId) =>
        Many(
                "SELECT field, value FROM messenger_profile WHERE page_id = $1 ORDER BY field",
                r => (r.GetString(0), r.GetString(1)),
                pageId
            )
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    // The writer session owns every mutation, so it may cache who subscribes to a Page; any subscription change (or a
    // rolled-back batch) clears the cache. Read sessions have their own, short-lived cache.
    private readonly Dictionary<
        (string, string),
        IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)>
    > _subscribers = [];

    public IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> GetSubscribers(string pageId, string obj)
    {
        if (!_subscribers.TryGetValue((pageId, obj), out var list))
        {
            list = WebhookFanout.Subscribers(this, pageId, obj);
            _subscribers[(pageId, obj)] = list;
        }
        return list;
    }

    internal void ForgetCachedFacts()
    {
        _subscribers.Clear();
        _offsets.Clear();
    }

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
                Exec("DELETE FROM policy_blocks WHERE app_id = $1", appId);
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
                Exec("DELETE FROM pages WHERE app_id = $1", appId);
                Exec("DELETE FROM app_subscriptions WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_events WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_attempts WHERE app_id = $1", appId);
                Exec("DELETE FROM webhook_deliveries WHERE app_id = $1", appId);
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
                Exec("UPDATE apps SET clock_offset_ms = MAX(clock_offset_ms, $2) WHERE id = $1", appId, offset);
                break;
            case SavePage(var p):
                Exec(
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
                    "INSERT OR REPLACE INTO page_tokens (token, page_id, app_id) VALUES ($1,$2,$3)",
                    t.Token,
                    t.PageId,
                    t.AppId
                );
                break;
            case SavePerson(var p):
                // An upsert, not INSERT OR REPLACE: a replaced row gets a new rowid, and persons are listed in rowid
                // order.
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
                Exec(
                    "INSERT OR REPLACE INTO app_subscriptions (app_id, object, callback_url, verify_token, fields) "
                        + "VALUES ($1,$2,$3,$4,$5)",
                    s.AppId,
                    s.Object,
                    s.CallbackUrl,
                    s.VerifyToken,
                    string.Join(',', s.Fields)
                );
                break;
            case DeleteAppSubscription(var appId, var obj):
                Exec("DELETE FROM app_subscriptions WHERE app_id = $1 AND object = $2", appId, obj);
                break;
            case SavePageSubscription(var s):
                Exec(
                    "INSERT OR REPLACE INTO page_subscriptions (page_id, app_id, fields) VALUES ($1,$2,$3)",
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
                    $"INSERT OR REPLACE INTO notification_tokens ({TokenColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19)",
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
                    $"INSERT OR REPLACE INTO optin_requests ({OptInColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
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
                    "INSERT OR REPLACE INTO messenger_profile (page_id, field, value) VALUES ($1,$2,$3)",
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
                    "INSERT OR REPLACE INTO posts (post_id, page_id, created_ms) VALUES ($1,$2,$3)",
                    post.PostId,
                    post.PageId,
                    post.Created.ToUnixTimeMilliseconds()
                );
                break;
            case SaveComment(var c):
                Exec(
                    "INSERT OR REPLACE INTO comments (comment_id, post_id, page_id, person_id, text, created_ms, "
                        + "replied_ms) VALUES ($1,$2,$3,$4,$5,$6,$7)",
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
                    "INSERT OR REPLACE INTO user_refs (user_ref, page_id, person_id, created_ms, used_ms) VALUES "
                        + "($1,$2,$3,$4,$5)",
                    u.UserRef,
                    u.PageId,
                    u.PersonId,
                    u.Created.ToUnixTimeMilliseconds(),
                    u.UsedAt?.ToUnixTimeMilliseconds()
                );
                break;
            case SavePersona(var p):
                Exec(
                    "INSERT OR REPLACE INTO personas (id, page_id, name, picture_url, created_ms, deleted_ms) VALUES "
                        + "($1,$2,$3,$4,$5,$6)",
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
                    "INSERT OR REPLACE INTO attachments (id, page_id, type, url, content_type, size_bytes, "
                        + "file_name, created_ms, sha256) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
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
                    "INSERT OR REPLACE INTO thread_owners (page_id, psid, app_id) VALUES ($1,$2,$3)",
                    pageId,
                    psid,
                    appId
                );
                break;
            case SaveReaction(_, var mid, var psid, null):
                Exec("DELETE FROM message_reactions WHERE mid = $1 AND psid = $2", mid, psid);
                break;
            case SaveReaction(var pageId, var mid, var psid, var emoji):
                Exec(
                    "INSERT OR REPLACE INTO message_reactions (page_id, mid, psid, emoji) VALUES ($1,$2,$3,$4)",
                    pageId,
                    mid,
                    psid,
                    emoji
                );
                break;
            case EditMessage(var pageId, var mid, var json, var count):
                Exec("UPDATE messages SET message = $2 WHERE mid = $1", mid, json);
                Exec(
                    "INSERT OR REPLACE INTO message_edits (mid, page_id, num_edit) VALUES ($1,$2,$3)",
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
                    "INSERT OR REPLACE INTO feedback_answers (mid, page_id, answered_ms) VALUES ($1,$2,$3)",
                    mid,
                    pageId,
                    at.ToUnixTimeMilliseconds()
                );
                break;
            case SavePolicyBlock(var pageId, var appId, true):
                Exec("INSERT OR REPLACE INTO policy_blocks (page_id, app_id) VALUES ($1,$2)", pageId, appId);
                break;
            case SavePolicyBlock(var pageId, var appId, false):
                Exec("DELETE FROM policy_blocks WHERE page_id = $1 AND app_id = $2", pageId, appId);
                break;
            case SaveSetting(var key, var value):
                Exec("INSERT OR REPLACE INTO server_settings (key, value) VALUES ($1,$2)", key, value);
                break;
            case SaveMessagePersona(var mid, var pageId, var personaId):
                Exec(
                    "INSERT OR REPLACE INTO message_personas (mid, page_id, persona_id) VALUES ($1,$2,$3)",
                    mid,
                    pageId,
                    personaId
                );
                break;
            case Domain.Campaigns.CampaignEffect campaignEffect:
                ApplyCampaign(campaignEffect);
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
                EventsRecorded = true;
                break;
            case SetWebhooksDisableOnFailure(var appId, var enabled):
                Exec("UPDATE apps SET disable_webhooks_on_failure = $2 WHERE id = $1", appId, enabled);
                break;
            case ResumeWebhooks(var appId, var pageId):
                // The lane's newest delivery, if it failed, is due now and gets a fresh give-up horizon; the events
                // held
                // behind it follow it in order.
                if (
                    Exec(
                        "UPDATE webhook_deliveries SET status = 1, next_attempt_ms = $3, created_ms = $3, "
                            + "lease_until_ms = 0 "
                            + "WHERE id = (SELECT id FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 "
                            + "ORDER BY id DESC LIMIT 1) AND status = 3",
                        appId,
                        pageId,
                        AppNowMs(appId)
                    ) > 0
                )
                    EventsRecorded = true;
                break;
            default:
                if (!ApplyExtension(effect))
                    throw new NotSupportedException($"No SQLite mapping for effect {effect.GetType().Name}");
                break;
        }
    }

    /// <summary>Set when this session recorded webhook events, so the store can wake the dispatcher after
    /// commit.</summary>
    internal bool EventsRecorded { get; set; }

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

    private static bool ApplyExtension(Effect effect) => false;

    internal long AppNowMs(string appId)
    {
        if (!_offsets.TryGetValue(appId, out var offset))
        {
            offset = One("SELECT clock_offset_ms FROM apps WHERE id = $1", r => (long?)r.GetInt64(0), appId) ?? 0;
            _offsets[appId] = offset;
        }
        return real.GetUtcNow().ToUnixTimeMilliseconds() + offset;
    }

    private WebhookEvent? _lastEvent;
    private string? _lastEncoded;

    // Clock offsets change only through this session's effects (the single writer), which clear the entry.
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    // :: Helpers

    internal static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string[] SplitFields(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    internal int Exec(string sql, params object?[] args)
    {
        var cmd = Bind(sql, args);
        return cmd.ExecuteNonQuery();
    }

    internal T? One<T>(string sql, Func<SqliteDataReader, T> map, params object?[] args)
    {
        var cmd = Bind(sql, args);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? map(reader) : default;
    }

    internal List<T> Many<T>(string sql, Func<SqliteDataReader, T> map, params object?[] args)
    {
        var cmd = Bind(sql, args);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(map(reader));
        return list;
    }

    private SqliteCommand Bind(string sql, object?[] args)
    {
        var cmd = commands.Get(connection, sql);
        var parameters = cmd.Parameters;
        if (parameters.Count != args.Length)
        {
            parameters.Clear();
            for (var i = 0; i < args.Length; i++)
                parameters.Add(new SqliteParameter("$" + (i + 1), null));
        }
        for (var i = 0; i < args.Length; i++)
        {
            parameters[i].Value = args[i] switch
            {
                null => DBNull.Value,
                bool b => b ? 1L : 0L,
                var v => v,
            };
        }
        return cmd;
    }
}

/// <summary>Prepared commands per connection (re-preparing a statement costs more than running it).</summary>
internal sealed class CommandCache
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteCommand Get(SqliteConnection connection, string sql)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            _commands[sql] = cmd;
        }
        return cmd;
    }

    public void Clear()
    {
        foreach (var cmd in _commands.Values)
            cmd.Dispose();
        _commands.Clear();
    }
}
