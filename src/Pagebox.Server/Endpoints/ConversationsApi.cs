using System.Globalization;
using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Conversations API, read-only with the Page token: <c>GET /{PAGE-ID}/conversations</c>, <c>GET
/// /{CONVERSATION-ID}</c>, <c>GET /{CONVERSATION-ID}/messages</c> and <c>GET /{MESSAGE-ID}</c>. A conversation's id is
/// <c>t_</c> and its PSID (stable, one per person and Page); its messages are the stored ones without sender actions,
/// newest first.
/// </summary>
internal static class ConversationsApi
{
    public const string ConversationPrefix = "t_";
    private const string MessagePrefix = "m_";
    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    private static readonly NodeFields MessageFields = new(
        "Message",
        [new("id"), new("created_time")],
        new HashSet<string>(StringComparer.Ordinal) { "id", "created_time", "message", "from", "to", "attachments" }
    );

    private static readonly NodeFields ConversationFields = new(
        "Conversation",
        [new("id"), new("updated_time")],
        new HashSet<string>(StringComparer.Ordinal)
        {
            "id",
            "updated_time",
            "link",
            "message_count",
            "participants",
            "messages",
            "unread_count",
            "snippet",
            "can_reply",
            "senders",
            "is_subscribed",
            "scoped_thread_key",
        }
    )
    {
        Edges = new Dictionary<string, NodeFields> { ["messages"] = MessageFields },
    };

    public static bool IsNodeId(string id) =>
        id.StartsWith(ConversationPrefix, StringComparison.Ordinal)
        || id.StartsWith(MessagePrefix, StringComparison.Ordinal);

    /// <summary>GET /{PAGE-ID}/conversations: newest last message first, <c>platform</c>, <c>user_id</c>,
    /// <c>fields</c>, <c>limit</c>, <c>after</c>.</summary>
    public static async Task<IResult> ListAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var page = caller.Page;
        if (CheckPlatform(p, page) is { } platformError)
            return GraphErrors.Result(platformError);
        var fields = ConversationFields.Read(p);
        if (!fields.IsAccepted)
            return GraphErrors.Result(fields.Error);
        var limited = GraphLimit.Read(p, DefaultLimit, MaxLimit);
        if (!limited.IsAccepted)
            return GraphErrors.Result(limited.Error);
        var limit = limited.Value;
        if (p.OptionalString("user_id", out var userId) is { } userError)
            return GraphErrors.Result(userError);
        if (GraphCursor.ReadAfter(p, GraphCursor.ConversationAfter, out var cursor) is { } afterError)
            return GraphErrors.Result(afterError);

