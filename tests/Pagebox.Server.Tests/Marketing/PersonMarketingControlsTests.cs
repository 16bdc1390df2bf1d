using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// The person's side: "Stop these messages" / "Resume these messages" and blocking the Page, each told to the bot
/// through <c>messaging_optins</c> with <c>notification_messages_status</c> (messaging_optins reference; block and
/// unblock events are Pagebox's documented choice).
/// </summary>
public sealed class PersonMarketingControlsTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    [Fact]
    public async Task StopMarketing_OneToken_EmitsStopNotificationsAndTheTokenLeavesTheList()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(SingleOptIn("Weekly deals", payload: "DEALS", timezone: "UTC"));
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;
        var other = await s.OptInAsync("Hat drops");

        var answer = await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        MarketingAssert.JsonEqual($$"""{"tokens":["{{token}}"]}""", answer);
        var stop = await s.WaitForTokenEventAsync(token, "STOP_NOTIFICATIONS");
        Assert.Equal(s.Psid, stop.SenderId);
        Assert.Equal(s.Page.Id, stop.RecipientId);
        Assert.Equal("notification_messages", stop["optin"].String("type"));
        Assert.Equal("Weekly deals", stop["optin"].String("title"));
        Assert.Equal("DEALS", stop["optin"].String("payload"));
        Assert.Equal([other], TokenIds(await s.TokensAsync()));
        // The stop shows in the developer's view, not in the Graph node (Meta's node has no such field).
        Assert.Equal("stopped", (await s.TokenViewAsync(token)).String("status"));
        Assert.False((await s.TokenNodeAsync(token)).Body.HasProperty("notification_messages_status"));
        MarketingAssert.GraphError(
            await s.SendAsync(token),
            HttpStatusCode.BadRequest,
            10,
            1893015,
            MarketingAssert.StoppedMessage
        );
        Assert.True((await s.SendAsync(other)).IsSuccess);
    }

    [Fact]
    public async Task ResumeMarketing_StoppedToken_EmitsResumeNotificationsAndSendsWorkAgain()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        var answer = await s.World.ResumeMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        MarketingAssert.JsonEqual($$"""{"tokens":["{{token}}"]}""", answer);
        var resume = await s.WaitForTokenEventAsync(token, "RESUME_NOTIFICATIONS");
        Assert.Equal("Weekly deals", resume["optin"].String("title"));
        Assert.Equal([token], TokenIds(await s.TokensAsync()));
        Assert.Equal("active", (await s.TokenViewAsync(token)).String("status"));
        await s.SendOkAsync(token);
    }

    [Fact]
    public async Task StopMarketing_WithoutToken_StopsEveryTokenOfThePage()
    {
        await using var s = await StartAsync(host);
        var deals = await s.OptInAsync("Weekly deals");
        var hats = await s.OptInAsync("Hat drops");

        var answer = await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, cancellationToken: Ct);

        Assert.Equal(
            new[] { deals, hats }.Order(StringComparer.Ordinal),
            answer.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).Order(StringComparer.Ordinal)
        );
        await s.WaitForTokenEventAsync(deals, "STOP_NOTIFICATIONS");
        await s.WaitForTokenEventAsync(hats, "STOP_NOTIFICATIONS");
        Assert.Empty(TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task Block_PersonWithTwoTokens_EmitsStopNotificationsForEachAndSendsReturn551()
    {
        await using var s = await StartAsync(host);
        var deals = await s.OptInAsync("Weekly deals");
        var hats = await s.OptInAsync("Hat drops");

        await s.World.BlockAsync(s.PersonId, s.Page.Id, Ct);

        await s.WaitForTokenEventAsync(deals, "STOP_NOTIFICATIONS");
        await s.WaitForTokenEventAsync(hats, "STOP_NOTIFICATIONS");
        Assert.Empty(TokenIds(await s.TokensAsync()));
        MarketingAssert.GraphError(
            await s.SendAsync(deals),
            HttpStatusCode.BadRequest,
            551,
            1545041,
            MarketingAssert.BlockedMessage
        );
        MarketingAssert.GraphError(
            await s.SendAsync(hats),
            HttpStatusCode.BadRequest,
            551,
            1545041,
            MarketingAssert.BlockedMessage
        );
    }

    [Fact]
    public async Task Unblock_EmitsResumeForActiveTokensOnly_AStoppedTokenStaysStopped()
    {
        await using var s = await StartAsync(host);
        var deals = await s.OptInAsync("Weekly deals");
        var hats = await s.OptInAsync("Hat drops");
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, hats, Ct);
        await s.WaitForTokenEventAsync(hats, "STOP_NOTIFICATIONS");
        await s.World.BlockAsync(s.PersonId, s.Page.Id, Ct);
        await s.WaitForTokenEventAsync(deals, "STOP_NOTIFICATIONS");

        await s.World.UnblockAsync(s.PersonId, s.Page.Id, Ct);

        await s.WaitForTokenEventAsync(deals, "RESUME_NOTIFICATIONS");
        var hatsEvents = s
            .Receiver.OptIns()
            .Where(e => e["optin"].String("notification_messages_token") == hats)
            .Select(e => e["optin"].String("notification_messages_status"))
            .ToList();
        Assert.Equal([null, "STOP_NOTIFICATIONS"], hatsEvents);
        Assert.Equal([deals], TokenIds(await s.TokensAsync()));
        await s.SendOkAsync(deals);
        Assert.Equal(1893015, (await s.SendAsync(hats)).ErrorSubcode);
    }

    [Fact]
    public async Task OptInRequest_PersonBlockedThePage_Returns551()
    {
        await using var s = await StartAsync(host);
        await s.World.BlockAsync(s.PersonId, s.Page.Id, Ct);

        var response = await s.RequestOptInAsync(SingleOptIn("Weekly deals"));

        MarketingAssert.GraphError(response, HttpStatusCode.BadRequest, 551, 1545041, MarketingAssert.BlockedMessage);
    }

    [Fact]
    public async Task StopMarketing_WebhookEvent_HasTheDocumentedShape()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(SingleOptIn("Weekly deals", payload: "DEALS", timezone: "Europe/Paris"));
        var token = (await s.TapAsync(mid)).String("notification_messages_token")!;

        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);

        var stop = await s.WaitForTokenEventAsync(token, "STOP_NOTIFICATIONS");
        MarketingAssert.JsonEqual(
            new JsonObject
            {
                ["type"] = "notification_messages",
                ["payload"] = "DEALS",
                ["notification_messages_token"] = token,
                ["notification_messages_timezone"] = "Europe/Paris",
                ["token_expiry_timestamp"] = MarketingAssert.NeverExpiresMilliseconds,
                ["user_token_status"] = "NOT_REFRESHED",
                ["notification_messages_status"] = "STOP_NOTIFICATIONS",
                ["title"] = "Weekly deals",
            },
            stop["optin"]
        );
    }
}
