using System.Net;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// <c>GET /{PAGE-ID}/notification_message_tokens</c> under the 2025-09 rule set (100 by default, at most 1000,
/// <c>do_not_return_duplicates</c>, the Marketing Message API fields; newest update first, <c>after</c> cursor, only
/// valid tokens) and <c>GET /notification_messages_{TOKEN}</c> (seed, "Get a List of Tokens", "Get Token Information";
/// Meta's get-subscription-tokens page and its changelog of 2025-09-08). The 2024 limits are in <see
/// cref="TokenList2024Tests"/>.
/// </summary>
public sealed class TokenListTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task TokenList_101Tokens_FirstPageHas100AndNextGivesThe101st()
    {
        await using var s = await StartAsync(host);
        var tokens = await TokenSeeds.SeedAsync(host, s, 101);

        var first = await s.TokensAsync();

        Assert.Equal(tokens.Take(100), TokenIds(first));
        var paging = first.Body.GetProperty("paging");
        Assert.False(string.IsNullOrEmpty(paging.GetProperty("cursors").String("before")));
        Assert.False(string.IsNullOrEmpty(paging.GetProperty("cursors").String("after")));
        var next = paging.String("next")!;
        Assert.StartsWith(
            new Uri(host.BaseUrl, $"v25.0/{s.Page.Id}/notification_message_tokens?").ToString(),
            next,
            StringComparison.Ordinal
        );
        var second = await TokenSeeds.FollowAsync(host, next);
        Assert.Equal([tokens[100]], TokenIds(second));
        Assert.False(second.Body.GetProperty("paging").HasProperty("next"), second.RawBody);
        // The after cursor works on its own too.
        var after = paging.GetProperty("cursors").String("after")!;
        Assert.Equal([tokens[100]], TokenIds(await s.TokensAsync($"after={Uri.EscapeDataString(after)}")));
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(101, 101)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    public async Task TokenList_LimitUnder2025_CappedAt1000(int limit, int expected)
    {
        await using var s = await StartAsync(host);
        var tokens = await TokenSeeds.SeedAsync(host, s, 1001);

        var page = await s.TokensAsync($"limit={limit}");

        Assert.Equal(tokens.Take(expected), TokenIds(page));
        var rest = await TokenSeeds.FollowAsync(host, page.Body.GetProperty("paging").String("next")!);
        Assert.Equal(tokens.Skip(expected).Take(expected), TokenIds(rest));
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
            if (response.Body.GetProperty("paging").String("next") is not { } next)
                break;
            Assert.Contains("limit=10", next, StringComparison.Ordinal);
            response = await TokenSeeds.FollowAsync(host, next);
        }

        Assert.Equal([10, 10, 6], pages.Select(p => p.Count));
        Assert.Equal(tokens.AsEnumerable().Reverse(), pages.SelectMany(p => p));
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
              "next_eligible_time": {{created}},
              "next_eligible_time_for_paid_messaging": {{created}}
            }
            """,
            node.Body
        );
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
        Assert.InRange(
            node.Body.Long("next_eligible_time"),
            exact.ToUnixTimeSeconds(),
            (exact + TimeSpan.FromMilliseconds(999)).ToUnixTimeSeconds()
        );
    }

    /// <summary>Meta's token node has no stop status: the node of a stopped token looks like an active one's; the
    /// developer's view says it.</summary>
    [Fact]
    public async Task TokenNode_StoppedToken_HasOnlyMetasFieldsAndTheViewSaysStopped()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var active = await s.TokenNodeAsync(token);

        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);
        var stopped = await s.TokenNodeAsync(token);

        Assert.Equal(
            [
                "creation_timestamp",
                "next_eligible_time",
                "next_eligible_time_for_paid_messaging",
                "notification_messages_reoptin",
                "notification_messages_timezone",
                "notification_messages_token",
                "recipient_id",
                "token_expiry_timestamp",
                "topic_title",
                "user_token_status",
            ],
            stopped.Body.Names()
        );
        MarketingAssert.JsonEqual(active.RawBody, stopped.Body);
        Assert.Equal("stopped", (await s.TokenViewAsync(token)).String("status"));
    }

    // :: fields, do_not_return_duplicates, custom_audience_ids (2025-09)

    [Fact]
    public async Task TokenList_FieldsWithTheMarketingMessageApiFields_ReturnsThoseOnly()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var created = (await s.TokenNodeAsync(token)).Body.Long("creation_timestamp");

        var list = await s.TokensAsync(
            "fields=notification_messages_token,next_eligible_time_for_paid_messaging,custom_audience_ids"
        );

        var item = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        // custom_audience_ids is known but absent: the token came from an opt-in, not from a Custom Audience upload.
        MarketingAssert.JsonEqual(
            $$"""{"notification_messages_token":"{{token}}","next_eligible_time_for_paid_messaging":{{created}}}""",
            item
        );
    }

    [Fact]
    public async Task TokenList_UnknownField_Returns100NamingFields()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokensAsync("fields=notification_messages_token,notification_messages_status");

        // Graph's wording names the field rather than the parameter.
        MarketingAssert.GraphError(
            response,
            HttpStatusCode.BadRequest,
            100,
            null,
            "(#100) Tried accessing nonexisting field (notification_messages_status) on node type "
                + "(UserPageOneTimeOptInTokenSettings)"
        );
    }

    [Fact]
    public async Task TokenList_DoNotReturnDuplicates_OneTokenPerPersonOnEveryPage()
    {
        await using var s = await StartAsync(host);
        var oldest = await s.OptInAsync("Shoes");
        await s.AdvanceAsync(Second);
        var (other, otherPsid) = await s.AddPersonAsync();
        var theirs = await s.OptInAsync("Shoes", personId: other, psid: otherPsid);
        await s.AdvanceAsync(Second);
        await s.OptInAsync("Hats");
        await s.AdvanceAsync(Second);
        var newest = await s.OptInAsync("Scarves");

        var all = TokenIds(await s.TokensAsync());
        var deduped = TokenIds(await s.TokensAsync("do_not_return_duplicates=true"));
        var pages = new List<string>();
        var response = await s.TokensAsync("do_not_return_duplicates=true&limit=1");
        while (true)
        {
            pages.AddRange(TokenIds(response));
            if (response.Body.GetProperty("paging").String("next") is not { } next)
                break;
            response = await TokenSeeds.FollowAsync(host, next);
        }

        Assert.Equal(4, all.Count);
        Assert.Equal([newest, theirs], deduped);
        Assert.Equal([newest, theirs], pages);
        Assert.DoesNotContain(oldest, deduped);
    }

    [Fact]
    public async Task TokenList_CustomAudienceIds_NoTokenCameFromACustomAudience()
    {
        await using var s = await StartAsync(host);
        await s.OptInAsync("Weekly deals");

        var filtered = await s.TokensAsync("custom_audience_ids=123456789,9876543211");

        Assert.Empty(TokenIds(filtered));
        Assert.Single(TokenIds(await s.TokensAsync()));
    }

    [Fact]
    public async Task TokenNode_UnknownToken_Returns100_33()
    {
        await using var s = await StartAsync(host);

        var response = await s.TokenNodeAsync("1234567890123456789");

        MarketingAssert.GraphError(
            response,
            HttpStatusCode.BadRequest,
            100,
            33,
            "Unsupported get request. Object with ID 'notification_messages_1234567890123456789' does not exist, "
                + "cannot be loaded due to missing permissions, or does not support this operation. Please read the "
                + "Graph API documentation at https://developers.facebook.com/docs/graph-api",
            type: "GraphMethodException"
        );
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
            if (spaced && i > 1)
                await s.AdvanceAsync(Second);
            tokens.Add(await s.OptInAsync($"Topic {i:000}", payload: $"TOPIC_{i}"));
        }

        return tokens;
    }
}
