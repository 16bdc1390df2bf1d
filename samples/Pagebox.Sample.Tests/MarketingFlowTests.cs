using System.Net.Http.Json;
using System.Text.Json;
using Pagebox.Client;
using Pagebox.Testing;

[assembly: AssemblyFixture(typeof(Pagebox.Sample.Tests.SharedPagebox))]

namespace Pagebox.Sample.Tests;

/// <summary>One Pagebox for the whole test assembly; each test makes its own app.</summary>
public sealed class SharedPagebox : IAsyncLifetime
{
    public PageboxServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await PageboxServer.StartAsync();

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>
/// A bot's marketing-messages flow, tested the way a Pagebox user would: the "bot" here is a few lines of HttpClient
/// code pointed at <see cref="PageboxServer.GraphBaseUrl"/>, as a real bot is pointed at graph.facebook.com.
/// </summary>
public sealed class MarketingFlowTests(SharedPagebox pagebox)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OptInThenMarketingMessage_OverTheLoopbackPort()
    {
        var server = pagebox.Server;
        await using var app = await server.CreateAppAsync(cancellationToken: Ct);
        var webhooks = app.RequireWebhooks();
        using var bot = new HttpClient { BaseAddress = server.GraphBaseUrl };
        await RunFlowAsync(server, app, webhooks, bot);
    }

    [Fact]
    public async Task OptInThenMarketingMessage_ThroughTheInMemoryHandler()
    {
        var server = pagebox.Server;
        await using var app = await server.CreateAppAsync(cancellationToken: Ct);
        var webhooks = app.RequireWebhooks();
        using var bot = new HttpClient(server.CreateHandler()) { BaseAddress = server.GraphBaseUrl };
        await RunFlowAsync(server, app, webhooks, bot);
    }

    [Fact]
    public async Task SendOutsideTheWindow_IsRefusedWithTheGraphCodeAndSubcode()
    {
        var server = pagebox.Server;
        await using var app = await server.CreateAppAsync(new PageboxAppOptions { Webhooks = false }, Ct);
        var write = await app.PersonWritesAsync("hi", Ct);
        await app.AdvanceClockAsync(TimeSpan.FromHours(25), Ct);
        var refused = await Assert.ThrowsAsync<GraphApiException>(() =>
            server.Graph.SendMessageAsync(
                app.Page.Id,
                app.Page.AccessToken,
                new
                {
                    recipient = new { id = write.Psid },
                    messaging_type = "RESPONSE",
                    message = new { text = "too late" },
                },
                Ct
            )
        );
        Assert.Equal(10, refused.Code);
        Assert.Equal(2018278, refused.Subcode);
    }

    private static async Task RunFlowAsync(
        PageboxServer server,
        PageboxApp app,
        WebhookReceiver webhooks,
        HttpClient bot
    )
    {
        // 1. The person writes; the bot's webhook gets the message (both signatures checked by the receiver).
        var write = await app.PersonWritesAsync("hello", Ct);
        var inbound = await webhooks.WaitForEventsAsync(e => e.Text == "hello", cancellationToken: Ct);
        Assert.True(inbound[0].Webhook.SignaturesValid);

        // 2. The bot asks for permission: an opt-in request (notification_messages template).
        var request = await PostAsync(
            bot,
            $"{app.Page.Id}/messages?access_token={Uri.EscapeDataString(app.Page.AccessToken)}",
            new
            {
                recipient = new { id = write.Psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "notification_messages",
                            title = "Weekly deals",
                            payload = "DEALS",
                            notification_messages_timezone = "UTC",
                        },
                    },
                },
            }
        );
        var mid = request.GetProperty("message_id").GetString()!;

        // 3. The person taps "Get updates"; the bot's webhook gets the notification message token.
        await server.World.OptInAsync(app.PersonId, app.Page.Id, mid, cancellationToken: Ct);
        var optin = (await webhooks.WaitForEventsAsync(e => e.Has("optin"), cancellationToken: Ct))[0];
        Assert.True(optin.Webhook.SignaturesValid);
        var token = optin["optin"].GetProperty("notification_messages_token").GetString()!;

        // 4. Past the follow-up minutes, the bot sends a marketing message on the token.
        await app.AdvanceClockAsync(TimeSpan.FromMinutes(3), Ct);
        var sent = await PostAsync(
            bot,
            $"{app.Page.Id}/messages?access_token={Uri.EscapeDataString(app.Page.AccessToken)}",
            new
            {
                recipient = new { notification_messages_token = token },
                message = new { text = "50% off hats this week" },
            }
        );
        Assert.Equal(write.Psid, sent.GetProperty("recipient_id").GetString());

        // 5. The person sees it.
        var conversation = await server.World.GetConversationAsync(app.PersonId, app.Page.Id, Ct);
        Assert.Contains(
            conversation.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("mid").GetString() == sent.GetProperty("message_id").GetString()
        );
    }

    private static async Task<JsonElement> PostAsync(HttpClient bot, string path, object body)
    {
        using var response = await bot.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
