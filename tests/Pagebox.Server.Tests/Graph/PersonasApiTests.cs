using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The Personas API and sending as a persona (Meta's sample bot hands a conversation to a "care"
/// persona).</summary>
public sealed class PersonasApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> CreateAsync(Scenario s, string name)
    {
        var created = await s.Graph.PostAsync(
            "me/personas",
            new { name, profile_picture_url = "https://example.com/care.jpg" },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(["id"], GraphAssert.Names(created.Body));
        return created.Body.GetProperty("id").GetString()!;
    }

    private static Task<GraphResponse> SendAsAsync(Scenario s, string psid, string personaId) =>
        s.SendAsync(
            new
            {
                recipient = new { id = psid },
                persona_id = personaId,
                message = new { text = "Hi, I am Jo from customer care." },
            }
        );

    [Fact]
    public async Task Create_ThenReadAndList_ShowsThePersona()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var id = await CreateAsync(s, "Jo from Care");

        var node = await s.Graph.GetAsync(id, s.Page.AccessToken, cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, node.Status);
        Assert.Equal("Jo from Care", node.Body.GetProperty("name").GetString());
        Assert.Equal("https://example.com/care.jpg", node.Body.GetProperty("profile_picture_url").GetString());
        Assert.Equal(id, node.Body.GetProperty("id").GetString());
        var list = await s.Graph.GetAsync($"{s.Page.Id}/personas", s.Page.AccessToken, cancellationToken: Ct);
        Assert.Equal(id, Assert.Single(list.Body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task List_WithLimit_PagesWithAfter()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add(await CreateAsync(s, $"Agent {i}"));

        var first = await s.Graph.GetAsync("me/personas?limit=2", s.Page.AccessToken, cancellationToken: Ct);
        var after = first.Body.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString();
        var second = await s.Graph.GetAsync(
            $"me/personas?limit=2&after={after}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(2, first.Body.GetProperty("data").GetArrayLength());
        Assert.True(first.Body.GetProperty("paging").TryGetProperty("next", out _));
        Assert.Equal(1, second.Body.GetProperty("data").GetArrayLength());
        Assert.False(second.Body.GetProperty("paging").TryGetProperty("next", out _));
        var seen = first
            .Body.GetProperty("data")
            .EnumerateArray()
            .Concat(second.Body.GetProperty("data").EnumerateArray())
            .Select(p => p.GetProperty("id").GetString())
            .Order();
        Assert.Equal(ids.Order(), seen);
    }

    [Fact]
    public async Task Send_AsALivePersona_IsAccepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("I need help")).Psid;
        var id = await CreateAsync(s, "Jo from Care");

        GraphAssert.Sent(await SendAsAsync(s, psid, id), psid);
    }

    [Fact]
    public async Task Send_AsADeletedPersona_Returns100NamingPersonaId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("I need help")).Psid;
        var id = await CreateAsync(s, "Jo from Care");

        var deleted = await s.Graph.DeleteAsync(id, s.Page.AccessToken, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.True(deleted.Body.GetProperty("success").GetBoolean());
        GraphAssert.InvalidParameter(await SendAsAsync(s, psid, id), "persona_id");
        // Deleting is soft: the persona still reads (old messages keep it), but no longer lists.
        Assert.Equal(HttpStatusCode.OK, (await s.Graph.GetAsync(id, s.Page.AccessToken, cancellationToken: Ct)).Status);
        Assert.Equal(
            0,
            (await s.Graph.GetAsync("me/personas", s.Page.AccessToken, cancellationToken: Ct))
                .Body.GetProperty("data")
                .GetArrayLength()
        );
    }

    [Fact]
    public async Task Send_AsAnotherPagesPersona_Returns100NamingPersonaId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hello")).Psid;
        var foreign = await CreateAsync(other, "Not yours");

        GraphAssert.InvalidParameter(await SendAsAsync(s, psid, foreign), "persona_id");
    }

    [Theory]
    [InlineData(null, "https://example.com/a.jpg", "name")]
    [InlineData("Jo", null, "profile_picture_url")]
    [InlineData("Jo", "not a url", "profile_picture_url")]
    [InlineData("123456789012345678901234567890123456789012345678901", "https://example.com/a.jpg", "name")]
    public async Task Create_BadParameter_Returns100NamingIt(string? name, string? picture, string parameter)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var body = new Dictionary<string, string?> { ["name"] = name, ["profile_picture_url"] = picture }
            .Where(kv => kv.Value is not null)
            .ToDictionary();

        var answer = await s.Graph.PostAsync("me/personas", body, s.Page.AccessToken, cancellationToken: Ct);

        GraphAssert.InvalidParameter(answer, parameter);
    }

    [Fact]
    public async Task Create_NameOf50Characters_IsAccepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var id = await CreateAsync(s, new string('n', 50));

        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    public async Task Delete_UnknownPersona_Returns100Subcode33()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.DeleteAsync("999999999999999", s.Page.AccessToken, cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
    }
}
