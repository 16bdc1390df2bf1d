using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>The world face (docs/spec/control-api.md): the admin key, 404s, PSID look-up, and deleting an
/// app.</summary>
public sealed class WorldApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertPageboxError(ApiResponse response, HttpStatusCode status)
    {
        Assert.Equal(status, response.Status);
        var error = response.Body.GetProperty("error");
        Assert.Equal("PageboxError", error.GetProperty("type").GetString());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Health_NoKey_Ok()
    {
        var answer = await server.World.SendAsync(
            HttpMethod.Get,
            "_pagebox/health",
            authenticate: false,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("ok", answer.Body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("POST", "_pagebox/apps")]
    [InlineData("GET", "_pagebox/apps/123")]
    [InlineData("POST", "_pagebox/persons")]
    [InlineData("GET", "_pagebox/apps/123/clock")]
    [InlineData("GET", "_pagebox/apps/123/webhook-deliveries")]
    public async Task WorldFace_NoAdminKey_401(string method, string path)
    {
        var answer = await server.World.SendAsync(
            new HttpMethod(method),
            path,
            new { },
            authenticate: false,
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WorldFace_WrongAdminKey_401AndNothingCreated()
    {
        var wrong = new WorldClient(server.Http, "not-the-key");

        var answer = await wrong.SendAsync(
            HttpMethod.Post,
            "_pagebox/apps",
            new { name = "intruder" },
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateApp_WithKey_201WithNumericIdAndSecret()
    {
        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/apps",
            new { name = "my bot" },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.Equal("my bot", answer.Body.GetProperty("name").GetString());
        Assert.Matches("^[0-9]+$", answer.Body.GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("secret").GetString()));
    }

    [Fact]
    public async Task CreatePage_KnownApp_201WithTokenThatOpensThePage()
    {
        var app = await server.World.CreateAppAsync("bot", Ct);

        var page = await server.World.CreatePageAsync(app.Id, "Corner shop", cancellationToken: Ct);
        var node = await server.Graph.GetAsync("me", page.AccessToken, cancellationToken: Ct);

        Assert.Equal(("Corner shop", "messenger", "UTC"), (page.Name, page.Platform, page.Timezone));
        Assert.Equal(page.Id, node.Body.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("GET", "_pagebox/apps/999999")]
    [InlineData("DELETE", "_pagebox/apps/999999")]
    [InlineData("PATCH", "_pagebox/apps/999999")]
    [InlineData("POST", "_pagebox/apps/999999/pages")]
    [InlineData("GET", "_pagebox/apps/999999/clock")]
    [InlineData("POST", "_pagebox/apps/999999/clock")]
    [InlineData("GET", "_pagebox/apps/999999/webhook-deliveries")]
    [InlineData("PATCH", "_pagebox/pages/999999")]
    [InlineData("GET", "_pagebox/pages/999999/psids/1")]
    [InlineData("GET", "_pagebox/no-such-endpoint")]
    public async Task WorldFace_UnknownAppOrPage_404(string method, string path)
    {
        object? body = method is "POST" or "PATCH"
            ? path.EndsWith("clock", StringComparison.Ordinal)
                ? new { advance_seconds = 1 }
                : new { }
            : null;

        var answer = await server.World.SendAsync(new HttpMethod(method), path, body, cancellationToken: Ct);

        AssertPageboxError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PersonWrites_UnknownPerson_404()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/persons/999999/messages",
            new { page_id = s.Page.Id, text = "ghost" },
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PersonWrites_UnknownPage_404()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/messages",
            new { page_id = "999999", text = "hello?" },
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Conversation_UnknownPersonOrNoConversation_404()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var unknownPerson = await server.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/persons/999999/conversations/{s.Page.Id}",
            cancellationToken: Ct
        );
        var neverWrote = await server.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}",
            cancellationToken: Ct
        );

        AssertPageboxError(unknownPerson, HttpStatusCode.NotFound);
        AssertPageboxError(neverWrote, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PsidLookup_AfterFirstContact_NamesPersonAndPage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var written = await s.PersonWritesAsync("hi");

        var owner = await server.World.GetPsidAsync(s.Page.Id, written.Psid, Ct);

        Assert.Equal(new PsidOwner(s.PersonId, written.Psid, s.Page.Id), owner);
    }

    [Fact]
    public async Task Psid_SamePersonWritesTwice_SamePsid()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var first = await s.PersonWritesAsync("one");
        var second = await s.PersonWritesAsync("two");

        Assert.Equal(first.Psid, second.Psid);
        Assert.NotEqual(first.Mid, second.Mid);
    }

    [Fact]
    public async Task PsidLookup_PsidOfAnotherPage_404()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var other = await server.World.CreatePageAsync(s.App.Id, "Other", cancellationToken: Ct);
        var onFirst = await s.PersonWritesAsync("hi");
        var onOther = await server.World.WriteAsync(s.PersonId, other.Id, "hi other", cancellationToken: Ct);

        var answer = await server.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/pages/{other.Id}/psids/{onFirst.Psid}",
            cancellationToken: Ct
        );

        Assert.NotEqual(onFirst.Psid, onOther.Psid);
        AssertPageboxError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteApp_Deleted_PageTokenStopsWorking190()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var written = await s.PersonWritesAsync("hi");
        GraphAssert.Sent(await s.SendTextAsync(written.Psid, "before"), written.Psid);

        var deleted = await server.World.SendAsync(
            HttpMethod.Delete,
            $"_pagebox/apps/{s.App.Id}",
            cancellationToken: Ct
        );
        var answer = await s.SendTextAsync(written.Psid, "after");

        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
        AssertPageboxError(
            await server.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}", cancellationToken: Ct),
            HttpStatusCode.NotFound
        );
    }

    [Fact]
    public async Task DeleteApp_Deleted_AppTokenStopsWorking190()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        await server.World.DeleteAppAsync(s.App.Id, Ct);
        var answer = await server.Graph.GetAsync($"{s.App.Id}/subscriptions", s.App.AccessToken, cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
    }

    [Fact]
    public async Task GetApp_AfterSubscribe_ShowsSubscription()
    {
        await using var s = await Scenario.StartAsync(server);

        var app = await server.World.GetAppAsync(s.App.Id, Ct);

        Assert.Equal(s.App.Id, app.GetProperty("id").GetString());
        var subscription = Assert.Single(app.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(s.Receiver.CallbackUrl.ToString(), subscription.GetProperty("callback_url").GetString());
    }

    [Fact]
    public async Task PatchPage_Switches_EchoedBack()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var page = await server.World.PatchPageAsync(
            s.Page.Id,
            new { messaging_enabled = false, timezone = "Europe/Berlin" },
            Ct
        );

        Assert.Equal("Europe/Berlin", page.GetProperty("timezone").GetString());
        Assert.False(page.GetProperty("settings").GetProperty("messaging_enabled").GetBoolean());
        Assert.True(page.GetProperty("settings").GetProperty("pages_messaging_permission").GetBoolean());
    }

    [Fact]
    public async Task CreateApp_MalformedJson_400WithEnvelope()
    {
        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/apps",
            "{\"name\":",
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.Object, answer.Body.ValueKind);
    }

    [Fact]
    public async Task Body_OverOneMegabyte_Is413WithTheWorldEnvelope()
    {
        var huge = "{\"name\":\"" + new string('x', 1024 * 1024 + 10) + "\"}";

        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/apps",
            huge,
            cancellationToken: TestContext.Current.CancellationToken
        );

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Equal("PageboxError", answer.Body.GetProperty("error").GetProperty("type").GetString());
    }
}
