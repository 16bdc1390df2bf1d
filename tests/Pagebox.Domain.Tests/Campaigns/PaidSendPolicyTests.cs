using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class PaidSendPolicyTests
{
    /// <summary>Two hours after the campaign was made: warmed up.</summary>
    private static readonly DateTimeOffset Now = T0 + TimeSpan.FromHours(2);

    private static PaidSendFacts Facts() =>
        new(
            Account(),
            new PageRecord("page-1", "app-1", "Shop", Platform.Messenger, "UTC", new PageSettings()),
            Text("Hi {{first_name}}"),
            Campaign(),
            Token(),
            PolicyProfile.Retired,
            new PersonRecord("person-1", "Ada Lovelace", "UTC", "en_US"),
            new Conversation("page-1", "person-1", "psid-1", T0, false, T0),
            null,
            null,
            null,
            new ThreadRatioFacts([], [new OrganicActivity("page-1", T0)], T0),
            new BudgetFacts(Campaign(), Account(), 0, 0, 0, 0, Now + TimeSpan.FromHours(12), Now + TimeSpan.FromDays(4))
        );

    private static DomainError? Decide(PaidSendFacts f) => PaidSendPolicy.Decide(f, Now);

    [Fact]
    public void Decide_EverythingInOrder_Accepted_EvenUnderTheRetiredProfile()
    {
        Assert.Null(Decide(Facts()));
    }

    [Fact]
    public void Decide_MissingPermission_BeforeEverythingElse()
    {
        var f = Facts() with
        {
            Account = Account() with { Permissions = ["pages_messaging", "paid_marketing_messages"] },
            Campaign = null,
            Token = null,
        };

        Assert.Equal(DomainErrorKind.PermissionRequired, Decide(f)!.Kind);
    }

    [Fact]
    public void Decide_PageMessagingOff_BeforeTheCreative()
    {
        var f = Facts() with
        {
            Page = Facts().Page with { Settings = new PageSettings(MessagingEnabled: false) },
            Creative = Text("{{nope}}"),
        };

        Assert.Equal(DomainErrorKind.MessagingDisabled, Decide(f)!.Kind);
    }

    [Fact]
    public void Decide_CreativeBeforeCampaign()
    {
        Assert.Equal(
            PaidMarketingReason.UnresolvedPlaceholder,
            Reason(Decide(Facts() with { Creative = Text("{{nope}}"), Campaign = null }))
        );
    }

    [Fact]
    public void Decide_BusinessRegionBeforeCampaign()
    {
        Assert.Equal(
            PaidMarketingReason.AdAccountRegion,
            Reason(Decide(Facts() with { Account = Account(country: "GB"), Campaign = null }))
        );
    }

    [Fact]
    public void Decide_CampaignBeforeToken()
    {
        Assert.Equal(
            PaidMarketingReason.InvalidMessageId,
            Reason(Decide(Facts() with { Campaign = null, Token = null }))
        );
    }

    [Fact]
    public void Decide_TokenChecks_InOrder()
    {
        var f = Facts();
        Assert.Equal(PaidMarketingReason.InvalidSubscriptionToken, Reason(Decide(f with { Token = null })));
        Assert.Equal(
            PaidMarketingReason.PageIdMismatch,
            Reason(Decide(f with { Token = Token() with { PageId = "page-2", Status = TokenStatus.Stopped } }))
        );
        Assert.Equal(
            PaidMarketingReason.SubscriberStopped,
            Reason(Decide(f with { Token = Token() with { Status = TokenStatus.Stopped } }))
        );
        Assert.Equal(
            PaidMarketingReason.SubscriberRegion,
            Reason(
                Decide(
                    f with
                    {
                        Person = f.Person! with { Locale = "fr_FR" },
                        Conversation = f.Conversation! with { Blocked = true },
                    }
                )
            )
        );
        Assert.Equal(
            PaidMarketingReason.RecipientUnavailable,
            Reason(Decide(f with { Conversation = f.Conversation! with { Blocked = true } }))
        );
    }

    [Fact]
    public void Decide_ExpiredTokenUnder2023_TokenExpired_BeforeStopped()
    {
        var expired = Token() with { ExpiresAt = Now, Status = TokenStatus.Stopped };

        Assert.Equal(
            PaidMarketingReason.TokenExpired,
            Reason(Decide(Facts() with { Token = expired, Profile = PolicyProfile.P2023 }))
        );
    }

    [Fact]
    public void Decide_TwelveHourCap_BeforeTheFCaps()
    {
        var f = Facts() with
        {
            LastOnToken = Paid(Now - TimeSpan.FromHours(1)),
            ThreadRatio = new ThreadRatioFacts([Now - TimeSpan.FromHours(1)], [], null),
        };

        Assert.Equal(PaidMarketingReason.TooSoon, Reason(Decide(f)));
        Assert.Equal(
            PaidMarketingReason.WeeklyCap,
            Reason(Decide(f with { LastOnToken = Paid(Now - TimeSpan.FromHours(12)) }))
        );
    }

    [Fact]
    public void Decide_MinConversationGap_OrganicMessageInsideTheGap_RecipientUnavailable()
    {
        var f = Facts() with
        {
            MinConversationGapSeconds = 3600,
            LastOrganicInThread = Now - TimeSpan.FromSeconds(3599),
        };

        Assert.Equal(PaidMarketingReason.RecipientUnavailable, Reason(Decide(f)));
        Assert.Null(Decide(f with { LastOrganicInThread = Now - TimeSpan.FromSeconds(3600) }));
    }

    [Fact]
    public void Decide_BudgetLast()
    {
        var f = Facts() with
        {
            Budget = Facts().Budget! with { Account = Account(balance: 0) },
            Account = Account(balance: 0),
        };

        Assert.Equal(PaidMarketingReason.PrepaidBalanceDepleted, Reason(Decide(f)));
    }
}

