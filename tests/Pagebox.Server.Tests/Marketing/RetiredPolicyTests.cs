using System.Net;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// <c>--policy retired</c>: marketing messages on Messenger are deprecated (seed: 2026-01-12; later editions
/// 2026-02-10). Sends on tokens and the test endpoint fail with a clear deprecation error; opt-in requests and the
/// token list keep working, because the successor (the Marketing Messages API for Messenger) sends on the same tokens.
/// </summary>
public sealed class RetiredPolicyTests(RetiredPolicyHost host) : IClassFixture<RetiredPolicyHost>
{
    private const string RetiredMessage =
        "(#12) Marketing messages (Recurring Notifications) on Messenger are deprecated and no longer available "
        + "(retired policy profile)";

    [Fact]
    public async Task OptInRequest_Retired_StillSentAndTapped_TheTokenIsListed()
    {
        await using var s = await StartAsync(host);

        var mid = await s.RequestOptInOkAsync("Weekly deals");
        var tapped = await s.TapAsync(mid);

        var token = tapped.GetProperty("notification_messages_token").GetString()!;
        Assert.Equal([token], TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task OptInRequest_RetiredAndInvalid_Returns100()
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(SingleOptIn(Text(66)));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(100, response.ErrorCode);
    }

    [Fact]
    public async Task MarketingSend_Retired_Returns12()
    {
        await using var s = await StartAsync(host);

        var response = await s.SendAsync("1234567890123456789");

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 12, null, RetiredMessage);
    }

    [Theory]
    [InlineData("ENABLE_FOLLOWUP_MESSAGE")]
    [InlineData("SEND_RE_OPTIN")]
    public async Task DevSupport_Retired_Returns12(string action)
    {
        await using var s = await StartAsync(host);

        var response = await s.DevSupportAsync("1234567890123456789", action);

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 12, null, RetiredMessage);
    }

    [Fact]
    public async Task StandardSend_Retired_StillWorks()
    {
        await using var s = await StartAsync(host);

        var response = await s.SendStandardAsync();

        MarketingAssert.Sent(response, s.Psid);
    }

    [Fact]
    public async Task TokenList_Retired_IsEmpty()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokensAsync();

        Assert.Empty(TokenIds(response));
    }
}
