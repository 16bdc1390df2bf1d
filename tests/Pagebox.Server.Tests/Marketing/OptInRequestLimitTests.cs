using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// When a Page may send an opt-in request on Messenger (seed, "Requirements" and "Limitations"): only inside the
/// standard messaging window, one request per person per title per 7 days, not while the Page is barred; and the
/// person's opt-in does not open the window.
/// </summary>
public sealed class OptInRequestLimitTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task OptInRequest_OneSecondBeforeWindowCloses_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var openUntil = await WindowOpenUntilAsync(s);

        await s.SetClockAsync(openUntil - Second);

        await s.RequestOptInOkAsync("Weekly deals");
    }

    [Fact]
    public async Task OptInRequest_WindowClosed_Returns10_2018278()
    {
        await using var s = await StartAsync(host);
        var openUntil = await WindowOpenUntilAsync(s);

        await s.SetClockAsync(openUntil);
        var response = await s.RequestOptInAsync(SingleOptIn("Weekly deals"));

        MarketingAssert.GraphError(
            response,
            HttpStatusCode.BadRequest,
            10,
            2018278,
            MarketingAssert.OutsideWindowMessage
        );
    }

    [Fact]
    public async Task OptInTap_AfterWindowClosed_DoesNotOpenTheWindow()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync("Weekly deals");
        var openUntil = await WindowOpenUntilAsync(s);
        await s.SetClockAsync(openUntil + TimeSpan.FromHours(1));

        var tapped = await s.TapAsync(mid);

        // The person's opt-in leaves the window as it was: a standard RESPONSE still fails...
        Assert.Equal(openUntil, await WindowOpenUntilAsync(s));
        var standard = await s.SendStandardAsync();
        MarketingAssert.GraphError(
            standard,
            HttpStatusCode.BadRequest,
            10,
            2018278,
            MarketingAssert.OutsideWindowMessage
        );
        // ...while the token itself may be used outside the window.
        var followUp = await s.SendOkAsync(tapped.String("notification_messages_token")!);
        Assert.Equal("followup", followUp.Kind);
    }

    [Fact]
    public async Task OptInRequest_SameTitleOneSecondBefore7Days_Returns613_1893016()
    {
        await using var s = await StartAsync(host);
        var first = await s.MessageAsync(await s.RequestOptInOkAsync("Weekly deals"));

        await s.SetClockAsync(first.Time + Week - Second);
        await s.WriteAsync();
        var response = await s.RequestOptInAsync(SingleOptIn("Weekly deals", payload: "AGAIN"));

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 613, 1893016, MarketingAssert.DuplicateMessage);
    }

    [Fact]
    public async Task OptInRequest_SameTitleExactly7DaysLater_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var first = await s.MessageAsync(await s.RequestOptInOkAsync("Weekly deals"));

        await s.SetClockAsync(first.Time + Week);
        await s.WriteAsync();

        await s.RequestOptInOkAsync("Weekly deals", payload: "AGAIN");
    }

    [Fact]
    public async Task OptInRequest_DefaultTitleTwice_Returns613_1893016()
    {
        await using var s = await StartAsync(host);
        await s.RequestOptInOkAsync(title: null);

        // "This includes the default value of 'Updates and promotions'", written out or left to the default.
        var implicitAgain = await s.RequestOptInAsync(SingleOptIn(title: null, payload: "OTHER"));
        var explicitAgain = await s.RequestOptInAsync(SingleOptIn("Updates and promotions", payload: "OTHER"));

        MarketingAssert.GraphError(
            implicitAgain,
            HttpStatusCode.BadRequest,
            613,
            1893016,
            MarketingAssert.DuplicateMessage
        );
        MarketingAssert.GraphError(
            explicitAgain,
            HttpStatusCode.BadRequest,
            613,
            1893016,
            MarketingAssert.DuplicateMessage
        );
    }

    [Fact]
    public async Task OptInRequest_MessengerSameTitleOtherImage_Returns613_1893016()
    {
        await using var s = await StartAsync(host);
        await s.RequestOptInOkAsync("Weekly deals", imageUrl: "https://example.com/red.png");

        var response = await s.RequestOptInAsync(SingleOptIn("Weekly deals", imageUrl: "https://example.com/blue.png"));

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 613, 1893016, MarketingAssert.DuplicateMessage);
    }

    [Fact]
    public async Task OptInRequest_SameTitleToAnotherPerson_IsAccepted()
    {
        await using var s = await StartAsync(host);
        await s.RequestOptInOkAsync("Weekly deals");
        var (_, otherPsid) = await s.AddPersonAsync();

        await s.RequestOptInOkAsync("Weekly deals", psid: otherPsid);
    }

    [Fact]
    public async Task OptInRequest_CarouselRepeatingARecentTopic_Returns613_1893016()
    {
        await using var s = await StartAsync(host);
        await s.RequestOptInOkAsync("Hats");
        var carousel = Template(
            ("title", "Pick your updates"),
            (
                "elements",
                new JsonArray(
                    new JsonObject { ["title"] = "Shoes", ["payload"] = "SHOES" },
                    new JsonObject { ["title"] = "Hats", ["payload"] = "HATS" }
                )
            )
        );

        var response = await s.RequestOptInAsync(carousel);

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 613, 1893016, MarketingAssert.DuplicateMessage);
    }

    [Fact]
    public async Task OptInRequest_PageBarred_Returns10_1404170UntilAllowedAgain()
    {
        await using var s = await StartAsync(host);
        await s.World.PatchPageAsync(s.Page.Id, new { optin_requests_allowed = false }, Ct);

        var barred = await s.RequestOptInAsync(SingleOptIn("Weekly deals"));

        MarketingAssert.GraphError(barred, HttpStatusCode.BadRequest, 10, 1404170, MarketingAssert.BarredMessage);
        // The bar covers opt-in requests only; a refused request does not count towards the weekly duplicate rule.
        Assert.True((await s.SendStandardAsync()).IsSuccess);
        await s.World.PatchPageAsync(s.Page.Id, new { optin_requests_allowed = true }, Ct);
        await s.RequestOptInOkAsync("Weekly deals");
    }

    private static async Task<DateTimeOffset> WindowOpenUntilAsync(MarketingScenario s) =>
        (await s.ConversationAsync()).GetProperty("window_open_until").GetDateTimeOffset();
}