public class InsightsPeriodsTests
{
    private static readonly DateOnly Today = new(2026, 6, 3); // a Wednesday

    [Theory]
    [InlineData("today", "2026-06-03", "2026-06-03")]
    [InlineData("yesterday", "2026-06-02", "2026-06-02")]
    [InlineData("last_7d", "2026-05-27", "2026-06-02")]
    [InlineData("last_30d", "2026-05-04", "2026-06-02")]
    [InlineData("this_month", "2026-06-01", "2026-06-03")]
    [InlineData("last_month", "2026-05-01", "2026-05-31")]
    [InlineData("this_quarter", "2026-04-01", "2026-06-03")]
    [InlineData("last_quarter", "2026-01-01", "2026-03-31")]
    [InlineData("this_week_mon_today", "2026-06-01", "2026-06-03")]
    [InlineData("this_week_sun_today", "2026-05-31", "2026-06-03")]
    [InlineData("last_week_mon_sun", "2026-05-25", "2026-05-31")]
    [InlineData("last_week_sun_sat", "2026-05-24", "2026-05-30")]
    [InlineData("maximum", "2026-05-20", "2026-06-03")]
    public void For_Presets(string preset, string start, string stop)
    {
        var period = InsightsPeriods.For(preset, Today, new DateOnly(2026, 5, 20))!;

        Assert.Equal(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture), period.Start);
        Assert.Equal(DateOnly.Parse(stop, System.Globalization.CultureInfo.InvariantCulture), period.Stop);
    }

    [Fact]
    public void For_UnknownPreset_Null()
    {
        Assert.Null(InsightsPeriods.For("last_2d", Today, null));
    }

    [Fact]
    public void DeliveryEstimator_BudgetLimitsTheUpperBound()
    {
        // 10 subscribers over 3 days could take 60 messages; 2000 a day at 50 each buys 120; 500 lifetime buys 10.
        Assert.Equal(new DeliveryEstimate(10, 60, 500, 3000), DeliveryEstimator.Estimate(10, 50, 2000, null, 3));
        Assert.Equal(new DeliveryEstimate(10, 10, 500, 500), DeliveryEstimator.Estimate(10, 50, null, 500, 3));
        Assert.Equal(new DeliveryEstimate(4, 8, 4, 8), DeliveryEstimator.Estimate(4, 1, null, null, 1));
    }
}
