using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// The world face's conversation view pages with a cursor instead of cutting silently (issue 7): <c>limit</c> (1–1000,
/// default 200) newest messages, oldest first, <c>has_more</c>, and <c>before</c> for the next older page.
/// </summary>
public sealed class ConversationPagingTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiResponse> ViewAsync(Scenario s, string query) =>
        server.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}{query}",
            cancellationToken: Ct
        );

    private static List<string> Mids(ApiResponse view) =>
        [.. view.Body.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("mid").GetString()!)];

    [Fact]
    public async Task View_MoreMessagesThanLimit_PagesBackwardsWithTheCursorOverEveryMessageOnce()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var written = new List<string>();
        for (var i = 0; i < 5; i++)
            written.Add((await s.PersonWritesAsync($"m{i}")).Mid);

        var first = await ViewAsync(s, "?limit=2");
        var second = await ViewAsync(s, $"?limit=2&before={first.Body.GetProperty("before").GetString()}");
        var third = await ViewAsync(s, $"?limit=2&before={second.Body.GetProperty("before").GetString()}");

        Assert.Equal(written[3..5], Mids(first));
        Assert.True(first.Body.GetProperty("has_more").GetBoolean());
        Assert.Equal(written[1..3], Mids(second));
        Assert.Equal(written[..1], Mids(third));
        Assert.False(third.Body.GetProperty("has_more").GetBoolean());
        Assert.False(third.Body.TryGetProperty("before", out _));
    }

    [Fact]
    public async Task View_WithoutLimit_AllOfASmallConversationAndNoMore()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var a = await s.PersonWritesAsync("a");
        GraphAssert.Sent(await s.SendTextAsync(a.Psid, "b"), a.Psid);

        var view = await ViewAsync(s, "");

        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Equal(2, Mids(view).Count);
        Assert.False(view.Body.GetProperty("has_more").GetBoolean());
    }

    [Theory]
    [InlineData("?limit=abc")]
    [InlineData("?limit=0")]
    [InlineData("?limit=-3")]
    [InlineData("?before=m_nope")]
    public async Task View_BadLimitOrCursor_400NamingIt(string query)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.PersonWritesAsync("a");

        var view = await ViewAsync(s, query);

        Assert.Equal(HttpStatusCode.BadRequest, view.Status);
        var name = query.TrimStart('?').Split('=')[0];
        Assert.Contains(
            name,
            view.Body.GetProperty("error").GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task View_CursorOfAnotherConversation_400()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        await s.PersonWritesAsync("mine");
        var theirs = await other.PersonWritesAsync("theirs");

        var view = await ViewAsync(s, $"?before={theirs.Mid}");

        Assert.Equal(HttpStatusCode.BadRequest, view.Status);
        Assert.DoesNotContain("theirs", view.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task View_LimitAboveMaximum_Clamped()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.PersonWritesAsync("a");

        var view = await ViewAsync(s, "?limit=100000");

        Assert.Equal(HttpStatusCode.OK, view.Status);
        Assert.Single(Mids(view));
        Assert.Equal(JsonValueKind.False, view.Body.GetProperty("has_more").ValueKind);
    }
}
