using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class OptInRequestRuleTests
{
    private static readonly DateTimeOffset Now = T0;
    private static readonly TimeSpan Week = TimeSpan.FromSeconds(604_800);

    private static OptInRequestFacts Facts(
        Platform platform = Platform.Messenger,
        IReadOnlyList<SentOptInRequest>? earlier = null,
        IReadOnlyList<OptInTopic>? topics = null,
        PolicyProfile profile = PolicyProfile.P2025_09,
        bool allowed = true,
        bool windowOpen = true
    ) =>
        new(
            platform,
            profile,
            allowed,
            windowOpen,
            earlier ?? [],
            topics ?? [new OptInTopic("Deals", "https://x/a.png")]
        );

    private static SentOptInRequest Sent(string title, DateTimeOffset at, string? image = "https://x/a.png") =>
        new(title, image, at);

    private static DomainErrorKind? Check(OptInRequestFacts facts) => OptInRequestRule.Check(facts, Now)?.Kind;

    [Fact]
    public void Check_FirstRequestInsideWindow_Allowed()
    {
        Assert.Null(Check(Facts()));
    }

    [Fact]
    public void Check_RetiredProfile_OptInRequestsStillWork_TheSuccessorReusesTheirTokens()
    {
        Assert.Null(Check(Facts(profile: PolicyProfile.Retired)));
        Assert.Equal(DomainErrorKind.OutsideWindow, Check(Facts(profile: PolicyProfile.Retired, windowOpen: false)));
    }

    [Fact]
    public void Check_PageBarred_BarredBeforeWindow()
    {
        Assert.Equal(DomainErrorKind.OptInRequestsBarred, Check(Facts(allowed: false, windowOpen: false)));
    }

    [Fact]
    public void Check_WindowClosed_OutsideWindowBeforeDuplicate()
    {
        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            Check(Facts(windowOpen: false, earlier: [Sent("Deals", Now - Ms)]))
        );
    }

    [Fact]
    public void Check_SameTitleExactly7DaysLater_Allowed()
    {
        Assert.Null(Check(Facts(earlier: [Sent("Deals", Now - Week)])));
    }

    [Fact]
    public void Check_SameTitle1MsBefore7Days_Duplicate()
    {
        Assert.Equal(DomainErrorKind.OptInRequestDuplicate, Check(Facts(earlier: [Sent("Deals", Now - Week + Ms)])));
    }

    [Fact]
    public void Check_DefaultTitleTwiceInAWeek_Duplicate()
    {
        var topic = new OptInTopic(OptInTemplateRule.DefaultTitle, null);

        Assert.Equal(
            DomainErrorKind.OptInRequestDuplicate,
            Check(
                Facts(
                    topics: [topic],
                    earlier: [Sent(OptInTemplateRule.DefaultTitle, Now - TimeSpan.FromDays(3), null)]
                )
            )
        );
    }

    [Fact]
    public void Check_MessengerSameTitleOtherImage_Duplicate()
    {
        Assert.Equal(
            DomainErrorKind.OptInRequestDuplicate,
            Check(Facts(earlier: [Sent("Deals", Now - TimeSpan.FromHours(1), "https://x/other.png")]))
        );
    }

    [Fact]
    public void Check_InstagramSameTitleOtherImage_Allowed()
    {
        Assert.Null(
            Check(
                Facts(Platform.Instagram, earlier: [Sent("Deals", Now - TimeSpan.FromHours(1), "https://x/other.png")])
            )
        );
    }

    [Fact]
    public void Check_InstagramSameTitleSameImage_Duplicate()
    {
        Assert.Equal(
            DomainErrorKind.OptInRequestDuplicate,
            Check(Facts(Platform.Instagram, earlier: [Sent("Deals", Now - TimeSpan.FromHours(1))]))
        );
    }

    [Fact]
    public void Check_TitleDiffersOnlyInCase_NotDuplicate()
    {
        Assert.Null(Check(Facts(earlier: [Sent("DEALS", Now - TimeSpan.FromHours(1))])));
    }

    // Rolling 24 h on Instagram: the 5th request of the last 24 h goes, the 6th does not.
    [Fact]
    public void Check_InstagramFifthIn24Hours_Allowed()
    {
        Assert.Null(Check(Facts(Platform.Instagram, earlier: SentEvery(4, TimeSpan.FromHours(1)))));
    }

    [Fact]
    public void Check_InstagramSixthIn24Hours_VolumeLimit()
    {
        Assert.Equal(
            DomainErrorKind.OptInVolumeLimit,
            Check(Facts(Platform.Instagram, earlier: SentEvery(5, TimeSpan.FromHours(1))))
        );
    }

    [Fact]
    public void Check_InstagramOldestOfFiveExactly24HoursAgo_Allowed()
    {
        var earlier = SentEvery(4, TimeSpan.FromHours(1)).Append(Sent("Old", Now - TimeSpan.FromHours(24))).ToList();

        Assert.Null(Check(Facts(Platform.Instagram, earlier: earlier)));
    }

    // 15 h apart keeps at most 2 in any 24 h, so only the weekly limit of different titles is hit.
    [Fact]
    public void Check_InstagramTenthTitleIn7Days_Allowed()
    {
        Assert.Null(Check(Facts(Platform.Instagram, earlier: SentEvery(9, TimeSpan.FromHours(15)))));
    }

    [Fact]
    public void Check_InstagramEleventhTitleIn7Days_VolumeLimit()
    {
        Assert.Equal(
            DomainErrorKind.OptInVolumeLimit,
            Check(Facts(Platform.Instagram, earlier: SentEvery(10, TimeSpan.FromHours(15))))
        );
    }

    [Fact]
    public void Check_InstagramKnownTitleNewImageAfterTenTitles_Allowed()
    {
        // "10 different titles": a known title with a new image is not a duplicate and adds no title.
        var earlier = SentEvery(10, TimeSpan.FromHours(15));

        Assert.Null(
            Check(Facts(Platform.Instagram, earlier: earlier, topics: [new OptInTopic("Topic 1", "https://x/new.png")]))
        );
    }

    [Fact]
    public void Check_InstagramTitlesOlderThan7Days_NotCounted()
    {
        var earlier = Enumerable
            .Range(1, 20)
            .Select(i => Sent($"Old {i}", Now - Week - TimeSpan.FromMinutes(i)))
            .ToList();

        Assert.Null(Check(Facts(Platform.Instagram, earlier: earlier)));
    }

    [Fact]
    public void Check_MessengerManyTitlesToday_NoVolumeLimit()
    {
        Assert.Null(Check(Facts(Platform.Messenger, earlier: SentEvery(20, TimeSpan.FromMinutes(10)))));
    }

    [Fact]
    public void Check_CarouselElementRequestedRecently_Duplicate()
    {
        OptInTopic[] carousel = [new("Shoes", null), new("Hats", null)];

        Assert.Equal(
            DomainErrorKind.OptInRequestDuplicate,
            Check(Facts(topics: carousel, earlier: [Sent("Hats", Now - TimeSpan.FromDays(1), null)]))
        );
    }

    [Fact]
    public void Check_InstagramCarouselCountsEachTopic_FillsTheDay()
    {
        var three = SentEvery(3, TimeSpan.FromHours(1));
        OptInTopic[] two = [new("Shoes", null), new("Hats", null)];
        OptInTopic[] threeTopics = [.. two, new("Bags", null)];

        Assert.Null(Check(Facts(Platform.Instagram, earlier: three, topics: two)));
        Assert.Equal(
            DomainErrorKind.OptInVolumeLimit,
            Check(Facts(Platform.Instagram, earlier: three, topics: threeTopics))
        );
    }

    [Fact]
    public void Check_InstagramCarouselRepeatingOneTopic_CountsOnce()
    {
        OptInTopic[] same = [new("Shoes", null), new("Shoes", null)];

        Assert.Null(Check(Facts(Platform.Instagram, earlier: SentEvery(4, TimeSpan.FromHours(1)), topics: same)));
    }

    private static List<SentOptInRequest> SentEvery(int count, TimeSpan step) =>
        [.. Enumerable.Range(1, count).Select(i => Sent($"Topic {i}", Now - (step * i)))];
}
