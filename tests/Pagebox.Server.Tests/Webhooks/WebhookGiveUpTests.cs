using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Webhooks;

/// <summary>
/// After an hour of failures (docs/spec/webhooks.md §3.4): the platform disables the webhook and unsubscribes the app
/// from the Page (on by default, switchable per app on the world face). Events of a Page never overtake a failed
/// delivery: they wait behind it until it is replayed, by subscribing again or by the replay call, and then arrive in
/// order.
/// </summary>
public sealed class WebhookGiveUpTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool Carries(JsonElement entry, string mid) =>
        entry.GetProperty("body").GetRawText().Contains(mid, StringComparison.Ordinal);

    private static string? Status(JsonElement entry) => entry.GetProperty("status").GetString();

    /// <summary>The mids of the person's messages the bot was handed, in the order it got them (a retried one
    /// once).</summary>
    private static List<string> DeliveredMids(Scenario s) => [.. s.Receiver.Messages().Select(e => e.Mid!).Distinct()];

    private static async Task<List<string>> SubscribedAppIdsAsync(Scenario s)
    {
        var answer = await s.Graph.GetAsync($"{s.Page.Id}/subscribed_apps", s.Page.AccessToken, cancellationToken: Ct);
        Assert.True(answer.IsSuccess, answer.ToString());
        return [.. answer.Body.GetProperty("data").EnumerateArray().Select(a => a.GetProperty("id").GetString()!)];
    }

    /// <summary>The receiver is down: the first message fails, more queue behind it, then an hour passes on the app's
    /// clock.</summary>
    private static async Task<(List<string> Mids, JsonElement Failed)> FailForAnHourAsync(Scenario s, int messages)
    {
        s.Receiver.AlwaysFail = true;
        var mids = new List<string> { (await s.PersonWritesAsync("A0")).Mid };
        await s.WaitForLogEntryAsync(
            e => Carries(e, mids[0]) && e.GetProperty("attempts").GetInt32() >= 1,
            "the first failed attempt"
        );
        for (var i = 1; i < messages; i++)
            mids.Add((await s.PersonWritesAsync($"A{i}")).Mid);
        await s.AdvanceClockAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var failed = await s.WaitForLogEntryAsync(
            e => Carries(e, mids[0]) && Status(e) == "failed",
            "the delivery to be given up"
        );
        return (mids, failed);
    }

    [Fact]
    public async Task GiveUp_AfterOneHour_AppUnsubscribedFromThePageAndTheLogSaysSo()
    {
        await using var s = await Scenario.StartAsync(server);
        Assert.Equal([s.App.Id], await SubscribedAppIdsAsync(s));

        var (_, failed) = await FailForAnHourAsync(s, 1);

        Assert.Empty(await SubscribedAppIdsAsync(s));
        Assert.Contains("webhooks disabled", failed.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        var app = await s.World.GetAppAsync(s.App.Id, Ct);
        Assert.True(app.GetProperty("disable_webhooks_on_failure").GetBoolean());
    }

    [Fact]
    public async Task GiveUp_BotSubscribesAgain_HeldEventsFirstInOrderThenNewOnesAndNothingFromTheOutage()
    {
        await using var s = await Scenario.StartAsync(server);
        var (mids, _) = await FailForAnHourAsync(s, 3);
        // While unsubscribed, the platform records nothing for the app: this one is never delivered.
        var duringOutage = await s.PersonWritesAsync("while unsubscribed");
        s.Receiver.AlwaysFail = false;

        var resubscribed = await s.Graph.SubscribePageAsync(s.Page.Id, s.Page.AccessToken, Scenario.StandardFields, Ct);
        Assert.True(resubscribed.IsSuccess, resubscribed.ToString());
        var after = await s.PersonWritesAsync("after");

        await s.WaitForEventsAsync(e => e.Mid == after.Mid, because: "the message written after the bot came back");
        Assert.Equal([.. mids, after.Mid], DeliveredMids(s));
        Assert.DoesNotContain(duringOutage.Mid, s.Receiver.MessagingEvents().Select(e => e.Mid));
    }

    [Fact]
    public async Task GiveUp_DisableSwitchedOff_SubscriptionKeptAndLaterEventsWaitBehindTheFailedOneUntilReplayed()
    {
        await using var s = await Scenario.StartAsync(server);
        var patched = await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { disable_webhooks_on_failure = false },
            cancellationToken: Ct
        );
        Assert.False(patched.Body.GetProperty("disable_webhooks_on_failure").GetBoolean());
        var (mids, failed) = await FailForAnHourAsync(s, 2);
        Assert.Equal([s.App.Id], await SubscribedAppIdsAsync(s));
        s.Receiver.AlwaysFail = false;

        // Written after the give-up, with the bot answering again: they must not overtake the failed ones.
        mids.Add((await s.PersonWritesAsync("A5")).Mid);
        mids.Add((await s.PersonWritesAsync("A6")).Mid);
        var replay = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/webhook-deliveries/{failed.GetProperty("id").GetInt64()}/replay",
            cancellationToken: Ct
        );
        Assert.True(replay.IsSuccess, replay.RawBody);

        await s.WaitForEventsAsync(e => e.Mid == mids[^1], because: "the last message after the replay");
        Assert.Equal(mids, DeliveredMids(s));
    }

    [Fact]
    public async Task Replay_WhileTheAppIsUnsubscribed_Is409AndNothingIsSent()
    {
        await using var s = await Scenario.StartAsync(server);
        var (mids, failed) = await FailForAnHourAsync(s, 1);
        s.Receiver.AlwaysFail = false;

        var replay = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/webhook-deliveries/{failed.GetProperty("id").GetInt64()}/replay",
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Conflict, replay.Status);
        Assert.Contains(
            "subscribed_apps",
            replay.Body.GetProperty("error").GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        var entry = (await s.DeliveryLogAsync()).Single(e => Carries(e, mids[0]));
        Assert.Equal("failed", Status(entry));
        Assert.Empty(s.Receiver.Delivered);
    }

    [Fact]
    public async Task CreateApp_DisableWebhooksOnFailureFalse_IsKeptAndShown()
    {
        var created = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/apps",
            new { name = "patient", disable_webhooks_on_failure = false },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.False(created.Body.GetProperty("disable_webhooks_on_failure").GetBoolean());
        var app = await server.World.GetAppAsync(created.Body.GetProperty("id").GetString()!, Ct);
        Assert.False(app.GetProperty("disable_webhooks_on_failure").GetBoolean());
    }
}
