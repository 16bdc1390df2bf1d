using Npgsql;
using Pagebox.Domain.Attachments;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Postgres;

/// <summary>
/// Facts and effects over one PostgreSQL connection, for one run of one command. The methods and their order mirror
/// <c>SqliteSession</c>: a reader or effect added there gets its twin here, at the same place.
/// </summary>
/// <remarks>
/// Inside a write (<paramref name="write"/> true, READ COMMITTED transaction) the session keeps the locking contract
/// written on <see cref="IPageboxStore"/>: the readers of the rows a command decides on lock them (<c>FOR UPDATE</c>);
/// the rows read without a lock (<see cref="Guarded"/>) are written back only if unchanged, and inserted only if still
/// absent. A failed guard throws <see cref="WriteConflictException"/> and the store runs the command again. Nothing is
/// cached beyond the session: another process may change any row between two commands.
/// </remarks>
internal sealed partial class PostgresSession(
    NpgsqlConnection connection,
    IWebhookEventEncoder encoder,
    TimeProvider real,
    bool write
) : IStoreSession
{
    internal NpgsqlConnection Connection => connection;

    /// <summary>" FOR UPDATE" inside a write, nothing in a read (a read runs outside any transaction).</summary>
    private string Lock => write ? " FOR UPDATE" : "";

    public AppRecord? GetApp(string appId) =>
        One($"SELECT {AppColumns} FROM apps WHERE id = $1" + Lock, ReadApp, appId);

    private PageRecord ReadPage(NpgsqlDataReader r)
    {
        var page = ReadPageRow(r);
        Seen("pages", page.Id, r.GetString(12));
        return page;
    }

    public bool DisablesWebhooksOnFailure(string appId) =>
        One("SELECT disable_webhooks_on_failure FROM apps WHERE id = $1", r => r.GetBoolean(0), appId);

    public PageRecord? GetPage(string pageId)
    {
        var page = One($"SELECT {PageColumns}, xmin::text FROM pages WHERE id = $1", ReadPage, pageId);
        if (page is null)
            Seen("pages", pageId, null);
        return page;
    }

    public IReadOnlyList<PageRecord> GetPagesOfApp(string appId) =>
        Many($"SELECT {PageColumns}, xmin::text FROM pages WHERE app_id = $1 ORDER BY created_seq", ReadPage, appId);

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

    // A conversation is what sends, opt-in requests and handover decide on: locked inside a write. When absent, the
    // unique (page_id, person_id) lets only one first contact insert it; the other runs again and finds it.
    public Conversation? GetConversationByPsid(string psid) =>
        One($"SELECT {ConversationColumns} FROM conversations WHERE psid = $1" + Lock, ReadConversation, psid);

    public Conversation? GetConversation(string pageId, string personId) =>
        One(
            $"SELECT {ConversationColumns} FROM conversations WHERE page_id = $1 AND person_id = $2" + Lock,
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

    // Conversations API: the same query as SQLite's; sender actions (kind 5) are not messages.
    public IReadOnlyList<ConversationSummary> ListConversations(
        string pageId,
        string? psid,
        ConversationCursor? after,
        int limit
    ) =>
        Many(
            $"SELECT {ConversationColumns}, updated_ms, n FROM (SELECT c.*, (SELECT MAX(time_ms) FROM messages m "
                + $"WHERE m.psid = c.psid AND m.kind <> 5) AS updated_ms, "
                + "(SELECT COUNT(*)::int FROM messages m WHERE m.psid = c.psid AND m.kind <> 5) AS n FROM "
                + "conversations c WHERE c.page_id = $1 AND ($2 = '' OR c.psid = $2)) x "
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

    // A Page message (kind <> 5) or a mark_seen sender action reads everything the person wrote before it.
    public ConversationActivity GetConversationActivity(string pageId, string psid)
    {
        var unread = One(
            "SELECT COUNT(*)::int FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 1 AND seq > "
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
            r => r.GetBoolean(0),
            psid,
            pageId
        );
        var pageSent = One(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 2 AND kind <> 5)",
            r => r.GetBoolean(0),
            psid,
            pageId
        );
        return new ConversationActivity(unread, last, person, pageSent);
    }

    public AppSubscription? GetAppSubscription(string appId, string obj)
    {
        var found = One(
            "SELECT app_id, object, callback_url, verify_token, fields, xmin::text FROM app_subscriptions WHERE "
                + "app_id = $1 AND object = $2",
            ReadAppSubscription,
            appId,
            obj
        );
        if (found is null)
            Seen("app_subscriptions", SubscriptionKey(appId, obj), null);
        return found;
    }

    public IReadOnlyList<AppSubscription> GetAppSubscriptions(string appId) =>
        Many(
            "SELECT app_id, object, callback_url, verify_token, fields, xmin::text FROM app_subscriptions WHERE "
                + "app_id = $1 ORDER BY object",
            ReadAppSubscription,
            appId
        );

    private AppSubscription ReadAppSubscription(NpgsqlDataReader r)
    {
        var s = new AppSubscription(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            SplitFields(r.GetString(4))
        );
        Seen("app_subscriptions", SubscriptionKey(s.AppId, s.Object), r.GetString(5));
        return s;
    }

    private static string SubscriptionKey(string appId, string obj) => appId + "\n" + obj;

    public IReadOnlyList<PageSubscription> GetPageSubscriptions(string pageId) =>
        Many(
            "SELECT page_id, app_id, fields FROM page_subscriptions WHERE page_id = $1 ORDER BY app_id",
            r => new PageSubscription(r.GetString(0), r.GetString(1), SplitFields(r.GetString(2))),
            pageId
        );

    public string? GetSetting(string key)
    {
        var value = One(
            "SELECT value, xmin::text FROM server_settings WHERE key = $1",
            r =>
            {
                Seen("server_settings", key, r.GetString(1));
                return r.GetString(0);
            },
            key
        );
        if (value is null)
            Seen("server_settings", key, null);
        return value;
    }

    // :: Marketing

    public NotificationToken? GetToken(string token)
    {
        // One marketing message per token per window, follow-up counts: the token is locked, after its conversation
        // (the lock order every command keeps: conversation first, then what hangs off it), so no deadlock with an
        // opt-in or a stop that holds the conversation and then writes the token.
        if (write)
            Exec(
                "SELECT 1 FROM conversations WHERE psid = (SELECT psid FROM notification_tokens WHERE token = $1) "
                    + "FOR UPDATE",
                token
            );
        return One($"SELECT {TokenColumns} FROM notification_tokens WHERE token = $1" + Lock, ReadToken, token);
    }

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
            "t.status = 1 AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.psid = t.psid AND c.blocked) "
            + "AND ($2::bigint IS NULL OR t.expires_ms IS NULL OR t.expires_ms > $2::bigint)";
        // do_not_return_duplicates: a token is left out when the same person holds a valid token later in the order
        // (newer update, or the same update and a larger token), so each person appears once, on every page alike.
        const string newest =
            " AND NOT EXISTS (SELECT 1 FROM notification_tokens u WHERE u.page_id = t.page_id AND u.psid = t.psid "
            + "AND u.status = 1 "
            + "AND ($2::bigint IS NULL OR u.expires_ms IS NULL OR u.expires_ms > $2::bigint) "
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

    // One opt-in request per person per title per week: the command holds the conversation's lock while it reads these.
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

    // One private reply per comment: locked inside a write.
    public CommentRecord? GetComment(string commentId) =>
        One($"SELECT {CommentColumns} FROM comments WHERE comment_id = $1" + Lock, ReadComment, commentId);

    // One message per Checkbox tick: locked inside a write; a tick read as absent is inserted only once (primary key).
    public UserRefRecord? GetUserRef(string pageId, string userRef) =>
        One(
            $"SELECT {UserRefColumns} FROM user_refs WHERE page_id = $1 AND user_ref = $2" + Lock,
            ReadUserRef,
            pageId,
            userRef
        );

    private PersonaRecord ReadPersona(NpgsqlDataReader r)
    {
        var p = ReadPersonaRow(r);
        Seen("personas", p.Id, r.GetString(6));
        return p;
    }

    public PersonaRecord? GetPersona(string personaId) =>
        One($"SELECT {PersonaColumns}, xmin::text FROM personas WHERE id = $1", ReadPersona, personaId);

    public IReadOnlyList<PersonaRecord> ListPersonas(string pageId, string? afterId, int limit) =>
        Many(
            $"SELECT {PersonaColumns}, xmin::text FROM personas WHERE page_id = $1 AND deleted_ms IS NULL AND id > "
                + $"$2 ORDER BY id LIMIT $3",
            ReadPersona,
            pageId,
            afterId ?? "",
            limit
        );

    public AttachmentRecord? GetAttachment(string attachmentId) =>
        One($"SELECT {AttachmentColumns} FROM attachments WHERE id = $1", ReadAttachment, attachmentId);

    // Handover commands hold the conversation's lock (they read it first), so the owner they read stays true.
    public string? GetThreadOwner(string pageId, string psid) =>
        One("SELECT app_id FROM thread_owners WHERE page_id = $1 AND psid = $2", r => r.GetString(0), pageId, psid);

    // :: Person actions and policy enforcement (the world command holds the conversation's lock first)

    public string? GetReaction(string mid, string psid) =>
        One("SELECT emoji FROM message_reactions WHERE mid = $1 AND psid = $2", r => r.GetString(0), mid, psid);

    public int GetEditCount(string mid) =>
        One("SELECT num_edit FROM message_edits WHERE mid = $1", r => r.GetInt32(0), mid);

    public bool IsFeedbackAnswered(string mid) =>
        One("SELECT true FROM feedback_answers WHERE mid = $1", r => true, mid);

    public bool IsBlockedByPolicy(string pageId, string appId) =>
        One("SELECT true FROM policy_blocks WHERE page_id = $1 AND app_id = $2", r => true, pageId, appId);

    public bool HasOptInTopic(string pageId, string title) =>
        One(
            "SELECT true FROM optin_requests WHERE page_id = $1 AND title = $2 AND reoptin_token IS NULL LIMIT 1",
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

    // Who subscribes to a Page, in one query (WebhookFanout.Subscribers does it in 1 + N): the same list, the same
    // order.
    // Kept for this session only: another process may change a subscription before the next command.
    private readonly Dictionary<
        (string, string),
        IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)>
    > _subscribers = [];

    public IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> GetSubscribers(string pageId, string obj)
    {
        if (!_subscribers.TryGetValue((pageId, obj), out var list))
        {
            list = Many(
                    "SELECT ps.app_id, ps.fields, s.fields FROM page_subscriptions ps JOIN app_subscriptions s ON "
                        + "s.app_id = ps.app_id AND s.object = $2 "
                        + "WHERE ps.page_id = $1 ORDER BY ps.app_id",
                    r =>
                        (
                            AppId: r.GetString(0),
                            Fields: (IReadOnlySet<string>)
                                SplitFields(r.GetString(1))
                                    .Intersect(SplitFields(r.GetString(2)), StringComparer.Ordinal)
                                    .ToHashSet(StringComparer.Ordinal)
                        ),
                    pageId,
                    obj
                )
                .Where(x => x.Fields.Count > 0)
                .ToList();
            _subscribers[(pageId, obj)] = list;
        }
        return list;
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
                // Never back, even against a concurrent move (the command also holds the app's lock).
                Exec("UPDATE apps SET clock_offset_ms = GREATEST(clock_offset_ms, $2) WHERE id = $1", appId, offset);
                Notify = true;
                break;
            case SavePage(var p):
                Guarded(
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
                Guarded(
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
                GuardedDelete(
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
                    "INSERT INTO comments (comment_id, post_id, page_id, person_id, text, created_ms, replied_ms) "
                        + "VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT(comment_id) DO UPDATE SET "
                        + "post_id=excluded.post_id, page_id=excluded.page_id, person_id=excluded.person_id, "
                        + "text=excluded.text, created_ms=excluded.created_ms, replied_ms=excluded.replied_ms",
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
                    "INSERT INTO user_refs (user_ref, page_id, person_id, created_ms, used_ms) VALUES "
                        + "($1,$2,$3,$4,$5) ON CONFLICT(page_id, user_ref) DO UPDATE SET "
                        + "person_id=excluded.person_id, created_ms=excluded.created_ms, used_ms=excluded.used_ms",
                    u.UserRef,
                    u.PageId,
                    u.PersonId,
                    u.Created.ToUnixTimeMilliseconds(),
                    u.UsedAt?.ToUnixTimeMilliseconds()
                );
                break;
            case SavePersona(var p):
                Guarded(
                    "personas",
                    p.Id,
                    "INSERT INTO personas (id, page_id, name, picture_url, created_ms, deleted_ms) VALUES "
                        + "($1,$2,$3,$4,$5,$6) ON CONFLICT(id) DO UPDATE SET "
                        + "page_id=excluded.page_id, name=excluded.name, picture_url=excluded.picture_url, "
                        + "created_ms=excluded.created_ms, deleted_ms=excluded.deleted_ms",
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
                    "INSERT INTO attachments (id, page_id, type, url, content_type, size_bytes, file_name, "
                        + "created_ms, sha256) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT(id) DO UPDATE SET "
                        + "page_id=excluded.page_id, type=excluded.type, url=excluded.url, "
                        + "content_type=excluded.content_type, size_bytes=excluded.size_bytes, "
                        + "file_name=excluded.file_name, created_ms=excluded.created_ms, sha256=excluded.sha256",
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
                // held
                // behind it follow it in order.
                if (
                    Exec(
                        "UPDATE webhook_deliveries SET status = 1, next_attempt_ms = $3, created_ms = $3, "
                            + "lease_until_ms = 0, lease_owner = 0 "
                            + "WHERE id = (SELECT id FROM webhook_deliveries WHERE app_id = $1 AND page_id = $2 "
                            + "ORDER BY id DESC LIMIT 1) AND status = 3",
                        appId,
                        pageId,
                        AppNowMs(appId)
                    ) > 0
                )
                {
                    EventsRecorded = true;
                    Notify = true;
                }
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
                Guarded(
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
                EventsRecorded = true;
                Notify = true;
                break;
            default:
                if (!ApplyExtension(effect))
                    throw new NotSupportedException($"No PostgreSQL mapping for effect {effect.GetType().Name}");
                break;
        }
    }

    /// <summary>Set when this session recorded webhook events, so the store can wake the dispatcher after
    /// commit.</summary>
    internal bool EventsRecorded { get; set; }

    /// <summary>Set when other processes should hear of this commit (events recorded, a clock moved): NOTIFY before
    /// it.</summary>
    internal bool Notify { get; set; }

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

    // For this session only: another process may move the clock before the next command.
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    // :: Guarded writes of rows read without a lock

    // (table, key) → the row version (xmin) the command read, or null when it read the row as absent.
    private readonly Dictionary<(string Table, string Key), string?> _seen = [];

    private void Seen(string table, string key, string? version)
    {
        if (write)
            _seen[(table, key)] = version;
    }

    /// <summary>
    /// Writes a row by its upsert. A row this command read (version known) is updated only if no one changed it since;
    /// a row it read as absent is inserted only if still absent (else 23505); a row it never read is simply upserted.
    /// </summary>
    private void Guarded(string table, string key, string upsert, params object?[] args)
    {
        if (!_seen.Remove((table, key), out var version))
        {
            Exec(upsert, args);
            return;
        }
        if (version is null)
        {
            Exec(upsert[..upsert.IndexOf(" ON CONFLICT", StringComparison.Ordinal)], args);
            return;
        }
        var guard = $" WHERE {table}.xmin::text = ${args.Length + 1}";
        if (Exec(upsert + guard, [.. args, version]) == 0)
            throw new WriteConflictException(table, key);
    }

    private void GuardedDelete(string table, string key, string delete, params object?[] args)
    {
        if (_seen.Remove((table, key), out var version) && version is not null)
        {
            if (Exec(delete + $" AND xmin::text = ${args.Length + 1}", [.. args, version]) == 0)
                throw new WriteConflictException(table, key);
            return;
        }
        Exec(delete, args);
    }

    // :: Helpers

    internal static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static string[] SplitFields(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    internal int Exec(string sql, params object?[] args)
    {
        using var cmd = Bind(sql, args);
        return cmd.ExecuteNonQuery();
    }

    internal T? One<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        using var cmd = Bind(sql, args);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? map(reader) : default;
    }

    internal List<T> Many<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        using var cmd = Bind(sql, args);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(map(reader));
        return list;
    }

    // Positional parameters ($1, $2, …) as on SQLite; statements are prepared automatically by the data source
    // (Max Auto Prepare), per physical connection.
    private NpgsqlCommand Bind(string sql, object?[] args)
    {
        var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        return cmd;
    }
}

/// <summary>A row read without a lock changed before the command wrote it back: the store runs the command
/// again.</summary>
internal sealed class WriteConflictException(string table, string key)
    : Exception($"{table} row {key} changed under the command");
