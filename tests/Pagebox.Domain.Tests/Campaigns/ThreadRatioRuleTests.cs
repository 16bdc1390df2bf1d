using Pagebox.Domain.Campaigns;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class ThreadRatioRuleTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary><paramref name="threads"/> distinct organic threads active at <paramref name="at"/>.</summary>
    private static IEnumerable<OrganicActivity> Threads(int threads, DateTimeOffset at, string prefix = "t") =>
        Enumerable.Range(0, threads).Select(i => new OrganicActivity($"{prefix}{i}", at));

    private static ThreadRatioFacts Facts(IEnumerable<DateTimeOffset> paid, IEnumerable<OrganicActivity> organic)
    {
        var list = organic.ToList();
        return new ThreadRatioFacts([.. paid], list, list.Count == 0 ? null : list.Max(a => a.At));
    }

    [Fact]
    public void Check_NoMarketingMessageThisWeek_AllowedWhateverTheThreads()
    {
        Assert.Null(ThreadRatioRule.Check(Facts([], []), T0));
    }

    [Fact]
    public void Check_Weekly_OneMessageFiveThreads_Exactly20Percent_Allowed()
    {
        // Threads three days ago (outside the daily window), one paid message two days ago, activity since.
        var facts = Facts(
            [T0 - 2 * Day],
            Threads(5, T0 - 3 * Day).Append(new OrganicActivity("t0", T0 - Day - TimeSpan.FromHours(1)))
        );

        Assert.Null(ThreadRatioRule.Check(facts, T0));
    }

    [Fact]
    public void Check_Weekly_OneMessageFourThreads_25Percent_WeeklyCap()
    {
        var facts = Facts(
            [T0 - 2 * Day],
            Threads(4, T0 - 3 * Day).Append(new OrganicActivity("t0", T0 - Day - TimeSpan.FromHours(1)))
        );

        Assert.Equal(PaidMarketingReason.WeeklyCap, Reason(ThreadRatioRule.Check(facts, T0)));
    }

    [Fact]
    public void Check_Weekly_MessagesButNoOrganicThread_WeeklyCap()
    {
        Assert.Equal(
            PaidMarketingReason.WeeklyCap,
            Reason(ThreadRatioRule.Check(new ThreadRatioFacts([T0 - 2 * Day], [], null), T0))
        );
    }

    [Fact]
    public void Check_Weekly_MessageExactly7DaysOld_NoLongerCounts()
    {
        var clock = Clock(T0 - TimeSpan.FromDays(7));
        var paid = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromDays(7) - Ms);
        var facts = Facts([paid], Threads(1, T0 - 3 * Day));

        Assert.Equal(PaidMarketingReason.WeeklyCap, Reason(ThreadRatioRule.Check(facts, clock.GetUtcNow())));
        clock.Advance(Ms);
        Assert.NotEqual(PaidMarketingReason.WeeklyCap, Reason(ThreadRatioRule.Check(facts, clock.GetUtcNow())));
    }

    [Fact]
    public void Check_Daily_TwoMessagesFiveThreadsToday_Exactly40Percent_Allowed()
    {
        // Ten threads this week keep the weekly ratio at 20 %; five of them were active in the last day, after the
        // messages.
        var facts = Facts(
            [T0 - TimeSpan.FromHours(20), T0 - TimeSpan.FromHours(10)],
            Threads(5, T0 - 3 * Day, "old").Concat(Threads(5, T0 - TimeSpan.FromHours(2)))
        );

        Assert.Null(ThreadRatioRule.Check(facts, T0));
    }

    [Fact]
    public void Check_Daily_TwoMessagesFourThreadsToday_50Percent_DailyCap()
    {
        var facts = Facts(
            [T0 - TimeSpan.FromHours(20), T0 - TimeSpan.FromHours(10)],
            Threads(6, T0 - 3 * Day, "old").Concat(Threads(4, T0 - TimeSpan.FromHours(2)))
        );

        Assert.Equal(PaidMarketingReason.DailyCap, Reason(ThreadRatioRule.Check(facts, T0)));
    }

    [Fact]
    public void Check_MinOrganic_NoThreadSinceLastMessage_MinOrganicThreads()
    {
        // Plenty of threads, all before the last message.
        var facts = Facts([T0 - TimeSpan.FromHours(13)], Threads(10, T0 - TimeSpan.FromHours(14)));

        Assert.Equal(PaidMarketingReason.MinOrganicThreads, Reason(ThreadRatioRule.Check(facts, T0)));
    }

    [Fact]
    public void Check_MinOrganic_OneThreadSinceLastMessage_Allowed()
    {
        var facts = Facts(
            [T0 - TimeSpan.FromHours(13)],
            Threads(10, T0 - TimeSpan.FromHours(14)).Append(new OrganicActivity("t3", T0 - TimeSpan.FromHours(1)))
        );

        Assert.Null(ThreadRatioRule.Check(facts, T0));
    }

    [Fact]
    public void Check_MinOrganic_ActivityAtTheSameInstantAsTheMessage_DoesNotCount()
    {
        var sent = T0 - TimeSpan.FromHours(13);
        var facts = Facts([sent], Threads(10, sent));

        Assert.Equal(PaidMarketingReason.MinOrganicThreads, Reason(ThreadRatioRule.Check(facts, T0)));
    }

    [Fact]
    public void Check_MinOrganic_InactiveForMoreThanAWeek_Exempt()
    {
        // The last message 8 days ago, the last activity 9 days ago: no thread since, but the person has been quiet for
        // more than 7 days, so the minimum does not apply (and the weekly and daily windows are empty).
        var facts = new ThreadRatioFacts([T0 - TimeSpan.FromDays(8)], [], T0 - TimeSpan.FromDays(9));

        Assert.Null(ThreadRatioRule.Check(facts, T0));
    }

    [Fact]
    public void Check_MinOrganic_LastActivityWithinAWeekButBeforeTheMessage_Applies()
    {
        // Active 6 days ago in 5 threads (weekly ratio 20 %), the message 5 days ago, nothing since.
        var facts = Facts([T0 - TimeSpan.FromDays(5)], Threads(5, T0 - TimeSpan.FromDays(6)));

        Assert.Equal(PaidMarketingReason.MinOrganicThreads, Reason(ThreadRatioRule.Check(facts, T0)));
    }
}
