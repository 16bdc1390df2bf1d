using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// debug_token inspects only tokens of the viewing app (the caller's), and honours that app's appsecret_proof rule
/// (issue 7). Meta's refusal: 100, "The App_id in the input_token did not match the Viewing App".
/// </summary>
public sealed class DebugTokenTenancyTests(PageboxServer server)
{
    private const string Mismatch = "(#100) The App_id in the input_token did not match the Viewing App";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<GraphResponse> DebugAsync(string input, string caller, string? proof = null) =>
        server.Graph.GetAsync($"debug_token?input_token={Uri.EscapeDataString(input)}", caller, proof, Ct);

    [Fact]
    public async Task DebugToken_AnotherAppsPageToken_Refused()
    {
        await using var mine = await Scenario.StartAsync(server, subscribe: false);
        await using var theirs = await Scenario.StartAsync(server, subscribe: false);

        var answer = await DebugAsync(theirs.Page.AccessToken, mine.App.AccessToken);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null, Mismatch);
        Assert.DoesNotContain(theirs.Page.Id, answer.RawBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DebugToken_AnotherAppsAppToken_Refused()
    {
        await using var mine = await Scenario.StartAsync(server, subscribe: false);
        await using var theirs = await Scenario.StartAsync(server, subscribe: false);

        var answer = await DebugAsync(theirs.App.AccessToken, mine.App.AccessToken);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null, Mismatch);
    }

    [Fact]
    public async Task DebugToken_PageTokenCallerInspectsAnotherAppsToken_Refused()
    {
        await using var mine = await Scenario.StartAsync(server, subscribe: false);
        await using var theirs = await Scenario.StartAsync(server, subscribe: false);

        var answer = await DebugAsync(theirs.Page.AccessToken, mine.Page.AccessToken);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null, Mismatch);
    }

    [Fact]
    public async Task DebugToken_PageTokenInspectsItself_Described()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await DebugAsync(s.Page.AccessToken, s.Page.AccessToken);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(s.Page.Id, answer.Body.GetProperty("data").GetProperty("profile_id").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DebugToken_AppRequiresProof_RefusedWithoutItAndAnsweredWithIt(bool pageTokenCaller)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { require_appsecret_proof = true },
            cancellationToken: Ct
        );
        var caller = pageTokenCaller ? s.Page.AccessToken : s.App.AccessToken;

        var without = await DebugAsync(s.Page.AccessToken, caller);
        var with = await DebugAsync(s.Page.AccessToken, caller, GraphClient.AppSecretProof(caller, s.App.Secret));

        GraphAssert.Error(
            without,
            HttpStatusCode.BadRequest,
            "GraphMethodException",
            100,
            null,
            "API calls from the server require an appsecret_proof argument"
        );
        Assert.Equal(HttpStatusCode.OK, with.Status);
        Assert.True(with.Body.GetProperty("data").GetProperty("is_valid").GetBoolean());
    }
}
