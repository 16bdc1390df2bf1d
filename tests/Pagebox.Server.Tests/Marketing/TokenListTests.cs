using System.Net;
using System.Text.Json;
using Pagebox.Testing;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// <c>GET /{PAGE-ID}/notification_message_tokens</c> (25 by default, at most 100, newest update first, <c>after</c>
/// cursor, only valid tokens) and <c>GET /notification_messages_{TOKEN}</c> (seed, "Get a List of Tokens",
/// "Get Token Information").
/// </summary>
public sealed class TokenListTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task TokenList_26Tokens_FirstPageHas25AndNextGivesThe26th()
    {
        await using var s = await StartAsync(host);
        var tokens = await CreateTokensAsync(s, 26, spaced: true);
        var newestFirst = tokens.AsEnumerable().Reverse().ToList();

        var first = await s.TokensAsync();

        Assert.Equal(newestFirst.Take(25), TokenIds(first));
        var paging = first.Body.GetProperty("paging");
        Assert.False(string.IsNullOrEmpty(paging.GetProperty("cursors").String("before")));
        Assert.False(string.IsNullOrEmpty(paging.GetProperty("cursors").String("after")));
        var next = paging.String("next")!;
        Assert.StartsWith(new Uri(host.BaseUrl, $"v25.0/{s.Page.Id}/notification_message_tokens?").ToString(), next, StringComparison.Ordinal);
        var second = await FollowAsync(next);
        Assert.Equal([tokens[0]], TokenIds(second));
        Assert.False(second.Body.GetProperty("paging").HasProperty("next"), second.RawBody);
        // The after cursor works on its own too.
        var after = paging.GetProperty("cursors").String("after")!;
        Assert.Equal([tokens[0]], TokenIds(await s.TokensAsync($"after={Uri.EscapeDataString(after)}")));
    }

    [Fact]
    public async Task TokenList_Limit10_NextLinksWalkAll26InOrder()
    {
        await using var s = await StartAsync(host);
        var tokens = await CreateTokensAsync(s, 26, spaced: true);

        var pages = new List<IReadOnlyList<string>>();
        var response = await s.TokensAsync("limit=10");
        while (true)
        {
            pages.Add(TokenIds(response));
            if (response.Body.GetProperty("paging").String("next") is not { } next) break;
            Assert.Contains("limit=10", next, StringComparison.Ordinal);
            response = await FollowAsync(next);
        }

        Assert.Equal([10, 10, 6], pages.Select(p => p.Count));
        Assert.Equal(tokens.AsEnumerable().Reverse(), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task TokenList_Limit150_ReturnsAtMost100()
    {
        await using var s = await StartAsync(host);
        await CreateTokensAsync(s, 101, spaced: false);

        var capped = await s.TokensAsync("limit=150");
        var hundred = await s.TokensAsync("limit=100");

        Assert.Equal(100, TokenIds(capped).Count);
        Assert.Equal(TokenIds(hundred), TokenIds(capped));
        var rest = await FollowAsync(capped.Body.GetProperty("paging").String("next")!);
        Assert.Single(TokenIds(rest));
        Assert.Empty(TokenIds(hundred).Intersect(TokenIds(rest)));
    }

    [Fact]
    public async Task TokenList_LimitZero_Returns100NamingLimit()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokensAsync("limit=0");

        MarketingAssert.InvalidParameter(response, "limit");
    }

    [Fact]
    public async Task TokenList_NoTokens_ReturnsEmptyData()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokensAsync();

        Assert.True(response.IsSuccess, response.ToString());
        Assert.Empty(TokenIds(response));
    }

    [Fact]
    public async Task TokenList_NewestUpdateFirst_SentAndResumedTokensMoveToTheFront()
    {
        await using var s = await StartAsync(host);
        var tokens = await CreateTokensAsync(s, 3, spaced: true);
        var (a, b, c) = (tokens[0], tokens[1], tokens[2]);
        Assert.Equal([c, b, a], TokenIds(await s.TokensAsync()));

        await s.AdvanceAsync(Second);
        await s.SendOkAsync(a);
        Assert.Equal([a, c, b], TokenIds(await s.TokensAsync()));

        await s.AdvanceAsync(Second);
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, b, Ct);
        Assert.Equal([a, c], TokenIds(await s.TokensAsync()));

        await s.AdvanceAsync(Second);
        await s.World.ResumeMarketingAsync(s.PersonId, s.Page.Id, b, Ct);
        Assert.Equal([b, a, c], TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task TokenList_PersonBlockedPage_TheirTokensAreNotListed()
    {
        await using var s = await StartAsync(host);
        var mine = await s.OptInAsync("Weekly deals");
        var (other, otherPsid) = await s.AddPersonAsync();
        var theirs = await s.OptInAsync("Weekly deals", personId: other, psid: otherPsid);

        await s.World.BlockAsync(other, s.Page.Id, Ct);

        Assert.Equal([mine], TokenIds(await s.TokensAsync()));
        await s.World.UnblockAsync(other, s.Page.Id, Ct);
        Assert.Contains(theirs, TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task TokenList_Items_HaveTheDocumentedFields()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");

        var list = await s.TokensAsync();

        var item = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        var node = await s.TokenNodeAsync(token);
        MarketingAssert.JsonEqual(node.RawBody, item);
    }

    [Fact]
    public async Task TokenNode_FreshToken_HasEveryFieldAndIsEligibleSinceTheOptIn()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(SingleOptIn("Weekly deals", timezone: "Asia/Tokyo"));
        var tapped = await s.TapAsync(mid);
        var token = tapped.String("notification_messages_token")!;
        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        var created = optIn.Timestamp!.Value / 1000;

        var node = await s.TokenNodeAsync(token);

        Assert.True(node.IsSuccess, node.ToString());
        MarketingAssert.JsonEqual(
            $$"""
            {
              "notification_messages_token": "{{token}}",
              "recipient_id": "{{s.Psid}}",
              "notification_messages_reoptin": "ENABLED",
              "creation_timestamp": {{created}},
              "token_expiry_timestamp": {{MarketingAssert.NeverExpiresSeconds}},
              "user_token_status": "NOT_REFRESHED",
              "topic_title": "Weekly deals",
              "notification_messages_timezone": "Asia/Tokyo",
              "next_eligible_time": {{created}}
            }
            """,
            node.Body);
    }

    [Fact]
    public async Task TokenNode_AfterAMarketingMessage_NextEligibleTimeIs48HoursLater()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        await s.UseUpFollowUpsAsync(token);
        var afterFollowUps = await s.TokenNodeAsync(token);
        var sent = await s.SendOkAsync(token);

        var node = await s.TokenNodeAsync(token);

        // Follow-ups do not start the cooldown; the marketing message does. next_eligible_time is Unix seconds.
        Assert.Equal(afterFollowUps.Body.Long("creation_timestamp"), afterFollowUps.Body.Long("next_eligible_time"));
        Assert.Equal("marketing", sent.Kind);
        var exact = sent.Time + TimeSpan.FromHours(48);
        Assert.InRange(node.Body.Long("next_eligible_time"), exact.ToUnixTimeSeconds(), (exact + TimeSpan.FromMilliseconds(999)).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task TokenNode_StoppedToken_ShowsStopNotifications()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");

        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);
        var stopped = await s.TokenNodeAsync(token);
        await s.World.ResumeMarketingAsync(s.PersonId, s.Page.Id, token, Ct);
        var resumed = await s.TokenNodeAsync(token);

        Assert.Equal("STOP_NOTIFICATIONS", stopped.Body.String("notification_messages_status"));
        Assert.False(resumed.Body.HasProperty("notification_messages_status"), resumed.RawBody);
    }

    [Fact]
    public async Task TokenNode_UnknownToken_Returns100_33()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokenNodeAsync("1234567890123456789");

        MarketingAssert.GraphError(
            response, HttpStatusCode.BadRequest, 100, 33,
            "Unsupported get request. Object with ID 'notification_messages_1234567890123456789' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            type: "GraphMethodException");
    }

    [Fact]
    public async Task TokenNode_AnotherPagesToken_Returns100_33()
    {
        await using var s = await StartAsync(host);
        await using var other = await StartAsync(host);
        var foreign = await other.OptInAsync("Weekly deals");

        var response = await s.TokenNodeAsync(foreign);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(100, response.ErrorCode);
        Assert.Equal(33, response.ErrorSubcode);
    }

    /// <summary>
    /// Opts the person in to <paramref name="count"/> topics, oldest first. <paramref name="spaced"/>: one second of
    /// the app's clock between taps, so the update times (and so the order of the list) are distinct.
    /// </summary>
    private static async Task<List<string>> CreateTokensAsync(MarketingScenario s, int count, bool spaced)
    {
        var tokens = new List<string>(count);
        for (var i = 1; i <= count; i++)
        {
            if (spaced && i > 1) await s.AdvanceAsync(Second);
            tokens.Add(await s.OptInAsync($"Topic {i:000}", payload: $"TOPIC_{i}"));
        }

        return tokens;
    }

    /// <summary>GET an absolute <c>paging.next</c> URL as it is (it carries the access token).</summary>
    private async Task<GraphResponse> FollowAsync(string next)
    {
        using var response = await host.Http.GetAsync(new Uri(next, UriKind.Absolute), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new GraphResponse(response.StatusCode, body, response.Content.Headers.ContentType?.ToString(), new Dictionary<string, string>())
        {
            RawBody = text,
        };
    }
}
