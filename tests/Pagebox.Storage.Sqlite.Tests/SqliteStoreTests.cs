using System.Text;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Subscriptions;
using Pagebox.Domain.Webhooks;
using Pagebox.Testing;

namespace Pagebox.Storage.Sqlite.Tests;

public sealed class SqliteStoreTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteStore _store = null!;

    private string DbPath => Path.Combine(_dir, "pagebox.db");

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteStore(DbPath, new TestEncoder(), _time);
        await _store.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        { /* best effort */
        }
    }

    private static AppRecord App(string id) => new(id, "app " + id, "secret", false, 0, DateTimeOffset.UnixEpoch);

    private static PageRecord Page(string id, string app) =>
        new(id, app, "page", Platform.Messenger, "UTC", new PageSettings());

    [Fact]
    public async Task WriteAsync_FailingCommandInABatch_RollsBackOnlyThatCommand()
    {
        // Queue many commands at once so they share one transaction; one of them fails half-way.
        var tasks = Enumerable
            .Range(0, 50)
            .Select(i =>
                _store.WriteAsync(s =>
                {
                    s.Apply(new SaveApp(App($"app{i}")));
                    if (i == 25)
                        throw new DomainException(DomainError.Of(DomainErrorKind.UnknownRecipient));
                    return i;
                })
            )
            .ToList();

        var failed = await Assert.ThrowsAsync<DomainException>(() => tasks[25]);
        Assert.Equal(DomainErrorKind.UnknownRecipient, failed.Error.Kind);
        foreach (var t in tasks.Where((_, i) => i != 25))
            await t;

        var present = await _store.ReadAsync(s =>
            Enumerable.Range(0, 50).Select(i => s.GetApp($"app{i}") is not null).ToList()
        );
        Assert.False(present[25]);
        Assert.Equal(49, present.Count(p => p));
    }

    [Fact]
    public async Task WriteAsync_BatchWhoseCommitFails_FailsEveryCallerAndKeepsServing()
    {
        // A command that leaves the transaction unusable makes the batch's COMMIT fail: every caller of that batch
        // must get the failure (none may wait for ever), and the next batch must work.
        var broken = _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(App("lost")));
            ((SqliteSession)s).Exec("COMMIT");
            return true;
        });
        await Assert.ThrowsAnyAsync<Exception>(() => broken);

        Assert.True(
            await _store.WriteAsync(s =>
            {
                s.Apply(new SaveApp(App("kept")));
                return true;
            })
        );
        Assert.NotNull(await _store.ReadAsync(s => s.GetApp("kept")));
    }

    [Fact]
    public async Task WriteAsync_AcknowledgedWrites_SurviveReopeningTheDatabase()
    {
        await Task.WhenAll(
            Enumerable
                .Range(0, 200)
                .Select(i =>
                    _store.WriteAsync(s =>
                    {
                        s.Apply(new SaveApp(App($"a{i}")));
                        return true;
                    })
                )
        );
        await _store.DisposeAsync();

        _store = new SqliteStore(DbPath, new TestEncoder(), _time);
        await _store.InitializeAsync();
        var count = await _store.ReadAsync(s => Enumerable.Range(0, 200).Count(i => s.GetApp($"a{i}") is not null));
        Assert.Equal(200, count);
    }

    [Fact]
    public async Task WriteAsync_CommandReadsItsOwnBatchesEarlierWrites_SeesThem()
    {
        var first = _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(App("x")));
            return true;
        });
        var second = _store.WriteAsync(s => s.GetApp("x") is not null);
        await first;
        Assert.True(await second);
    }

    [Fact]
    public async Task ClaimDue_EventsOfOnePage_AreBatchedIntoOneDeliveryInOrder()
    {
        await SeedSubscribedPageAsync("app", "page");
        await _store.WriteAsync(s =>
        {
            for (var i = 0; i < 3; i++)
                s.Apply(
                    new RecordWebhook(
                        "app",
                        "page",
                        new ReadEvent(
                            "page",
                            "psid",
                            _time.GetUtcNow(),
                            _time.GetUtcNow().AddSeconds(i),
                            Platform.Messenger
                        )
                    )
                );
            return true;
        });

        var claimed = await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1));

        var delivery = Assert.Single(claimed);
        Assert.Equal("http://127.0.0.1:1/hook", delivery.CallbackUrl);
        Assert.Equal("r0|r1000|r2000", Encoding.UTF8.GetString(delivery.Body));
    }

    [Fact]
    public async Task ClaimDue_LeasedDelivery_IsNotClaimedTwice()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.Empty(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ClaimDue_WhileADeliveryRetries_LaterEventsOfThatPageWait()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(first.Id, false, 500, "HTTP 500", _time.GetUtcNow().AddSeconds(2));
        await RecordReadAsync("app", "page");

        Assert.Empty(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));

        _time.Advance(TimeSpan.FromSeconds(2));
        var retried = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.Equal(first.Id, retried.Id);
        await _store.Outbox.RecordAttemptAsync(first.Id, true, 200, null, null);

        var next = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.NotEqual(first.Id, next.Id);
    }

    [Fact]
    public async Task ClaimDue_AfterARestart_InFlightDeliveryIsDueAgain()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(10)));
        await _store.DisposeAsync();

        _store = new SqliteStore(DbPath, new TestEncoder(), _time);
        await _store.InitializeAsync();
        Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public async Task RecordAttempt_GiveUp_MarksDeliveryFailedInTheLog()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var d = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(d.Id, false, null, "timeout", nextAttempt: null);

        var entry = Assert.Single(await _store.Outbox.ListAsync("app", 10));
        Assert.Equal(DeliveryStatus.Failed, entry.Status);
        Assert.Equal(1, entry.Attempts);
        Assert.Equal("timeout", entry.LastError);
        Assert.Equal(ReplayOutcome.Replayed, await _store.Outbox.ReplayAsync("app", d.Id));
        Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task ClaimDue_EventsThatWaitedBehindAFailingDelivery_KeepTheirAgeForTheGiveUpHorizon()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var first = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(first.Id, false, 500, "HTTP 500", _time.GetUtcNow().AddMinutes(50));
        var waitingSince = _time.GetUtcNow().AddMinutes(1);
        _time.Advance(TimeSpan.FromMinutes(1));
        await RecordReadAsync("app", "page");

        _time.Advance(TimeSpan.FromMinutes(50));
        var retried = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(retried.Id, true, 200, null, null);

        var next = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.Equal(waitingSince, next.Created);
        Assert.True(RetrySchedule.ShouldGiveUp(next.Created, _time.GetUtcNow().AddMinutes(10)));
    }

    [Fact]
    public async Task ClaimDue_AfterGiveUp_LaterEventsOfThatPageWaitBehindTheFailedDeliveryUntilReplayed()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var failed = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(failed.Id, false, 500, "HTTP 500", nextAttempt: null);
        await RecordReadAsync("app", "page");

        Assert.Empty(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.Null(await _store.Outbox.NextDueInAsync());

        Assert.Equal(ReplayOutcome.Replayed, await _store.Outbox.ReplayAsync("app", failed.Id));
        Assert.Equal(
            failed.Id,
            Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1))).Id
        );
        await _store.Outbox.RecordAttemptAsync(failed.Id, true, 200, null, null);
        var later = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.True(later.Id > failed.Id);
        Assert.Equal(ReplayOutcome.NoSuchFailedDelivery, await _store.Outbox.ReplayAsync("app", 999_999));
    }

    [Fact]
    public async Task RecordAttempt_GiveUpWithUnsubscribe_RemovesTheAppFromThePageAndReplayWaitsForItsReturn()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        var failed = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.True(failed.DisableOnFailure);

        await _store.Outbox.RecordAttemptAsync(failed.Id, false, 500, "HTTP 500", nextAttempt: null, unsubscribe: true);

        Assert.Empty(await _store.ReadAsync(s => s.GetPageSubscriptions("page")));
        Assert.Equal(ReplayOutcome.NotSubscribed, await _store.Outbox.ReplayAsync("app", failed.Id));
        await _store.WriteAsync(s =>
        {
            SubscriptionCommands.InstallOnPage(s, "page", "app", ["message_reads"]);
            return true;
        });
        Assert.Equal(
            failed.Id,
            Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1))).Id
        );
    }

    [Fact]
    public async Task ClaimDue_AppThatKeepsItsSubscription_IsNotToldToDisable()
    {
        await SeedSubscribedPageAsync("app", "page");
        await _store.WriteAsync(s =>
        {
            s.Apply(new SetWebhooksDisableOnFailure("app", false));
            return true;
        });
        await RecordReadAsync("app", "page");

        Assert.False(
            Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1))).DisableOnFailure
        );
        Assert.False(await _store.ReadAsync(s => s.DisablesWebhooksOnFailure("app")));
    }

    [Fact]
    public async Task ClaimDue_WithFewerSlotsThanDueDeliveries_ClaimsOnlyThatMany()
    {
        foreach (var page in new[] { "p1", "p2", "p3" })
        {
            await _store.WriteAsync(s =>
            {
                s.Apply(new SavePage(Page(page, "app")));
                return true;
            });
        }
        await SeedSubscribedPageAsync("app", "p0");
        foreach (var page in new[] { "p0", "p1", "p2", "p3" })
            await RecordReadAsync("app", page);

        Assert.Equal(
            2,
            (await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1), maxDeliveries: 2)).Count
        );
        Assert.Equal(
            2,
            (await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1), maxDeliveries: 5)).Count
        );
    }

    [Fact]
    public async Task DeleteApp_ItsPagesPendingEventsForOtherApps_AreDropped()
    {
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(App("owner")));
            s.Apply(new SavePage(Page("page", "owner")));
            return true;
        });
        await SeedSubscribedPageAsync("other", "other-page");
        await RecordReadAsync("other", "page");

        await _store.WriteAsync(s =>
        {
            s.Apply(new DeleteApp("owner"));
            return true;
        });

        Assert.Empty(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
    }

    private async Task SeedSubscribedPageAsync(string app, string page) =>
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(App(app)));
            s.Apply(new SavePage(Page(page, app)));
            s.Apply(
                new SaveAppSubscription(
                    new AppSubscription(app, "page", "http://127.0.0.1:1/hook", "v", ["message_reads"])
                )
            );
            s.Apply(new SavePageSubscription(new PageSubscription(page, app, ["message_reads"])));
            return true;
        });

    private Task<bool> RecordReadAsync(string app, string page) =>
        _store.WriteAsync(s =>
        {
            s.Apply(
                new RecordWebhook(
                    app,
                    "page",
                    new ReadEvent(page, "psid", _time.GetUtcNow(), _time.GetUtcNow(), Platform.Messenger)
                )
            );
            return true;
        });

    private static byte[] Join(IReadOnlyList<PendingEvent> events) =>
        Encoding.UTF8.GetBytes(string.Join('|', events.Select(e => e.EventJson)));

    private sealed class TestEncoder : IWebhookEventEncoder
    {
        public string Encode(WebhookEvent e) =>
            e is ReadEvent r ? $"r{(r.Watermark - r.Timestamp).TotalMilliseconds}" : e.GetType().Name;
    }
}
