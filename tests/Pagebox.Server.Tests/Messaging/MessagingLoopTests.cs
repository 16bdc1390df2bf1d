using System.Net;
using System.Text;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Messaging;

/// <summary>
/// The standard messaging loop over real HTTP: a person writes (world face), the bot gets <c>messages</c>, answers
/// through the Send API, gets <c>message_echoes</c> and <c>message_deliveries</c>, the person reads
/// (<c>message_reads</c>), and the conversation shows both sides (docs/spec/webhooks.md §3–5, docs/spec/send-api.md
/// §2).
/// </summary>
public sealed class MessagingLoopTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The envelope entry that carries <paramref name="e"/>.</summary>
    private static JsonElement EntryOf(MessagingEvent e) =>
        e
            .Webhook.Envelope!.Value.GetProperty("entry")
            .EnumerateArray()
            .Single(entry =>
                entry.GetProperty("messaging").EnumerateArray().Any(m => m.GetRawText() == e.Event.GetRawText())
            );

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    [Fact]
    public async Task PersonWrites_SubscribedBot_ReceivesMessagesEventInPageEnvelope()
    {
        await using var s = await Scenario.StartAsync(server);
        var before = await server.World.GetClockAsync(s.App.Id, Ct);

        var written = await s.PersonWritesAsync("hello, world!");

        var after = await server.World.GetClockAsync(s.App.Id, Ct);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Mid == written.Mid));
        Assert.Equal("page", e.Webhook.Envelope!.Value.GetProperty("object").GetString());
        var entry = EntryOf(e);
        Assert.Equal(s.Page.Id, entry.GetProperty("id").GetString());
        Assert.InRange(entry.GetProperty("time").GetInt64(), Ms(before), Ms(after));
        Assert.Single(entry.GetProperty("messaging").EnumerateArray());
        Assert.Equal(written.Psid, e.SenderId);
        Assert.Equal(s.Page.Id, e.RecipientId);
        Assert.InRange(e.Timestamp!.Value, Ms(before), Ms(after));
        Assert.Equal(["mid", "text"], GraphAssert.Names(e["message"]));
        Assert.Equal("hello, world!", e.Text);
        Assert.False(e.IsEcho);
    }

    [Fact]
    public async Task PersonWrites_Webhook_SignedWithBothHeadersAsJson()
    {
        await using var s = await Scenario.StartAsync(server);

        var written = await s.PersonWritesAsync("signed");

        var webhook = Assert.Single(await s.WaitForEventsAsync(m => m.Mid == written.Mid)).Webhook;
        Assert.True(webhook.Sha256Valid, webhook.ToString());
        Assert.True(webhook.Sha1Valid, webhook.ToString());
        Assert.StartsWith("sha256=", webhook.Header("X-Hub-Signature-256"), StringComparison.Ordinal);
        Assert.StartsWith("sha1=", webhook.Header("X-Hub-Signature"), StringComparison.Ordinal);
        Assert.Equal("application/json", webhook.ContentType?.Split(';')[0].Trim());
        Assert.Equal(WebhookReceiver.CallbackPath, webhook.Path);
    }

    [Fact]
    public async Task SendApi_AnswerToPerson_RecipientAndMessageIdAsJson()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var answer = await s.SendTextAsync(written.Psid, "hello back");

        GraphAssert.Sent(answer, written.Psid);
    }

    [Fact]
    public async Task SendApi_AnswerThroughPageIdAndMe_BothEchoedWithMidAppIdAndMetadata()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var viaPage = GraphAssert.Sent(
            await server.Graph.PostAsync(
                $"{s.Page.Id}/messages",
                new
                {
                    recipient = new { id = written.Psid },
                    messaging_type = "RESPONSE",
                    message = new { text = "via page id", metadata = "order-42" },
                },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            written.Psid
        );
        var viaMe = GraphAssert.Sent(
            await server.Graph.PostAsync(
                "me/messages",
                new
                {
                    recipient = new { id = written.Psid },
                    messaging_type = "RESPONSE",
                    message = new { text = "via me" },
                },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            written.Psid
        );

        var echoes = await s.WaitForEventsAsync(e => e.IsEcho, 2, "two echoes");
        var first = Assert.Single(echoes, e => e.Mid == viaPage);
        Assert.Equal(s.Page.Id, first.SenderId);
        Assert.Equal(written.Psid, first.RecipientId);
        Assert.Equal(s.Page.Id, EntryOf(first).GetProperty("id").GetString());
        var message = first["message"];
        Assert.True(message.GetProperty("is_echo").GetBoolean());
        Assert.Equal(JsonValueKind.Number, message.GetProperty("app_id").ValueKind);
        Assert.Equal(s.App.Id, message.GetProperty("app_id").GetRawText());
        Assert.Equal("via page id", message.GetProperty("text").GetString());
        Assert.Equal("order-42", message.GetProperty("metadata").GetString());
        var second = Assert.Single(echoes, e => e.Mid == viaMe);
        Assert.Equal("via me", second.Text);
        Assert.False(second["message"].TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task SendApi_Answer_DeliveryEventNamesMidWithWatermark()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var mid = GraphAssert.Sent(await s.SendTextAsync(written.Psid, "delivered?"), written.Psid);

        var delivery = Assert.Single(await s.WaitForEventsAsync(e => e.Has("delivery")));
        Assert.Equal(written.Psid, delivery.SenderId);
        Assert.Equal(s.Page.Id, delivery.RecipientId);
        Assert.Equal([mid], delivery["delivery"].GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
        var watermark = delivery["delivery"].GetProperty("watermark").GetInt64();
        var sentAt = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Single(m => m.GetProperty("mid").GetString() == mid)
            .GetProperty("time")
            .GetDateTimeOffset();
        Assert.True(watermark >= Ms(sentAt), $"watermark {watermark} is before the message was sent ({Ms(sentAt)})");
    }

    [Fact]
    public async Task PersonReads_AfterAnswer_ReadEventWithWatermarkCoveringAnswer()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");
        GraphAssert.Sent(await s.SendTextAsync(written.Psid, "read me"), written.Psid);
        var sentAt = (await s.ConversationAsync()).GetProperty("messages")[1].GetProperty("time").GetDateTimeOffset();

        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);

        var read = Assert.Single(await s.WaitForEventsAsync(e => e.Has("read")));
        Assert.Equal(written.Psid, read.SenderId);
        Assert.Equal(s.Page.Id, read.RecipientId);
        Assert.True(read["read"].GetProperty("watermark").GetInt64() >= Ms(sentAt));
        Assert.True(read.Webhook.SignaturesValid);
    }

    [Fact]
    public async Task Conversation_AfterLoop_ShowsBothSidesInOrderWithKinds()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("where is my order?");
        var answer = GraphAssert.Sent(
            await server.Graph.PostAsync(
                "me/messages",
                new { recipient = new { id = written.Psid }, message = new { text = "on its way", metadata = "m-1" } },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            written.Psid
        );
        var again = await s.PersonWritesAsync("thanks");

        var conversation = await s.ConversationAsync();

        Assert.Equal(written.Psid, conversation.GetProperty("psid").GetString());
        var messages = conversation.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([written.Mid, answer, again.Mid], messages.Select(m => m.GetProperty("mid").GetString()));
        Assert.Equal(["person", "page", "person"], messages.Select(m => m.GetProperty("from").GetString()));
        Assert.Equal(["standard", "standard", "standard"], messages.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal("where is my order?", messages[0].GetProperty("message").GetProperty("text").GetString());
        Assert.Equal("""{"text":"on its way","metadata":"m-1"}""", messages[1].GetProperty("message").GetRawText());
        var times = messages.Select(m => m.GetProperty("time").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order(), times);
        var lastInbound = times[2];
        Assert.Equal(
            lastInbound + TimeSpan.FromHours(24),
            conversation.GetProperty("window_open_until").GetDateTimeOffset()
        );
    }

    [Fact]
    public async Task SendApi_SenderAction_AnswersRecipientOnlyAndShowsInConversation()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var answer = await s.SendAsync(new { recipient = new { id = written.Psid }, sender_action = "typing_on" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["recipient_id"], GraphAssert.Names(answer.Body));
        Assert.Equal(written.Psid, answer.Body.GetProperty("recipient_id").GetString());
        var last = (await s.ConversationAsync()).GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(
            ("page", "sender_action"),
            (last.GetProperty("from").GetString(), last.GetProperty("kind").GetString())
        );
    }

    [Fact]
    public async Task PersonWrites_NonAsciiText_EscapedLowercaseAndSignatureOverRawBytes()
    {
        await using var s = await Scenario.StartAsync(server);

        var written = await s.PersonWritesAsync("äöå 😀");

        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Mid == written.Mid));
        var raw = e.Webhook.Body;
        Assert.All(raw, b => Assert.True(b < 0x80, $"byte 0x{b:x2} is not ASCII"));
        Assert.Contains(
            "\"text\":\"\\u00e4\\u00f6\\u00e5 \\ud83d\\ude00\"",
            Encoding.ASCII.GetString(raw),
            StringComparison.Ordinal
        );
        Assert.Equal("äöå 😀", e.Text);
        Assert.Equal(WebhookSignature.Sha256(raw, s.App.Secret), e.Webhook.Header("X-Hub-Signature-256"));
        Assert.Equal(WebhookSignature.Sha1(raw, s.App.Secret), e.Webhook.Header("X-Hub-Signature"));
    }

    [Fact]
    public async Task SendApi_NonAsciiAnswer_EchoEscapedAndSigned()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var mid = GraphAssert.Sent(await s.SendTextAsync(written.Psid, "Grüße 👋"), written.Psid);

        var echo = Assert.Single(await s.WaitForEventsAsync(e => e.Mid == mid));
        Assert.Contains("Gr\\u00fc\\u00dfe \\ud83d\\udc4b", echo.Webhook.BodyText, StringComparison.Ordinal);
        Assert.Equal("Grüße 👋", echo.Text);
        Assert.True(echo.Webhook.SignaturesValid);
    }

    [Fact]
    public async Task PersonWrites_TextWithSlashes_SlashEscapedAsMetaDoes()
    {
        await using var s = await Scenario.StartAsync(server);

        var written = await s.PersonWritesAsync("see https://example.com/a");

        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Mid == written.Mid));
        Assert.Contains("https:\\/\\/example.com\\/a", e.Webhook.BodyText, StringComparison.Ordinal);
        Assert.Equal("see https://example.com/a", e.Text);
        Assert.True(e.Webhook.SignaturesValid);
    }

    [Fact]
    public async Task PersonWrites_TwoPagesOfOneApp_DifferentPsidsEachPageOwnEntry()
    {
        await using var s = await Scenario.StartAsync(server);
        var second = await server.World.CreatePageAsync(s.App.Id, "Second shop", cancellationToken: Ct);
        await server.Graph.SubscribePageAsync(second.Id, second.AccessToken, Scenario.StandardFields, Ct);

        var one = await s.PersonWritesAsync("to page one");
        var two = await server.World.WriteAsync(s.PersonId, second.Id, "to page two", cancellationToken: Ct);

        Assert.NotEqual(one.Psid, two.Psid);
        var events = await s.WaitForEventsAsync(e => e.Has("message"), 2);
        Assert.Equal(s.Page.Id, Assert.Single(events, e => e.Mid == one.Mid).EntryId);
        Assert.Equal(second.Id, Assert.Single(events, e => e.Mid == two.Mid).EntryId);
    }
}
