using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class CampaignRequestRuleTests
{
    private static CampaignRequest Request(
        long? daily = 1000,
        long? lifetime = null,
        DateTimeOffset? start = null,
        DateTimeOffset? end = null,
        string? page = "page-1",
        string? name = "Summer"
    ) => new(name, page, daily, lifetime, null, null, start, end);

    private static DomainError? Refused(CampaignRequest r, DateTimeOffset? now = null) =>
        CampaignRequestRule.Check(r, Account(), now ?? T0).Error;

    [Fact]
    public void Check_Defaults_StartNow_DailyRunsForever_LifetimeEndsAfter30Days()
    {
        var daily = CampaignRequestRule.Check(Request(), Account(), T0).Value!;
        var lifetime = CampaignRequestRule.Check(Request(daily: null, lifetime: 3000), Account(), T0).Value!;

        Assert.Equal(T0, daily.Start);
        Assert.Null(daily.End);
        Assert.Equal(T0 + TimeSpan.FromDays(30), lifetime.End);
    }

    [Fact]
    public void Check_NoPageId_PageIdRequired_OtherPage_Invalid()
    {
        Assert.Equal(PaidMarketingReason.PageIdRequired, Refused(Request(page: null))!.PaidReason);
        Assert.Equal("page_id", Refused(Request(page: "page-2"))!.Parameter);
    }

    [Fact]
    public void Check_BothBudgets_Refused_NoBudget_Allowed()
    {
        Assert.Equal("daily_budget", Refused(Request(daily: 1000, lifetime: 3000))!.Parameter);
        Assert.Null(Refused(Request(daily: null)));
    }

    [Theory]
    [InlineData(0L, "daily_budget")]
    [InlineData(-5L, "daily_budget")]
    [InlineData(99L, "daily_budget")]
    public void Check_DailyBudget_BelowMinimum_Refused(long daily, string parameter)
    {
        Assert.Equal(parameter, Refused(Request(daily: daily))!.Parameter);
    }

    [Fact]
    public void Check_DailyBudget_ExactlyTheMinimum_Allowed()
    {
        Assert.Null(Refused(Request(daily: CampaignRequestRule.MinDailyBudget)));
    }

    [Fact]
    public void Check_LifetimeBudget_MinimumIsPerDayOfTheFlight()
    {
        // 30 days (the default) need 3000; a 2.5-day flight needs 300.
        Assert.Null(Refused(Request(daily: null, lifetime: 3000)));
        Assert.Equal("lifetime_budget", Refused(Request(daily: null, lifetime: 2999))!.Parameter);
        Assert.Null(Refused(Request(daily: null, lifetime: 300, end: T0 + TimeSpan.FromDays(2.5))));
        Assert.Equal(
            "lifetime_budget",
            Refused(Request(daily: null, lifetime: 299, end: T0 + TimeSpan.FromDays(2.5)))!.Parameter
        );
    }

    [Fact]
    public void Check_StartTime_AMinuteOfSkewForgiven_MoreRefused()
    {
        var ok = CampaignRequestRule.Check(Request(start: T0 - TimeSpan.FromMinutes(1)), Account(), T0).Value!;

        Assert.Equal(T0, ok.Start);
        Assert.Equal("start_time", Refused(Request(start: T0 - TimeSpan.FromMinutes(1) - Ms))!.Parameter);
    }

    [Fact]
    public void Check_StartTime_Exactly30DaysAhead_Allowed_Beyond_Refused()
    {
        Assert.Null(Refused(Request(start: T0 + TimeSpan.FromDays(30))));
        Assert.Equal("start_time", Refused(Request(start: T0 + TimeSpan.FromDays(30) + Ms))!.Parameter);
    }

    [Fact]
    public void Check_EndTime_NotAfterStart_Refused()
    {
        Assert.Equal("end_time", Refused(Request(end: T0))!.Parameter);
        Assert.Null(Refused(Request(end: T0 + Ms)));
    }

    [Fact]
    public void Check_Name_MissingOrTooLong()
    {
        Assert.Equal(DomainErrorKind.MissingParameter, Refused(Request(name: " "))!.Kind);
        Assert.Null(Refused(Request(name: new string('n', 400))));
        Assert.Equal("name", Refused(Request(name: new string('n', 401)))!.Parameter);
    }

    [Fact]
    public void EstimatedDailyCap_TwoMessagesADayPerSubscriber_AtLeastTheMinimum()
    {
        Assert.Equal(CampaignRequestRule.MinDailyBudget, CampaignRequestRule.EstimatedDailyCap(0, 1));
        Assert.Equal(2 * 80 * 5, CampaignRequestRule.EstimatedDailyCap(80, 5));
    }
}
