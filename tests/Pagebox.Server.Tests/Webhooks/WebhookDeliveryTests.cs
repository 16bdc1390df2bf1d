using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Webhooks;

/// <summary>
/// The durable webhook outbox seen from the bot (docs/spec/webhooks.md §3): failed deliveries are retried, the first
/// retries within seconds; a conversation's events keep their order behind a retried delivery; events due together
/// share a POST; after the one-hour horizon on the app's clock a delivery is marked failed in the log.
/// </summary>
public sealed class WebhookDeliveryTests(PageboxServer server)
{
    private static string? Status(JsonElement entry) => entry.GetProperty("status").GetString();

    private static int Attempts(JsonElement entry) => entry.GetProperty("attempts").GetInt32();

    private static bool Carries(JsonElement entry, string mid) =>
        entry.GetProperty("body").GetRawText().Contains(mid, StringComparison.Ordinal);

    [Fact]
    public async Task Delivery_ReceiverFailsThreeTimes_RetriedWithinSecondsAndDelivered()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.FailNext(3);

        var written = await s.PersonWritesAsync("are you there?");

        Assert.Single(
            await s.WaitForEventsAsync(e => e.Mid == written.Mid, because: "the message after three failed attempts")
        );
        var attempts = s
            .Receiver.Received.Where(r => r.BodyText.Contains(written.Mid, StringComparison.Ordinal))
            .ToList();
        Assert.Equal([500, 500, 500, 200], attempts.Select(a => a.ResponseStatus));
        Assert.All(attempts, a => Assert.Equal(attempts[0].Body, a.Body));
        Assert.All(attempts, a => Assert.True(a.SignaturesValid));
        Assert.InRange(attempts[^1].ReceivedAt - attempts[0].ReceivedAt, TimeSpan.Zero, TimeSpan.FromSeconds(12));
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && Status(e) == "delivered",
            "the log to show the delivery"
        );
        Assert.True(Attempts(entry) >= 4, entry.GetRawText());
        Assert.Equal(200, entry.GetProperty("last_status").GetInt32());
        Assert.Equal(["messages"], entry.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Delivery_FirstDeliveryRetried_ConversationEventsArriveInOrder()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.FailNext(1);

        var first = await s.PersonWritesAsync("one");
        var second = await s.PersonWritesAsync("two");
        var third = await s.PersonWritesAsync("three");

        var events = await s.WaitForEventsAsync(e => e.Has("message"), 3, "three messages");
        Assert.Equal([first.Mid, second.Mid, third.Mid], events.Select(e => e.Mid).Distinct());
        Assert.Equal(["one", "two", "three"], events.Select(e => e.Text).Distinct());
        var timestamps = events.Select(e => e.Timestamp!.Value).ToList();
        Assert.Equal(timestamps.Order(), timestamps);
        Assert.False(s.Receiver.Received[0].Succeeded);
        Assert.Contains(first.Mid, s.Receiver.Received[0].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_OneSend_EchoAndDeliveryBatchedInOnePost()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");
        // The person's message is delivered first: were it still waiting, the send's two events would join its POST.
        await s.WaitForEventsAsync(e => e.Mid == written.Mid);

        var mid = GraphAssert.Sent(await s.SendTextAsync(written.Psid, "hello"), written.Psid);

        var echo = Assert.Single(await s.WaitForEventsAsync(e => e.Mid == mid));
        var entries = echo.Webhook.Envelope!.Value.GetProperty("entry").EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, entry => Assert.Equal(s.Page.Id, entry.GetProperty("id").GetString()));
        Assert.All(entries, entry => Assert.Single(entry.GetProperty("messaging").EnumerateArray()));
        Assert.True(entries[0].GetProperty("messaging")[0].GetProperty("message").GetProperty("is_echo").GetBoolean());
        Assert.Equal(
            mid,
            entries[1].GetProperty("messaging")[0].GetProperty("delivery").GetProperty("mids")[0].GetString()
        );
    }

    [Fact]
    public async Task Delivery_EventsQueuedBehindRetriedDelivery_BatchedInOnePostInOrder()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.AlwaysFail = true;
        var written = await s.PersonWritesAsync("hi");
        await s.Receiver.WaitUntilAsync(
            r => r.Received.Any(w => w.ResponseStatus == 500),
            because: "the first failed attempt",
            cancellationToken: TestContext.Current.CancellationToken
        );

        var mids = new List<string>();
        for (var i = 1; i <= 3; i++)
            mids.Add(GraphAssert.Sent(await s.SendTextAsync(written.Psid, $"answer {i}"), written.Psid));
        s.Receiver.AlwaysFail = false;
        await s.AdvanceClockAsync(TimeSpan.FromSeconds(30));

        await s.WaitForEventsAsync(e => e.IsEcho, 3, "three echoes");
        var post = Assert.Single(s.Receiver.Delivered, w => w.BodyText.Contains(mids[0], StringComparison.Ordinal));
        var events = post.Envelope!.Value.GetProperty("entry")
            .EnumerateArray()
            .Select(entry => Assert.Single(entry.GetProperty("messaging").EnumerateArray()))
            .ToList();
        Assert.Equal(6, events.Count);
        Assert.Equal(
            mids.SelectMany(m => new[] { $"echo {m}", $"delivery {m}" }),
            events.Select(e =>
                e.TryGetProperty("delivery", out var d)
                    ? $"delivery {d.GetProperty("mids")[0].GetString()}"
                    : $"echo {e.GetProperty("message").GetProperty("mid").GetString()}"
            )
        );
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, mids[0]) && Status(e) == "delivered",
            "the batched delivery in the log"
        );
        Assert.Equal(
            ["message_echoes", "message_deliveries"],
            entry.GetProperty("fields").EnumerateArray().Select(f => f.GetString())
        );
    }

    [Fact]
    public async Task Delivery_ReceiverDownPastOneHourOnAppClock_MarkedFailedInLog()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.AlwaysFail = true;
        var written = await s.PersonWritesAsync("anyone?");
        await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && Attempts(e) >= 1,
            "the first failed attempt in the log"
        );

        await s.AdvanceClockAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && Status(e) == "failed",
            "the delivery to be marked failed"
        );
        Assert.True(Attempts(entry) >= 2, entry.GetRawText());
        Assert.Equal(500, entry.GetProperty("last_status").GetInt32());
        Assert.Empty(s.Receiver.Delivered);
    }

    [Fact]
    public async Task Delivery_FailedThenReplayed_Delivered()
    {
        await using var s = await Scenario.StartAsync(server);
        await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { disable_webhooks_on_failure = false },
            cancellationToken: TestContext.Current.CancellationToken
        );
        s.Receiver.AlwaysFail = true;
        var written = await s.PersonWritesAsync("replay me");
        await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && Attempts(e) >= 1,
            "the first failed attempt in the log"
        );
        await s.AdvanceClockAsync(TimeSpan.FromHours(2));
        var failed = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && Status(e) == "failed",
            "the delivery to be marked failed"
        );
        s.Receiver.AlwaysFail = false;

        var replay = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/webhook-deliveries/{failed.GetProperty("id").GetInt64()}/replay",
            cancellationToken: TestContext.Current.CancellationToken
        );

        Assert.True(replay.IsSuccess, replay.RawBody);
        Assert.Single(await s.WaitForEventsAsync(e => e.Mid == written.Mid));
    }

    [Fact]
    public async Task Fanout_AppSubscribedOnlyToMessages_NoEchoOrDeliveryEvents()
    {
        await using var s = await Scenario.StartAsync(server, fields: ["messages"]);
        var first = await s.PersonWritesAsync("hi");
        GraphAssert.Sent(await s.SendTextAsync(first.Psid, "not echoed"), first.Psid);

        // Events of one Page are delivered in order, so once this one is in, anything recorded earlier would be too.
        var second = await s.PersonWritesAsync("again");
        await s.WaitForEventsAsync(e => e.Mid == second.Mid);

        Assert.Equal([first.Mid, second.Mid], s.Receiver.MessagingEvents().Select(e => e.Mid));
    }

    [Fact]
    public async Task DeliveryLog_AfterDelivery_ShowsEntryShapeNewestFirst()
    {
        await using var s = await Scenario.StartAsync(server);
        var first = await s.PersonWritesAsync("first");
        await s.WaitForEventsAsync(e => e.Mid == first.Mid);
        var second = await s.PersonWritesAsync("second");
        await s.WaitForEventsAsync(e => e.Mid == second.Mid);

        await s.WaitForLogEntryAsync(
            e => Carries(e, second.Mid) && Status(e) == "delivered",
            "the second delivery in the log"
        );
        var log = await s.DeliveryLogAsync();

        Assert.Equal(2, log.Count);
        Assert.True(Carries(log[0], second.Mid));
        Assert.True(Carries(log[1], first.Mid));
        foreach (var name in new[] { "id", "fields", "status", "attempts", "last_status", "created", "body" })
        {
            Assert.True(log[0].TryGetProperty(name, out _), $"log entry has no '{name}': {log[0].GetRawText()}");
        }

        Assert.Equal("page", log[0].GetProperty("body").GetProperty("object").GetString());
    }
}
