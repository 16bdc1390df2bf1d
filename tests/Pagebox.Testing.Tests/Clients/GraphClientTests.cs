using System.Net;

namespace Pagebox.Testing.Tests.Clients;

public sealed class GraphClientTests : IDisposable
{
    // printf '%s' 'EAAB-token' | openssl dgst -sha256 -hmac 'app-secret'
    private const string ProofHex = "294c307ff2427ed2140908ec13f483ef7f7d7819a8fc32fb535cf6ada2327ab2";

    private readonly RecordingHandler _handler;
    private readonly HttpClient _http;

    public GraphClientTests()
    {
        _handler = new RecordingHandler(_ => (HttpStatusCode.OK, """{"recipient_id":"9","message_id":"m_1"}"""));
        _http = new HttpClient(_handler) { BaseAddress = new Uri("http://127.0.0.1:8480/") };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public void AppSecretProof_KnownTokenAndSecret_MatchesOpenSsl()
    {
        Assert.Equal(ProofHex, GraphClient.AppSecretProof("EAAB-token", "app-secret"));
    }

    [Fact]
    public void AppAccessToken_IdAndSecret_JoinedWithPipe()
    {
        Assert.Equal("123|abc", GraphClient.AppAccessToken("123", "abc"));
    }

    [Fact]
    public async Task SendTextAsync_Defaults_PostsVersionedPathTokenInQueryJsonBody()
    {
        var graph = new GraphClient(_http);

        var response = await graph.SendTextAsync("page1", "EAA|x", "psid1", "hello", cancellationToken: Ct);

        Assert.True(response.IsSuccess);
        Assert.Equal("m_1", response.Body.GetProperty("message_id").GetString());
        var (request, body) = _handler.Last;
        Assert.Equal("/v25.0/page1/messages?access_token=EAA%7Cx", request.RequestUri!.PathAndQuery);
        Assert.Null(request.Headers.Authorization);
        Assert.Equal("""{"recipient":{"id":"psid1"},"messaging_type":"RESPONSE","message":{"text":"hello"}}""", body);
    }

    [Fact]
    public async Task PostAsync_VersionedPathWithQueryAndProof_KeepsVersionAndAppendsBoth()
    {
        var graph = new GraphClient(_http);

        await graph.PostAsync("/v23.0/me/messages?x=1", new { recipient = new { id = "1" } }, "tok", "proof", Ct);

        Assert.Equal(
            "/v23.0/me/messages?x=1&access_token=tok&appsecret_proof=proof",
            _handler.Last.Request.RequestUri!.PathAndQuery
        );
    }

    [Fact]
    public async Task GetAsync_BearerOption_SendsHeaderNotQuery()
    {
        var graph = new GraphClient(_http, version: null) { TokenAsBearerHeader = true };

        await graph.GetAsync("page1/subscribed_apps", "tok", cancellationToken: Ct);

        Assert.Equal("/page1/subscribed_apps", _handler.Last.Request.RequestUri!.PathAndQuery);
        Assert.Equal("Bearer tok", _handler.Last.Request.Headers.Authorization!.ToString());
    }

    [Fact]
    public async Task SubscribeAppAsync_Fields_PostsFormWithAppToken()
    {
        var graph = new GraphClient(_http);

        await graph.SubscribeAppAsync(
            "1001",
            "sec",
            new Uri("http://127.0.0.1:5000/webhook"),
            "vt",
            ["messages", "message_echoes"],
            cancellationToken: Ct
        );

        var (request, body) = _handler.Last;
        Assert.Equal("/v25.0/1001/subscriptions?access_token=1001%7Csec", request.RequestUri!.PathAndQuery);
        Assert.Equal("application/x-www-form-urlencoded", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(
            "object=page&callback_url=http%3A%2F%2F127.0.0.1%3A5000%2Fwebhook&fields=messages%2Cmessage_echoes&"
                + "verify_token=vt",
            body
        );
    }

    [Fact]
    public async Task Response_GraphError_ExposesCodes()
    {
        using var http = new HttpClient(
            new RecordingHandler(_ =>
                (
                    HttpStatusCode.BadRequest,
                    """{"error":{"message":"outside window","type":"OAuthException","code":10,"error_subcode":"""
                        + """2018278,"fbtrace_id":"A"}}"""
                )
            )
        )
        {
            BaseAddress = new Uri("http://127.0.0.1:8480/"),
        };

        var response = await new GraphClient(http).SendTextAsync("p", "t", "s", "x", cancellationToken: Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal((10, 2018278, "OAuthException"), (response.ErrorCode, response.ErrorSubcode, response.ErrorType));
        Assert.Equal("application/json", response.ContentType?.Split(';')[0]);
    }
}
