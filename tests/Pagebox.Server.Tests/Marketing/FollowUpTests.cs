using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// Opt-in follow-ups (seed, "Opt In Followup Messages"; issue 6): the 1st must go out within 2 minutes of the person's
/// opt-in tap, the 2nd and 3rd within 2 minutes of the 1st and at most 250 characters; any other send is a regular
/// marketing message under the 48 h rule. <c>ENABLE_FOLLOWUP_MESSAGE</c> opens a fresh allowance from the moment it is
/// called (seed, "Test Marketing Messages"). "Within" is strict: at exactly 2:00 the allowance is closed.
/// On a frozen real time, so the clock the test sets is the clock of the next request, to the millisecond.
/// </summary>
public sealed class FollowUpTests(FrozenPolicy2025Host host) : IClassFixture<FrozenPolicy2025Host>
{
    private static readonly TimeSpan OneFiftyNine = new(0, 1, 59);
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan TwoOhOne = new(0, 2, 1);

    /// <summary>Opts the person in; returns the token and the instant of the tap (the app's clock, frozen).</summary>
    private static async Task<(string Token, DateTimeOffset TappedAt)> OptInAtAsync(
        MarketingScenario s,
        string title = "Weekly deals"
    )
    {
        var mid = await s.RequestOptInOkAsync(title);
        var tappedAt = await s.NowAsync();
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        return (token, tappedAt);
    }

    // :: The 1st follow-up: within 2 minutes of the opt-in tap

