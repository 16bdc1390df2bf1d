using System.Text.Json;

namespace Pagebox.Ui.Tests.Infrastructure;

/// <summary>One test's world: an app with its own clock, a Page, a person who has written once, and the bot's receiver
/// subscribed to every field.</summary>
public sealed class BotScenario : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "messages",
        "message_echoes",
        "message_deliveries",
        "message_reads",
        "messaging_postbacks",
        "messaging_optins",
        "messaging_referrals",
    ];

    private BotScenario(
        BrowserHost host,
        AppInfo app,
        PageInfo page,
        string personId,
        string psid,
        WebhookReceiver receiver
    )
    {
        Host = host;
        App = app;
        PageInfo = page;
        PersonId = personId;
        Psid = psid;
        Receiver = receiver;
    }

    public BrowserHost Host { get; }

    public AppInfo App { get; }

    public PageInfo PageInfo { get; }

    public string PersonId { get; }

    public string Psid { get; }

    public WebhookReceiver Receiver { get; }

    public GraphClient Graph => Host.Graph;

    public WorldClient World => Host.World;

    /// <summary>The deep link of the person's conversation with the Page.</summary>
    public string ConversationPath => $"/_pagebox/ui/persons/{PersonId}/pages/{PageInfo.Id}";

    public string AppPath => $"/_pagebox/ui/apps/{App.Id}";

    public static async Task<BotScenario> StartAsync(
        BrowserHost host,
        string personName = "Ada Lovelace",
        IReadOnlyList<string>? moreFields = null,
        CancellationToken cancellationToken = default
    )
    {
        IReadOnlyList<string> fields = moreFields is null ? Fields : [.. Fields, .. moreFields];
        var app = await host.World.CreateAppAsync("Shoe bot", cancellationToken);
        var page = await host.World.CreatePageAsync(app.Id, "Shoe Shop", cancellationToken: cancellationToken);
        var person = await host.World.CreatePersonAsync(personName, cancellationToken: cancellationToken);
        var receiver = await WebhookReceiver.StartAsync(
            app.Secret,
            "verify-" + Guid.NewGuid().ToString("N"),
            cancellationToken
        );
        receiver.RejectInvalidSignatures = true;
        var subscribed = await host.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            receiver.CallbackUrl,
            receiver.VerifyToken,
            fields,
            cancellationToken: cancellationToken
        );
        Assert.True(subscribed.IsSuccess, subscribed.ToString());
        var installed = await host.Graph.SubscribePageAsync(page.Id, page.AccessToken, fields, cancellationToken);
        Assert.True(installed.IsSuccess, installed.ToString());
        var wrote = await host.World.WriteAsync(person, page.Id, "Hello shop", cancellationToken: cancellationToken);
        await receiver.WaitForEventsAsync(e => e.Has("message") && !e.IsEcho, cancellationToken: cancellationToken);
        return new BotScenario(host, app, page, person, wrote.Psid, receiver);
    }

    /// <summary>The bot sends through the Send API with the Page token.</summary>
    public async Task<string> SendAsync(object body)
    {
        var sent = await Graph.PostAsync($"{PageInfo.Id}/messages", body, PageInfo.AccessToken);
        Assert.True(sent.IsSuccess, sent.ToString());
        return sent.Body.GetProperty("message_id").GetString()!;
    }

    public Task<string> SendTextAsync(string text) =>
        SendAsync(
            new
            {
                recipient = new { id = Psid },
                messaging_type = "RESPONSE",
                message = new { text },
            }
        );

    public Task<JsonElement> DeliveriesAsync() => World.GetDeliveriesAsync(App.Id, 100);

    public async ValueTask DisposeAsync() => await Receiver.DisposeAsync();
}
