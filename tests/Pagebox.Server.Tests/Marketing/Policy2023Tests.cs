using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// <c>--policy 2023</c> (tokens made before 2023-02-02, rules before 2023-08-10): each token keeps its DAILY, WEEKLY
/// or MONTHLY frequency, WEEKLY and MONTHLY counted in calendar weeks and months in the Page's time zone ("Monday at
/// 12:00am until Sunday at 11:59pm in the time zone set by the Page"); tokens expire (DAILY 6 months, WEEKLY 9,
/// MONTHLY 12) and can be continued through the re-opt-in prompt.
/// </summary>
public sealed class Policy2023Tests(Policy2023Host host) : IClassFixture<Policy2023Host>
{
    private const string NewYorkId = "America/New_York";
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById(NewYorkId);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task WeeklyToken_SecondSendASecondBeforeMondayInPageTimeZone_IsRefusedAndAtMondayMidnightAccepted()
    {
        await using var s = await StartAsync(host);
        await s.World.PatchPageAsync(s.Page.Id, new { timezone = NewYorkId }, Ct);
        var token = await s.OptInAsync("Weekly deals", frequency: "WEEKLY");
        await s.UseUpFollowUpsAsync(token);
        var wednesday = NextLocalDay(await s.NowAsync(), DayOfWeek.Wednesday);
        var monday = Local(wednesday.AddDays(5));
        // Sunday 23:59:59 in New York is already Monday in UTC: only the Page's time zone refuses the send.
        Assert.Equal(DayOfWeek.Monday, (monday - Second).UtcDateTime.DayOfWeek);

        await s.SetClockAsync(Local(wednesday.AddHours(12)));
        var first = await s.SendOkAsync(token);
        var node = await s.TokenNodeAsync(token);
        await s.SetClockAsync(monday - Second);
        var sunday = await s.SendAsync(token);
        await s.SetClockAsync(monday);
        var nextWeek = await s.SendOkAsync(token);

        Assert.Equal("marketing", first.Kind);
        Assert.Equal(monday.ToUnixTimeSeconds(), node.Body.Long("next_eligible_time"));
        Assert.Equal("WEEKLY", node.Body.String("notification_messages_frequency"));
        MarketingAssert.GraphError(
            sunday,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: monday.ToUnixTimeSeconds()
        );
        Assert.Equal("marketing", nextWeek.Kind);
    }

    [Fact]
    public async Task MonthlyToken_SecondSendOneSecondBeforeTheFirstOfNextMonth_IsRefusedAndAtMidnightAccepted()
    {
        await using var s = await StartAsync(host);
        await s.World.PatchPageAsync(s.Page.Id, new { timezone = NewYorkId }, Ct);
        var token = await s.OptInAsync("Monthly digest", frequency: "MONTHLY");
        await s.UseUpFollowUpsAsync(token);
        var today = TimeZoneInfo.ConvertTime(await s.NowAsync(), NewYork).DateTime.Date;
        var fifteenth = new DateTime(today.Year, today.Month, 15, 12, 0, 0, DateTimeKind.Unspecified).AddMonths(1);
        var firstOfNext = Local(
            new DateTime(fifteenth.Year, fifteenth.Month, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMonths(1)
        );

        await s.SetClockAsync(Local(fifteenth));
        var first = await s.SendOkAsync(token);
        var node = await s.TokenNodeAsync(token);
        await s.SetClockAsync(firstOfNext - Second);
        var lastDay = await s.SendAsync(token);
        await s.SetClockAsync(firstOfNext);
        var nextMonth = await s.SendOkAsync(token);

        Assert.Equal("marketing", first.Kind);
        Assert.Equal(firstOfNext.ToUnixTimeSeconds(), node.Body.Long("next_eligible_time"));
        MarketingAssert.GraphError(
            lastDay,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: firstOfNext.ToUnixTimeSeconds()
        );
        Assert.Equal("marketing", nextMonth.Kind);
    }

    [Fact]
    public async Task DailyToken_SecondSend23h59m59sLater_IsRefusedAnd24HoursLaterAccepted()
    {
        await using var s = await StartAsync(host);
        await s.World.PatchPageAsync(s.Page.Id, new { timezone = NewYorkId }, Ct);
        var token = await s.OptInAsync("Daily deals", frequency: "DAILY");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);

        await s.SetClockAsync(last.Time + TimeSpan.FromHours(24) - Second);
        var early = await s.SendAsync(token);
        await s.SetClockAsync(last.Time + TimeSpan.FromHours(24));
        var next = await s.SendOkAsync(token);

        // DAILY is 24 hours from the last message, not a calendar day in the Page's time zone.
        Assert.Equal(2018354, early.ErrorSubcode);
        Assert.Equal("marketing", next.Kind);
    }