    [Fact]
    public async Task FollowUp_First1m59sAfterTheTap_IsAFollowUpOutsideTheCooldown()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);

        await s.SetClockAsync(tappedAt + OneFiftyNine);
        var first = await s.SendOkAsync(token, Text(300));
        var second = await s.SendOkAsync(token, "And one more thing");

        Assert.Equal(tappedAt + OneFiftyNine, first.Time);
        Assert.Equal(["followup", "followup"], new[] { first.Kind, second.Kind });
        // Follow-ups do not start the cooldown: still eligible since the opt-in.
        var node = await s.TokenNodeAsync(token);
        Assert.Equal(node.Body.Long("creation_timestamp"), node.Body.Long("next_eligible_time"));
    }

    [Fact]
    public async Task FollowUp_FirstExactly2MinutesAfterTheTap_IsARegularMarketingMessage()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);

        await s.SetClockAsync(tappedAt + TwoMinutes);
        var sent = await s.SendOkAsync(token, Text(300));
        var tooSoon = await s.SendAsync(token, "Short");

        Assert.Equal("marketing", sent.Kind);
        var next = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
        Assert.Equal((tappedAt + TwoMinutes + TimeSpan.FromHours(48)).ToUnixTimeSeconds(), next);
        MarketingAssert.GraphError(
            tooSoon,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: next
        );
    }

    [Fact]
    public async Task FollowUp_First2m01sAfterTheTap_IsARegularMarketingMessage()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);

        await s.SetClockAsync(tappedAt + TwoOhOne);
        var sent = await s.SendOkAsync(token);

        Assert.Equal("marketing", sent.Kind);
    }

    /// <summary>The false green of issue 6: a burst days after the opt-in got three extra messages through.</summary>
    [Fact]
    public async Task FollowUp_BurstThreeDaysAfterTheOptIn_OneMessageThenTooSoonWithAHint()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(3));

        var first = await s.SendOkAsync(token);
        var second = await s.SendAsync(token);
        var third = await s.SendAsync(token);

        Assert.Equal("marketing", first.Kind);
        var next = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
        MarketingAssert.GraphError(
            second,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: next
        );
        Assert.Equal(2018354, third.ErrorSubcode);
        // Pagebox says why the send was not a follow-up, in the header only.
        Assert.Contains("not an opt-in follow-up", second.Header("X-Pagebox-Hint"), StringComparison.Ordinal);
        Assert.Equal(["standard", "optin_request", "marketing"], (await s.MessagesAsync()).Select(m => m.Kind));
    }

    [Fact]
    public async Task FollowUp_TapAgainOnATopicHeld_OpensAFreshAllowance()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(8));
        await s.WriteAsync(); // an opt-in request needs the standard window
        var secondTapAt = await s.NowAsync();
        var again = await s.RequestOptInOkAsync("Weekly deals");
        Assert.Equal(token, (await s.TapAsync(again)).String("notification_messages_token"));

        await s.SetClockAsync(secondTapAt + OneFiftyNine);
        var followUp = await s.SendOkAsync(token);

        Assert.Equal("followup", followUp.Kind);
    }

    // :: The 2nd and 3rd: within 2 minutes of the 1st, at most 250 characters

    [Fact]
    public async Task FollowUp_Second1m59sAfterTheFirst_IsAFollowUp_At2m00sARegularMessage()
    {
        await using var s = await StartAsync(host);
        var (token, _) = await OptInAtAsync(s);
        var first = await s.SendOkAsync(token, "Thanks for subscribing!");

        await s.SetClockAsync(first.Time + OneFiftyNine);
        var second = await s.SendOkAsync(token, Text(250));
        await s.SetClockAsync(first.Time + TwoMinutes);
        var third = await s.SendOkAsync(token, Text(400));

        Assert.Equal("followup", second.Kind);
        // At 2:00 the allowance is closed: the send is a regular marketing message (no 250 limit) and starts the
        // cooldown.
        Assert.Equal("marketing", third.Kind);
        Assert.Equal(2018354, (await s.SendAsync(token)).ErrorSubcode);
    }

    [Fact]
    public async Task FollowUp_Second2m01sAfterTheFirst_IsARegularMessage()
    {
        await using var s = await StartAsync(host);
        var (token, _) = await OptInAtAsync(s);
        var first = await s.SendOkAsync(token, "Thanks for subscribing!");

        await s.SetClockAsync(first.Time + TwoOhOne);
        var second = await s.SendOkAsync(token, Text(400));

        Assert.Equal("marketing", second.Kind);
    }

    [Fact]
    public async Task FollowUp_ThreeThenARegularMessageThenTooSoon()
    {
        await using var s = await StartAsync(host);
        var (token, _) = await OptInAtAsync(s);

        var first = await s.SendOkAsync(token, Text(300));
        var second = await s.SendOkAsync(token, Text(250));
        var third = await s.SendOkAsync(token, Text(250));
        var regular = await s.SendOkAsync(token, Text(251));
        var tooSoon = await s.SendAsync(token);

        Assert.Equal(
            ["followup", "followup", "followup", "marketing"],
            new[] { first, second, third, regular }.Select(m => m.Kind)
        );
        var next = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
        MarketingAssert.GraphError(
            tooSoon,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: next
        );
        Assert.Equal(
            ["standard", "optin_request", "followup", "followup", "followup", "marketing"],
            (await s.MessagesAsync()).Select(m => m.Kind)
        );
    }

    [Fact]
    public async Task FollowUp_SecondWith251Characters_Returns100NamingMessageText()
    {
        await using var s = await StartAsync(host);
        var (token, _) = await OptInAtAsync(s);
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
        var (token, _) = await OptInAtAsync(s);
        await s.SendOkAsync(token, "Thanks for subscribing!");

        // 250 code points, 500 UTF-16 units.
        var second = await s.SendOkAsync(token, string.Concat(Enumerable.Repeat("\U0001F3A9", 250)));

        Assert.Equal("followup", second.Kind);
    }

    [Fact]
    public async Task FollowUp_WindowClosedSinceTheOptInRequest_IsAcceptedOutsideIt()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync("Weekly deals");
        // The person taps a day later: the standard window has closed, the follow-up allowance starts at the tap.
        await s.AdvanceAsync(TimeSpan.FromHours(25));
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        var followUp = await s.SendOkAsync(token, "Thanks for subscribing!");

        Assert.Equal("followup", followUp.Kind);
        Assert.Equal(10, (await s.SendStandardAsync()).ErrorCode);
    }

    // :: ENABLE_FOLLOWUP_MESSAGE: a fresh allowance from the call

    [Fact]
    public async Task DevSupport_EnableFollowUp_1m59sAfterTheCallAFollowUp()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(1));
        await s.SendOkAsync(token);
        var calledAt = await s.NowAsync();
        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));

        await s.SetClockAsync(calledAt + OneFiftyNine);
        var followUp = await s.SendOkAsync(token);

        Assert.Equal("followup", followUp.Kind);
    }

    [Fact]
    public async Task DevSupport_EnableFollowUp_Exactly2MinutesAfterTheCallTooSoon()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(1));
        await s.SendOkAsync(token);
        var calledAt = await s.NowAsync();
        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));

        await s.SetClockAsync(calledAt + TwoMinutes);
        var refused = await s.SendAsync(token);

        Assert.Equal(2018354, refused.ErrorSubcode);
        Assert.Contains("the allowance closed at", refused.Header("X-Pagebox-Hint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevSupport_EnableFollowUp_2m01sAfterTheCallTooSoon()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(1));
        await s.SendOkAsync(token);
        var calledAt = await s.NowAsync();
        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));

        await s.SetClockAsync(calledAt + TwoOhOne);

        Assert.Equal(2018354, (await s.SendAsync(token)).ErrorSubcode);
    }

    [Fact]
    public async Task DevSupport_EnableFollowUp_ThreeMoreWithinTwoMinutesOfTheFirst()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromDays(1));
        await s.SendOkAsync(token);
        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));

        var first = await s.SendOkAsync(token, Text(300));
        await s.SetClockAsync(first.Time + OneFiftyNine);
        var second = await s.SendOkAsync(token, Text(250));
        var third = await s.SendOkAsync(token, Text(250));
        var fourth = await s.SendAsync(token, "Too many");

        Assert.Equal(["followup", "followup", "followup"], new[] { first.Kind, second.Kind, third.Kind });
        Assert.Equal(2018354, fourth.ErrorSubcode);
    }

    [Fact]
    public async Task DevSupport_EnableFollowUpMessage_DoesNotMoveTheCooldown()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        await s.SetClockAsync(tappedAt + TimeSpan.FromMinutes(5));
        await s.SendOkAsync(token);
        var before = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");

        MarketingAssert.Success(await s.DevSupportAsync(token, "ENABLE_FOLLOWUP_MESSAGE"));
        await s.SendOkAsync(token, "Test message");

        Assert.Equal(before, (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time"));
    }

    /// <summary>
    /// The seed's "Test Opt Ins" steps 1–5. Steps 1–2: opt-in template, the tester taps. Step 3: the first marketing
    /// message (the tester took more than the 2 minutes of the follow-up allowance), so an immediate send is refused.
    /// Step 4: ENABLE_FOLLOWUP_MESSAGE, sent as in the seed's curl (query parameters, recipient as a JSON string).
    /// Step 5: the test message goes out at once.
    /// </summary>
    [Fact]
    public async Task DevSupport_SeedTestSteps_EnableFollowUpMessageAllowsAnImmediateSend()
    {
        await using var s = await StartAsync(host);
        // Steps 1 and 2.
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Receive 50% off sales messages"),
                ("payload", "SALES"),
                ("notification_messages_timezone", "UTC")
            )
        );
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        await s.AdvanceAsync(TimeSpan.FromMinutes(3));
        // Step 3.
        var firstMarketing = await s.SendOkAsync(token);
        Assert.Equal("marketing", firstMarketing.Kind);
        Assert.Equal(2018354, (await s.SendAsync(token)).ErrorSubcode);

        // Step 4.
        var recipient = new JsonObject { ["notification_messages_token"] = token }.ToJsonString();
        var devSupport = await s.Graph.PostAsync(
            $"{s.Page.Id}/notification_messages_dev_support?recipient="
                + $"{Uri.EscapeDataString(recipient)}&developer_action=ENABLE_FOLLOWUP_MESSAGE",
            null,
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        MarketingAssert.Success(devSupport);

        // Step 5.
        var test = await s.SendOkAsync(token, "This is your test message");
        Assert.Equal("followup", test.Kind);
    }

    // :: The developer's view

    [Fact]
    public async Task ConversationView_ShowsTheFollowUpAllowanceAndTheCooldown()
    {
        await using var s = await StartAsync(host);
        var (token, tappedAt) = await OptInAtAsync(s);
        var opened = await s.TokenViewAsync(token);
        await s.SendOkAsync(token);
        var afterFirst = await s.TokenViewAsync(token);
        await s.SetClockAsync(tappedAt + TimeSpan.FromHours(1));
        var regular = await s.SendOkAsync(token);
        var afterRegular = await s.TokenViewAsync(token);

        Assert.Equal(tappedAt + TwoMinutes, opened.GetProperty("followup_open_until").GetDateTimeOffset());
        Assert.Equal(0, opened.GetProperty("followups_sent").GetInt32());
        Assert.Equal(JsonValueKindNull, opened.GetProperty("next_eligible_time").ValueKind);
        Assert.Equal(1, afterFirst.GetProperty("followups_sent").GetInt32());
        Assert.Equal(tappedAt + TwoMinutes, afterFirst.GetProperty("followup_open_until").GetDateTimeOffset());
        Assert.Equal(JsonValueKindNull, afterRegular.GetProperty("followup_open_until").ValueKind);
        Assert.Equal(
            regular.Time + TimeSpan.FromHours(48),
            afterRegular.GetProperty("next_eligible_time").GetDateTimeOffset()
        );
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    // :: The test endpoint's refusals

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
        var (token, _) = await OptInAtAsync(s);

        var response = await s.DevSupportAsync(token, action);

        MarketingAssert.InvalidParameter(response, "developer_action");
    }

    [Fact]
    public async Task DevSupport_MissingRecipientToken_Returns100NamingIt()
    {
        await using var s = await StartAsync(host);

        var response = await s.Graph.PostAsync(
            $"{s.Page.Id}/notification_messages_dev_support",
            """{"recipient":{},"developer_action":"ENABLE_FOLLOWUP_MESSAGE"}""",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        MarketingAssert.InvalidParameter(response, "recipient[notification_messages_token]");
    }
}