        var rows = await g.Store.ReadAsync(
            s =>
                s.ListConversations(page.Id, userId, cursor, limit + 1)
                    .Select(c => (Summary: c, Person: s.GetPerson(c.Conversation.PersonId)))
                    .ToList(),
            http.RequestAborted
        );
        var shown = rows.Take(limit).ToList();
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            var now = await g.PageNowAsync(page);
            foreach (var (summary, person) in shown)
                await WriteConversationAsync(w, summary, person, page, fields.Value, now, p, http, g);
            w.WriteEndArray();
            if (shown.Count > 0)
            {
                var last = GraphCursor.Conversation(shown[^1].Summary);
                var next = rows.Count > limit ? NextUrl(http, http.Request.Path, last, limit, p) : null;
                WritePaging(w, GraphCursor.Conversation(shown[0].Summary), last, next);
            }
            w.WriteEndObject();
        }
        return Json(buffer);
    }

    /// <summary>GET /{CONVERSATION-ID} or /{MESSAGE-ID} with the Page's token; another Page's → 100/33.</summary>
    public static async Task<IResult> NodeAsync(
        string id,
        GraphParameters p,
        PageCaller caller,
        HttpContext http,
        GraphServices g
    )
    {
        var page = caller.Page;
        using var buffer = new MemoryStream();
        if (id.StartsWith(MessagePrefix, StringComparison.Ordinal))
        {
            var fields = MessageFields.Read(p);
            if (!fields.IsAccepted)
                return GraphErrors.Result(fields.Error);
            var (message, person) = await g.Store.ReadAsync(
                s =>
                    s.GetMessage(id) is { } m
                    && m.PageId == page.Id
                    && m.Kind != MessageKind.SenderAction
                    && s.GetConversationByPsid(m.Psid) is { } c
                        ? (m, s.GetPerson(c.PersonId))
                        : default,
                http.RequestAborted
            );
            if (message is null || person is null)
                return GraphErrors.Result(DomainError.Unsupported("get", id));
            using (var w = new Utf8JsonWriter(buffer))
                WriteMessage(w, message, person, page, fields.Value);
            return Json(buffer);
        }

        var conversationFields = ConversationFields.Read(p);
        if (!conversationFields.IsAccepted)
            return GraphErrors.Result(conversationFields.Error);
        var found = await FindConversationAsync(id, page, http, g);
        if (found is not { } f)
            return GraphErrors.Result(DomainError.Unsupported("get", id));
        var (summary, owner) = f;
        var now = await g.PageNowAsync(page);
        using (var w = new Utf8JsonWriter(buffer))
            await WriteConversationAsync(w, summary, owner, page, conversationFields.Value, now, p, http, g);
        return Json(buffer);
    }

    /// <summary>GET /{CONVERSATION-ID}/messages: newest first, <c>fields</c> (default id,created_time), <c>limit</c>,
    /// <c>after</c>.</summary>
    public static async Task<IResult> MessagesAsync(string id, NodeCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var page = caller.Page;
        var fields = MessageFields.Read(p);
        if (!fields.IsAccepted)
            return GraphErrors.Result(fields.Error);
        var limited = GraphLimit.Read(p, DefaultLimit, MaxLimit);
        if (!limited.IsAccepted)
            return GraphErrors.Result(limited.Error);
        if (GraphCursor.ReadAfter(p, GraphCursor.Decode, out var afterMid) is { } afterError)
            return GraphErrors.Result(afterError);
        var found = await FindConversationAsync(id, page, http, g);
        if (found is not { } f)
            return GraphErrors.Result(DomainError.Unsupported("get", id));
        var (summary, person) = f;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            await WriteMessagesEdgeAsync(
                w,
                summary.Conversation,
                person,
                page,
                fields.Value,
                limited.Value,
                afterMid,
                http,
                g,
                http.Request.Path,
                p,
                nested: false
            );
        return Json(buffer);
    }

    private static async Task<(ConversationSummary, PersonRecord)?> FindConversationAsync(
        string id,
        PageRecord page,
        HttpContext http,
        GraphServices g
    )
    {
        if (!id.StartsWith(ConversationPrefix, StringComparison.Ordinal))
            return null;
        var psid = id[ConversationPrefix.Length..];
        return await g.Store.ReadAsync(
            s =>
            {
                if (
                    s.GetConversationByPsid(psid) is not { } c
                    || c.PageId != page.Id
                    || s.GetPerson(c.PersonId) is not { } person
                )
                    return ((ConversationSummary, PersonRecord)?)null;
                // A conversation without messages yet (a comment, a referral) reads as of its creation.
                var summary = s.ListConversations(page.Id, psid, null, 1) is [var one]
                    ? one
                    : new ConversationSummary(c, c.Created, 0);
                return (summary, person);
            },
            http.RequestAborted
        );
    }

    private static async Task WriteConversationAsync(
        Utf8JsonWriter w,
        ConversationSummary c,
        PersonRecord? person,
        PageRecord page,
        IReadOnlyList<RequestedField> fields,
        DateTimeOffset now,
        GraphParameters p,
        HttpContext http,
        GraphServices g
    )
    {
        var id = ConversationPrefix + c.Conversation.Psid;
        // The facts of the fields beyond the summary, read once and only when asked for.
        ConversationActivity? activity = null;
        if (fields.Any(f => f.Name is "unread_count" or "snippet" or "senders"))
            activity = await g.Store.ReadAsync(
                s => s.GetConversationActivity(page.Id, c.Conversation.Psid),
                http.RequestAborted
            );
        w.WriteStartObject();
        foreach (var f in fields.DistinctBy(f => f.Name))
        {
            switch (f.Name)
            {
                case "id":
                    w.WriteString("id", id);
                    break;
                case "updated_time":
                    w.WriteString(f.Name, Time(c.Updated));
                    break;
                case "link":
                    w.WriteString(f.Name, $"/{page.Id}/inbox/?selected_item_id={c.Conversation.Psid}");
                    break;
                case "message_count":
                    w.WriteNumber(f.Name, c.MessageCount);
                    break;
                case "participants":
                    w.WriteStartObject(f.Name);
                    w.WriteStartArray("data");
                    WriteParty(w, null, person, c.Conversation.Psid, page);
                    WriteParty(w, null, null, page.Id, page);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
                case "messages":
                    w.WritePropertyName(f.Name);
                    var edgePath = $"{VersionPrefix(http)}/{id}/messages";
                    await WriteMessagesEdgeAsync(
                        w,
                        c.Conversation,
                        person,
                        page,
                        f.Sub ?? MessageFields.Defaults,
                        Math.Clamp(f.Limit ?? DefaultLimit, 1, MaxLimit),
                        null,
                        http,
                        g,
                        edgePath,
                        p,
                        nested: true
                    );
                    break;
                case "unread_count":
                    w.WriteNumber(f.Name, activity!.Unread);
                    break;
                case "snippet":
                    w.WriteString(f.Name, activity!.LastMessageJson is { } last ? Text(last) : "");
                    break;
                case "can_reply":
                    w.WriteBoolean(
                        f.Name,
                        !c.Conversation.Blocked
                            && Domain.Rules.MessagingWindowRule.IsOpen(c.Conversation.LastInboundAt, now)
                    );
                    break;
                case "is_subscribed":
                    w.WriteBoolean(f.Name, true);
                    break;
                case "scoped_thread_key":
                    w.WriteString(f.Name, id);
                    break;
                case "senders":
                    w.WriteStartObject(f.Name);
                    w.WriteStartArray("data");
                    if (activity!.PersonSent)
                        WriteParty(w, null, person, c.Conversation.Psid, page);
                    if (activity.PageSent)
                        WriteParty(w, null, null, page.Id, page);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
            }
        }
        if (!fields.Any(f => f.Name == "id"))
            w.WriteString("id", id);
        w.WriteEndObject();
    }

    private static async Task WriteMessagesEdgeAsync(
        Utf8JsonWriter w,
        Conversation c,
        PersonRecord? person,
        PageRecord page,
        IReadOnlyList<RequestedField> fields,
        int limit,
        string? afterMid,
        HttpContext http,
        GraphServices g,
        string path,
        GraphParameters p,
        bool nested
    )
    {
        var messages = await g.Store.ReadAsync(
            s => s.ListConversationMessages(page.Id, c.Psid, afterMid, limit + 1),
            http.RequestAborted
        );
        var shown = messages.Take(limit).ToList();
        w.WriteStartObject();
        w.WriteStartArray("data");
        foreach (var m in shown)
            WriteMessage(w, m, person, page, fields);
        w.WriteEndArray();
        if (shown.Count > 0)
        {
            // A nested edge's next link carries its own fields and limit.
            var next =
                messages.Count <= limit ? null
                : !nested ? NextUrl(http, path, GraphCursor.Encode(shown[^1].Mid), limit, p)
                : GraphPagingUrl.Next(
                    http,
                    p,
                    path,
                    [
                        new("fields", string.Join(',', fields.Select(f => f.Name))),
                        new("limit", limit.ToString(CultureInfo.InvariantCulture)),
                        new("after", GraphCursor.Encode(shown[^1].Mid)),
                    ]
                );
            WritePaging(w, GraphCursor.Encode(shown[0].Mid), GraphCursor.Encode(shown[^1].Mid), next);
        }
        w.WriteEndObject();
    }

    private static void WriteMessage(
        Utf8JsonWriter w,
        StoredMessage m,
        PersonRecord? person,
        PageRecord page,
        IReadOnlyList<RequestedField> fields
    )
    {
        var fromPage = m.Direction == MessageDirection.FromPage;
        w.WriteStartObject();
        foreach (var f in fields.DistinctBy(f => f.Name))
        {
            switch (f.Name)
            {
                case "id":
                    w.WriteString("id", m.Mid);
                    break;
                case "created_time":
                    w.WriteString(f.Name, Time(m.Time));
                    break;
                case "message":
                    w.WriteString(f.Name, Text(m.MessageJson));
                    break;
                case "attachments":
                    MessageAttachments.Write(w, f.Name, m);
                    break;
                case "from":
                    WriteParty(w, f.Name, fromPage ? null : person, fromPage ? page.Id : m.Psid, page);
                    break;
                case "to":
                    w.WriteStartObject(f.Name);
                    w.WriteStartArray("data");
                    WriteParty(w, null, fromPage ? person : null, fromPage ? m.Psid : page.Id, page);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    break;
            }
        }
        if (!fields.Any(f => f.Name == "id"))
            w.WriteString("id", m.Mid);
        w.WriteEndObject();
    }

    /// <summary>The Page (person null) or the person: Messenger {"name","email","id"}, Instagram
    /// {"username","id"}.</summary>
    private static void WriteParty(Utf8JsonWriter w, string? property, PersonRecord? person, string id, PageRecord page)
    {
        if (property is null)
            w.WriteStartObject();
        else
            w.WriteStartObject(property);
        var name = person?.Name ?? page.Name;
        if (page.Platform == Platform.Instagram)
            w.WriteString("username", name.Replace(' ', '.').ToLowerInvariant());
        else
        {
            w.WriteString("name", name);
            w.WriteString("email", $"{id}@facebook.com");
        }
        w.WriteString("id", id);
        w.WriteEndObject();
    }

    private static void WritePaging(Utf8JsonWriter w, string before, string after, string? next)
    {
        w.WriteStartObject("paging");
        w.WriteStartObject("cursors");
        w.WriteString("before", before);
        w.WriteString("after", after);
        w.WriteEndObject();
        if (next is not null)
            w.WriteString("next", next);
        w.WriteEndObject();
    }

    /// <summary>The request's own URL with <c>after</c> moved on, carrying the caller's token (<see
    /// cref="GraphPagingUrl"/>).</summary>
    private static string NextUrl(HttpContext http, string path, string after, int limit, GraphParameters p)
    {
        var query = new List<KeyValuePair<string, string?>>();
        foreach (var name in new[] { "platform", "user_id", "fields" })
        {
            if (p.TryGetString(name, out var value, out _))
                query.Add(new(name, value));
        }
        query.Add(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        query.Add(new("after", after));
        return GraphPagingUrl.Next(http, p, path, query);
    }

    private static string VersionPrefix(HttpContext http) =>
        http.Request.RouteValues.TryGetValue("version", out var v) && v is string s ? "/" + s : "";

    /// <summary>Meta requires <c>platform</c> for Instagram; a Messenger Page's list defaults to messenger.</summary>
    private static DomainError? CheckPlatform(GraphParameters p, PageRecord page)
    {
        var wanted = WorldApi.PlatformWire(page.Platform);
        if (!p.TryGetString("platform", out var platform, out var error))
            return error ?? (page.Platform == Platform.Instagram ? DomainError.Missing("platform") : null);
        platform = platform.Trim().ToLowerInvariant();
        if (platform is not ("messenger" or "instagram"))
            return DomainError.Invalid("platform", "Param platform must be one of {MESSENGER, INSTAGRAM}");
        return platform == wanted
            ? null
            : DomainError.Invalid(
                "platform",
                $"Param platform is {platform}, but this Page's conversations are on {wanted}"
            );
    }

    /// <summary>Graph's time format: ISO 8601 in UTC with <c>+0000</c>.</summary>
    private static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";

    /// <summary>The text of a stored message object; "" for attachments and templates.</summary>
    private static string Text(string messageJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(messageJson);
            return
                doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("text", out var t)
                && t.ValueKind == JsonValueKind.String
                ? t.GetString()!
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static IResult Json(MemoryStream buffer) =>
        Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=UTF-8");
}
