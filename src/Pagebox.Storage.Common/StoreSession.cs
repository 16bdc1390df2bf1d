using System.Data.Common;
using Pagebox.Domain.Attachments;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage;

/// <summary>
/// The facts both stores read with the same SQL (positional <c>$1</c> parameters on both; booleans compared as truth
/// values, counts cast to INTEGER, so one text serves either dialect). Each store's session derives from it and keeps
/// only what differs: how a statement is bound (<see cref="Bind"/>, run by <see cref="One{T}"/>, <see cref="Many{T}"/>
/// and <see cref="Exec"/>), the rows PostgreSQL locks (<see cref="Lock"/>) or guards by version, and the few readers of
/// its own.
/// </summary>
internal abstract partial class StoreSession<TDialect>(IWebhookEventEncoder encoder, TimeProvider real)
    where TDialect : IStoreDialect
{
    private static readonly string PageById = $"SELECT {PageColumns}{TDialect.RowVersion} FROM pages WHERE id = $1";

    private static readonly string PagesOfApp =
        $"SELECT {PageColumns}{TDialect.RowVersion} FROM pages WHERE app_id = $1 ORDER BY {TDialect.InsertOrder}";

    private static readonly string AppSubscription =
        $"SELECT app_id, object, callback_url, verify_token, fields{TDialect.RowVersion} FROM app_subscriptions "
        + "WHERE app_id = $1 AND object = $2";

    private static readonly string AppSubscriptions =
        $"SELECT app_id, object, callback_url, verify_token, fields{TDialect.RowVersion} FROM app_subscriptions "
        + "WHERE app_id = $1 ORDER BY object";

    private static readonly string SettingByKey =
        $"SELECT value{TDialect.RowVersion} FROM server_settings WHERE key = $1";

    private static readonly string PersonaById =
        $"SELECT {PersonaColumns}{TDialect.RowVersion} FROM personas WHERE id = $1";

    private static readonly string PersonasOfPage =
        $"SELECT {PersonaColumns}{TDialect.RowVersion} FROM personas WHERE page_id = $1 AND deleted_ms IS NULL "
        + "AND id > $2 ORDER BY id LIMIT $3";

    /// <summary>Appended to the readers of the rows a command decides on: PostgreSQL locks them inside a
    /// write.</summary>
    internal virtual string Lock => "";

    /// <summary>The command of <paramref name="sql"/> with <paramref name="args"/> as its positional parameters
    /// (<c>$1</c>, <c>$2</c>, …).</summary>
    protected abstract DbCommand Bind(string sql, object?[] args);

    /// <summary>Whether the session keeps the commands it binds (SQLite's prepared ones); else each is disposed after
    /// its run.</summary>
    protected virtual bool KeepsCommands => false;

    private DbCommand? Owned(DbCommand cmd) => KeepsCommands ? null : cmd;

    internal int Exec(string sql, params object?[] args)
    {
        var cmd = Bind(sql, args);
        using var owned = Owned(cmd);
        return cmd.ExecuteNonQuery();
    }

    internal T? One<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        var cmd = Bind(sql, args);
        using var owned = Owned(cmd);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? map(reader) : default;
    }

    internal List<T> Many<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        var cmd = Bind(sql, args);
        using var owned = Owned(cmd);
        using var reader = cmd.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
            list.Add(map(reader));
        return list;
    }

    public bool DisablesWebhooksOnFailure(string appId) =>
        One("SELECT disable_webhooks_on_failure FROM apps WHERE id = $1", r => r.GetBoolean(0), appId);

    public AppRecord? GetApp(string appId) =>
        One($"SELECT {AppColumns} FROM apps WHERE id = $1" + Lock, ReadApp, appId);

    /// <summary>
    /// A row read without a lock, with its version (<see cref="IStoreDialect.RowVersion"/>, the column after the
    /// record's; null when the dialect has none) or as absent (null): PostgreSQL writes it back only if unchanged.
    /// </summary>
    protected virtual void Seen(string table, string key, string? version) { }

    private static string? VersionAt(DbDataReader r, int column) => r.FieldCount > column ? r.GetString(column) : null;

    private PageRecord ReadPage(DbDataReader r)
    {
        var page = ReadPageRow(r);
        Seen("pages", page.Id, VersionAt(r, 12));
        return page;
    }

    public PageRecord? GetPage(string pageId)
    {
        var page = One(PageById, ReadPage, pageId);
        if (page is null)
            Seen("pages", pageId, null);
        return page;
    }

    public IReadOnlyList<PageRecord> GetPagesOfApp(string appId) => Many(PagesOfApp, ReadPage, appId);

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

    // A conversation is what sends, opt-in requests and handover decide on: locked inside a PostgreSQL write. When
    // absent, the unique (page_id, person_id) lets only one first contact insert it; the other runs again and finds it.
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

    public IReadOnlyList<StoredMessage> GetConversationMessagesBefore(
        string pageId,
        string psid,
        string? beforeMid,
        int limit
    )
    {
        var newest = ListConversationMessages(pageId, psid, beforeMid, limit, ConversationMessagesBefore);
        newest.Reverse();
        return newest;
    }

    private const string ConversationMessagesBefore =
        $"SELECT {MessageColumns} FROM messages WHERE psid = $1 AND page_id = $2 "
        + "AND ($3 = '' OR seq < (SELECT seq FROM messages WHERE mid = $3)) ORDER BY seq DESC LIMIT $4";

    private const string ConversationMessagesPaged =
        $"SELECT {MessageColumns} FROM messages WHERE psid = $1 AND page_id = $2 AND kind <> 5 "
        + "AND ($3 = '' OR seq < (SELECT seq FROM messages WHERE mid = $3)) ORDER BY seq DESC LIMIT $4";

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
                + "WHERE m.psid = c.psid AND m.kind <> 5) AS updated_ms, "
                + "(SELECT CAST(COUNT(*) AS INTEGER) FROM messages m WHERE m.psid = c.psid AND m.kind <> 5) AS n "
                + "FROM conversations c WHERE c.page_id = $1 AND ($2 = '' OR c.psid = $2)) x "
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
    ) => ListConversationMessages(pageId, psid, afterMid, limit, ConversationMessagesPaged);

    private List<StoredMessage> ListConversationMessages(
        string pageId,
        string psid,
        string? beforeMid,
        int limit,
        string sql
    ) => Many(sql, ReadMessage, psid, pageId, beforeMid ?? "", limit);

    // A Page message (kind <> 5) or a mark_seen sender action reads everything the person wrote before it.
    public ConversationActivity GetConversationActivity(string pageId, string psid)
    {
        var unread = One(
            "SELECT CAST(COUNT(*) AS INTEGER) FROM messages WHERE psid = $1 AND page_id = $2 AND direction = 1 AND "
                + "seq > COALESCE((SELECT MAX(seq) FROM messages "
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
        var found = One(AppSubscription, ReadAppSubscription, appId, obj);
        if (found is null)
            Seen("app_subscriptions", SubscriptionKey(appId, obj), null);
        return found;
    }

    public IReadOnlyList<AppSubscription> GetAppSubscriptions(string appId) =>
        Many(AppSubscriptions, ReadAppSubscription, appId);

    private AppSubscription ReadAppSubscription(DbDataReader r)
    {
        var s = new AppSubscription(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            SplitFields(r.GetString(4))
        );
        Seen("app_subscriptions", SubscriptionKey(s.AppId, s.Object), VersionAt(r, 5));
        return s;
    }

    public string? GetSetting(string key)
    {
        var value = One(
            SettingByKey,
            r =>
            {
                Seen("server_settings", key, VersionAt(r, 1));
                return r.GetString(0);
            },
            key
        );
        if (value is null)
            Seen("server_settings", key, null);
        return value;
    }

    public IReadOnlyList<PageSubscription> GetPageSubscriptions(string pageId) =>
        Many(
            "SELECT page_id, app_id, fields FROM page_subscriptions WHERE page_id = $1 ORDER BY app_id",
            r => new PageSubscription(r.GetString(0), r.GetString(1), SplitFields(r.GetString(2))),
            pageId
        );

    // :: Marketing

    public NotificationToken? GetToken(string token)
    {
        LockTokenConversation(token);
        return One($"SELECT {TokenColumns} FROM notification_tokens WHERE token = $1" + Lock, ReadToken, token);
    }

    /// <summary>Takes the lock of the token's conversation before the token's own (PostgreSQL, inside a
    /// write).</summary>
    protected virtual void LockTokenConversation(string token) { }

    public IReadOnlyList<NotificationToken> GetTokensOf(string pageId, string psid) =>
        Many(
            $"SELECT {TokenColumns} FROM notification_tokens WHERE page_id = $1 AND psid = $2 ORDER BY created_ms, "
                + "token",
            ReadToken,
            pageId,
            psid
        );

    // Valid tokens only: active, the person not blocking the Page, and (when expiry applies) not expired.
    private const string ValidToken =
        "t.status = 1 AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.psid = t.psid AND c.blocked) "
        + "AND (CAST($2 AS BIGINT) IS NULL OR t.expires_ms IS NULL OR t.expires_ms > CAST($2 AS BIGINT))";

    // do_not_return_duplicates: a token is left out when the same person holds a valid token later in the order (newer
    // update, or the same update and a larger token), so each person appears once, on every page alike.
    private const string NewestToken =
        " AND NOT EXISTS (SELECT 1 FROM notification_tokens u WHERE u.page_id = t.page_id AND u.psid = t.psid "
        + "AND u.status = 1 "
        + "AND (CAST($2 AS BIGINT) IS NULL OR u.expires_ms IS NULL OR u.expires_ms > CAST($2 AS BIGINT)) "
        + "AND (u.updated_ms > t.updated_ms OR (u.updated_ms = t.updated_ms AND u.token > t.token)))";

    private static readonly string TokenColumnsOfT = string.Join(", ", TokenColumns.Split(", ").Select(c => "t." + c));

    // The page after a cursor is a keyset range on the list index (page_id, updated_ms DESC, token DESC): the row-value
    // comparison lets SQLite seek to (updated, token), where "updated < u OR (updated = u AND token < t)" only bounded
    // updated_ms and scanned every token of the same update from the top (bench/tokens.sh, docs/benchmarks.md).
    public IReadOnlyList<NotificationToken> ListTokens(
        string pageId,
        TokenCursor? after,
        int limit,
        DateTimeOffset? unexpiredAt = null,
        bool onePerRecipient = false
    )
    {
        var filter = onePerRecipient ? ValidToken + NewestToken : ValidToken;
        var at = unexpiredAt?.ToUnixTimeMilliseconds();
        return after is null
            ? Many(
                $"SELECT {TokenColumnsOfT} FROM notification_tokens t WHERE t.page_id = $1 AND {filter} ORDER BY "
                    + "t.updated_ms DESC, t.token DESC LIMIT $3",
                ReadToken,
                pageId,
                at,
                limit
            )
            : Many(
                $"SELECT {TokenColumnsOfT} FROM notification_tokens t WHERE t.page_id = $1 AND {filter} AND "
                    + "(t.updated_ms, t.token) < ($3, $4) "
                    + "ORDER BY t.updated_ms DESC, t.token DESC LIMIT $5",
                ReadToken,
                pageId,
                at,
                after.Updated.ToUnixTimeMilliseconds(),
                after.Token,
                limit
            );
    }

    // One opt-in request per person per title per week: a PostgreSQL command holds the conversation's lock while it
    // reads these.
    public IReadOnlyList<OptInRequestRecord> GetOptInRequestsSince(string pageId, string psid, DateTimeOffset since) =>
        Many(
            $"SELECT {OptInColumns} FROM optin_requests WHERE page_id = $1 AND psid = $2 AND sent_ms > $3 ORDER BY "
                + "sent_ms, mid, element",
            ReadOptIn,
            pageId,
            psid,
            since.ToUnixTimeMilliseconds()
        );

    public IReadOnlyList<OptInRequestRecord> GetOptInRequest(string mid) =>
        Many($"SELECT {OptInColumns} FROM optin_requests WHERE mid = $1 ORDER BY element", ReadOptIn, mid);

    public PostRecord? GetPost(string postId) =>
        One("SELECT post_id, page_id, created_ms FROM posts WHERE post_id = $1", ReadPost, postId);

    // One private reply per comment: locked inside a PostgreSQL write.
    public CommentRecord? GetComment(string commentId) =>
        One($"SELECT {CommentColumns} FROM comments WHERE comment_id = $1" + Lock, ReadComment, commentId);

    // One message per Checkbox tick: locked inside a PostgreSQL write; a tick read as absent is inserted only once
    // (primary key).
    public UserRefRecord? GetUserRef(string pageId, string userRef) =>
        One(
            $"SELECT {UserRefColumns} FROM user_refs WHERE page_id = $1 AND user_ref = $2" + Lock,
            ReadUserRef,
            pageId,
            userRef
        );

    private PersonaRecord ReadPersona(DbDataReader r)
    {
        var p = ReadPersonaRow(r);
        Seen("personas", p.Id, VersionAt(r, 6));
        return p;
    }

    public PersonaRecord? GetPersona(string personaId) => One(PersonaById, ReadPersona, personaId);

    public IReadOnlyList<PersonaRecord> ListPersonas(string pageId, string? afterId, int limit) =>
        Many(PersonasOfPage, ReadPersona, pageId, afterId ?? "", limit);

    public AttachmentRecord? GetAttachment(string attachmentId) =>
        One($"SELECT {AttachmentColumns} FROM attachments WHERE id = $1", ReadAttachment, attachmentId);

    // Handover commands hold the conversation's lock (they read it first), so the owner they read stays true.
    public string? GetThreadOwner(string pageId, string psid) =>
        One("SELECT app_id FROM thread_owners WHERE page_id = $1 AND psid = $2", r => r.GetString(0), pageId, psid);

    // :: Person actions and policy enforcement (a PostgreSQL world command holds the conversation's lock first)

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
        Pairs("SELECT field, value FROM messenger_profile WHERE page_id = $1 ORDER BY field", pageId);

    // Who subscribes to a Page, kept until a subscription changes (Apply clears it): the SQLite writer's session lives
    // long, a PostgreSQL session only for one command (another process may change a subscription before the next).
    private readonly Dictionary<
        (string, string),
        IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)>
    > _subscribers = [];

    public IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> GetSubscribers(string pageId, string obj)
    {
        if (!_subscribers.TryGetValue((pageId, obj), out var list))
        {
            list = ReadSubscribers(pageId, obj);
            _subscribers[(pageId, obj)] = list;
        }
        return list;
    }

    /// <summary>What <see cref="GetSubscribers"/> caches: <see cref="WebhookFanout.Subscribers"/>' list, in its
    /// order.</summary>
    protected abstract IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> ReadSubscribers(
        string pageId,
        string obj
    );

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

    // Clock offsets change only through effects this session applies (SQLite's single writer), which clear the entry;
    // a PostgreSQL session lives for one command, so another process's move is seen by the next.
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    /// <summary>Forgets the cached subscribers and clock offsets (a subscription or clock changed, or a batch rolled
    /// back).</summary>
    internal void ForgetCachedFacts()
    {
        _subscribers.Clear();
        _offsets.Clear();
    }

    /// <summary>Two string columns as a dictionary (key, value).</summary>
    protected Dictionary<string, string> Pairs(string sql, params object?[] args) =>
        Many(sql, r => (r.GetString(0), r.GetString(1)), args)
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
}
