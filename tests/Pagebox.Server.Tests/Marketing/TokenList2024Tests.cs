using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Store;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// The token list under the 2024 rule set (seed, "Get a List of Tokens"): "A list of up to 25 tokens is returned by
/// default … Currently, there is a limit of 100 tokens"; no <c>do_not_return_duplicates</c> and no Marketing Message
/// API fields yet.
/// </summary>
public sealed class TokenList2024Tests(Policy2024Host host) : IClassFixture<Policy2024Host>
{
    [Fact]
    public async Task TokenList_26Tokens_FirstPageHas25AndNextGivesThe26th()
    {
        await using var s = await StartAsync(host);
        var tokens = await TokenSeeds.SeedAsync(host, s, 26);

        var first = await s.TokensAsync();

        Assert.Equal(tokens.Take(25), TokenIds(first));
        var second = await TokenSeeds.FollowAsync(host, first.Body.GetProperty("paging").String("next")!);
        Assert.Equal([tokens[25]], TokenIds(second));
        Assert.False(second.Body.GetProperty("paging").HasProperty("next"), second.RawBody);
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(101, 100)]
    [InlineData(1000, 100)]
    public async Task TokenList_LimitUnder2024_CappedAt100(int limit, int expected)
    {
        await using var s = await StartAsync(host);
        var tokens = await TokenSeeds.SeedAsync(host, s, 101);

        var page = await s.TokensAsync($"limit={limit}");

        Assert.Equal(tokens.Take(expected), TokenIds(page));
        var next = page.Body.GetProperty("paging").String("next")!;
        Assert.Contains($"limit={expected}", next, StringComparison.Ordinal);
        Assert.Equal([tokens[100]], TokenIds(await TokenSeeds.FollowAsync(host, next)));
    }

    [Fact]
    public async Task TokenList_Items_HaveNoMarketingMessageApiField()
    {
        await using var s = await StartAsync(host);
        await s.OptInAsync("Weekly deals");

        var item = Assert.Single((await s.TokensAsync()).Body.GetProperty("data").EnumerateArray());

        Assert.Equal(
            [
                "creation_timestamp",
                "next_eligible_time",
                "notification_messages_reoptin",
                "notification_messages_timezone",
                "notification_messages_token",
                "recipient_id",
                "token_expiry_timestamp",
                "topic_title",
                "user_token_status",
            ],
            item.Names()
        );
    }

    [Theory]
    [InlineData("next_eligible_time_for_paid_messaging")]
    [InlineData("custom_audience_ids")]
    public async Task TokenList_MarketingMessageApiFieldUnder2024_Returns100NonexistingField(string field)
    {
        await using var s = await StartAsync(host);

        var response = await s.TokensAsync($"fields=notification_messages_token,{field}");

        MarketingAssert.GraphError(
            response,
            System.Net.HttpStatusCode.BadRequest,
            100,
            null,
            $"(#100) Tried accessing nonexisting field ({field}) on node type (UserPageOneTimeOptInTokenSettings)"
        );
    }

    [Fact]
    public async Task TokenList_DoNotReturnDuplicatesUnder2024_IsIgnored()
    {
        await using var s = await StartAsync(host);
        await s.OptInAsync("Shoes");
        await s.OptInAsync("Hats");

        var response = await s.TokensAsync("do_not_return_duplicates=true");

        Assert.Equal(2, TokenIds(response).Count);
    }
}

/// <summary>Many tokens at once for the list's limits, and following <c>paging.next</c> as an SDK does.</summary>
internal static class TokenSeeds
{
    /// <summary>
    /// Saves <paramref name="count"/> active tokens of the scenario's person straight into the store (a thousand
    /// opt-ins through the world face would take minutes), one millisecond of update time apart. Returns them in the
    /// list's order: newest update first.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SeedAsync(MarketingHost host, MarketingScenario s, int count)
    {
        var store = host.Host.Services.GetRequiredService<IPageboxStore>();
        var now = await s.NowAsync();
        var prefix = Guid.NewGuid().ToString("N")[..12];
        var tokens = Enumerable
            .Range(0, count)
            .Select(i =>
                (Token: $"{prefix}{i:D6}", Updated: now - TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(i))
            )
            .ToList();
        await store.WriteAsync(
            session =>
            {
                foreach (var (token, updated) in tokens)
                {
                    session.Apply(
                        new SaveToken(
                            new NotificationToken(
                                token,
                                s.Page.Id,
                                s.Psid,
                                s.PersonId,
                                $"Topic {token}",
                                "PROMO",
                                "UTC",
                                null,
                                ReOptIn.Enabled,
                                TokenStatus.Active,
                                UserTokenStatus.NotRefreshed,
                                updated,
                                updated,
                                null,
                                null,
                                0,
                                null,
                                false,
                                updated
                            )
                        )
                    );
                }

                return 0;
            },
            Ct
        );
        return [.. tokens.Select(t => t.Token)];
    }

    /// <summary>GET an absolute <c>paging.next</c> URL as it is.</summary>
    public static async Task<GraphResponse> FollowAsync(MarketingHost host, string next)
    {
        using var response = await host.Http.GetAsync(new Uri(next, UriKind.Absolute), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new GraphResponse(
            response.StatusCode,
            body,
            response.Content.Headers.ContentType?.ToString(),
            new Dictionary<string, string>()
        )
        {
            RawBody = text,
        };
    }
}
