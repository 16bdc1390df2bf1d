using System.Text;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Contract;

/// <summary>The webhook outbox: claim, lease, order behind a retry, give-up, the log and replay (docs/design-notes.md
/// §3).</summary>
public abstract partial class StoreContract
{
    protected static byte[] Join(IReadOnlyList<PendingEvent> events) =>
        Encoding.UTF8.GetBytes(string.Join('|', events.Select(e => e.EventJson)));

    protected Task SeedSubscribedPageAsync(string app, string page) =>
        Do(
            new SaveApp(App(app)),
            new SavePage(Page(page, app)),
            new SaveAppSubscription(
                new AppSubscription(app, "page", "http://127.0.0.1:1/hook", "v", ["message_reads"])
            ),
            new SavePageSubscription(new PageSubscription(page, app, ["message_reads"]))
        );

    protected Task RecordReadAsync(string app, string page, int watermarkMs = 0) =>
        Do(
            new RecordWebhook(
                app,
                "page",
                new ReadEvent(
                    page,
                    "psid",
                    Time.GetUtcNow(),
                    Time.GetUtcNow().AddMilliseconds(watermarkMs),
                    Platform.Messenger
                )
            )
        );

    private Task<IReadOnlyList<DeliveryWork>> ClaimAsync(int max = 256) =>
        Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1), max);

    [Fact]
    public async Task ClaimDue_EventsOfOnePage_AreBatchedIntoOneDeliveryInOrder()
    {
        await SeedSubscribedPageAsync("app", "page");
        await Store.WriteAsync(s =>
        {
            for (var i = 0; i < 3; i++)
                s.Apply(
                    new RecordWebhook(
                        "app",
                        "page",
                        new ReadEvent(
                            "page",
                            "psid",
                            Time.GetUtcNow(),
                            Time.GetUtcNow().AddSeconds(i),
                            Platform.Messenger
                        )
                    )
                );
            return true;
        });
        await RecordReadAsync("app", "page", 3000);

        var delivery = Assert.Single(await ClaimAsync());
        Assert.Equal(
            ("app", "page", "http://127.0.0.1:1/hook", "secret-app", 0, T0),
            (
                delivery.AppId,
                delivery.PageId,
                delivery.CallbackUrl,
                delivery.AppSecret,
                delivery.Attempts,
                delivery.Created
            )
        );
        Assert.Equal("r0|r1000|r2000|r3000", Encoding.UTF8.GetString(delivery.Body));
    }

    [Fact]
    public async Task ClaimDue_MoreEventsThanADeliveryHolds_TheRestWaitForTheNextDelivery()
    {
        await SeedSubscribedPageAsync("app", "page");
        for (var i = 0; i < 5; i++)
            await RecordReadAsync("app", "page", i);
        var first = Assert.Single(await Store.Outbox.ClaimDueAsync(Join, 3, TimeSpan.FromMinutes(1)));
        Assert.Equal("r0|r1|r2", Encoding.UTF8.GetString(first.Body));
        Assert.Empty(await Store.Outbox.ClaimDueAsync(Join, 3, TimeSpan.FromMinutes(1)));
        await Store.Outbox.RecordAttemptAsync(first.Id, true, 200, null, null);
        Assert.Equal(
            "r3|r4",
            Encoding.UTF8.GetString(
                Assert.Single(await Store.Outbox.ClaimDueAsync(Join, 3, TimeSpan.FromMinutes(1))).Body
            )
        );
    }

    [Fact]
    public async Task ClaimDue_LeasedDelivery_IsNotClaimedTwiceUntilTheLeaseRunsOut()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await ClaimAsync());
        Assert.Empty(await ClaimAsync());
        Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(first.Id, Assert.Single(await ClaimAsync()).Id);
    }

    [Fact]
    public async Task ClaimDue_WhileADeliveryRetries_LaterEventsOfThatPageWait()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await ClaimAsync());
        await Store.Outbox.RecordAttemptAsync(first.Id, false, 500, "HTTP 500", Time.GetUtcNow().AddSeconds(2));
        await RecordReadAsync("app", "page");

        Assert.Empty(await ClaimAsync());
        Assert.Equal(TimeSpan.FromSeconds(2), await Store.Outbox.NextDueInAsync());

        Time.Advance(TimeSpan.FromSeconds(2));
        var retried = Assert.Single(await ClaimAsync());
        Assert.Equal((first.Id, 1), (retried.Id, retried.Attempts));
        await Store.Outbox.RecordAttemptAsync(first.Id, true, 200, null, null);

        var next = Assert.Single(await ClaimAsync());
        Assert.NotEqual(first.Id, next.Id);
    }

    [Fact]
    public async Task ClaimDue_DueTimeIsOnTheAppsClock()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await ClaimAsync());
        await Store.Outbox.RecordAttemptAsync(first.Id, false, 500, "HTTP 500", Time.GetUtcNow().AddHours(1));
        Assert.Empty(await ClaimAsync());

        await Do(new SetClockOffset("app", (long)TimeSpan.FromHours(1).TotalMilliseconds));
        Assert.Equal(first.Id, Assert.Single(await ClaimAsync()).Id);
    }

    [Fact]
    public async Task NextDueIn_NothingWaiting_IsNull_WaitingEvents_AreDueNow()
    {
        Assert.Null(await Store.Outbox.NextDueInAsync());
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        Assert.Equal(TimeSpan.Zero, await Store.Outbox.NextDueInAsync());
    }

    [Fact]
    public async Task ClaimDue_AfterARestart_InFlightDeliveryIsDueAgain()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        Assert.Single(await Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(10)));
        await ReopenAsync();
        Assert.Single(await Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task RecordAttempt_GiveUp_MarksDeliveryFailedInTheLog_ReplayMakesItDueAgain()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var d = Assert.Single(await ClaimAsync());
        await Store.Outbox.RecordAttemptAsync(d.Id, false, null, "timeout", nextAttempt: null);

        var entry = Assert.Single(await Store.Outbox.ListAsync("app", 10));
        Assert.Equal(
            (d.Id, "page", DeliveryStatus.Failed, 1, (int?)null, "timeout", (DateTimeOffset?)null),
            (entry.Id, entry.PageId, entry.Status, entry.Attempts, entry.LastStatus, entry.LastError, entry.NextAttempt)
        );
        Assert.Equal(["message_reads"], entry.Fields);
        Assert.Equal("r0", Encoding.UTF8.GetString(entry.Body));
        Assert.Empty(await ClaimAsync());

        Assert.Equal(ReplayOutcome.Replayed, await Store.Outbox.ReplayAsync("app", d.Id));
        Assert.Equal(d.Id, Assert.Single(await ClaimAsync()).Id);
        Assert.Equal(ReplayOutcome.NoSuchFailedDelivery, await Store.Outbox.ReplayAsync("app", d.Id));
    }

    [Fact]
    public async Task ListAsync_NewestFirst_OnlyThatApp_UpToTheLimit()
    {
        await SeedSubscribedPageAsync("app", "p1");
        await SeedSubscribedPageAsync("app2", "p2");
        await Do(new SavePage(Page("p3", "app")));
        foreach (var p in new[] { "p1", "p3" })
            await RecordReadAsync("app", p);
        await RecordReadAsync("app2", "p2");
        var claimed = await ClaimAsync();
        Assert.Equal(3, claimed.Count);
        await Store.Outbox.RecordAttemptAsync(claimed[0].Id, true, 200, null, null);

        var log = await Store.Outbox.ListAsync("app", 10);
        Assert.Equal(claimed.Where(c => c.AppId == "app").Select(c => c.Id).Reverse(), log.Select(e => e.Id));
        Assert.Equal(DeliveryStatus.Pending, log[0].Status);
        Assert.Equal(Time.GetUtcNow(), log[0].NextAttempt);
        Assert.Single(await Store.Outbox.ListAsync("app", 1));
    }

    [Fact]
    public async Task ClaimDue_EventsBehindAGivenUpDelivery_AreHeldUntilItsReplay_ThenGetTheirHourFromIt()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await ClaimAsync());
        await Store.Outbox.RecordAttemptAsync(first.Id, false, 500, "HTTP 500", Time.GetUtcNow().AddMinutes(50));
        Time.Advance(TimeSpan.FromMinutes(1));
        await RecordReadAsync("app", "page");

        Time.Advance(TimeSpan.FromMinutes(59));
        var retried = Assert.Single(await ClaimAsync());
        Assert.Equal(first.Id, retried.Id);
        await Store.Outbox.RecordAttemptAsync(retried.Id, false, 500, "HTTP 500", nextAttempt: null);

        // The given-up delivery holds the Page's later events (order), until it is replayed and delivered.
        Assert.Empty(await ClaimAsync());
        var replayedAt = Time.GetUtcNow();
        Assert.Equal(ReplayOutcome.Replayed, await Store.Outbox.ReplayAsync("app", first.Id));
        Assert.Equal(first.Id, Assert.Single(await ClaimAsync()).Id);
        await Store.Outbox.RecordAttemptAsync(first.Id, true, 200, null, null);

        var next = Assert.Single(await ClaimAsync());
        Assert.NotEqual(first.Id, next.Id);
        Assert.Equal(replayedAt, next.Created);
    }

    [Fact]
    public async Task Replay_OfAnotherAppsOrAnUnknownDelivery_IsRefused_AndTheHeldEventsFollowTheReplayed()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var failed = Assert.Single(await ClaimAsync());
        await Store.Outbox.RecordAttemptAsync(failed.Id, false, 500, "HTTP 500", nextAttempt: null);
        await RecordReadAsync("app", "page");
        Assert.Empty(await ClaimAsync());

        Assert.Equal(ReplayOutcome.NoSuchFailedDelivery, await Store.Outbox.ReplayAsync("other-app", failed.Id));
        Assert.Equal(ReplayOutcome.Replayed, await Store.Outbox.ReplayAsync("app", failed.Id));
        Assert.Equal(failed.Id, Assert.Single(await ClaimAsync()).Id);
        Assert.Equal(ReplayOutcome.NoSuchFailedDelivery, await Store.Outbox.ReplayAsync("app", failed.Id));
        Assert.Equal(ReplayOutcome.NoSuchFailedDelivery, await Store.Outbox.ReplayAsync("app", 999_999));
        await Store.Outbox.RecordAttemptAsync(failed.Id, true, 200, null, null);
        Assert.NotEqual(failed.Id, Assert.Single(await ClaimAsync()).Id);
    }

    [Fact]
    public async Task ClaimDue_WithFewerSlotsThanDueDeliveries_ClaimsOnlyThatMany()
    {
        await SeedSubscribedPageAsync("app", "p0");
        foreach (var page in new[] { "p1", "p2", "p3" })
            await Do(new SavePage(Page(page, "app")));
        foreach (var page in new[] { "p0", "p1", "p2", "p3" })
            await RecordReadAsync("app", page);

        Assert.Equal(2, (await ClaimAsync(max: 2)).Count);
        Assert.Equal(2, (await ClaimAsync(max: 5)).Count);
    }

    [Fact]
    public async Task ClaimDue_AppWithoutSubscriptionForTheObject_ClaimsWithAnEmptyCallback()
    {
        await Do(new SaveApp(App("app")), new SavePage(Page("page", "app")));
        await RecordReadAsync("app", "page");
        Assert.Equal("", Assert.Single(await ClaimAsync()).CallbackUrl);
    }
}
