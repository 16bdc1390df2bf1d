using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>One message of the world face's conversation view.</summary>
internal sealed record ConversationMessage(
    string Mid,
    string From,
    DateTimeOffset Time,
    string Kind,
    JsonElement Message
);

/// <summary>
/// One test's world on a shared <see cref="MarketingHost"/>: its own app (and so its own clock), a Page, a webhook
/// receiver subscribed the way a bot subscribes (app subscription with the handshake, then the Page's subscribed_apps),
/// and a person who has written to the Page once, so the standard messaging window is open.
/// </summary>
internal sealed class MarketingScenario : IAsyncDisposable
{
    public const string VerifyToken = "verify-me";

    /// <summary>What the bot subscribes to.</summary>
    public static readonly string[] Fields = ["messages", "messaging_optins"];

    private MarketingScenario(
        MarketingHost host,
        AppInfo app,
        PageInfo page,
        WebhookReceiver receiver,
        string personId,
        WriteResult first
    )
    {
        Host = host;
        App = app;
        Page = page;
        Receiver = receiver;
        PersonId = personId;
        Psid = first.Psid;
        FirstMid = first.Mid;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public MarketingHost Host { get; }

    public WorldClient World => Host.World;

    public GraphClient Graph => Host.Graph;

    public AppInfo App { get; }

    public PageInfo Page { get; }

    public WebhookReceiver Receiver { get; }

    public string PersonId { get; }

    /// <summary>The person's PSID (IGSID on an Instagram Page).</summary>
    public string Psid { get; }

    /// <summary>The person's first message, which opened the window.</summary>
    public string FirstMid { get; }

    /// <param name="platform"><c>messenger</c> or <c>instagram</c>; an Instagram app subscribes with
    /// object=instagram.</param>
    /// <param name="timezone">The Page's time zone (IANA id), UTC when null.</param>
    /// <param name="host">The running Pagebox the scenario sets up in.</param>
    public static async Task<MarketingScenario> StartAsync(
        MarketingHost host,
        string platform = "messenger",
        string? timezone = null
    )
    {
        var app = await host.World.CreateAppAsync("marketing-tests", Ct);
        var page = await host.World.CreatePageAsync(app.Id, "Coast Clothing", platform, timezone, Ct);
        var receiver = await WebhookReceiver.StartAsync(app.Secret, VerifyToken, Ct);
        try
        {
            await SubscribeAsync(
                host,
                app,
                page.Id,
                page.AccessToken,
                receiver,
                platform == "instagram" ? "instagram" : "page"
            );
            var person = await host.World.CreatePersonAsync("Alex", cancellationToken: Ct);
            var first = await host.World.WriteAsync(person, page.Id, "Hello", cancellationToken: Ct);
            return new MarketingScenario(host, app, page, receiver, person, first);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>App subscription (with the hub.challenge handshake) and the Page's subscribed_apps, as a bot does
    /// it.</summary>
    public static async Task SubscribeAsync(
        MarketingHost host,
        AppInfo app,
        string pageId,
        string pageToken,
        WebhookReceiver receiver,
        string objectType
    )
    {
        var subscribed = await host.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            receiver.CallbackUrl,
            VerifyToken,
            Fields,
            objectType,
            Ct
        );
        Assert.True(subscribed.IsSuccess, $"POST /{app.Id}/subscriptions: {subscribed}");
        var installed = await host.Graph.SubscribePageAsync(pageId, pageToken, Fields, Ct);
        Assert.True(installed.IsSuccess, $"POST /{pageId}/subscribed_apps: {installed}");
    }

    public ValueTask DisposeAsync() => Receiver.DisposeAsync();

    // :: The person

    /// <summary>Another person who writes to the Page (window open); returns their id and PSID.</summary>
    public async Task<(string PersonId, string Psid)> AddPersonAsync(string name = "Sam")
    {
        var person = await World.CreatePersonAsync(name, cancellationToken: Ct);
        var first = await World.WriteAsync(person, Page.Id, "Hi there", cancellationToken: Ct);
        return (person, first.Psid);
    }

    /// <summary>The person writes again: opens or renews the standard messaging window.</summary>
    public Task<WriteResult> WriteAsync(string text = "Hi again", string? personId = null) =>
        World.WriteAsync(personId ?? PersonId, Page.Id, text, cancellationToken: Ct);

    /// <summary>The person taps the call to action of opt-in request <paramref name="mid"/>; the world face's
    /// answer.</summary>
    public Task<JsonElement> TapAsync(string mid, int? element = null, string? personId = null) =>
        World.OptInAsync(personId ?? PersonId, Page.Id, mid, element, Ct);

    public Task<JsonElement> ConversationAsync(string? personId = null) =>
        World.GetConversationAsync(personId ?? PersonId, Page.Id, Ct);

    public async Task<IReadOnlyList<ConversationMessage>> MessagesAsync(string? personId = null)
    {
        var conversation = await ConversationAsync(personId);
        return
        [
            .. conversation
                .GetProperty("messages")
                .EnumerateArray()
                .Select(m => new ConversationMessage(
                    m.GetProperty("mid").GetString()!,
                    m.GetProperty("from").GetString()!,
                    m.GetProperty("time").GetDateTimeOffset(),
                    m.GetProperty("kind").GetString()!,
                    m.GetProperty("message")
                )),
        ];
    }

    /// <summary>A message of the conversation by its id (the time it was stored on the app's clock, its
    /// kind).</summary>
    public async Task<ConversationMessage> MessageAsync(string mid, string? personId = null)
    {
        var messages = await MessagesAsync(personId);
        return messages.SingleOrDefault(m => m.Mid == mid)
            ?? throw new Xunit.Sdk.XunitException(
                $"Message {mid} is not in the conversation: {string.Join(", ", messages.Select(m => m.Mid))}"
            );
    }

    // :: The bot: opt-in requests

    /// <summary>A <c>notification_messages</c> template payload with the given fields (null values are left
    /// out).</summary>
    public static JsonObject Template(params (string Name, JsonNode? Value)[] fields)
    {
        var payload = new JsonObject { ["template_type"] = "notification_messages" };
        foreach (var (name, value) in fields)
        {
            if (value is not null)
                payload[name] = value;
        }

        return payload;
    }

    /// <summary>The usual single opt-in: title, payload, optional image and frequency.</summary>
    public static JsonObject SingleOptIn(
        string? title,
        string payload = "PROMO",
        string? imageUrl = null,
        string? frequency = null,
        string? timezone = "UTC"
    ) =>
        Template(
            ("title", title),
            ("payload", payload),
            ("image_url", imageUrl),
            ("notification_messages_frequency", frequency),
            ("notification_messages_timezone", timezone)
        );

    /// <summary>POST /{PAGE-ID}/messages with the template as <c>message.attachment.payload</c>.</summary>
    public Task<GraphResponse> RequestOptInAsync(JsonObject templatePayload, string? psid = null)
    {
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = psid ?? Psid },
            ["message"] = new JsonObject
            {
                ["attachment"] = new JsonObject { ["type"] = "template", ["payload"] = templatePayload },
            },
        };
        return Graph.PostAsync($"{Page.Id}/messages", body.ToJsonString(), Page.AccessToken, cancellationToken: Ct);
    }

