using System.Net;

namespace Pagebox.Testing.Tests.Clients;

public sealed class WorldClientTests : IDisposable
{
    private readonly RecordingHandler _handler;
    private readonly HttpClient _http;
    private readonly WorldClient _world;
    private (HttpStatusCode, string) _next = (HttpStatusCode.OK, "{}");

    public WorldClientTests()
    {
        _handler = new RecordingHandler(_ => _next);
        _http = new HttpClient(_handler) { BaseAddress = new Uri("http://127.0.0.1:8480/") };
        _world = new WorldClient(_http, "admin-key");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task CreateAppAsync_Name_PostsWithBearerAndParsesAnswer()
    {
        _next = (HttpStatusCode.Created, """{"id":"1001","name":"Bot","secret":"abc"}""");

        var app = await _world.CreateAppAsync("Bot", Ct);

        Assert.Equal(new AppInfo("1001", "Bot", "abc"), app);
        Assert.Equal("1001|abc", app.AccessToken);
        var (request, body) = _handler.Last;
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://127.0.0.1:8480/_pagebox/apps", request.RequestUri!.ToString());
        Assert.Equal("Bearer admin-key", request.Headers.Authorization!.ToString());
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("""{"name":"Bot"}""", body);
    }

    [Fact]
    public async Task CreatePageAsync_OnlyTimezone_LeavesOtherMembersOut()
    {
        _next = (
            HttpStatusCode.Created,
            """{"id":"2","name":"P","platform":"messenger","timezone":"Europe/Berlin","access_token":"EAA"}"""
        );

        var page = await _world.CreatePageAsync("1001", timezone: "Europe/Berlin", cancellationToken: Ct);

        Assert.Equal(new PageInfo("2", "P", "messenger", "Europe/Berlin", "EAA"), page);
        Assert.Equal("/_pagebox/apps/1001/pages", _handler.Last.Request.RequestUri!.AbsolutePath);
        Assert.Equal("""{"timezone":"Europe/Berlin"}""", _handler.Last.Body);
    }

    [Fact]
    public async Task WriteAsync_QuickReply_SendsSnakeCaseBody()
    {
        _next = (HttpStatusCode.Created, """{"psid":"9","mid":"m_x"}""");

        var result = await _world.WriteAsync("p1", "page1", "hi", "YES", Ct);

        Assert.Equal(new WriteResult("9", "m_x"), result);
        Assert.Equal("/_pagebox/persons/p1/messages", _handler.Last.Request.RequestUri!.AbsolutePath);
        Assert.Equal("""{"page_id":"page1","text":"hi","quick_reply_payload":"YES"}""", _handler.Last.Body);
    }

    [Fact]
    public async Task UnblockAsync_Always_DeletesPersonBlock()
    {
        _next = (HttpStatusCode.NoContent, "");

        var answer = await _world.UnblockAsync("p1", "page1", Ct);

        Assert.Equal(HttpMethod.Delete, _handler.Last.Request.Method);
        Assert.Equal("/_pagebox/persons/p1/blocks/page1", _handler.Last.Request.RequestUri!.AbsolutePath);
        Assert.Equal(System.Text.Json.JsonValueKind.Undefined, answer.ValueKind);
    }

    [Fact]
    public async Task AdvanceClockAsync_OneHour_SendsIntegerSecondsAndParsesNow()
    {
        _next = (HttpStatusCode.OK, """{"now":"2025-01-01T01:00:00Z"}""");

        var now = await _world.AdvanceClockAsync("1001", TimeSpan.FromHours(1), Ct);

        Assert.Equal(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero), now);
        Assert.Equal("/_pagebox/apps/1001/clock", _handler.Last.Request.RequestUri!.AbsolutePath);
        Assert.Equal("""{"advance_seconds":3600}""", _handler.Last.Body);
    }

    [Fact]
    public async Task SetClockAsync_OffsetTime_SendsIsoUtc()
    {
        _next = (HttpStatusCode.OK, """{"now":"2025-06-01T10:00:00Z"}""");

        await _world.SetClockAsync("1001", new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.FromHours(2)), Ct);

        Assert.Equal("""{"set":"2025-06-01T10:00:00.0000000Z"}""", _handler.Last.Body);
    }

    [Fact]
    public async Task PatchPageAsync_PascalCaseAnonymousObject_SendsSnakeCase()
    {
        await _world.PatchPageAsync("page1", new { MessagingEnabled = false, send_rate_per_second = 5 }, Ct);

        Assert.Equal(HttpMethod.Patch, _handler.Last.Request.Method);
        Assert.Equal("""{"messaging_enabled":false,"send_rate_per_second":5}""", _handler.Last.Body);
    }

    [Fact]
    public async Task GetDeliveriesAsync_Limit_PutsItInQuery()
    {
        _next = (HttpStatusCode.OK, "[]");

        await _world.GetDeliveriesAsync("1001", 5, Ct);

        Assert.Equal("/_pagebox/apps/1001/webhook-deliveries?limit=5", _handler.Last.Request.RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task Call_Non2xx_ThrowsWithStatusAndErrorCode()
    {
        _next = (
            HttpStatusCode.Conflict,
            """{"error":{"message":"clock would go back","type":"PageboxError","code":409}}"""
        );

        var ex = await Assert.ThrowsAsync<PageboxApiException>(() =>
            _world.SetClockAsync("1001", DateTimeOffset.UnixEpoch, Ct)
        );

        Assert.Equal(HttpStatusCode.Conflict, ex.StatusCode);
        Assert.Equal(409, ex.ErrorCode);
        Assert.Equal("clock would go back", ex.ErrorMessage);
        Assert.Contains("POST /_pagebox/apps/1001/clock", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Unauthenticated_OmitsHeaderAndReturnsError()
    {
        _next = (HttpStatusCode.Unauthorized, """{"error":{"message":"no key","type":"PageboxError","code":401}}""");

        var (status, body) = await _world.SendAsync(
            HttpMethod.Get,
            "/_pagebox/apps/1",
            authenticate: false,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, body.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(_handler.Last.Request.Headers.Authorization);
    }
}
