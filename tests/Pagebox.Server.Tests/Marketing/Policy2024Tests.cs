using System.Net;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// <c>--policy 2024</c> (2023-08-10 to 2025-08-31): one marketing message per token per 24 h, tokens never expire,
/// no re-opt-in.
/// </summary>
public sealed class Policy2024Tests(Policy2024Host host) : IClassFixture<Policy2024Host>
{
    private static readonly TimeSpan Cooldown = TimeSpan.FromHours(24);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task MarketingSend_23h59m59sAfterTheLast_Returns4_2018354WithNextEligibleTime()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Daily deals");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);

        await s.SetClockAsync(last.Time + Cooldown - Second);
        var response = await s.SendAsync(token);

        var nextEligible = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
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
    public async Task MarketingSend_Exactly24HoursAfterTheLast_IsAccepted()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Daily deals");
        await s.UseUpFollowUpsAsync(token);
        var last = await s.SendOkAsync(token);

        await s.SetClockAsync(last.Time + Cooldown);
        var next = await s.SendOkAsync(token);

        Assert.Equal("marketing", next.Kind);
    }

    [Fact]
    public async Task OptIn_Under2024_TokenNeverExpires()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync("Daily deals", frequency: "WEEKLY");
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        var node = await s.TokenNodeAsync(token);
        await s.AdvanceAsync(TimeSpan.FromDays(400));
        var sent = await s.SendOkAsync(token);

        Assert.Equal(MarketingAssert.NeverExpiresMilliseconds, optIn["optin"].Long("token_expiry_timestamp"));
        Assert.Equal(MarketingAssert.NeverExpiresSeconds, node.Body.Long("token_expiry_timestamp"));
        Assert.False(node.Body.HasProperty("notification_messages_frequency"), node.RawBody);
        Assert.Equal("marketing", sent.Kind);
    }

    [Fact]
    public async Task DevSupport_SendReOptInUnder2024_Returns100NamingDeveloperAction()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Daily deals");

        var response = await s.DevSupportAsync(token, "SEND_RE_OPTIN");

        MarketingAssert.InvalidParameter(response, "developer_action");
    }
}