    /// <summary>Sends an opt-in request that must be accepted; returns its message id.</summary>
    public async Task<string> RequestOptInOkAsync(JsonObject templatePayload, string? psid = null)
    {
        var response = await RequestOptInAsync(templatePayload, psid);
        return MarketingAssert.Sent(response, psid ?? Psid);
    }

    /// <inheritdoc cref="RequestOptInOkAsync(JsonObject, string?)"/>
    public Task<string> RequestOptInOkAsync(
        string? title,
        string payload = "PROMO",
        string? imageUrl = null,
        string? frequency = null,
        string? psid = null
    ) => RequestOptInOkAsync(SingleOptIn(title, payload, imageUrl, frequency), psid);

    /// <summary>Request and tap: the person opts in to <paramref name="title"/>; returns the token.</summary>
    public async Task<string> OptInAsync(
        string title,
        string payload = "PROMO",
        string? frequency = null,
        string? personId = null,
        string? psid = null
    )
    {
        var mid = await RequestOptInOkAsync(title, payload, frequency: frequency, psid: psid);
        var tapped = await TapAsync(mid, personId: personId);
        return tapped.GetProperty("notification_messages_token").GetString()!;
    }

    // :: The bot: sends on tokens

    /// <summary>POST /{PAGE-ID}/messages to <c>recipient.notification_messages_token</c> with a text message.</summary>
    public Task<GraphResponse> SendAsync(string token, string text = "50% off hats today")
    {
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["notification_messages_token"] = token },
            ["message"] = new JsonObject { ["text"] = text },
        };
        return Graph.PostAsync($"{Page.Id}/messages", body.ToJsonString(), Page.AccessToken, cancellationToken: Ct);
    }

    /// <summary>A send that must be accepted; returns the message as the conversation stores it (time, kind).</summary>
    public async Task<ConversationMessage> SendOkAsync(string token, string text = "50% off hats today")
    {
        var response = await SendAsync(token, text);
        var mid = MarketingAssert.Sent(response, Psid);
        return await MessageAsync(mid);
    }

    /// <summary>
    /// Sends the three opt-in follow-ups the token allows (short texts, each accepted as kind <c>followup</c>), so the
    /// next send is a regular marketing message.
    /// </summary>
    public async Task UseUpFollowUpsAsync(string token)
    {
        for (var i = 1; i <= 3; i++)
        {
            var followUp = await SendOkAsync(token, $"Thanks for subscribing ({i}/3)");
            Assert.Equal("followup", followUp.Kind);
        }
    }

    /// <summary>A standard RESPONSE text to the person's PSID.</summary>
    public Task<GraphResponse> SendStandardAsync(string text = "Thanks for writing") =>
        Graph.SendTextAsync(Page.Id, Page.AccessToken, Psid, text, cancellationToken: Ct);

    /// <summary>The token in the world face's view of the conversation (the developer's view: status, cooldown,
    /// follow-ups).</summary>
    public async Task<JsonElement> TokenViewAsync(string token, string? personId = null)
    {
        var conversation = await ConversationAsync(personId);
        return conversation
            .GetProperty("tokens")
            .EnumerateArray()
            .Single(t => t.String("notification_messages_token") == token);
    }

    public Task<GraphResponse> TokenNodeAsync(string token, string? pageToken = null) =>
        Graph.GetAsync($"notification_messages_{token}", pageToken ?? Page.AccessToken, cancellationToken: Ct);

    /// <summary>GET /{PAGE-ID}/notification_message_tokens[?query].</summary>
    public Task<GraphResponse> TokensAsync(string? query = null) =>
        Graph.GetAsync(
            $"{Page.Id}/notification_message_tokens{(query is null ? "" : "?" + query)}",
            Page.AccessToken,
            cancellationToken: Ct
        );

    /// <summary>The token list's <c>data[].notification_messages_token</c>, in order.</summary>
    public static IReadOnlyList<string> TokenIds(GraphResponse list)
    {
        Assert.True(list.IsSuccess, list.ToString());
        return
        [
            .. list
                .Body.GetProperty("data")
                .EnumerateArray()
                .Select(t => t.GetProperty("notification_messages_token").GetString()!),
        ];
    }

    /// <summary>POST /{PAGE-ID}/notification_messages_dev_support with a JSON body.</summary>
    public Task<GraphResponse> DevSupportAsync(string token, string action)
    {
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["notification_messages_token"] = token },
            ["developer_action"] = action,
        };
        return Graph.PostAsync(
            $"{Page.Id}/notification_messages_dev_support",
            body.ToJsonString(),
            Page.AccessToken,
            cancellationToken: Ct
        );
    }

    // :: The app's clock

    public Task<DateTimeOffset> NowAsync() => World.GetClockAsync(App.Id, Ct);

    /// <summary>
    /// Sets the app's clock to <paramref name="to"/>; from then on it reads at least that instant. The server may leave
    /// it up to 1 ms short (AppClock.OffsetFor truncates the offset to whole milliseconds; see <see
    /// cref="MarketingClockTests"/>), which would make boundary tests flaky, so a short clock is nudged 1 ms on.
    /// </summary>
    public async Task<DateTimeOffset> SetClockAsync(DateTimeOffset to)
    {
        var now = await World.SetClockAsync(App.Id, to, Ct);
        return now >= to ? now : await World.AdvanceClockAsync(App.Id, TimeSpan.FromMilliseconds(1), Ct);
    }

    public Task<DateTimeOffset> AdvanceAsync(TimeSpan by) => World.AdvanceClockAsync(App.Id, by, Ct);

    // :: Webhooks

    /// <summary>Waits for the <c>messaging_optins</c> event matching <paramref name="predicate"/> (on its <c>optin</c>
    /// object).</summary>
    public static async Task<MessagingEvent> WaitForOptInAsync(
        WebhookReceiver receiver,
        Func<JsonElement, bool> predicate,
        string because
    )
    {
        var events = await receiver.WaitForEventsAsync(
            e => e.Has("optin") && predicate(e["optin"]),
            because: because,
            cancellationToken: Ct
        );
        return events[^1];
    }

    public Task<MessagingEvent> WaitForOptInAsync(Func<JsonElement, bool> predicate, string because) =>
        WaitForOptInAsync(Receiver, predicate, because);

    /// <summary>The opt-in event that carried <paramref name="token"/> with the given status (null: the opt-in
    /// itself).</summary>
    public Task<MessagingEvent> WaitForTokenEventAsync(string token, string? status) =>
        WaitForOptInAsync(
            o => o.String("notification_messages_token") == token && o.String("notification_messages_status") == status,
            $"messaging_optins for token {token} with notification_messages_status {status ?? "(none)"}"
        );

    public static long UnixSeconds(DateTimeOffset t) => t.ToUnixTimeSeconds();

    public static string Text(int length, char c = 'a') => new(c, length);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"app {App.Id}, page {Page.Id}, person {PersonId} ({Psid})");
}

/// <summary>JSON helpers for <see cref="JsonElement"/> in the tests.</summary>
internal static class JsonElementExtensions
{
    public static string? String(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static long Long(this JsonElement element, string name) => element.GetProperty(name).GetInt64();

    public static bool HasProperty(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public static string[] Names(this JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
