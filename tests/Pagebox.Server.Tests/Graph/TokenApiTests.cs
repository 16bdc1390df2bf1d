using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>Start-up credential checks: debug_token and the app node.</summary>
public sealed class TokenApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string AppToken(Scenario s) => $"{s.App.Id}|{s.App.Secret}";

    [Fact]
    public async Task DebugToken_PageToken_DescribesThePageAndItsApp()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync(
            $"debug_token?input_token={Uri.EscapeDataString(s.Page.AccessToken)}",
            AppToken(s),
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var data = answer.Body.GetProperty("data");
        Assert.True(data.GetProperty("is_valid").GetBoolean());
        Assert.Equal("PAGE", data.GetProperty("type").GetString());
        Assert.Equal(s.App.Id, data.GetProperty("app_id").GetString());
        Assert.Equal(s.Page.Id, data.GetProperty("profile_id").GetString());
        Assert.Contains("pages_messaging", data.GetProperty("scopes").EnumerateArray().Select(x => x.GetString()));
    }

    [Fact]
    public async Task DebugToken_UnknownInput_IsDescribedAsInvalid()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync("debug_token?input_token=EAAnope", AppToken(s), cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var data = answer.Body.GetProperty("data");
        Assert.False(data.GetProperty("is_valid").GetBoolean());
        Assert.Equal(190, data.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task DebugToken_AppTokenInputWithPageTokenCaller_DescribesTheApp()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync(
            $"debug_token?input_token={Uri.EscapeDataString(AppToken(s))}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("APP", answer.Body.GetProperty("data").GetProperty("type").GetString());
    }

    [Fact]
    public async Task DebugToken_WrongCallerToken_Is190()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync("debug_token?input_token=x", "EAAbad", cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
    }

    [Fact]
    public async Task AppNode_WithItsAppToken_ReturnsIdAndName()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync(s.App.Id, AppToken(s), cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(s.App.Id, answer.Body.GetProperty("id").GetString());
        Assert.Equal("bot", answer.Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AppNode_WrongSecret_Is190()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.GetAsync(s.App.Id, $"{s.App.Id}|wrong", cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
    }
}
