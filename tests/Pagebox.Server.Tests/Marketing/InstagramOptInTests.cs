using System.Net;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// Opt-in requests from an Instagram Professional account (a Page created with <c>"platform": "instagram"</c>, the app
/// subscribed with object=instagram): a duplicate is the same title and image_url; at most 5 requests a day and 10
/// different titles a week per person (seed, "Limitations").
/// </summary>
public sealed class InstagramOptInTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task OptIn_InstagramPage_WebhookArrivesWithObjectInstagram()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        var mid = await s.RequestOptInOkAsync("Drops", payload: "DROPS", imageUrl: "https://example.com/drop.png");

        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        Assert.Equal("instagram", optIn.Webhook.Envelope!.Value.String("object"));
        Assert.Equal(s.Page.Id, optIn.EntryId);
        Assert.Equal(s.Psid, optIn.SenderId);
        Assert.Equal(s.Page.Id, optIn.RecipientId);
        Assert.True(optIn.Webhook.SignaturesValid);
        Assert.Equal("Drops", optIn["optin"].String("title"));
        Assert.Equal("DROPS", optIn["optin"].String("payload"));
    }

    [Fact]
    public async Task OptInRequest_InstagramSameTitleOtherImage_IsAccepted()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        await s.RequestOptInOkAsync("Weekly deals", imageUrl: "https://example.com/red.png");

        await s.RequestOptInOkAsync("Weekly deals", imageUrl: "https://example.com/blue.png");
    }

    [Fact]
    public async Task OptInRequest_InstagramSameTitleSameImage_Returns613_1893016()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        await s.RequestOptInOkAsync("Weekly deals", imageUrl: "https://example.com/red.png");

        var response = await s.RequestOptInAsync(
            SingleOptIn("Weekly deals", payload: "AGAIN", imageUrl: "https://example.com/red.png")
        );

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 613, 1893016, MarketingAssert.DuplicateMessage);
    }

    [Fact]
    public async Task OptInRequest_InstagramSixthWithinADay_Returns9_2018352()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        for (var i = 1; i <= 5; i++)
            await s.RequestOptInOkAsync($"Topic {i}");

        var sixth = await s.RequestOptInAsync(SingleOptIn("Topic 6"));

        MarketingAssert.GraphError(sixth, HttpStatusCode.BadRequest, 9, 2018352, MarketingAssert.VolumeMessage);
    }

    [Fact]
    public async Task OptInRequest_InstagramSixthOneDayAfterTheFirst_IsAccepted()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        var first = await s.MessageAsync(await s.RequestOptInOkAsync("Topic 1"));
        for (var i = 2; i <= 5; i++)
            await s.RequestOptInOkAsync($"Topic {i}");

        await s.SetClockAsync(first.Time + Day - Second);
        await s.WriteAsync();
        var stillTooMany = await s.RequestOptInAsync(SingleOptIn("Topic 6"));
        await s.SetClockAsync(first.Time + Day);
        await s.WriteAsync();
        var sixth = await s.RequestOptInAsync(SingleOptIn("Topic 6"));

        MarketingAssert.GraphError(stillTooMany, HttpStatusCode.BadRequest, 9, 2018352, MarketingAssert.VolumeMessage);
        MarketingAssert.Sent(sixth, s.Psid);
    }

    [Fact]
    public async Task OptInRequest_InstagramEleventhTitleWithinAWeek_Returns9_2018352()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        var first = await s.MessageAsync(await s.RequestOptInOkAsync("Topic 1"));
        for (var i = 2; i <= 5; i++)
            await s.RequestOptInOkAsync($"Topic {i}");
        await s.AdvanceAsync(Day);
        await s.WriteAsync();
        for (var i = 6; i <= 10; i++)
            await s.RequestOptInOkAsync($"Topic {i}");
        await s.AdvanceAsync(Day);
        await s.WriteAsync();

        var eleventh = await s.RequestOptInAsync(SingleOptIn("Topic 11"));

        MarketingAssert.GraphError(eleventh, HttpStatusCode.BadRequest, 9, 2018352, MarketingAssert.VolumeMessage);
        // A week after the first request, "Topic 1" no longer counts: the eleventh title fits.
        await s.SetClockAsync(first.Time + TimeSpan.FromDays(7));
        await s.WriteAsync();
        await s.RequestOptInOkAsync("Topic 11");
    }

    [Fact]
    public async Task OptInRequest_InstagramLimitsArePerPerson_OtherPersonIsAccepted()
    {
        await using var s = await StartAsync(host, platform: "instagram");
        for (var i = 1; i <= 5; i++)
            await s.RequestOptInOkAsync($"Topic {i}");
        var (_, otherPsid) = await s.AddPersonAsync();

        await s.RequestOptInOkAsync("Topic 6", psid: otherPsid);
    }
}
