using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Testing;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>The successor API's store queries (Migrations/050_paid_marketing.sql).</summary>
public sealed class SqliteCampaignsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-campaigns-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_dir, "pagebox.db"), new TestEncoder(), new FakeTimeProvider(T0));
        await _store.InitializeAsync();
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(new AppRecord("app1", "a", "s", false, 0, T0)));
            s.Apply(new SavePage(new PageRecord("page1", "app1", "p", Platform.Messenger, "UTC", new PageSettings())));
            s.Apply(new SavePage(new PageRecord("page2", "app1", "p", Platform.Messenger, "UTC", new PageSettings())));
            s.Apply(new SavePerson(new PersonRecord("person1", "Ada", "UTC", "en_US")));
            s.Apply(new SaveConversation(new Conversation("page1", "person1", "psid1", T0, false, T0)));
            s.Apply(new SaveConversation(new Conversation("page2", "person1", "psid2", T0, false, T0)));
            s.Apply(new SaveAdAccount(new AdAccountRecord("acc1", "app1", "page1", "biz", "USD", "US", "UTC", 100, null, 3, ["ads_management"], T0)));
            s.Apply(new SaveMessageCampaign(new MessageCampaignRecord("c1", "g1", "s1", "acc1", "page1", "n", 1000, null, null, null, null, T0, null, T0, null)));
            return 0;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private static PaidMessageRecord Paid(string id, DateTimeOffset at, long charged, string? mid = null, PaidMessageStatus status = PaidMessageStatus.Delivered) =>
        new(id, "c1", "acc1", "page1", "tok1", "psid1", "person1", mid ?? "m_" + id, at, status, charged, null, 0, null);

    [Fact]
    public async Task AdAccountAndCampaign_RoundTrip()
    {
        var (account, campaign) = await _store.ReadAsync(s => (s.GetAdAccount("acc1"), s.GetMessageCampaign("c1")));

        Assert.Equal(["ads_management"], account!.Permissions);
        Assert.Equal(100, account.BalanceCents);
        Assert.Null(account.SpendCapCents);
        Assert.Equal(1000, campaign!.DailyBudget);
        Assert.Null(campaign.EndTime);
    }

    [Fact]
    public async Task PaidSpend_HalfOpenRange_AndStats()
    {
        await _store.WriteAsync(s =>
        {
            s.Apply(new SavePaidMessage(Paid("a", T0, 3)));
            s.Apply(new SavePaidMessage(Paid("b", T0.AddHours(1), 3) with { ReadAt = T0.AddHours(2), Clicks = 2 }));
            s.Apply(new SavePaidMessage(Paid("c", T0.AddHours(2), 0, status: PaidMessageStatus.Failed) with { Mid = null }));
            return 0;
        });

        var (inRange, all, stats, last) = await _store.ReadAsync(s => (
            s.GetPaidSpend("acc1", "c1", T0, T0.AddHours(1)),
            s.GetPaidSpend("acc1", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
            s.GetPaidStats("acc1", null, T0, T0.AddDays(1)),
            s.GetLastPaidMessageOnToken("tok1")));

        Assert.Equal(3, inRange);
        Assert.Equal(6, all);
        Assert.Equal(new PaidStats(3, 2, 1, 2, 6, T0), stats);
        Assert.Equal("c", last!.TrackingId);
    }

    [Fact]
    public async Task UnreadPaidMessages_DeliveredOnly_UntilRead()
    {
        await _store.WriteAsync(s =>
        {
            s.Apply(new SavePaidMessage(Paid("a", T0, 3)));
            s.Apply(new SavePaidMessage(Paid("b", T0, 0, status: PaidMessageStatus.Failed) with { Mid = null }));
            s.Apply(new SavePaidMessage(Paid("c", T0, 3) with { ReadAt = T0 }));
            return 0;
        });

        var unread = await _store.ReadAsync(s => s.GetUnreadPaidMessages("page1", "psid1"));

        Assert.Equal("a", Assert.Single(unread).TrackingId);
    }

    [Fact]
    public async Task OrganicActivity_PersonsMessagesOnEveryPage_AndFriendChats()
    {
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveMessage(new StoredMessage("m1", "page1", "psid1", MessageDirection.FromPerson, MessageKind.Standard, T0, "{}", null)));
            s.Apply(new SaveMessage(new StoredMessage("m2", "page2", "psid2", MessageDirection.FromPerson, MessageKind.Standard, T0.AddHours(1), "{}", null)));
            s.Apply(new SaveMessage(new StoredMessage("m3", "page1", "psid1", MessageDirection.FromPage, MessageKind.Standard, T0.AddHours(3), "{}", "app1")));
            s.Apply(new RecordFriendChat("person1", "friend:1", T0.AddHours(2)));
            return 0;
        });

        var (activity, last, lastInThread) = await _store.ReadAsync(s => (
            s.GetOrganicActivity("person1", T0.AddMinutes(30)), s.GetLastOrganicActivity("person1"), s.GetLastOrganicMessage("page1", "psid1")));

        Assert.Equal(["friend:1", "page2"], activity.Select(a => a.Thread).Order(StringComparer.Ordinal));
        Assert.Equal(T0.AddHours(2), last);
        Assert.Equal(T0.AddHours(3), lastInThread);
    }

    [Fact]
    public async Task DeleteApp_RemovesItsAdAccountsCampaignsAndPaidMessages()
    {
        await _store.WriteAsync(s =>
        {
            s.Apply(new SavePaidMessage(Paid("a", T0, 3)));
            s.Apply(new DeleteApp("app1"));
            return 0;
        });

        var left = await _store.ReadAsync(s => (s.GetAdAccount("acc1"), s.GetMessageCampaign("c1"), s.GetLastPaidMessageOnToken("tok1")));

        Assert.Null(left.Item1);
        Assert.Null(left.Item2);
        Assert.Null(left.Item3);
    }

    private sealed class TestEncoder : Domain.Webhooks.IWebhookEventEncoder
    {
        public string Encode(Domain.Webhooks.WebhookEvent e) => e.GetType().Name;
    }
}
