using System.Net;
using Pagebox.Server.Tests.Marketing;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>
/// <c>--policy retired</c>: the legacy sends are gone, but the opt-in template, the taps and the token list stay,
/// because the successor API sends on the same tokens (grow-marketing-messages-audience, "Option 3: Opt-in Requests").
/// </summary>
public sealed class RetiredSuccessorTests(RetiredPolicyHost host) : IClassFixture<RetiredPolicyHost>
{
    [Fact]
    public async Task Retired_OptInTokenListAndSuccessorSend_Work_LegacySendDoesNot()
    {
        await using var s = await StartAsync(host.World, host.Graph);

        var token = await s.OptInAsync();
        var list = await s.GetAsync($"{s.Page.Id}/notification_message_tokens");
        var legacy = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new { recipient = new { notification_messages_token = token }, message = new { text = "Hi" } },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        var paid = await s.SendAsync(id, token);

        Assert.Contains(
            list.Body.GetProperty("data").EnumerateArray(),
            t => t.GetProperty("notification_messages_token").GetString() == token
        );
        Assert.Equal(HttpStatusCode.BadRequest, legacy.Status);
        Assert.Equal(12, legacy.ErrorCode);
        Sent(paid);
    }

    [Fact]
    public async Task Retired_StopStillReachesTheSuccessor()
    {
        await using var s = await StartAsync(host.World, host.Graph);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        await host.World.StopMarketingAsync(s.PersonId, s.Page.Id, null, Ct);

        Refused(await s.SendAsync(id, token), 2300034);
    }
}

/// <summary><c>--policy 2023</c>: legacy tokens expire (a DAILY token after 6 months); the successor refuses them then
/// (2300037).</summary>
public sealed class ExpiredTokenTests(Policy2023Host host) : IClassFixture<Policy2023Host>
{
    [Fact]
    public async Task ExpiredLegacyToken_2300037_AtItsExpiry()
    {
        await using var s = await StartAsync(host.World, host.Graph);
        var token = await s.OptInAsync();
        var node = await s.GetAsync($"notification_messages_{token}");
        var expiry = DateTimeOffset.FromUnixTimeSeconds(node.Body.GetProperty("token_expiry_timestamp").GetInt64());
        await s.AdAccountAsync();
        await s.SetClockAsync(expiry - TimeSpan.FromHours(2));
        var id = await s.WarmCampaignAsync();

        var before = await s.SendAsync(id, token);
        await s.SetClockAsync(expiry + TimeSpan.FromSeconds(1));
        var after = await s.SendAsync(id, token);

        Sent(before);
        var error = Refused(after, 2300037);
        Assert.Equal(
            "(#2300037) The subscription token has expired, and can no longer be used to send a message.",
            error.GetProperty("message").GetString()
        );
    }
}
