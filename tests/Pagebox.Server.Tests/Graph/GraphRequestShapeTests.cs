using System.Net;
using System.Text;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// The request shapes real bots and SDKs send to the Graph face (docs/spec/send-api.md §1): version prefixes, the four
/// token placements, JSON / form / single-quoted pseudo-JSON / query-only bodies, extra fields, and appsecret_proof.
/// Every accepted send is checked in the conversation, so "accepted" means "understood".
/// </summary>
public sealed class GraphRequestShapeTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A Page whose person just wrote, so the window is open; no webhook subscription (not needed
    /// here).</summary>
    private async Task<(Scenario S, string Psid)> OpenWindowAsync()
    {
        var s = await Scenario.StartAsync(server, subscribe: false);
        var written = await s.PersonWritesAsync("hi");
        return (s, written.Psid);
    }

    private static async Task<string?> LastPageTextAsync(Scenario s)
    {
        var last = (await s.ConversationAsync()).GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("page", last.GetProperty("from").GetString());
        return last.GetProperty("message").GetProperty("text").GetString();
    }

    private Task<GraphResponse> RawAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        string? bearer = null
    ) => server.Graph.SendRawAsync(method, pathAndQuery, content, bearer, Ct);

    private static StringContent Form(string raw) => new(raw, Encoding.UTF8, "application/x-www-form-urlencoded");

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    // :: Versions

    [Theory]
    [InlineData("v2.6")]
    [InlineData("v24.0")]
    [InlineData("v25.0")]
    [InlineData(null)]
    public async Task Send_VersionPrefixOrNone_Accepted(string? version)
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server
            .GraphWith(version)
            .SendTextAsync(s.Page.Id, s.Page.AccessToken, psid, $"version {version ?? "none"}", cancellationToken: Ct);

        GraphAssert.Sent(answer, psid);
        Assert.Equal($"version {version ?? "none"}", await LastPageTextAsync(s));
    }

    // :: Token placement (docs/spec/send-api.md §1.2)

    [Fact]
    public async Task Send_TokenInQuery_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        GraphAssert.Sent(
            await RawAsync(
                HttpMethod.Post,
                $"v25.0/me/messages?access_token={s.Page.AccessToken}",
                Json($$$"""{"recipient":{"id":"{{{psid}}}"},"message":{"text":"token in query"}}""")
            ),
            psid
        );
        Assert.Equal("token in query", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_TokenInFormBody_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.PostFormAsync(
            $"{s.Page.Id}/messages",
            new Dictionary<string, string>
            {
                ["recipient"] = $$"""{"id":"{{psid}}"}""",
                ["message"] = """{"text":"token in form"}""",
                ["access_token"] = s.Page.AccessToken,
            },
            cancellationToken: Ct
        );

        GraphAssert.Sent(answer, psid);
        Assert.Equal("token in form", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_TokenInJsonBody_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new
            {
                recipient = new { id = psid },
                message = new { text = "token in json" },
                access_token = s.Page.AccessToken,
            },
            accessToken: null,
            cancellationToken: Ct
        );

        GraphAssert.Sent(answer, psid);
        Assert.Equal("token in json", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_TokenInBearerHeader_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server
            .GraphWith("v25.0", bearer: true)
            .SendTextAsync(s.Page.Id, s.Page.AccessToken, psid, "token in header", cancellationToken: Ct);

        GraphAssert.Sent(answer, psid);
        Assert.Equal("token in header", await LastPageTextAsync(s));
    }

    // :: Body encodings (docs/spec/send-api.md §1.4)

    [Fact]
    public async Task Send_FormWithJsonStringObjects_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.PostFormAsync(
            $"{s.Page.Id}/messages",
            new Dictionary<string, string>
            {
                ["recipient"] = $$"""{"id":"{{psid}}"}""",
                ["messaging_type"] = "RESPONSE",
                ["message"] = """{"text":"form with json strings","metadata":"x"}""",
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Sent(answer, psid);
        Assert.Equal("form with json strings", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_MetaSampleSingleQuotedForm_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        // Byte for byte what Meta's curl sample sends: curl -d "recipient={'id':'PSID'}" -d "message={'text':'hello,
        // world'}" ...
        var answer = await RawAsync(
            HttpMethod.Post,
            $"v25.0/{s.Page.Id}/messages?access_token={s.Page.AccessToken}",
            Form($"recipient={{'id':'{psid}'}}&messaging_type=RESPONSE&message={{'text':'hello, world'}}")
        );

        GraphAssert.Sent(answer, psid);
        Assert.Equal("hello, world", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_EveryParameterInQueryStringNoBody_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var query = string.Join(
            '&',
            "recipient=" + Uri.EscapeDataString($$"""{"id":"{{psid}}"}"""),
            "messaging_type=RESPONSE",
            "message=" + Uri.EscapeDataString("""{"text":"all in the query"}"""),
            "access_token=" + s.Page.AccessToken
        );

        var answer = await RawAsync(HttpMethod.Post, $"v25.0/me/messages?{query}", content: null);

        GraphAssert.Sent(answer, psid);
        Assert.Equal("all in the query", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_ExtraPageIdFieldInBody_Ignored()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new
            {
                id = s.Page.Id,
                recipient = new { id = psid },
                messaging_type = "RESPONSE",
                message = new { text = "with extra id" },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Sent(answer, psid);
        Assert.Equal("with extra id", await LastPageTextAsync(s));
    }

    [Fact]
    public async Task Send_NullSenderActionFromSerializer_TreatedAsAbsent()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await RawAsync(
            HttpMethod.Post,
            $"v25.0/me/messages?access_token={s.Page.AccessToken}",
            Json($$"""{"recipient":{"id":"{{psid}}"},"message":{"text":"nulls"},"sender_action":null,"tag":null}""")
        );

        GraphAssert.Sent(answer, psid);
    }

    [Fact]
    public async Task GetPage_EmptyJsonObjectBody_AnswersPageNode()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await RawAsync(HttpMethod.Get, $"v25.0/{s.Page.Id}?access_token={s.Page.AccessToken}", Json("{}"));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(s.Page.Id, answer.Body.GetProperty("id").GetString());
        Assert.Equal(s.Page.Name, answer.Body.GetProperty("name").GetString());
    }

    [Fact]
    public async Task GetMe_PageToken_AnswersThatPage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.GetAsync("me", s.Page.AccessToken, cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(s.Page.Id, answer.Body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Send_AnotherPagesIdInPath_RefusedAsUnsupported()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var other = await server.World.CreatePageAsync(s.App.Id, "Other", cancellationToken: Ct);

        var answer = await server.Graph.SendTextAsync(
            other.Id,
            s.Page.AccessToken,
            psid,
            "wrong page",
            cancellationToken: Ct
        );

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
        Assert.StartsWith(
            $"Unsupported post request. Object with ID '{other.Id}' does not exist",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
    }

    // :: appsecret_proof (docs/spec/send-api.md §1.3)

    [Fact]
    public async Task Send_CorrectAppSecretProof_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var proof = GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret);

        var answer = await server.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new { recipient = new { id = psid }, message = new { text = "proven" } },
            s.Page.AccessToken,
            proof,
            Ct
        );

        GraphAssert.Sent(answer, psid);
    }

    [Fact]
    public async Task Send_WrongAppSecretProof_Refused100GraphMethodException()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var wrong = GraphClient.AppSecretProof(s.Page.AccessToken, "not-the-secret");

        var answer = await server.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new { recipient = new { id = psid }, message = new { text = "forged" } },
            s.Page.AccessToken,
            wrong,
            Ct
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "GraphMethodException",
            100,
            null,
            "Invalid appsecret_proof provided in the API argument"
        );
        Assert.Equal(1, (await s.ConversationAsync()).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Send_AppRequiresProofAndNoneGiven_Refused100()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var patched = await server.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { require_appsecret_proof = true },
            cancellationToken: Ct
        );
        Assert.True(patched.IsSuccess, patched.RawBody);

        var answer = await s.SendTextAsync(psid, "no proof");

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "GraphMethodException",
            100,
            null,
            "API calls from the server require an appsecret_proof argument"
        );
    }

    [Fact]
    public async Task Send_AppRequiresProofAndCorrectGiven_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { require_appsecret_proof = true },
            cancellationToken: Ct
        );

        var answer = await RawAsync(
            HttpMethod.Post,
            $"me/messages?access_token={s.Page.AccessToken}&appsecret_proof="
                + $"{GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret)}",
            Json($$$"""{"recipient":{"id":"{{{psid}}}"},"message":{"text":"proof in query"}}""")
        );

        GraphAssert.Sent(answer, psid);
    }

    [Fact]
    public async Task Send_ProofInJsonBodyWithBearerToken_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var proof = GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret);

        var answer = await RawAsync(
            HttpMethod.Post,
            "v25.0/me/messages",
            Json(
                $$"""{"recipient":{"id":"{{psid}}"},"message":{"text":"proof in body"},"appsecret_proof":"{{proof}}"}"""
            ),
            bearer: s.Page.AccessToken
        );

        GraphAssert.Sent(answer, psid);
    }
}
