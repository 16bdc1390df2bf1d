using System.Net;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// Sending on a token under the default rule set (2025-09): outside the standard window too, one regular marketing
/// message per token per 48 h (4/2018354 with Meta's envelope only; the next eligible time is the token's
/// <c>next_eligible_time</c>, and Pagebox's <c>X-Pagebox-Hint</c> header), and the refusals of stopped,
/// blocked, unknown and foreign tokens.
/// </summary>
/// <remarks>
/// The app clock is real time plus an offset, so it keeps running between the call that sets it and the send:
/// "exactly at" a boundary means the clock set to that instant, the send landing a few milliseconds later.
/// </remarks>
public sealed class MarketingSendTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromHours(48);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task MarketingSend_OutsideTheWindow_IsAcceptedAndDoesNotOpenIt()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        await s.AdvanceAsync(TimeSpan.FromDays(3));

        var sent = await s.SendOkAsync(token);

        Assert.Equal("marketing", sent.Kind);
        Assert.Equal("page", sent.From);
        var standard = await s.SendStandardAsync();
        MarketingAssert.GraphError(
            standard,
            HttpStatusCode.BadRequest,
            10,
            2018278,
            MarketingAssert.OutsideWindowMessage
        );
    }

    [Fact]
    public async Task MarketingSend_47h59m59sAfterTheLast_Returns4_2018354WithNextEligibleTime()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);

        await s.SetClockAsync(last.Time + Cooldown - Second);
        var response = await s.SendAsync(token);

        var node = await s.TokenNodeAsync(token);
        var nextEligible = node.Body.Long("next_eligible_time");
        MarketingAssert.GraphError(
            response,
            HttpStatusCode.Forbidden,
            4,
            2018354,
            MarketingAssert.TooSoonMessage,
            transient: true,
            nextEligibleTime: nextEligible
        );
        Assert.InRange(
            nextEligible,
            (last.Time + Cooldown).ToUnixTimeSeconds(),
            (last.Time + Cooldown + TimeSpan.FromMilliseconds(999)).ToUnixTimeSeconds()
        );
    }

    [Fact]
    public async Task MarketingSend_RightAfterTheLast_Returns4_2018354()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        await s.SendOkAsync(token);

        var response = await s.SendAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(4, response.ErrorCode);
        Assert.Equal(2018354, response.ErrorSubcode);
    }

    [Fact]
    public async Task MarketingSend_Exactly48HoursAfterTheLast_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);

        await s.SetClockAsync(last.Time + Cooldown);
        var next = await s.SendOkAsync(token);

        Assert.Equal("marketing", next.Kind);
        var node = await s.TokenNodeAsync(token);
        Assert.InRange(
            node.Body.Long("next_eligible_time"),
            (next.Time + Cooldown).ToUnixTimeSeconds(),
            (next.Time + Cooldown + TimeSpan.FromMilliseconds(999)).ToUnixTimeSeconds()
        );
    }

    /// <summary>
    /// What a bot does with a refusal: read the token's <c>next_eligible_time</c> (whole Unix seconds), wait until then
    /// and send. The last send is placed 900 ms into a second, as real sends are anywhere within one.
    /// </summary>
    [Fact]
    public async Task MarketingSend_AtTheReportedNextEligibleTime_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        var now = await s.NowAsync();
        var wholeSecond = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() + 2);
        await s.SetClockAsync(wholeSecond + TimeSpan.FromMilliseconds(900));
        await s.SendOkAsync(token);
        var refused = await s.SendAsync(token);
        // Meta's envelope has no next eligible time: the bot reads it from the token node.
        Assert.False(refused.Error.HasProperty("error_data"), refused.RawBody);
        var reported = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");

        await s.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(reported));
        var response = await s.SendAsync(token);

        Assert.True(
            response.IsSuccess,
            $"The error said next_eligible_time {reported} ({DateTimeOffset.FromUnixTimeSeconds(reported):O}); a "
                + $"send at that time answered {response}"
        );
    }

    [Fact]
    public async Task MarketingSend_StoppedToken_Returns10_1893015()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        var response = await s.SendAsync(token);

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 10, 1893015, MarketingAssert.StoppedMessage);
    }

    [Fact]
    public async Task MarketingSend_ResumedToken_KeepsItsCooldown()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);
        await s.World.ResumeMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        var response = await s.SendAsync(token);

        Assert.Equal(2018354, response.ErrorSubcode);
        await s.SetClockAsync(last.Time + Cooldown);
        await s.SendOkAsync(token);
    }

    [Fact]
    public async Task MarketingSend_PersonBlockedThePage_Returns551()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.World.BlockAsync(s.PersonId, s.Page.Id, Ct);

        var response = await s.SendAsync(token);

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 551, 1545041, MarketingAssert.BlockedMessage);
    }

    [Fact]
    public async Task MarketingSend_UnknownToken_Returns100Invalid()
    {
        await using var s = await StartAsync(host);

        var response = await s.SendAsync("1234567890123456789");

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 100, null, MarketingAssert.InvalidTokenMessage);
    }

    [Fact]
    public async Task MarketingSend_AnotherPagesToken_Returns100Invalid()
    {
        await using var s = await StartAsync(host);
        await using var other = await StartAsync(host);
        var foreign = await other.OptInAsync("Weekly deals");

        var response = await s.SendAsync(foreign);

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 100, null, MarketingAssert.InvalidTokenMessage);
    }

    [Fact]
    public async Task MarketingSend_GenericTemplateFromTheSeed_IsAcceptedAndStoredAsSent()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        const string Message = """
            {"attachment":{"type":"template","payload":{"template_type":"generic","elements":[{"title":"Welcome!",
            "image_url":
            "https://raw.githubusercontent.com/fbsamples/original-coast-clothing/main/public/styles/male-work.jpg",
            "subtitle":"We have the right hat for everyone.",
            "default_action":{"type":"web_url","url":"https://www.originalcoastclothing.com/",
            "webview_height_ratio":"tall"},
            "buttons":[{"type":"web_url","url":"https://www.originalcoastclothing.com/","title":"View Website"},
            {"type":"postback","title":"Start Chatting","payload":"ADDITIONAL-WEBHOOK-INFORMATION"}]}]}}}
            """;

        var response = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            $$"""{"recipient":{"notification_messages_token":"{{token}}"},"message":{{Message}}}""",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var mid = MarketingAssert.Sent(response, s.Psid);
        var stored = await s.MessageAsync(mid);
        Assert.Equal("marketing", stored.Kind);
        MarketingAssert.JsonEqual(Message, stored.Message);
    }
}
