using System.Text.Json;

namespace Pagebox.Server.Tests.Infrastructure;

/// <summary>
/// One test's world: an app with its own clock, a Page of that app, a person, and the bot's webhook receiver
/// (checking both signatures with the app secret), subscribed on both layers as a bot does it on the platform.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    /// <summary>The standard-messaging fields of this issue.</summary>
    public static readonly IReadOnlyList<string> StandardFields =
    [
        "messages",
        "message_echoes",
        "message_deliveries",
        "message_reads",
    ];

    private Scenario(PageboxServer server, AppInfo app, PageInfo page, string personId, WebhookReceiver receiver)
    {
        Server = server;
        App = app;
        Page = page;
        PersonId = personId;
        Receiver = receiver;
    }

    public PageboxServer Server { get; }

    public AppInfo App { get; }

    public PageInfo Page { get; }

    public string PersonId { get; }

    public WebhookReceiver Receiver { get; }

    public WorldClient World => Server.World;

    public GraphClient Graph => Server.Graph;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="subscribe">Subscribe the app (handshake) and install it on the Page with <paramref
    /// name="fields"/>.</param>
    /// <param name="server">The running Pagebox the scenario sets up in.</param>
    /// <param name="fields">The webhook fields the app subscribes the Page to.</param>
    public static async Task<Scenario> StartAsync(
        PageboxServer server,
        bool subscribe = true,
        IReadOnlyList<string>? fields = null
    )
    {
        var app = await server.World.CreateAppAsync("bot", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Shop", cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync("Ada", cancellationToken: Ct);
        var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-" + Guid.NewGuid().ToString("N"), Ct);

        // A careful bot: a POST whose sha256 or sha1 signature is wrong is answered 403 and never counts as delivered.
        receiver.RejectInvalidSignatures = true;
        var scenario = new Scenario(server, app, page, person, receiver);
        if (subscribe)
        {
            await scenario.SubscribeAsync(fields ?? StandardFields);
        }

        return scenario;
    }

    public async Task SubscribeAsync(IReadOnlyList<string> fields)
    {
        var subscribed = await Graph.SubscribeAppAsync(
            App.Id,
            App.Secret,
            Receiver.CallbackUrl,
            Receiver.VerifyToken,
            fields,
            cancellationToken: Ct
        );
        Assert.True(subscribed.IsSuccess, $"POST /{App.Id}/subscriptions: {subscribed}");
        var installed = await Graph.SubscribePageAsync(Page.Id, Page.AccessToken, fields, Ct);
        Assert.True(installed.IsSuccess, $"POST /{Page.Id}/subscribed_apps: {installed}");
    }

    /// <summary>The person writes to the Page through the world face.</summary>
    public Task<WriteResult> PersonWritesAsync(string text) =>
        World.WriteAsync(PersonId, Page.Id, text, cancellationToken: Ct);

    /// <summary>The bot answers with a text through the Send API (JSON body, token in the query).</summary>
    public Task<GraphResponse> SendTextAsync(string psid, string text, string messagingType = "RESPONSE") =>
        Graph.SendTextAsync(Page.Id, Page.AccessToken, psid, text, messagingType, Ct);

    /// <summary>A JSON send body of our own to <c>/{PAGE-ID}/messages</c>.</summary>
    public Task<GraphResponse> SendAsync(object body) =>
        Graph.PostAsync($"{Page.Id}/messages", body, Page.AccessToken, cancellationToken: Ct);

    public Task<JsonElement> ConversationAsync() => World.GetConversationAsync(PersonId, Page.Id, Ct);

    public Task<DateTimeOffset> AdvanceClockAsync(TimeSpan by) => World.AdvanceClockAsync(App.Id, by, Ct);

    /// <summary>The app's webhook delivery log, newest first.</summary>
    public async Task<IReadOnlyList<JsonElement>> DeliveryLogAsync() =>
        [.. (await World.GetDeliveriesAsync(App.Id, 200, Ct)).EnumerateArray()];

    /// <summary>Waits until a log entry matches; the log is written by the dispatcher after each attempt.</summary>
    public Task<JsonElement> WaitForLogEntryAsync(
        Func<JsonElement, bool> match,
        string because,
        TimeSpan? timeout = null
    ) =>
        Eventually.WaitAsync(
            async () =>
                (await DeliveryLogAsync()).FirstOrDefault(match) is { ValueKind: JsonValueKind.Object } hit
                    ? hit
                    : (JsonElement?)null,
            timeout ?? TimeSpan.FromSeconds(15),
            because,
            () => DescribeLogAsync()
        );

    /// <summary>Waits until the receiver has been handed (answered 200) the given number of matching events.</summary>
    public Task<IReadOnlyList<MessagingEvent>> WaitForEventsAsync(
        Func<MessagingEvent, bool> match,
        int count = 1,
        string? because = null
    ) => Receiver.WaitForEventsAsync(match, count, TimeSpan.FromSeconds(15), because, Ct);

    public async Task<string> DescribeLogAsync()
    {
        var log = await DeliveryLogAsync();
        return string.Join(Environment.NewLine, log.Select(e => e.GetRawText()));
    }

    public async ValueTask DisposeAsync() => await Receiver.DisposeAsync();
}
