using Pagebox.Domain.Campaigns;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class BudgetRuleTests
{
    private static readonly DateTimeOffset NextDay = At("2026-06-04T00:00:00Z");
    private static readonly DateTimeOffset NextWeek = At("2026-06-07T00:00:00Z");

    private static BudgetFacts Facts(
        MessageCampaignRecord campaign,
        long lifetime = 0,
        long today = 0,
        long week = 0,
        long account = 0,
        AdAccountRecord? a = null
    ) => new(campaign, a ?? Account(price: 10), lifetime, today, week, account, NextDay, NextWeek);

    [Fact]
    public void Check_Daily_SpendReaches175PercentExactly_Allowed_OneCentMore_DailyBudget()
    {
        // Daily budget 1000: up to 1750 a day. Spent 1740, a message costs 10.
        var campaign = Campaign(daily: 1000);

        Assert.Null(BudgetRule.Check(Facts(campaign, today: 1740, week: 1740), T0));
        var error = BudgetRule.Check(Facts(campaign, today: 1741, week: 1741), T0);
        Assert.Equal(PaidMarketingReason.DailyBudgetReached, Reason(error));
        Assert.Equal((long)(NextDay - T0).TotalSeconds, error!.RemainingSeconds);
    }

    [Fact]
    public void Check_Daily_WeekReaches7TimesExactly_Allowed_Beyond_DailyBudgetUntilSunday()
    {
        var campaign = Campaign(daily: 1000);

        Assert.Null(BudgetRule.Check(Facts(campaign, today: 0, week: 6990), T0));
        var error = BudgetRule.Check(Facts(campaign, today: 0, week: 6991), T0);
        Assert.Equal(PaidMarketingReason.DailyBudgetReached, Reason(error));
        Assert.Equal((long)(NextWeek - T0).TotalSeconds, error!.RemainingSeconds);
    }

    [Fact]
    public void Check_Lifetime_ReachedExactly_Allowed_Beyond_LifetimeBudgetWithoutRemainingSeconds()
    {
        var campaign = Campaign(daily: null, lifetime: 3000);

        Assert.Null(BudgetRule.Check(Facts(campaign, lifetime: 2990), T0));
        var error = BudgetRule.Check(Facts(campaign, lifetime: 2991), T0);
        Assert.Equal(PaidMarketingReason.LifetimeBudgetReached, Reason(error));
        Assert.Null(error!.RemainingSeconds);
    }

    [Fact]
    public void Check_Pacing_ReleasesTheLifetimeBudgetPerHalfHour()
    {
        // 3000 over 10 hours: 20 slots of 150. In the first slot 150 is released; at 30 minutes 300.
        var campaign = Campaign(daily: null, lifetime: 3000, end: T0 + TimeSpan.FromHours(10));
        var clock = Clock(T0 + TimeSpan.FromMinutes(29));

        Assert.Null(BudgetRule.Check(Facts(campaign, lifetime: 140), clock.GetUtcNow()));
        var error = BudgetRule.Check(Facts(campaign, lifetime: 141), clock.GetUtcNow());
        Assert.Equal(PaidMarketingReason.PacingLimit, Reason(error));
        Assert.Equal(60, error!.RemainingSeconds);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(BudgetRule.Check(Facts(campaign, lifetime: 141), clock.GetUtcNow()));
    }

    [Fact]
    public void Released_RoundsUp_AndTheLastSlotReleasesEverything()
    {
        var campaign = Campaign(daily: null, lifetime: 100, end: T0 + TimeSpan.FromHours(1.5));

        Assert.Equal(34, BudgetRule.Released(campaign, 100, T0)!.Value.Amount);
        Assert.Equal(100, BudgetRule.Released(campaign, 100, T0 + TimeSpan.FromHours(1.4))!.Value.Amount);
    }

    [Fact]
    public void Check_BidBelowPrice_BidTooLow_BidEqualToPrice_Allowed()
    {
        Assert.Equal(PaidMarketingReason.BidTooLow, Reason(BudgetRule.Check(Facts(Campaign(bid: 9)), T0)));
        Assert.Null(BudgetRule.Check(Facts(Campaign(bid: 10)), T0));
    }

    [Fact]
    public void Check_AccountSpendCap_ReachedExactly_Allowed_Beyond_AccountSpendLimit()
    {
        var account = Account(price: 10, spendCap: 500);

        Assert.Null(BudgetRule.Check(Facts(Campaign(), account: 490, a: account), T0));
        Assert.Equal(
            PaidMarketingReason.AccountSpendLimit,
            Reason(BudgetRule.Check(Facts(Campaign(), account: 491, a: account), T0))
        );
    }

    [Fact]
    public void Check_PrepaidBalance_EqualToPrice_Allowed_Below_Depleted()
    {
        Assert.Null(BudgetRule.Check(Facts(Campaign(), a: Account(price: 10, balance: 10)), T0));
        Assert.Equal(
            PaidMarketingReason.PrepaidBalanceDepleted,
            Reason(BudgetRule.Check(Facts(Campaign(), a: Account(price: 10, balance: 9)), T0))
        );
    }

    [Fact]
    public void Check_EstimatedCap_IsAPlainDailyCap()
    {
        var campaign = Campaign(daily: null, cap: 100);

        Assert.Null(BudgetRule.Check(Facts(campaign, today: 90), T0));
        Assert.Equal(PaidMarketingReason.DailyBudgetReached, Reason(BudgetRule.Check(Facts(campaign, today: 91), T0)));
    }
}

public class LocalCalendarTests
{
    [Fact]
    public void WeekStart_IsSundayMidnightLocal()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // Wednesday 2026-06-03 10:00 UTC is 06:00 in New York (EDT, UTC-4): the week began Sunday 2026-05-31 00:00 EDT.
        Assert.Equal(At("2026-05-31T04:00:00Z"), LocalCalendar.WeekStart(T0, zone));
        Assert.Equal(At("2026-06-07T04:00:00Z"), LocalCalendar.NextWeekStart(T0, zone));
    }

    [Fact]
    public void NextDayStart_AcrossTheSpringForwardDay_Is23HoursLater()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = At("2026-03-08T05:00:00Z"); // 2026-03-08 00:00 EST, the day clocks jump to EDT

        Assert.Equal(TimeSpan.FromHours(23), LocalCalendar.NextDayStart(day, zone) - LocalCalendar.DayStart(day, zone));
    }
}
