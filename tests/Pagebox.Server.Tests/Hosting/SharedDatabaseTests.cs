using System.Net;
using System.Text.Json;
using Npgsql;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// Several Pagebox processes on one PostgreSQL database (issue 10), end to end: real processes on their own loopback
/// ports, one schema of the test database, requests split across them, a real webhook receiver. Skipped with the
/// reason when PAGEBOX_TEST_PG is not set.
/// </summary>
public sealed class SharedDatabaseTests
{
    private const string AdminKey = "shared-key";
    private const string VerifyToken = "verify-me";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MarketingSends_200AtOnceOnOneTokenSplitAcrossTwoProcesses_ExactlyOneAcceptedPerWindow()
    {
        await using var fleet = await Fleet.StartAsync(2);
        var (_, page, person, psid) = await fleet.WorldAsync();
        var token = await fleet.OptInAsync(page, person, psid);
        // Right after the opt-in, three sends are follow-ups; after them every send is a regular marketing message.
        for (var i = 0; i < 3; i++)
            Assert.True((await fleet.SendOnTokenAsync(i, page, token)).IsSuccess);

        for (var window = 0; window < 2; window++)
        {
            var answers = await Task.WhenAll(
                Enumerable.Range(0, 200).Select(i => fleet.SendOnTokenAsync(i, page, token))
            );

            Assert.Single(answers, a => a.IsSuccess);
            Assert.All(
                answers.Where(a => !a.IsSuccess),
                a => Assert.Equal((HttpStatusCode.Forbidden, 4, 2018354), (a.Status, a.ErrorCode, a.ErrorSubcode))
            );
            // The next window, on the app's clock that both processes share: moved on one, read by the other.
            await fleet.World(window).AdvanceClockAsync(page.AppId, TimeSpan.FromHours(48), Ct);
        }
        var conversation = await fleet.World(1).GetConversationAsync(person, page.Id, Ct);
        Assert.Equal(
            2,
            conversation
                .GetProperty("messages")
                .EnumerateArray()
                .Count(m => m.GetProperty("kind").GetString() == "marketing")
        );
    }

