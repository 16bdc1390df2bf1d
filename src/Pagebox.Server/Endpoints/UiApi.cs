using System.Text;
using System.Text.Json;
using Pagebox.Contracts;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Rules;
using Pagebox.Domain.World;
using Pagebox.Server.Graph;
using Pagebox.Server.Ui;
using Pagebox.Server.Webhooks;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The world-face reads of the inbox page and the developer's view: listings of apps, persons and a Page's persons,
/// a person's thread with a Page as Messenger shows it, the tokens table, one webhook delivery with its signatures and
/// the bot's answers, the journal of Graph calls, and a stream of changes (server-sent events). Reads only: every
/// action of the page goes through the world face's existing commands.
/// </summary>
internal static class UiApi
{
    /// <summary>typing_on clears by itself after about 20 s, or with the next message (send-api digest, from an older
    /// sender-actions page).</summary>
    public static readonly TimeSpan TypingLasts = TimeSpan.FromSeconds(20);

    private const int MaxListed = 1000;

    /// <summary>Which journal parameters are credentials: shown as their last four characters only.</summary>
    private static readonly HashSet<string> Secrets = new(StringComparer.OrdinalIgnoreCase)
    {
        "access_token",
        "appsecret_proof",
        "client_secret",
        "input_token",
        "fb_exchange_token",
        "verify_token",
    };

    // :: The server and the lists

    public static IResult ServerInfo(GraphServices g) =>
        Results.Json(
            new ServerInfoDto(
                PolicyProfiles.ToWire(g.Marketing.Profile),
                [
                    new(
                        "2023",
                        "per the token's DAILY / WEEKLY / MONTHLY frequency (calendar weeks and months in the Page's "
                            + "time zone); tokens expire"
                    ),
                    new("2024", "one marketing message per token per 24 hours"),
                    new("2025-09", "one marketing message per token per 48 hours"),
                    new("retired", "marketing messages are retired: every opt-in request and marketing send fails"),
                ]
            ),
            UiJsonContext.Wire.ServerInfoDto
        );

    public static async Task<IResult> AppsAsync(GraphServices g)
    {
        var apps = await g.Store.ReadAsync(s =>
            s.ListApps(MaxListed).Select(a => (App: a, Pages: s.GetPagesOfApp(a.Id))).ToList()
        );
        var list = new List<AppListItem>(apps.Count);
        foreach (var (app, pages) in apps)
        {
            var now = g.Directory.Clock(app).GetUtcNow();
            list.Add(new AppListItem(app.Id, app.Name, now, [.. pages.Select(Summary)]));
        }
        return Results.Json<IReadOnlyList<AppListItem>>(list, UiJsonContext.Wire.IReadOnlyListAppListItem);
    }

    public static PageSummaryDto Summary(PageRecord p) => new(p.Id, p.Name, WorldApi.PlatformWire(p.Platform), p.AppId);

    public static async Task<IResult> PersonsAsync(GraphServices g)
    {
        var persons = await g.Store.ReadAsync(s =>
            s.ListPersons(MaxListed).Select(p => PersonItem(p, s.GetConversationsOfPerson(p.Id))).ToList()
        );
        return Results.Json<IReadOnlyList<PersonListItem>>(persons, UiJsonContext.Wire.IReadOnlyListPersonListItem);
    }

    public static async Task<IResult> PersonAsync(string person, GraphServices g)
    {
        var found = await g.Store.ReadAsync(s =>
            s.GetPerson(person) is { } p ? PersonItem(p, s.GetConversationsOfPerson(p.Id)) : null
        );
        return found is null
            ? WorldApi.Error(404, $"Unknown person {person}")
            : Results.Json(found, UiJsonContext.Wire.PersonListItem);
    }

    private static PersonListItem PersonItem(PersonRecord p, IReadOnlyList<Conversation> conversations) =>
        new(
            p.Id,
            p.Name,
            p.TimeZone,
            p.Locale,
            [.. conversations.Select(c => new PersonConversationDto(c.PageId, c.Psid, c.Blocked, c.LastInboundAt))]
        );

