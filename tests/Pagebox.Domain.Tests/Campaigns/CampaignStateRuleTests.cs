using Pagebox.Domain.Campaigns;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class CampaignStateRuleTests
{
    [Fact]
    public void Check_59m59sAfterCreation_NotReadyWithOneSecondLeft()
    {
        var clock = Clock();
        clock.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59));

        var error = CampaignStateRule.Check(Campaign(), "1000000000001", clock.GetUtcNow());

        Assert.Equal(PaidMarketingReason.CampaignNotReady, Reason(error));
        Assert.Equal(1, error!.RemainingSeconds);
    }

    [Fact]
    public void Check_1MsBeforeTheHour_StillNotReady()
    {
        Assert.Equal(
            PaidMarketingReason.CampaignNotReady,
            Reason(CampaignStateRule.Check(Campaign(), "1000000000001", T0 + TimeSpan.FromHours(1) - Ms))
        );
    }

    [Fact]
    public void Check_ExactlyOneHourAfterCreation_Ready()
    {
        var clock = Clock();
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Null(CampaignStateRule.Check(Campaign(), "1000000000001", clock.GetUtcNow()));
    }

    [Fact]
    public void Check_RightAfterCreation_RemainingSecondsIsTheWholeHour()
    {
        Assert.Equal(3600, CampaignStateRule.Check(Campaign(), "1000000000001", T0)!.RemainingSeconds);
    }

    [Fact]
    public void Check_Unknown_InvalidMessageId()
    {
        Assert.Equal(PaidMarketingReason.InvalidMessageId, Reason(CampaignStateRule.Check(null, "1000000000001", T0)));
    }

    [Fact]
    public void Check_Deleted_InvalidMessageId()
    {
        Assert.Equal(
            PaidMarketingReason.InvalidMessageId,
            Reason(
                CampaignStateRule.Check(Campaign() with { Deleted = T0 }, "1000000000001", T0 + TimeSpan.FromDays(1))
            )
        );
    }

    [Fact]
    public void Check_AnotherAdAccount_Mismatch()
    {
        Assert.Equal(
            PaidMarketingReason.AdAccountMismatch,
            Reason(CampaignStateRule.Check(Campaign(), "2000000000002", T0 + TimeSpan.FromDays(1)))
        );
    }

    [Fact]
    public void Check_1MsBeforeEnd_Allowed_AtEnd_Inactive()
    {
        var end = T0 + TimeSpan.FromDays(2);
        var campaign = Campaign(end: end);

        Assert.Null(CampaignStateRule.Check(campaign, "1000000000001", end - Ms));
        Assert.Equal(
            PaidMarketingReason.InactiveCampaign,
            Reason(CampaignStateRule.Check(campaign, "1000000000001", end))
        );
    }

    [Fact]
    public void Check_BeforeStart_NotStartedWithSecondsToStart()
    {
        var campaign = Campaign() with { StartTime = T0 + TimeSpan.FromHours(5) };

        var error = CampaignStateRule.Check(campaign, "1000000000001", T0 + TimeSpan.FromHours(2));

        Assert.Equal(PaidMarketingReason.CampaignNotStarted, Reason(error));
        Assert.Equal(3 * 3600, error!.RemainingSeconds);
        Assert.Null(CampaignStateRule.Check(campaign, "1000000000001", T0 + TimeSpan.FromHours(5)));
    }
}

public class TokenCapRuleTests
{
    [Fact]
    public void Check_NeverSent_Allowed()
    {
        Assert.Null(TokenCapRule.Check(null, T0));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(11 * 3600 + 59 * 60 + 59, true)]
    [InlineData(12 * 3600, false)]
    [InlineData(12 * 3600 + 1, false)]
    public void Check_SecondsAfterLastSend_RefusedUntil12Hours(int seconds, bool refused)
    {
        var clock = Clock();
        var last = Paid(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(seconds));

        var error = TokenCapRule.Check(last, clock.GetUtcNow());

        Assert.Equal(refused ? PaidMarketingReason.TooSoon : null, Reason(error));
    }

    [Fact]
    public void Check_1MsBefore12Hours_Refused()
    {
        Assert.Equal(
            PaidMarketingReason.TooSoon,
            Reason(TokenCapRule.Check(Paid(T0), T0 + TimeSpan.FromHours(12) - Ms))
        );
    }

    [Fact]
    public void NextEligible_IsLastSendPlus12Hours()
    {
        Assert.Equal(T0 + TimeSpan.FromHours(12), TokenCapRule.NextEligible(Paid(T0)));
    }
}

public class PermissionRuleTests
{
    [Theory]
    [InlineData("pages_messaging,paid_marketing_messages", "ads_management")]
    [InlineData("ads_management,paid_marketing_messages", "pages_messaging")]
    [InlineData("ads_management,pages_messaging", "paid_marketing_messages")]
    public void Check_Sending_NamesTheFirstMissing(string granted, string missing)
    {
        var error = PermissionRule.Check(granted.Split(','), sending: true);

        Assert.Equal(Errors.DomainErrorKind.PermissionRequired, error!.Kind);
        Assert.Equal(missing, error.Parameter);
    }

    [Fact]
    public void Check_MarketingMessagesMessengerInsteadOfPaid_Allowed()
    {
        Assert.Null(
            PermissionRule.Check(["ads_management", "pages_messaging", "marketing_messages_messenger"], sending: true)
        );
    }

    [Fact]
    public void Check_CreatingCampaign_NeedsNoPagesMessaging()
    {
        Assert.Null(PermissionRule.Check(["ads_management", "paid_marketing_messages"], sending: false));
    }
}

public class RegionRuleTests
{
    [Theory]
    [InlineData("en_US", null)]
    [InlineData("en_GB", PaidMarketingReason.SubscriberRegion)]
    [InlineData("de_DE", PaidMarketingReason.SubscriberRegion)]
    [InlineData("ja_JP", PaidMarketingReason.SubscriberRegion)]
    [InlineData("ko_KR", PaidMarketingReason.SubscriberRegion)]
    [InlineData("en_AU", PaidMarketingReason.SubscriberRegion)]
    [InlineData("pt_BR", null)]
    [InlineData("en", null)]
    public void CheckRecipient_ByLocaleRegion(string locale, PaidMarketingReason? expected)
    {
        Assert.Equal(expected, Reason(RegionRule.CheckRecipient(locale)));
    }

    [Theory]
    [InlineData("US", null)]
    [InlineData("AU", null)]
    [InlineData("GB", PaidMarketingReason.AdAccountRegion)]
    [InlineData("FR", PaidMarketingReason.AdAccountRegion)]
    public void CheckBusiness_AustraliaAllowedAsBusinessNotAsRecipient(string country, PaidMarketingReason? expected)
    {
        Assert.Equal(expected, Reason(RegionRule.CheckBusiness(Account(country: country))));
    }
}
