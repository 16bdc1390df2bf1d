using System.Net;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// Graph bodies carry exactly Meta's fields (issue 6, "Extras the platform never sends"): what Pagebox knows beyond
/// them (the next eligible time of a refused token, the switch that refused a send) is in the <c>X-Pagebox-Hint</c>
/// header and the world face's conversation view, never in the body. And the Page's two restrictions: 10/1893063
/// (temporarily restricted, 2026-06 errors page) apart from 368 (abusive).
/// </summary>
public sealed class GraphBodyFidelityTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly string[] TransientErrorFields =
    [
        "code",
        "error_subcode",
        "fbtrace_id",
        "is_transient",
        "message",
        "type",
    ];

    [Fact]
    public async Task TooSoon_BodyHasMetasFieldsOnly_TheNextEligibleTimeIsInTheHintAndTheView()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.AdvanceAsync(TimeSpan.FromMinutes(5));
        var sent = await s.SendOkAsync(token);

        var refused = await s.SendAsync(token);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(["error"], refused.Body.Names());
        Assert.Equal(TransientErrorFields, refused.Error.Names());
        var next = sent.Time + TimeSpan.FromHours(48);
        var seconds = (await s.TokenNodeAsync(token)).Body.Long("next_eligible_time");
        Assert.StartsWith(
            $"next_eligible_time {seconds} (",
            refused.Header("X-Pagebox-Hint"),
            StringComparison.Ordinal
        );
        Assert.Equal(next, (await s.TokenViewAsync(token)).GetProperty("next_eligible_time").GetDateTimeOffset());
    }

    [Fact]
    public async Task Success_CarriesNoHint()
    {
        await using var s = await StartAsync(host);

        var sent = await s.SendStandardAsync();

        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.Null(sent.Header("X-Pagebox-Hint"));
    }

    [Fact]
    public async Task RestrictedPage_TokenSend_Returns10_1893063WithTheSwitchInTheHint()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.World.PatchPageAsync(s.Page.Id, new { restricted = true }, Ct);

        var refused = await s.SendAsync(token);
        var optInRequest = await s.RequestOptInAsync(SingleOptIn("Hat drops"));

        GraphAssert.Error(
            refused,
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            1893063,
            "(#10) You are temporarily restricted from sending messages."
        );
        Assert.Contains("restricted", refused.Header("X-Pagebox-Hint"), StringComparison.Ordinal);
        Assert.Equal((10, 1893063), (optInRequest.ErrorCode, optInRequest.ErrorSubcode));
    }

    [Fact]
    public async Task AbusivePage_Returns368_AndTakesPrecedenceOverTheRestriction()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var patched = await s.World.PatchPageAsync(s.Page.Id, new { restricted = true, abusive = true }, Ct);

        var refused = await s.SendAsync(token);
        await s.World.PatchPageAsync(s.Page.Id, new { abusive = false }, Ct);
        var restricted = await s.SendStandardAsync();
        await s.World.PatchPageAsync(s.Page.Id, new { restricted = false }, Ct);
        var free = await s.SendStandardAsync();

        Assert.True(patched.GetProperty("settings").GetProperty("abusive").GetBoolean());
        var error = GraphAssert.Error(refused, HttpStatusCode.BadRequest, "OAuthException", 368, null);
        Assert.StartsWith("(#368) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((10, 1893063), (restricted.ErrorCode, restricted.ErrorSubcode));
        GraphAssert.Sent(free, s.Psid);
    }
}