    public static async Task<IResult> PagePersonsAsync(string page, GraphServices g)
    {
        var found = await g.Store.ReadAsync(s =>
            s.GetPage(page) is null
                ? null
                : s.GetConversationsOfPage(page, MaxListed)
                    .Select(c => new PagePersonDto(
                        c.PersonId,
                        s.GetPerson(c.PersonId)?.Name ?? "",
                        c.Psid,
                        c.Blocked,
                        MessagingWindowRule.OpenUntil(c.LastInboundAt),
                        c.Created
                    ))
                    .ToList()
        );
        return found is null
            ? WorldApi.Error(404, $"Unknown page {page}")
            : Results.Json<IReadOnlyList<PagePersonDto>>(found, UiJsonContext.Wire.IReadOnlyListPagePersonDto);
    }

    // :: A person's thread with a Page

    /// <summary>GET /_pagebox/persons/{person}/threads/{page}: the conversation as the person sees it (empty before the
    /// first contact).</summary>
    public static async Task<IResult> ThreadAsync(string person, string page, GraphServices g)
    {
        if (await g.Directory.GetPageAsync(page) is not { } pageRecord)
            return WorldApi.Error(404, $"Unknown page {page}");
        var now = await g.PageNowAsync(pageRecord);
        var facts = await g.Store.ReadAsync(s =>
        {
            if (s.GetPerson(person) is not { } p)
                return default;
            var c = s.GetConversation(page, person);
            var messages = c is null ? [] : s.GetConversationMessages(page, c.Psid, 500);
            var personaOf = c is null ? new Dictionary<string, string>() : s.GetMessagePersonas(page, c.Psid);
            var personas = personaOf
                .Values.Distinct()
                .Select(s.GetPersona)
                .OfType<PersonaRecord>()
                .ToDictionary(x => x.Id, StringComparer.Ordinal);
            var tokens = c is null ? [] : s.GetTokensOf(page, c.Psid);
            var reactions = c is null ? new Dictionary<string, string>() : s.GetReactionsOfConversation(page, c.Psid);
            var paid = new Dictionary<string, PaidRefDto>(StringComparer.Ordinal);
            foreach (var m in messages)
            {
                if (m.Kind != MessageKind.PaidMarketing || s.GetPaidMessageByMid(m.Mid) is not { } sent)
                    continue;
                var campaign = s.GetMessageCampaign(sent.CampaignId);
                paid[m.Mid] = new PaidRefDto(
                    sent.CampaignId,
                    campaign?.Name ?? "",
                    Domain.Campaigns.AdAccountRecord.Prefix + sent.AdAccountId
                );
            }
            return (
                Person: p,
                Conversation: c,
                Messages: messages,
                PersonaOf: personaOf,
                Personas: personas,
                Tokens: tokens,
                Profile: s.GetMessengerProfile(page),
                Reactions: reactions,
                Paid: paid
            );
        });
        if (facts.Person is null)
            return WorldApi.Error(404, $"Unknown person {person}");

        // Sender actions are not messages: they set the typing indicator, the Page's read mark and the Page's
        // reactions.
        var shown = new List<ThreadMessageDto>();
        DateTimeOffset? typingSince = null,
            seenAt = null;
        var pageReactions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in facts.Messages)
        {
            if (m.Kind == MessageKind.SenderAction)
            {
                var (action, reactedMid, emoji) = SenderActionOf(m.MessageJson);
                switch (action)
                {
                    case "typing_on":
                        typingSince = m.Time;
                        break;
                    case "typing_off":
                        typingSince = null;
                        break;
                    case "mark_seen":
                        seenAt = m.Time;
                        break;
                    case "react" when reactedMid is not null && emoji is not null:
                        pageReactions[reactedMid] = emoji;
                        break;
                    case "unreact" when reactedMid is not null:
                        pageReactions.Remove(reactedMid);
                        break;
                }
                continue;
            }
            if (m.Direction == MessageDirection.FromPage)
                typingSince = null;
            using var doc = JsonDocument.Parse(m.MessageJson);
            shown.Add(
                new ThreadMessageDto(
                    m.Mid,
                    m.Direction == MessageDirection.FromPage ? "page" : "person",
                    m.Time,
                    WorldApi.KindWire(m.Kind),
                    doc.RootElement.Clone()
                )
                {
                    Persona =
                        facts.PersonaOf.TryGetValue(m.Mid, out var pid)
                        && facts.Personas.TryGetValue(pid, out var persona)
                            ? new PersonaRefDto(persona.Id, persona.Name, persona.PictureUrl)
                            : null,
                    Paid = facts.Paid.GetValueOrDefault(m.Mid),
                }
            );
        }
        // Reactions drawn on the message they name (a message unsent since has none to show).
        for (var i = 0; i < shown.Count; i++)
        {
            var mid = shown[i].Mid;
            var list = new List<ReactionDto>(2);
            if (facts.Reactions.TryGetValue(mid, out var mine))
                list.Add(new ReactionDto("person", mine, ReactionCategory.Of(mine)));
            if (pageReactions.TryGetValue(mid, out var theirs))
                list.Add(new ReactionDto("page", theirs, null));
            if (list.Count > 0)
                shown[i] = shown[i] with { Reactions = list };
        }
        var typingUntil = typingSince + TypingLasts;
        var c = facts.Conversation;
        var p = facts.Person;
        return Results.Json(
            new ThreadDto(
                new PersonDto(p.Id, p.Name, p.TimeZone, p.Locale),
                Summary(pageRecord),
                c?.Psid,
                c?.Blocked ?? false,
                now,
                MessagingWindowRule.OpenUntil(c?.LastInboundAt),
                shown
            )
            {
                Typing = typingUntil > now,
                TypingUntil = typingUntil > now ? typingUntil : null,
                SeenAt = seenAt,
                Topics =
                [
                    .. facts
                        .Tokens.Where(t => !TokenLifetime.IsExpired(t, g.Marketing.Profile, now))
                        .Select(t => new TopicDto(
                            t.Token,
                            t.Title,
                            t.Status == TokenStatus.Active ? "active" : "stopped"
                        )),
                ],
                Profile = ProfileJson(facts.Profile),
            },
            UiJsonContext.Wire.ThreadDto
        );
    }

    /// <summary>The action of a stored sender action, and for react / unreact the message and emoji of its
    /// payload.</summary>
    private static (string? Action, string? Mid, string? Emoji) SenderActionOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("sender_action", out var a)
            || a.ValueKind != JsonValueKind.String
        )
            return (null, null, null);
        string? mid = null,
            emoji = null;
        if (root.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
        {
            mid =
                payload.TryGetProperty("message_id", out var m) && m.ValueKind == JsonValueKind.String
                    ? m.GetString()
                    : null;
            emoji =
                payload.TryGetProperty("reaction", out var r) && r.ValueKind == JsonValueKind.String
                    ? r.GetString()
                    : null;
        }
        return (a.GetString(), mid, emoji);
    }

    private static JsonElement ProfileJson(IReadOnlyDictionary<string, string> fields)
    {
        var buffer = new StringBuilder("{");
        foreach (var (field, value) in fields)
        {
            if (buffer.Length > 1)
                buffer.Append(',');
            buffer.Append(JsonSerializer.Serialize(field, UiJsonContext.Wire.String)).Append(':').Append(value);
        }
        using var doc = JsonDocument.Parse(buffer.Append('}').ToString());
        return doc.RootElement.Clone();
    }

    // :: The developer's view

    /// <summary>GET /_pagebox/apps/{app}/tokens: every token of the app's Pages, whatever its status, with when it may
    /// next carry a marketing message.</summary>
    public static async Task<IResult> TokensAsync(string app, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is not { } appRecord)
            return WorldApi.Error(404, $"Unknown app {app}");
        var now = g.Directory.Clock(appRecord).GetUtcNow();
        var profile = g.Marketing.Profile;
        var rows = await g.Store.ReadAsync(s =>
        {
            var list = new List<TokenRowDto>();
            foreach (var page in s.GetPagesOfApp(app))
            {
                var zone = MarketingCommands.PageZone(page);
                foreach (var t in s.GetTokensOfPage(page.Id, MaxListed))
                {
                    var blocked = s.GetConversationByPsid(t.Psid)?.Blocked ?? false;
                    var next = FrequencyRule.NextEligibleTime(t, profile, zone);
                    var expired = TokenLifetime.IsExpired(t, profile, now);
                    list.Add(
                        new TokenRowDto(
                            t.Token,
                            t.PageId,
                            t.Psid,
                            t.PersonId,
                            t.Title,
                            expired ? "expired"
                                : t.Status == TokenStatus.Active ? "active"
                                : "stopped",
                            t.Created,
                            t.Updated,
                            t.FollowUpsSent,
                            t.FollowUpOpen
                        )
                        {
                            PersonName = s.GetPerson(t.PersonId)?.Name,
                            LastMarketingSend = t.LastMarketingSendAt,
                            NextEligible = next,
                            EligibleNow =
                                profile != PolicyProfile.Retired
                                && t.Status == TokenStatus.Active
                                && !blocked
                                && !expired
                                && (next is null || now >= next),
                            NextEligibleByRuleSet = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal)
                            {
                                ["2023"] = FrequencyRule.NextEligibleTime(t, PolicyProfile.P2023, zone),
                                ["2024"] = FrequencyRule.NextEligibleTime(t, PolicyProfile.P2024, zone),
                                ["2025-09"] = FrequencyRule.NextEligibleTime(t, PolicyProfile.P2025_09, zone),
                            },
                            ExpiresAt = t.ExpiresAt,
                            Frequency = t.Frequency is { } f ? MarketingWire.ToWire(f) : null,
                            Blocked = blocked,
                        }
                    );
                }
            }
            return list;
        });
        return Results.Json<IReadOnlyList<TokenRowDto>>(rows, UiJsonContext.Wire.IReadOnlyListTokenRowDto);
    }

    /// <summary>GET /_pagebox/apps/{app}/webhook-deliveries/{id}: the delivery, the headers it is sent with (both
    /// signatures) and every attempt with the bot's answer.</summary>
    public static async Task<IResult> DeliveryAsync(string app, long id, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is not { } appRecord)
            return WorldApi.Error(404, $"Unknown app {app}");
        if (await g.Store.Outbox.GetAsync(app, id) is not { } d)
            return WorldApi.Error(404, $"App {app} has no delivery {id}");
        var attempts = await g.Store.Outbox.ListAttemptsAsync(app, [id]);
        var page = await g.Directory.GetPageAsync(d.PageId);
        var obj = page?.Platform == Platform.Instagram ? "instagram" : "page";
        var callback = await g.Store.ReadAsync(s => s.GetAppSubscription(app, obj)?.CallbackUrl);
        using var doc = JsonDocument.Parse(d.Body);
        return Results.Json(
            new DeliveryDetailDto(
                d.Id,
                d.PageId,
                d.Fields,
                d.Status.ToString().ToLowerInvariant(),
                d.Attempts,
                d.Created,
                doc.RootElement.Clone(),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["Content-Type"] = "application/json",
                    ["User-Agent"] = "facebookexternalua",
                    ["X-Hub-Signature-256"] = WebhookSigner.Sha256(d.Body, appRecord.Secret),
                    ["X-Hub-Signature"] = WebhookSigner.Sha1(d.Body, appRecord.Secret),
                },
                [
                    .. attempts.Select(a => new DeliveryAttemptDto(a.Attempt, a.Time)
                    {
                        Status = a.Status,
                        Error = a.Error,
                        Answer = a.Answer,
                        DurationMs = a.DurationMs,
                    }),
                ]
            )
            {
                LastStatus = d.LastStatus,
                LastError = d.LastError,
                NextAttempt = d.NextAttempt,
                CallbackUrl = callback,
            },
            UiJsonContext.Wire.DeliveryDetailDto
        );
    }

    /// <summary>GET /_pagebox/apps/{app}/journal?q=&amp;refused=true&amp;limit=N: the app's Graph calls, newest first;
    /// <c>q</c> searches method, path, parameters, status and answer.</summary>
    public static async Task<IResult> JournalAsync(string app, HttpContext http, GraphServices g, GraphJournal journal)
    {
        if (await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        return JournalOf(app, http, journal);
    }

    /// <summary>GET /_pagebox/journal: the Graph calls whose token, path and ids name no app Pagebox knows.</summary>
    public static IResult UnattributedJournal(HttpContext http, GraphJournal journal) =>
        JournalOf(GraphJournal.Unattributed, http, journal);

    /// <summary>
    /// The filters, all optional and combined: <c>q</c> (text anywhere), <c>path</c> (the path contains it),
    /// <c>method</c>, <c>status</c> (<c>400</c>, or a class: <c>4xx</c>), <c>outcome</c> (<c>accepted</c> or
    /// <c>refused</c>; <c>refused=true</c> is the older spelling), <c>code</c> (the Graph error code), <c>since</c>
    /// (ISO time on the app's clock, inclusive), <c>limit</c> (1–1000, default 200).
    /// </summary>
    private static IResult JournalOf(string key, HttpContext http, GraphJournal journal)
    {
        var query = http.Request.Query;
        var q = query["q"].ToString();
        var path = query["path"].ToString();
        var method = query["method"].ToString();
        var outcome = query["outcome"].ToString().ToLowerInvariant();
        if (query["refused"].ToString() is "true" or "1")
            outcome = "refused";
        if (outcome is not ("" or "accepted" or "refused"))
            return WorldApi.Error(400, "outcome must be accepted or refused");
        var status = query["status"].ToString().ToLowerInvariant();
        int? exact = null,
            statusClass = null;
        if (status.Length > 0)
        {
            if (status.Length == 3 && status.EndsWith("xx", StringComparison.Ordinal) && char.IsAsciiDigit(status[0]))
                statusClass = status[0] - '0';
            else if (
                int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var st)
                && st is >= 100 and <= 599
            )
                exact = st;
            else
                return WorldApi.Error(400, "status must be an HTTP status (400) or a class (4xx)");
        }
        int? code = null;
        if (query["code"].ToString() is { Length: > 0 } c)
        {
            if (!int.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var ci))
                return WorldApi.Error(400, "code must be a Graph error code");
            code = ci;
        }
        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } si)
        {
            if (
                !DateTimeOffset.TryParse(
                    si,
                    System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal,
                    out var t
                )
            )
                return WorldApi.Error(400, "since must be an ISO 8601 time");
            since = t;
        }
        if (WorldLimit.Read(http, 200, 1000, out var limit) is { } limitError)
            return limitError;
        var list = new List<JournalEntryDto>();
        foreach (var e in journal.List(key))
        {
            // Newest first: once older than since, so is everything after.
            if (since is { } from && e.Time < from)
                break;
            if (outcome == "refused" && e.Status < 400 && !IsErrorBody(e))
                continue;
            if (outcome == "accepted" && (e.Status >= 400 || IsErrorBody(e)))
                continue;
            if (exact is { } x && e.Status != x)
                continue;
            if (statusClass is { } sc && e.Status / 100 != sc)
                continue;
            if (path.Length > 0 && !e.Path.Contains(path, StringComparison.OrdinalIgnoreCase))
                continue;
            if (method.Length > 0 && !e.Method.Equals(method, StringComparison.OrdinalIgnoreCase))
                continue;
            var dto = Render(e);
            if (code is { } wanted && dto.ErrorCode != wanted)
                continue;
            if (q.Length > 0 && !Matches(dto, q))
                continue;
            list.Add(dto);
            if (list.Count >= limit)
                break;
        }
        return Results.Json<IReadOnlyList<JournalEntryDto>>(list, UiJsonContext.Wire.IReadOnlyListJournalEntryDto);
    }

    /// <summary>suppress_response_codes=true answers an error with 200: the body still says it was refused.</summary>
    private static bool IsErrorBody(JournalEntry e) =>
        e.Status == 200 && e.Response is { } r && r.StartsWith("{\"error\":", StringComparison.Ordinal);

    private static bool Matches(JournalEntryDto e, string q) =>
        (
            $"{e.Method} {e.Path} {e.Status} {e.Parameters.GetRawText()} "
            + $"{e.Response} {e.ErrorCode} {e.ErrorSubcode}"
        ).Contains(q, StringComparison.OrdinalIgnoreCase);

    private static JournalEntryDto Render(JournalEntry e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, Graph.Binding.RelaxedJson.WriterOptions))
        {
            w.WriteStartObject();
            if (e.Parameters is { } p)
            {
                foreach (var name in p.Names.Order(StringComparer.Ordinal))
                {
                    if (Secrets.Contains(name))
                    {
                        w.WriteString(name, Redact(p.TryGetString(name, out var secret, out _) ? secret : ""));
                        continue;
                    }
                    w.WritePropertyName(name);
                    w.WriteRawValue(p.GetRawJson(name) ?? "null");
                }
            }
            else if (e.QueryWhenUnbound is { } query)
            {
                foreach (
                    var (name, values) in Microsoft
                        .AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)
                        .OrderBy(x => x.Key, StringComparer.Ordinal)
                )
                    w.WriteString(name, Secrets.Contains(name) ? Redact(values.ToString()) : values.ToString());
            }
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        int? code = null,
            subcode = null;
        string? message = null;
        if ((e.Status >= 400 || IsErrorBody(e)) && e.Response is { } body)
        {
            try
            {
                using var answer = JsonDocument.Parse(body);
                if (
                    answer.RootElement.ValueKind == JsonValueKind.Object
                    && answer.RootElement.TryGetProperty("error", out var error)
                    && error.ValueKind == JsonValueKind.Object
                )
                {
                    code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : null;
                    subcode =
                        error.TryGetProperty("error_subcode", out var sc) && sc.TryGetInt32(out var sci) ? sci : null;
                    message =
                        error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
                            ? m.GetString()
                            : null;
                }
            }
            catch (JsonException)
            {
                // Not an envelope (a cut answer): shown as it is.
            }
        }
        return new JournalEntryDto(
            e.Id,
            e.Time,
            e.Method,
            e.Path,
            e.Status,
            e.Status >= 400 || IsErrorBody(e),
            e.DurationMs,
            doc.RootElement.Clone()
        )
        {
            Response = e.Response,
            ErrorCode = code,
            ErrorSubcode = subcode,
            ErrorMessage = message,
        };
    }

    /// <summary>Enough to tell two tokens apart, too little to use one.</summary>
    public static string Redact(string secret) => secret.Length <= 8 ? "(redacted)" : $"…{secret[^4..]} (redacted)";

    // :: Live updates

    /// <summary>
    /// GET /_pagebox/events[?app=APP]: server-sent events, one <c>change</c> per burst of writes (coalesced over 50
    /// ms), and a comment every 15 s so proxies keep the stream open. The page reads again what it shows on each
    /// change.
    /// </summary>
    public static async Task<IResult> EventsAsync(
        HttpContext http,
        ChangeFeed changes,
        IHostApplicationLifetime lifetime
    )
    {
        var only = http.Request.Query["app"].ToString();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(
            http.RequestAborted,
            lifetime.ApplicationStopping
        );
        var reader = changes.Listen(stop.Token);
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            await response.WriteAsync($"retry: 2000\nevent: hello\ndata: {changes.Seq}\n\n", stop.Token);
            await response.Body.FlushAsync(stop.Token);
            while (!stop.IsCancellationRequested)
            {
                using var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                heartbeat.CancelAfter(TimeSpan.FromSeconds(15));
                bool ready;
                try
                {
                    ready = await reader.WaitToReadAsync(heartbeat.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", stop.Token);
                    await response.Body.FlushAsync(stop.Token);
                    continue;
                }
                if (!ready)
                    break;
                await Task.Delay(50, stop.Token);
                long seq = 0;
                var apps = new HashSet<string?>();
                while (reader.TryRead(out var change))
                {
                    if (only.Length > 0 && change.AppId is not null && change.AppId != only)
                        continue;
                    seq = change.Seq;
                    apps.Add(change.AppId);
                }
                if (seq == 0)
                    continue;
                foreach (var appId in apps)
                {
                    var data = JsonSerializer.Serialize(new ChangeDto(seq, appId), UiJsonContext.Wire.ChangeDto);
                    await response.WriteAsync($"event: change\ndata: {data}\n\n", stop.Token);
                }
                await response.Body.FlushAsync(stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away, or the server is stopping.
        }
        catch (IOException)
        {
            // The connection broke.
        }
        return Results.Empty;
    }
}