    [Fact]
    public async Task DailyToken_AtItsExpiry_Returns100HasExpiredButOneSecondBeforeIsAccepted()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync("Daily deals", frequency: "DAILY");
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        var tappedAt = DateTimeOffset.FromUnixTimeMilliseconds(optIn.Timestamp!.Value);
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds(optIn["optin"].Long("token_expiry_timestamp"));
        var node = await s.TokenNodeAsync(token);

        await s.SetClockAsync(expiry - Second);
        var lastChance = await s.SendOkAsync(token);
        await s.SetClockAsync(expiry);
        var expired = await s.SendAsync(token);

        Assert.Equal(tappedAt.AddMonths(6), expiry);
        Assert.Equal(expiry.ToUnixTimeSeconds(), node.Body.Long("token_expiry_timestamp"));
        // Months after the opt-in the follow-up allowance (2 minutes from the tap) is long gone: a regular message.
        Assert.Equal("marketing", lastChance.Kind);
        MarketingAssert.GraphError(expired, HttpStatusCode.BadRequest, 100, null, MarketingAssert.ExpiredTokenMessage);
    }

    [Fact]
    public async Task TokenList_TokenExpiredSixMonthsLater_IsNotListed()
    {
        await using var s = await StartAsync(host);
        var expiring = await s.OptInAsync("Daily deals", frequency: "DAILY");
        var longer = await s.OptInAsync("Monthly digest", frequency: "MONTHLY");

        await s.AdvanceAsync(TimeSpan.FromDays(190));

        Assert.Equal(100, (await s.SendAsync(expiring)).ErrorCode);
        // "A list of all valid notification message tokens": the expired one is not valid any more.
        Assert.Equal([longer], TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task OptIn_WeeklyToken_WebhookAndNodeCarryFrequencyAndExpiry()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            SingleOptIn("Weekly deals", payload: "DEALS", frequency: "WEEKLY", timezone: "UTC")
        );

        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        var expiry = DateTimeOffset.FromUnixTimeMilliseconds(optIn.Timestamp!.Value).AddMonths(9);
        MarketingAssert.JsonEqual(
            new JsonObject
            {
                ["type"] = "notification_messages",
                ["payload"] = "DEALS",
                ["notification_messages_token"] = token,
                ["notification_messages_frequency"] = "WEEKLY",
                ["notification_messages_timezone"] = "UTC",
                ["token_expiry_timestamp"] = expiry.ToUnixTimeMilliseconds(),
                ["user_token_status"] = "NOT_REFRESHED",
                ["title"] = "Weekly deals",
            },
            optIn["optin"]
        );
        var node = await s.TokenNodeAsync(token);
        Assert.Equal("WEEKLY", node.Body.String("notification_messages_frequency"));
        Assert.Equal(expiry.ToUnixTimeSeconds(), node.Body.Long("token_expiry_timestamp"));
    }

    [Fact]
    public async Task OptIn_SameTitleDailyAndWeekly_OneTokenPerTopicAndFrequency()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Deals"),
                (
                    "elements",
                    new JsonArray(
                        new JsonObject { ["payload"] = "DAILY_DEALS", ["notification_messages_frequency"] = "DAILY" },
                        new JsonObject { ["payload"] = "WEEKLY_DEALS", ["notification_messages_frequency"] = "WEEKLY" }
                    )
                )
            )
        );

        var daily = (await s.TapAsync(mid, element: 0)).String("notification_messages_token");
        var weekly = (await s.TapAsync(mid, element: 1)).String("notification_messages_token");

        Assert.NotEqual(daily, weekly);
        Assert.Equal(2, TokenIds(await s.TokensAsync()).Count);
    }

    [Fact]
    public async Task OptInRequest_CarouselElementWithoutFrequencyUnder2023_Returns100NamingIt()
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(
            Template(
                ("title", "Deals"),
                (
                    "elements",
                    new JsonArray(
                        new JsonObject { ["payload"] = "A", ["notification_messages_frequency"] = "DAILY" },
                        new JsonObject { ["payload"] = "B" }
                    )
                )
            )
        );

        MarketingAssert.InvalidParameter(
            response,
            "message[attachment][payload][elements][1][notification_messages_frequency]"
        );
    }

    [Fact]
    public async Task SendReOptIn_PersonTapsThePrompt_EmitsRefreshedWithALaterExpiry()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Daily deals"),
                ("payload", "DEALS"),
                ("notification_messages_frequency", "DAILY"),
                ("notification_messages_reoptin", "ENABLED")
            )
        );
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        var firstExpiry = (await s.WaitForTokenEventAsync(token, status: null))["optin"].Long("token_expiry_timestamp");
        await s.AdvanceAsync(TimeSpan.FromDays(150));

        var devSupport = await s.DevSupportAsync(token, "SEND_RE_OPTIN");

        MarketingAssert.Success(devSupport);
        var prompt = (await s.MessagesAsync())[^1];
        Assert.Equal("optin_request", prompt.Kind);
        Assert.Equal("page", prompt.From);
        Assert.NotEqual(mid, prompt.Mid);
        var tapped = await s.TapAsync(prompt.Mid);
        Assert.Equal(token, tapped.String("notification_messages_token"));
        Assert.Equal("REFRESHED", tapped.String("user_token_status"));
        var refreshed = await s.WaitForOptInAsync(
            o => o.String("notification_messages_token") == token && o.String("user_token_status") == "REFRESHED",
            "the REFRESHED opt-in"
        );
        var newExpiry = refreshed["optin"].Long("token_expiry_timestamp");
        Assert.Equal(
            DateTimeOffset.FromUnixTimeMilliseconds(refreshed.Timestamp!.Value).AddMonths(6).ToUnixTimeMilliseconds(),
            newExpiry
        );
        Assert.True(newExpiry > firstExpiry, $"{newExpiry} should be later than {firstExpiry}");
        Assert.Equal("REFRESHED", (await s.TokenNodeAsync(token)).Body.String("user_token_status"));
    }

    [Fact]
    public async Task SendReOptIn_ReOptInDisabled_Returns100NamingTheToken()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(("title", "Daily deals"), ("payload", "DEALS"), ("notification_messages_reoptin", "DISABLED"))
        );
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        var response = await s.DevSupportAsync(token, "SEND_RE_OPTIN");

        MarketingAssert.InvalidParameter(response, "recipient[notification_messages_token]");
        Assert.Equal("DISABLED", (await s.TokenNodeAsync(token)).Body.String("notification_messages_reoptin"));
    }

    /// <summary>The local date in New York of the first <paramref name="day"/> at least two days after <paramref
    /// name="now"/>.</summary>
    private static DateTime NextLocalDay(DateTimeOffset now, DayOfWeek day)
    {
        var date = TimeZoneInfo.ConvertTime(now, NewYork).DateTime.Date.AddDays(2);
        while (date.DayOfWeek != day)
            date = date.AddDays(1);
        return DateTime.SpecifyKind(date, DateTimeKind.Unspecified);
    }

    /// <summary>A New York wall-clock time as an instant.</summary>
    private static DateTimeOffset Local(DateTime wall) =>
        new(
            TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(wall, DateTimeKind.Unspecified), NewYork),
            TimeSpan.Zero
        );
}