    [Fact]
    public async Task FirstMessages_100AtOnceOfOnePersonSplitAcrossTwoProcesses_OnePsid()
    {
        await using var fleet = await Fleet.StartAsync(2);
        var app = await fleet.World(0).CreateAppAsync("shared", Ct);
        var page = await fleet.World(1).CreatePageAsync(app.Id, "Shared Page", cancellationToken: Ct);
        var person = await fleet.World(0).CreatePersonAsync("Alex", cancellationToken: Ct);

        var writes = await Task.WhenAll(
            Enumerable
                .Range(0, 100)
                .Select(i => fleet.World(i).WriteAsync(person, page.Id, $"hello {i}", cancellationToken: Ct))
        );

        var psid = Assert.Single(writes.Select(w => w.Psid).Distinct());
        Assert.Equal(psid, (await fleet.World(1).GetPsidAsync(page.Id, psid, Ct)).Psid);
        var conversation = await fleet.World(0).GetConversationAsync(person, page.Id, Ct);
        Assert.Equal(100, conversation.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Webhooks_OneProcessKilledMidRun_ReceiverSeesEveryEventAtLeastOnce()
    {
        await using var fleet = await Fleet.StartAsync(2);
        var (app, page, person, _) = await fleet.WorldAsync();
        await using var receiver = await WebhookReceiver.StartAsync(app.Secret, VerifyToken, Ct);
        await fleet.SubscribeAsync(app, page, receiver);
        // Slow answers: when a process dies, some of its deliveries are in flight.
        receiver.DelayNext(4, TimeSpan.FromSeconds(2));

        var sent = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            sent.Add($"before {i}");
            await fleet.World(i).WriteAsync(person, page.Id, sent[^1], cancellationToken: Ct);
        }
        await receiver.WaitUntilAsync(
            r => r.Received.Count > 0,
            TimeSpan.FromSeconds(30),
            "a first delivery in flight",
            Ct
        );
        fleet.Process(0).Kill();
        for (var i = 0; i < 20; i++)
        {
            sent.Add($"after {i}");
            await fleet.World(1).WriteAsync(person, page.Id, sent[^1], cancellationToken: Ct);
        }

        await receiver.WaitUntilAsync(
            r => sent.All(text => Texts(r).Contains(text)),
            TimeSpan.FromSeconds(90),
            "every message event, at least once",
            Ct
        );
        // Each conversation's order holds: the first time each text arrives, it arrives in the order written.
        Assert.Equal(sent, Texts(receiver).Distinct());
    }

    [Fact]
    public async Task PageSwitchFlippedOnOneProcess_AppliesAtOnceOnTheOther()
    {
        await using var fleet = await Fleet.StartAsync(2);
        var (_, page, _, psid) = await fleet.WorldAsync();
        Assert.True((await fleet.SendTextAsync(1, page, psid)).IsSuccess);

        await fleet.World(0).PatchPageAsync(page.Id, new { MessagingEnabled = false }, Ct);

        var refused = await fleet.SendTextAsync(1, page, psid);
        Assert.Equal(10904, refused.ErrorCode);
    }

    [Fact]
    public async Task DatabaseLost_HealthSaysUnavailable_RequestsGetGraphsTransientError_ThenRecover()
    {
        var (host, port) = TestPostgres.Endpoint(Fleet.RequireDatabase());
        await using var proxy = new TcpProxy(host, port);
        await using var fleet = await Fleet.StartAsync(1, cs => TestPostgres.Through(cs, "127.0.0.1", proxy.Port));
        var (_, page, _, psid) = await fleet.WorldAsync();
        using var http = new HttpClient { BaseAddress = fleet.Process(0).BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_pagebox/health", Ct)).StatusCode);

        proxy.Cut();

        var health = await http.GetAsync("/_pagebox/health", Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using (var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync(Ct)))
        {
            Assert.Equal(
                ("unavailable", "postgres", "unreachable"),
                (
                    body.RootElement.GetProperty("status").GetString(),
                    body.RootElement.GetProperty("store").GetString(),
                    body.RootElement.GetProperty("database").GetString()
                )
            );
        }
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_pagebox/health/live", Ct)).StatusCode);
        var started = DateTime.UtcNow;
        var during = await fleet.SendTextAsync(0, page, psid);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "an answer, not a hang");
        Assert.Equal(
            (HttpStatusCode.InternalServerError, 2, "OAuthException"),
            (during.Status, during.ErrorCode, during.ErrorType)
        );
        Assert.True(during.Error.GetProperty("is_transient").GetBoolean());
        Assert.False(string.IsNullOrEmpty(during.Error.GetProperty("fbtrace_id").GetString()));

        proxy.Restore();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/_pagebox/health", Ct)).StatusCode);
        Assert.True((await fleet.SendTextAsync(0, page, psid)).IsSuccess);
    }

    private static List<string> Texts(WebhookReceiver r) =>
        [.. r.Messages().Select(m => m["message"].TryGetProperty("text", out var t) ? t.GetString()! : "")];

    /// <summary>N Pagebox processes on one fresh schema of the test database, started at once (migrations
    /// race).</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private readonly List<PageboxProcess> _processes;
        private readonly List<HttpClient> _http;
        private readonly string _schema;

        private Fleet(List<PageboxProcess> processes, string schema)
        {
            _processes = processes;
            _schema = schema;
            _http =
            [
                .. processes.Select(p => new HttpClient
                {
                    BaseAddress = p.BaseUrl,
                    Timeout = TimeSpan.FromSeconds(60),
                }),
            ];
        }

        public static string RequireDatabase()
        {
            Assert.SkipWhen(TestPostgres.ConnectionString is null, TestPostgres.SkipReason);
            return TestPostgres.ConnectionString!;
        }

        public static async Task<Fleet> StartAsync(int count, Func<string, string>? route = null)
        {
            RequireDatabase();
            var cs = TestPostgres.NewSchemaConnectionString(out var schema)!;
            await using (var c = new NpgsqlConnection(TestPostgres.ConnectionString))
            {
                await c.OpenAsync(Ct);
                await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
                await create.ExecuteNonQueryAsync(Ct);
            }
            var serverCs = route?.Invoke(cs) ?? cs;
            var dir = Path.Combine(Path.GetTempPath(), "pagebox-shared-" + Guid.NewGuid().ToString("N"));
            var started = await Task.WhenAll(
                Enumerable
                    .Range(0, count)
                    .Select(i =>
                        PageboxProcess.StartAsync(
                            Path.Combine(dir, $"p{i}"),
                            AdminKey,
                            ["--store", "postgres", "--postgres", serverCs, "--postgres-pool", "8"],
                            Ct
                        )
                    )
            );
            return new Fleet([.. started], schema);
        }

        public PageboxProcess Process(int i) => _processes[i % _processes.Count];

        /// <summary>Round robin over the live processes, as a load balancer spreads requests.</summary>
        private int Live(int i)
        {
            var live = Enumerable.Range(0, _processes.Count).Where(n => !_processes[n].HasExited).ToList();
            return live[i % live.Count];
        }

        public WorldClient World(int i) => new(_http[Live(i)], AdminKey);

        public GraphClient Graph(int i) => new(_http[Live(i)]);

        /// <summary>An app and Page made on one process, a person who writes on the other (the window is
        /// open).</summary>
        public async Task<(AppInfo App, PageRef Page, string Person, string Psid)> WorldAsync()
        {
            var app = await World(0).CreateAppAsync("shared", Ct);
            var page = await World(0).CreatePageAsync(app.Id, "Shared Page", cancellationToken: Ct);
            var person = await World(1).CreatePersonAsync("Alex", cancellationToken: Ct);
            var first = await World(1).WriteAsync(person, page.Id, "hello", cancellationToken: Ct);
            return (app, new PageRef(app.Id, page.Id, page.AccessToken), person, first.Psid);
        }

        public async Task SubscribeAsync(AppInfo app, PageRef page, WebhookReceiver receiver)
        {
            var subscribed = await Graph(0)
                .SubscribeAppAsync(
                    app.Id,
                    app.Secret,
                    receiver.CallbackUrl,
                    VerifyToken,
                    ["messages"],
                    cancellationToken: Ct
                );
            Assert.True(subscribed.IsSuccess, subscribed.ToString());
            var installed = await Graph(1).SubscribePageAsync(page.Id, page.Token, ["messages"], Ct);
            Assert.True(installed.IsSuccess, installed.ToString());
        }

        /// <summary>An opt-in request sent through one process, tapped through the other: the token.</summary>
        public async Task<string> OptInAsync(PageRef page, string person, string psid)
        {
            var request = await Graph(0)
                .PostAsync(
                    $"{page.Id}/messages",
                    "{\"recipient\":{\"id\":\""
                        + psid
                        + "\"},\"message\":{\"attachment\":{\"type\":\"template\","
                        + "\"payload\":{\"template_type\":\"notification_messages\","
                        + "\"title\":\"Weekly "
                        + "deals\",\"payload\":\"DEALS\",\"notification_messages_timezone\":\"UTC\"}}}}",
                    page.Token,
                    cancellationToken: Ct
                );
            Assert.True(request.IsSuccess, request.ToString());
            var mid = JsonDocument.Parse(request.RawBody).RootElement.GetProperty("message_id").GetString()!;
            var tapped = await World(1).OptInAsync(person, page.Id, mid, null, Ct);
            return tapped.GetProperty("notification_messages_token").GetString()!;
        }

        public Task<GraphResponse> SendOnTokenAsync(int i, PageRef page, string token) =>
            Graph(i)
                .PostAsync(
                    $"{page.Id}/messages",
                    $$$"""{"recipient":{"notification_messages_token":"{{{token}}}"},"message":{"text":"deal """
                        + $$$"""{{{i}}}"}}""",
                    page.Token,
                    cancellationToken: Ct
                );

        public Task<GraphResponse> SendTextAsync(int i, PageRef page, string psid) =>
            Graph(i)
                .PostAsync(
                    $"{page.Id}/messages",
                    $$$"""{"recipient":{"id":"{{{psid}}}"},"messaging_type":"RESPONSE","message":{"text":"hi"}}""",
                    page.Token,
                    cancellationToken: Ct
                );

        public async ValueTask DisposeAsync()
        {
            foreach (var http in _http)
                http.Dispose();
            foreach (var p in _processes)
                await p.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(TestPostgres.ConnectionString);
            await c.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", c);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private sealed record PageRef(string AppId, string Id, string Token);
}
