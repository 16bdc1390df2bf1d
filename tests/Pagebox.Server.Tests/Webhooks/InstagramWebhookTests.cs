using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Webhooks;

/// <summary>
/// What an Instagram professional account's bot receives (Meta's Instagram webhook examples): no delivery receipts
/// (<c>message_deliveries</c> is Messenger's), echoes through <c>messages</c> with <c>is_echo</c>, and reads as
/// <c>messaging_seen</c> naming the message read, <c>read.mid</c>, without a watermark. Through the real receiver.
/// </summary>
public sealed class InstagramWebhookTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Fields a bot that wants everything might name. Instagram subscriptions refuse message_deliveries (it is
    /// Messenger's; see AcceptedThereTests), so an Instagram bot cannot even ask for delivery receipts.
    /// </summary>
    private static string[] FieldsFor(string platform) =>
        platform == "instagram" ? ["messages", "messaging_seen"] : ["messages", "message_deliveries", "messaging_seen"];

    private sealed record Setup(AppInfo App, PageInfo Page, string PersonId, WebhookReceiver Receiver)
        : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    private async Task<Setup> StartAsync(string platform)
    {
        var app = await server.World.CreateAppAsync("ig-bot", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Coast Clothing", platform, cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync("Ada", cancellationToken: Ct);
        var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-ig", Ct);
        var objectType = platform == "instagram" ? "instagram" : "page";
        var subscribed = await server.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            receiver.CallbackUrl,
            "verify-ig",
            FieldsFor(platform),
            objectType,
            Ct
        );
        Assert.True(subscribed.IsSuccess, subscribed.ToString());
        var installed = await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, FieldsFor(platform), Ct);
        Assert.True(installed.IsSuccess, installed.ToString());
        return new Setup(app, page, person, receiver);
    }

    [Fact]
    public async Task InstagramPage_SendThenRead_NoDeliveryAndMessagingSeenWithTheMid()
    {
        await using var s = await StartAsync("instagram");
        var psid = (await server.World.WriteAsync(s.PersonId, s.Page.Id, "hello", cancellationToken: Ct)).Psid;
        var sent = await server.Graph.SendTextAsync(
            s.Page.Id,
            s.Page.AccessToken,
            psid,
            "hi there",
            cancellationToken: Ct
        );
        var mid = GraphAssert.Sent(sent, psid);

        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);

        var seen = (
            await s.Receiver.WaitForEventsAsync(e => e.Has("read"), because: "messaging_seen", cancellationToken: Ct)
        ).Single();
        Assert.Equal("instagram", seen.Webhook.Envelope!.Value.GetProperty("object").GetString());
        Assert.Equal(psid, seen.SenderId);
        Assert.Equal(s.Page.Id, seen.RecipientId);
        Assert.Equal(JsonValueKind.Object, seen["read"].ValueKind);
        Assert.Equal(["mid"], seen["read"].EnumerateObject().Select(p => p.Name));
        Assert.Equal(mid, seen["read"].GetProperty("mid").GetString());
        // Events of a Page arrive in order: by the time the read is in, a delivery would have been too.
        Assert.Empty(s.Receiver.Deliveries());
        Assert.Single(s.Receiver.Echoes());
        var log = await server.World.GetDeliveriesAsync(s.App.Id, 50, Ct);
        var fields = log.EnumerateArray()
            .SelectMany(d => d.GetProperty("fields").EnumerateArray().Select(f => f.GetString()))
            .ToHashSet();
        Assert.DoesNotContain("message_deliveries", fields);
        Assert.Contains("messaging_seen", fields);
    }

    [Fact]
    public async Task InstagramPage_ReadWithNothingFromThePage_NoEventUntilThePageWrites()
    {
        await using var s = await StartAsync("instagram");
        var psid = (await server.World.WriteAsync(s.PersonId, s.Page.Id, "hello", cancellationToken: Ct)).Psid;

        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);
        var mid = GraphAssert.Sent(
            await server.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, psid, "hi", cancellationToken: Ct),
            psid
        );
        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);

        await s.Receiver.WaitForEventsAsync(
            e => e.Has("read"),
            because: "messaging_seen after the Page wrote",
            cancellationToken: Ct
        );
        var reads = s.Receiver.Reads();
        Assert.Equal([mid], reads.Select(r => r["read"].GetProperty("mid").GetString()));
    }

    [Fact]
    public async Task MessengerPage_SendThenRead_DeliveryAndReadWithAWatermark()
    {
        await using var s = await StartAsync("messenger");
        var psid = (await server.World.WriteAsync(s.PersonId, s.Page.Id, "hello", cancellationToken: Ct)).Psid;
        var mid = GraphAssert.Sent(
            await server.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, psid, "hi there", cancellationToken: Ct),
            psid
        );

        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);

        // message_reads is not subscribed here (Fields names Instagram's messaging_seen): the delivery is the
        // Messenger-only event.
        var delivery = (
            await s.Receiver.WaitForEventsAsync(
                e => e.Has("delivery"),
                because: "message_deliveries",
                cancellationToken: Ct
            )
        ).Single();
        Assert.Equal([mid], delivery["delivery"].GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
    }
}
