using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Pagebox.Server.Cli;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Ui;

/// <summary>How a browser reaches the inbox page: GET /, the static files and deep links, the key in a cookie, the CSRF
/// header.</summary>
public sealed class InboxAccessTests(PageboxServer server) : IDisposable
{
    // A client of its own: no cookie jar shared with other tests, and redirects seen, not followed.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = server.BaseUrl,
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? cookie = null,
        string? accept = null,
        bool csrf = false,
        string? json = null
    )
    {
        using var request = new HttpRequestMessage(method, path);
        if (cookie is not null)
            request.Headers.Add("Cookie", $"pagebox_key={cookie}");
        if (accept is not null)
            request.Headers.Accept.ParseAdd(accept);
        if (csrf)
            request.Headers.Add("X-Pagebox-UI", "1");
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Root_BrowserAcceptingHtml_RedirectedToTheInboxPage()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/", accept: "text/html,application/xhtml+xml,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/_pagebox/ui/", answer.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Root_GraphClient_KeepsGraphsUnknownPathError()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/", accept: "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync(Ct));
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Equal(2500, error.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("/_pagebox/ui/")]
    [InlineData("/_pagebox/ui/persons/123/pages/456")]
    [InlineData("/_pagebox/ui/apps/789")]
    public async Task Page_AnyPathBelowTheUi_ServesThePageWithoutTheKey(string path)
    {
        using var answer = await SendAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/html", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/_pagebox/ui/app.js", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Contains(
            "frame-ancestors 'none'",
            answer.Headers.GetValues("Content-Security-Policy").Single(),
            StringComparison.Ordinal
        );
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("chat.js", "text/javascript")]
    [InlineData("dev.js", "text/javascript")]
    [InlineData("dom.js", "text/javascript")]
    [InlineData("app.css", "text/css")]
    [InlineData("icon.svg", "image/svg+xml")]
    public async Task Asset_Embedded_ServedWithItsTypeAndETag(string file, string type)
    {
        using var answer = await SendAsync(HttpMethod.Get, "/_pagebox/ui/" + file);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(type, answer.Content.Headers.ContentType?.MediaType);
        var etag = answer.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/_pagebox/ui/" + file);
        again.Headers.IfNoneMatch.Add(etag);
        using var cached = await _http.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
    }

    [Fact]
    public async Task Asset_Unknown_404()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/_pagebox/ui/missing.js");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task BannerUrl_RightKey_SetsAnHttpOnlyStrictCookieAndDropsTheKeyFromTheAddress()
    {
        using var answer = await SendAsync(
            HttpMethod.Get,
            $"/_pagebox/ui/apps/1?tab=journal&key={PageboxServer.AdminKey}"
        );

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/_pagebox/ui/apps/1?tab=journal", answer.Headers.Location?.ToString());
        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"pagebox_key={PageboxServer.AdminKey};", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/_pagebox", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BannerUrl_WrongKey_NoCookieAndThePageSaysSo()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/_pagebox/ui/?key=nope");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/_pagebox/ui/?bad_key=1", answer.Headers.Location?.ToString());
        Assert.False(answer.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Cookie_Reads_Allowed()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/_pagebox/apps", cookie: PageboxServer.AdminKey);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Fact]
    public async Task Cookie_WrongKey_401()
    {
        using var answer = await SendAsync(HttpMethod.Get, "/_pagebox/apps", cookie: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task Cookie_WriteWithoutTheUiHeader_403AndNothingCreated()
    {
        var before = (
            await server.World.SendAsync(HttpMethod.Get, "_pagebox/persons", cancellationToken: Ct)
        ).Body.GetArrayLength();

        using var answer = await SendAsync(
            HttpMethod.Post,
            "/_pagebox/persons",
            cookie: PageboxServer.AdminKey,
            json: "{\"name\":\"forged\"}"
        );

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Contains("X-Pagebox-UI", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var persons = (await server.World.SendAsync(HttpMethod.Get, "_pagebox/persons", cancellationToken: Ct)).Body;
        Assert.DoesNotContain(persons.EnumerateArray(), p => p.GetProperty("name").GetString() == "forged");
        Assert.True(persons.GetArrayLength() >= before);
    }

    [Fact]
    public async Task Cookie_WriteWithTheUiHeader_Done()
    {
        using var answer = await SendAsync(
            HttpMethod.Post,
            "/_pagebox/persons",
            cookie: PageboxServer.AdminKey,
            csrf: true,
            json: "{\"name\":\"by the page\"}"
        );

        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
    }

    [Fact]
    public async Task Session_LoginForm_SetsTheCookieOnlyForTheRightKeyAndTheHeader()
    {
        using var right = await SendAsync(
            HttpMethod.Post,
            "/_pagebox/ui/session",
            csrf: true,
            json: $"{{\"key\":\"{PageboxServer.AdminKey}\"}}"
        );
        Assert.Equal(HttpStatusCode.NoContent, right.StatusCode);
        Assert.StartsWith(
            "pagebox_key=",
            Assert.Single(right.Headers.GetValues("Set-Cookie")),
            StringComparison.Ordinal
        );

        using var wrong = await SendAsync(
            HttpMethod.Post,
            "/_pagebox/ui/session",
            csrf: true,
            json: "{\"key\":\"nope\"}"
        );
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var forged = await SendAsync(
            HttpMethod.Post,
            "/_pagebox/ui/session",
            json: $"{{\"key\":\"{PageboxServer.AdminKey}\"}}"
        );
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        using var logout = await SendAsync(HttpMethod.Delete, "/_pagebox/ui/session", csrf: true);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(
            "expires=",
            Assert.Single(logout.Headers.GetValues("Set-Cookie")),
            StringComparison.OrdinalIgnoreCase
        );
    }

    [Fact]
    public async Task Events_AWriteHappens_TheStreamSaysChangeWithTheApp()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/_pagebox/events?app={s.App.Id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PageboxServer.AdminKey);
        using var answer = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal("text/event-stream", answer.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await answer.Content.ReadAsStreamAsync(Ct));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        Assert.Equal("retry: 2000", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal("event: hello", await reader.ReadLineAsync(timeout.Token));

        var wrote = await s.PersonWritesAsync("hi");
        Assert.True((await s.SendTextAsync(wrote.Psid, "hello back")).IsSuccess);

        string? line;
        var sawApp = false;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null)
        {
            if (
                line.StartsWith("data: {", StringComparison.Ordinal)
                && line.Contains($"\"app_id\":\"{s.App.Id}\"", StringComparison.Ordinal)
            )
            {
                sawApp = true;
                break;
            }
        }
        Assert.True(sawApp, "a change of the app was streamed");
    }

    [Fact]
    public void Serve_JournalSize_FlagAndEnvironmentBounded()
    {
        Assert.Equal(500, ServeCommand.Parse([], _ => null).Options!.JournalSize);
        Assert.Equal(0, ServeCommand.Parse(["--journal-size", "0"], _ => null).Options!.JournalSize);
        Assert.Equal(42, ServeCommand.Parse([], n => n == "PAGEBOX_JOURNAL_SIZE" ? "42" : null).Options!.JournalSize);
        Assert.NotNull(ServeCommand.Parse(["--journal-size", "-1"], _ => null).Error);
        Assert.NotNull(ServeCommand.Parse([], n => n == "PAGEBOX_JOURNAL_SIZE" ? "100001" : null).Error);
    }

    [Fact]
    public void Banner_InboxUrl_CarriesTheKey() =>
        Assert.Equal(
            "http://127.0.0.1:8480/_pagebox/ui/?key=pbx_a%2Bb",
            ServeCommand.InboxUrl(new Uri("http://127.0.0.1:8480/"), "pbx_a+b")
        );
}
