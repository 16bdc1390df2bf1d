using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pagebox.Client;

/// <summary>
/// Typed client for the world face, <c>/_pagebox/</c> (README, "The world face"): apps, Pages, persons and what they
/// do, Page switches, faults, clocks and webhook deliveries. Every call sends <c>Authorization: Bearer ADMIN-KEY</c>;
/// non-2xx answers throw <see cref="PageboxApiException"/> (use <see cref="SendAsync"/> to look at errors instead).
/// </summary>
public sealed class WorldClient
{
    private const string Root = "_pagebox/";

    /// <summary>A client over <paramref name="http"/> that authenticates with <paramref name="adminKey"/>.</summary>
    /// <param name="http">Its <see cref="HttpClient.BaseAddress"/> is the server root (e.g. a WebApplicationFactory
    /// client, or <c>new HttpClient { BaseAddress = process.BaseUrl }</c>). Not disposed by this client; its default
    /// headers are left alone, so it may be shared with a <see cref="GraphClient"/>.</param>
    /// <param name="adminKey">The world face's bearer key (printed at start, or <c>--admin-key</c>).</param>
    public WorldClient(HttpClient http, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(adminKey);
        Http = http;
        AdminKey = adminKey;
    }

    /// <summary>The transport; its base address is the server root.</summary>
    public HttpClient Http { get; }

    /// <summary>The world face's bearer key.</summary>
    public string AdminKey { get; }

    // :: Raw

    /// <summary>
    /// Any world-face call, returning the status and body whatever they are. <paramref name="path"/> is relative to
    /// the server root (<c>_pagebox/apps</c> or <c>/_pagebox/apps</c>); <paramref name="body"/> is serialized as JSON
    /// (a string is sent as ready JSON text). <paramref name="authenticate"/>: false sends no Authorization header.
    /// </summary>
    public async Task<ApiResponse> SendAsync(
        HttpMethod method,
        string path,
        object? body = null,
        bool authenticate = true,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        }

        if (body is not null)
        {
            request.Content = JsonBodies.Content(body);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new ApiResponse(response.StatusCode, JsonBodies.Parse(text))
        {
            RawBody = text,
            Headers = JsonBodies.Headers(response),
        };
    }

