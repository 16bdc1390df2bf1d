using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// Opt-in follow-ups (seed, "Opt In Followup Messages"): up to three after an opt-in, the 2nd and 3rd within two
/// minutes of the first and at most 250 characters, outside the window too; they neither need nor start the
/// cooldown (Pagebox's documented choice). And the test endpoint (seed, "Test Marketing Messages").
/// </summary>
public sealed class FollowUpTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task FollowUps_ThreeAfterTheOptIn_ThenARegularMessageThenTooSoon()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");

        var first = await s.SendOkAsync(token, Text(300));
        var second = await s.SendOkAsync(token, Text(250));
        var third = await s.SendOkAsync(token, Text(250));
        var afterFollowUps = await s.TokenNodeAsync(token);
        var regular = await s.SendOkAsync(token, Text(251));
        var tooSoon = await s.SendAsync(token);

        Assert.Equal(["followup", "followup", "followup", "marketing"], new[] { first, second, third, regular }.Select(m => m.Kind));
        // The follow-ups did not start the cooldown: the token was still eligible since its creation.
        Assert.Equal(afterFollowUps.Body.Long("creation_timestamp"), afterFollowUps.Body.Long("next_eligible_time"));
        var next = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
        MarketingAssert.GraphError(tooSoon, HttpStatusCode.Forbidden, 4, 2018354, MarketingAssert.TooSoonMessage, transient: true, nextEligibleTime: next);
        var kinds = (await s.MessagesAsync()).Select(m => m.Kind).ToList();
        Assert.Equal(["standard", "optin_request", "followup", "followup", "followup", "marketing"], kinds);
    }

    [Fact]
    public async Task FollowUp_SecondWith251Characters_Returns100NamingMessageText()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.SendOkAsync(token, "Thanks for subscribing!");

        var tooLong = await s.SendAsync(token, Text(251));
        var justRight = await s.SendOkAsync(token, Text(250));

        MarketingAssert.InvalidParameter(tooLong, "message[text]");
        Assert.Equal("followup", justRight.Kind);
    }

    [Fact]
    public async Task FollowUp_SecondWith250EmojiCharacters_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.SendOkAsync(token, "Thanks for subscribing!");

        // 250 code points, 500 UTF-16 units.
        var second = await s.SendOkAsync(token, string.Concat(Enumerable.Repeat("\U0001F3A9", 250)));

        Assert.Equal("followup", second.Kind);
    }

    [Fact]
    public async Task FollowUp_OneSecondBeforeTwoMinutes_IsAFollowUpAndAfterTwoMinutesARegularMessage()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var first = await s.SendOkAsync(token, "Thanks for subscribing!");

        await s.SetClockAsync(first.Time + TwoMinutes - Second);
        var second = await s.SendOkAsync(token, "Here is what to expect");
        await s.SetClockAsync(first.Time + TwoMinutes + Second);
        var late = await s.SendOkAsync(token, Text(400));
        var tooSoon = await s.SendAsync(token, "One more");

        Assert.Equal("followup", second.Kind);
        // Past the two minutes the third send is a regular marketing message (no 250 limit) and starts the cooldown.
        Assert.Equal("marketing", late.Kind);
        Assert.Equal(2018354, tooSoon.ErrorSubcode);
    }

    [Fact]
    public async Task FollowUp_WindowClosed_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.AdvanceAsync(TimeSpan.FromHours(25));

        var followUp = await s.SendOkAsync(token, "Thanks for subscribing!");

        Assert.Equal("followup", followUp.Kind);
        Assert.Equal(10, (await s.SendStandardAsync()).ErrorCode);
    }

    /// <summary>
    /// The seed's "Test Opt Ins" steps 1–5. Steps 1–2: opt-in template, the tester taps. Step 3: the first marketing
    /// message (after the follow-ups the opt-in allows), so an immediate send is refused. Step 4: ENABLE_FOLLOWUP_MESSAGE,
    /// sent as in the seed's curl (query parameters, recipient as a JSON string). Step 5: the test message goes out at once.
    /// </summary>
    [Fact]
    public async Task DevSupport_SeedTestSteps_EnableFollowUpMessageAllowsAnImmediateSend()
    {
        await using var s = await StartAsync(host);
        // Steps 1 and 2.
        var mid = await s.RequestOptInOkAsync(Template(
            ("title", "Receive 50% off sales messages"), ("payload", "SALES"), ("notification_messages_timezone", "UTC")));
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        await s.UseUpFollowUpsAsync(token);
        // Step 3.
        var firstMarketing = await s.SendOkAsync(token);
        Assert.Equal("marketing", firstMarketing.Kind);
        Assert.Equal(2018354, (await s.SendAsync(token)).ErrorSubcode);

        // Step 4.
        var recipient = new JsonObject { ["notification_messages_token"] = token }.ToJsonString();
        var devSupport = await s.Graph.PostAsync(
            $"{s.Page.Id}/notification_messages_dev_support?recipient={Uri.EscapeDataString(recipient)}&developer_action=ENABLE_FOLLOWUP_MESSAGE",
            null, s.Page.AccessToken, cancellationToken: Ct);
        MarketingAssert.Success(devSupport);

        // Step 5.
        var test = await s.SendOkAsync(token, "This is your test message");
        Assert.Equal("followup", test.Kind);
    }

    [Fact]
    public async Task DevSupport_EnableFollowUpMessage_DoesNotMoveTheCooldown()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        await s.SendOkAsync(token);
        var before = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");

        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));
        await s.SendOkAsync(token, "Test message");

        Assert.Equal(before, (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time"));
    }

    [Fact]
    public async Task DevSupport_UnknownToken_Returns100Invalid()
    {
        await using var s = await StartAsync(host);

        var response = await s.DevSupportAsync("1234567890123456789", "ENABLE_FOLLOWUP_MESSAGE");

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 100, null, MarketingAssert.InvalidTokenMessage);
    }

    [Theory]
    [InlineData("RESET_COOLDOWN")]
    [InlineData("SEND_RE_OPTIN")]
    public async Task DevSupport_ActionNotAvailableUnder2025_Returns100NamingDeveloperAction(string action)
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");

        var response = await s.DevSupportAsync(token, action);

        MarketingAssert.InvalidParameter(response, "developer_action");
    }

    [Fact]
    public async Task DevSupport_MissingRecipientToken_Returns100NamingIt()
    {
        await using var s = await StartAsync(host);

        var response = await s.Graph.PostAsync(
            $"{s.Page.Id}/notification_messages_dev_support", """{"recipient":{},"developer_action":"ENABLE_FOLLOWUP_MESSAGE"}""",
            s.Page.AccessToken, cancellationToken: Ct);

        MarketingAssert.InvalidParameter(response, "recipient[notification_messages_token]");
    }
}