    /// <summary><c>GET /_pagebox/health</c> (no key): true on <c>200</c>.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(
            HttpMethod.Get,
            Root + "health",
            authenticate: false,
            cancellationToken: cancellationToken
        );
        return response.Status == HttpStatusCode.OK;
    }

    // :: Apps and Pages

    /// <summary>Creates an app (its id and secret are generated).</summary>
    /// <exception cref="PageboxApiException">The world face refused the call.</exception>
    public async Task<AppInfo> CreateAppAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        var app = await CallAsync(HttpMethod.Post, Root + "apps", JsonBodies.Object(("name", name)), cancellationToken);
        return new AppInfo(Required(app, "id"), app.String("name") ?? "", Required(app, "secret"));
    }

    /// <summary>The app with its subscription.</summary>
    public Task<JsonElement> GetAppAsync(string appId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Get, $"{Root}apps/{Seg(appId)}", null, cancellationToken);

    /// <summary>Deletes an app with its Pages, tokens and deliveries.</summary>
    public Task DeleteAppAsync(string appId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, $"{Root}apps/{Seg(appId)}", null, cancellationToken);

    /// <summary>Creates a Page of the app; the answer carries its Page access token.</summary>
    /// <param name="appId">The app.</param>
    /// <param name="name">The Page's name (generated when null).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="platform"><c>messenger</c> or <c>instagram</c>.</param>
    /// <param name="timezone">IANA id.</param>
    public async Task<PageInfo> CreatePageAsync(
        string appId,
        string? name = null,
        string? platform = null,
        string? timezone = null,
        CancellationToken cancellationToken = default
    )
    {
        var page = await CallAsync(
            HttpMethod.Post,
            $"{Root}apps/{Seg(appId)}/pages",
            JsonBodies.Object(("name", name), ("platform", platform), ("timezone", timezone)),
            cancellationToken
        );
        return new PageInfo(
            Required(page, "id"),
            page.String("name") ?? "",
            page.String("platform") ?? "",
            page.String("timezone") ?? "",
            Required(page, "access_token")
        );
    }

    /// <summary>
    /// <c>PATCH /_pagebox/pages/{page}</c> with any of <c>messaging_enabled</c>, <c>commerce_enabled</c>,
    /// <c>restricted</c>, <c>pages_messaging_permission</c>, <c>optin_requests_allowed</c>,
    /// <c>send_rate_per_second</c>, <c>timezone</c> (member names are turned into snake_case; nulls are left out).
    /// </summary>
    public Task<JsonElement> PatchPageAsync(
        string pageId,
        object settings,
        CancellationToken cancellationToken = default
    ) => CallAsync(HttpMethod.Patch, $"{Root}pages/{Seg(pageId)}", settings, cancellationToken);

    /// <summary>
    /// An app, a Messenger Page of it and a person in one call: what most tests start from. The person has not
    /// written yet (no PSID): call <see cref="WriteAsync"/> to open the 24-hour window.
    /// </summary>
    /// <exception cref="PageboxApiException">The world face refused a call.</exception>
    public async Task<AppSetup> CreateAppSetupAsync(
        string? appName = null,
        string? pageName = null,
        string? personName = null,
        string? timezone = null,
        CancellationToken cancellationToken = default
    )
    {
        var app = await CreateAppAsync(appName, cancellationToken);
        var page = await CreatePageAsync(app.Id, pageName, timezone: timezone, cancellationToken: cancellationToken);
        var person = await CreatePersonAsync(personName, timezone, cancellationToken: cancellationToken);
        return new AppSetup(app, page, person);
    }

    // :: Persons

    /// <summary>Creates a person; returns their id.</summary>
    public async Task<string> CreatePersonAsync(
        string? name = null,
        string? timezone = null,
        string? locale = null,
        CancellationToken cancellationToken = default
    )
    {
        var person = await CallAsync(
            HttpMethod.Post,
            Root + "persons",
            JsonBodies.Object(("name", name), ("timezone", timezone), ("locale", locale)),
            cancellationToken
        );
        return Required(person, "id");
    }

    /// <summary>The person writes to the Page (opens or renews the window, emits <c>messages</c>).</summary>
    public Task<WriteResult> WriteAsync(
        string personId,
        string pageId,
        string text,
        string? quickReplyPayload = null,
        CancellationToken cancellationToken = default
    ) =>
        WriteMessageAsync(
            personId,
            JsonBodies.Object(("page_id", pageId), ("text", text), ("quick_reply_payload", quickReplyPayload)),
            cancellationToken
        );

    /// <summary>The person writes with a body of their own: <c>{"page_id", "text"?, "attachments"?,
    /// "quick_reply_payload"?, "reply_to"?}</c>.</summary>
    public async Task<WriteResult> WriteMessageAsync(
        string personId,
        object body,
        CancellationToken cancellationToken = default
    )
    {
        var answer = await CallAsync(
            HttpMethod.Post,
            $"{Root}persons/{Seg(personId)}/messages",
            body,
            cancellationToken
        );
        return new WriteResult(Required(answer, "psid"), Required(answer, "mid"));
    }

    /// <summary>The person reads the conversation (emits <c>message_reads</c>).</summary>
    public Task<JsonElement> ReadAsync(string personId, string pageId, CancellationToken cancellationToken = default) =>
        PersonActionAsync(personId, "reads", JsonBodies.Object(("page_id", pageId)), cancellationToken);

    /// <summary>The person taps a postback button of message <paramref name="mid"/>.</summary>
    public Task<JsonElement> PostbackAsync(
        string personId,
        string pageId,
        string mid,
        int? button = null,
        int? element = null,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "postbacks",
            JsonBodies.Object(("page_id", pageId), ("mid", mid), ("button", button), ("element", element)),
            cancellationToken
        );

    /// <summary>The person taps Get Started, a persistent-menu item or an ice breaker.</summary>
    public Task<JsonElement> PostbackPayloadAsync(
        string personId,
        string pageId,
        string payload,
        string title,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "postbacks",
            JsonBodies.Object(("page_id", pageId), ("payload", payload), ("title", title)),
            cancellationToken
        );

    /// <summary>The person taps the call to action of opt-in request <paramref name="mid"/>; the answer carries
    /// <c>notification_messages_token</c>.</summary>
    public Task<JsonElement> OptInAsync(
        string personId,
        string pageId,
        string mid,
        int? element = null,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "optins",
            JsonBodies.Object(("page_id", pageId), ("mid", mid), ("element", element)),
            cancellationToken
        );

    /// <summary>Stops marketing messages from the Page (all its tokens, or <paramref name="token"/>).</summary>
    public Task<JsonElement> StopMarketingAsync(
        string personId,
        string pageId,
        string? token = null,
        CancellationToken cancellationToken = default
    ) => MarketingAsync(personId, "stop", pageId, token, cancellationToken);

    /// <summary>Resumes marketing messages from the Page (all its tokens, or <paramref name="token"/>).</summary>
    public Task<JsonElement> ResumeMarketingAsync(
        string personId,
        string pageId,
        string? token = null,
        CancellationToken cancellationToken = default
    ) => MarketingAsync(personId, "resume", pageId, token, cancellationToken);

    /// <summary>The person blocks the Page.</summary>
    public Task<JsonElement> BlockAsync(
        string personId,
        string pageId,
        CancellationToken cancellationToken = default
    ) => PersonActionAsync(personId, "blocks", JsonBodies.Object(("page_id", pageId)), cancellationToken);

    /// <summary>The person unblocks the Page.</summary>
    public Task<JsonElement> UnblockAsync(
        string personId,
        string pageId,
        CancellationToken cancellationToken = default
    ) => CallAsync(HttpMethod.Delete, $"{Root}persons/{Seg(personId)}/blocks/{Seg(pageId)}", null, cancellationToken);

    /// <summary>The person follows an m.me link with <paramref name="reference"/> (emits
    /// <c>messaging_referrals</c>).</summary>
    public Task<JsonElement> ReferralAsync(
        string personId,
        string pageId,
        string reference,
        string? source = null,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "referrals",
            JsonBodies.Object(("page_id", pageId), ("ref", reference), ("source", source)),
            cancellationToken
        );

    /// <summary>The person comments on a post of the Page; the answer has <c>post_id</c> and
    /// <c>comment_id</c>.</summary>
    public Task<JsonElement> CommentAsync(
        string personId,
        string pageId,
        string text,
        string? postId = null,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "comments",
            JsonBodies.Object(("page_id", pageId), ("post_id", postId), ("text", text)),
            cancellationToken
        );

    /// <summary>The person ticks the Checkbox plugin with <paramref name="userRef"/>.</summary>
    public Task<JsonElement> CheckboxAsync(
        string personId,
        string pageId,
        string userRef,
        CancellationToken cancellationToken = default
    ) =>
        PersonActionAsync(
            personId,
            "checkbox",
            JsonBodies.Object(("page_id", pageId), ("user_ref", userRef)),
            cancellationToken
        );

    /// <summary>Who a PSID is.</summary>
    public async Task<PsidOwner> GetPsidAsync(string pageId, string psid, CancellationToken cancellationToken = default)
    {
        var owner = await CallAsync(
            HttpMethod.Get,
            $"{Root}pages/{Seg(pageId)}/psids/{Seg(psid)}",
            null,
            cancellationToken
        );
        return new PsidOwner(Required(owner, "person_id"), Required(owner, "psid"), Required(owner, "page_id"));
    }

    /// <summary><c>{"psid","window_open_until","messages":[{"mid","from","time","kind","message"}]}</c>.</summary>
    public Task<JsonElement> GetConversationAsync(
        string personId,
        string pageId,
        CancellationToken cancellationToken = default
    ) =>
        CallAsync(
            HttpMethod.Get,
            $"{Root}persons/{Seg(personId)}/conversations/{Seg(pageId)}",
            null,
            cancellationToken
        );

    // :: Faults

    /// <summary><c>POST /_pagebox/apps/{app}/faults</c> with <c>{"match", "times"?, "probability"?, "latency_ms"?,
    /// "error"?, "target"?}</c>.</summary>
    public Task<JsonElement> AddFaultAsync(string appId, object fault, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, $"{Root}apps/{Seg(appId)}/faults", fault, cancellationToken);

    /// <summary>Removes every fault of the app.</summary>
    public Task ClearFaultsAsync(string appId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, $"{Root}apps/{Seg(appId)}/faults", null, cancellationToken);

    // :: Clock

    /// <summary>The app's clock.</summary>
    public async Task<DateTimeOffset> GetClockAsync(string appId, CancellationToken cancellationToken = default) =>
        Now(await CallAsync(HttpMethod.Get, $"{Root}apps/{Seg(appId)}/clock", null, cancellationToken));

    /// <summary>Moves the app's clock forward; returns the new time. Whole seconds are sent as an integer.</summary>
    public async Task<DateTimeOffset> AdvanceClockAsync(
        string appId,
        TimeSpan by,
        CancellationToken cancellationToken = default
    )
    {
        JsonNode seconds =
            by.Ticks % TimeSpan.TicksPerSecond == 0
                ? JsonValue.Create(by.Ticks / TimeSpan.TicksPerSecond)
                : JsonValue.Create(by.TotalSeconds);
        return await MoveClockAsync(appId, JsonBodies.Object(("advance_seconds", seconds)), cancellationToken);
    }

    /// <summary>Sets the app's clock (409 if it would go back); returns the new time.</summary>
    public async Task<DateTimeOffset> SetClockAsync(
        string appId,
        DateTimeOffset to,
        CancellationToken cancellationToken = default
    )
    {
        var iso = to.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        return await MoveClockAsync(appId, JsonBodies.Object(("set", iso)), cancellationToken);
    }

    // :: Webhook deliveries

    /// <summary>Newest first: <c>[{"id","fields","status","attempts","last_status","created","body"}]</c>.</summary>
    public Task<JsonElement> GetDeliveriesAsync(
        string appId,
        int limit = 50,
        CancellationToken cancellationToken = default
    ) =>
        CallAsync(
            HttpMethod.Get,
            $"{Root}apps/{Seg(appId)}/webhook-deliveries?limit={limit.ToString(CultureInfo.InvariantCulture)}",
            null,
            cancellationToken
        );

    // :: Plumbing

    private Task<JsonElement> PersonActionAsync(
        string personId,
        string action,
        JsonObject body,
        CancellationToken cancellationToken
    ) => CallAsync(HttpMethod.Post, $"{Root}persons/{Seg(personId)}/{action}", body, cancellationToken);

    private Task<JsonElement> MarketingAsync(
        string personId,
        string verb,
        string pageId,
        string? token,
        CancellationToken cancellationToken
    ) =>
        PersonActionAsync(
            personId,
            "marketing/" + verb,
            JsonBodies.Object(("page_id", pageId), ("token", token)),
            cancellationToken
        );

    private async Task<DateTimeOffset> MoveClockAsync(
        string appId,
        JsonObject body,
        CancellationToken cancellationToken
    ) => Now(await CallAsync(HttpMethod.Post, $"{Root}apps/{Seg(appId)}/clock", body, cancellationToken));

    private async Task<JsonElement> CallAsync(
        HttpMethod method,
        string path,
        object? body,
        CancellationToken cancellationToken
    )
    {
        var response = await SendAsync(method, path, body, authenticate: true, cancellationToken);
        if (!response.IsSuccess)
        {
            throw new PageboxApiException(method.Method, "/" + path, response.Status, response.RawBody);
        }

        return response.Body;
    }

    private static string Seg(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    private static string Required(JsonElement element, string name) =>
        element.String(name)
        ?? throw new InvalidOperationException(
            $"The answer has no '{name}': "
                + $"{(element.ValueKind == JsonValueKind.Undefined ? "(empty)" : element.GetRawText())}"
        );

    private static DateTimeOffset Now(JsonElement clock) =>
        clock.ValueKind == JsonValueKind.Object && clock.TryGetProperty("now", out var now)
            ? now.GetDateTimeOffset()
            : throw new InvalidOperationException($"The clock answer has no 'now': {clock}");
}
