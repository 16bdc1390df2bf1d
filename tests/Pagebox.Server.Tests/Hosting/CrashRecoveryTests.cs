using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// Durability across a crash (issue 2): a real child process is SIGKILLed after it acknowledged messages and recorded
/// webhook events it could not deliver yet; restarted on the same data directory, it still has every acknowledged
/// message and delivers every recorded event. Both durabilities: <c>process</c> (no fsync per commit) must survive a
/// crash of Pagebox as well as <c>disk</c> does; only a power loss separates them.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private const string AdminKey = "crash-test-key";
    private const int Sends = 20;

    private readonly string _dataDirectory = Path.Combine(
        Path.GetTempPath(),
        "pagebox-crash-" + Guid.NewGuid().ToString("N")
    );

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("disk")]
    [InlineData("process")]
    public async Task Kill_AcknowledgedMessagesAndRecordedEvents_SurviveRestart(string durability)
    {
        string[] durable = ["--durability", durability];
        // :: Step 1: a bot whose endpoint is down, a person who writes, and 20 acknowledged answers.
        string appId,
            pageId,
            personId,
            personMid;
        string[] mids;
        await using var receiver = await WebhookReceiver.StartAsync("placeholder", cancellationToken: Ct);
        await using (var first = await PageboxProcess.StartAsync(_dataDirectory, AdminKey, durable, Ct))
        {
            using var http = new HttpClient { BaseAddress = first.BaseUrl };
            var world = new WorldClient(http, AdminKey);
            var graph = new GraphClient(http);
            var ready = await world.SendAsync(HttpMethod.Get, "_pagebox/health/ready", cancellationToken: Ct);
            Assert.Equal(durability, ready.Body.GetProperty("durability").GetString());
            var app = await world.CreateAppAsync("crash bot", Ct);
            var page = await world.CreatePageAsync(app.Id, "Crash shop", cancellationToken: Ct);
            (appId, pageId) = (app.Id, page.Id);
            personId = await world.CreatePersonAsync("Ada", cancellationToken: Ct);
            receiver.AppSecret = app.Secret;
            receiver.AlwaysFail = true;
            receiver.RejectInvalidSignatures = true;
            Assert.True(
                (
                    await graph.SubscribeAppAsync(
                        app.Id,
                        app.Secret,
                        receiver.CallbackUrl,
                        receiver.VerifyToken,
                        Scenario.StandardFields,
                        cancellationToken: Ct
                    )
                ).IsSuccess
            );
            Assert.True(
                (await graph.SubscribePageAsync(page.Id, page.AccessToken, Scenario.StandardFields, Ct)).IsSuccess
            );
            var written = await world.WriteAsync(personId, page.Id, "my order?", cancellationToken: Ct);
            personMid = written.Mid;

            var answers = await Task.WhenAll(
                Enumerable
                    .Range(1, Sends)
                    .Select(i =>
                        graph.SendTextAsync(
                            page.Id,
                            page.AccessToken,
                            written.Psid,
                            $"answer {i}",
                            cancellationToken: Ct
                        )
                    )
            );
            mids = [.. answers.Select(a => GraphAssert.Sent(a, written.Psid))];
            Assert.Equal(Sends, mids.Distinct().Count());
            await receiver.WaitUntilAsync(
                r => r.Received.Any(w => w.ResponseStatus == 500),
                because: "a failed delivery before the crash",
                cancellationToken: Ct
            );

            // :: Step 2: crash.
            first.Kill();
            Assert.True(first.HasExited);
        }

        Assert.Empty(receiver.Delivered);
        receiver.AlwaysFail = false;

        // :: Step 3: restart on the same data; the bot is healthy now.
        await using var second = await PageboxProcess.StartAsync(_dataDirectory, AdminKey, durable, Ct);
        using var http2 = new HttpClient { BaseAddress = second.BaseUrl };
        var world2 = new WorldClient(http2, AdminKey);
        await world2.AdvanceClockAsync(appId, TimeSpan.FromMinutes(2), Ct);

        var conversation = await world2.GetConversationAsync(personId, pageId, Ct);
        var stored = conversation
            .GetProperty("messages")
            .EnumerateArray()
            .Select(m => (Mid: m.GetProperty("mid").GetString(), From: m.GetProperty("from").GetString()))
            .ToList();
        Assert.Contains((personMid, "person"), stored);
        Assert.All(mids, mid => Assert.Contains((mid, "page"), stored));

        await receiver.WaitUntilAsync(
            r =>
                r.Messages().Any(e => e.Mid == personMid)
                && mids.All(mid => r.Echoes().Any(e => e.Mid == mid))
                && mids.All(mid =>
                    r.Deliveries()
                        .Any(e => e["delivery"].GetProperty("mids").EnumerateArray().Any(m => m.GetString() == mid))
                ),
            TimeSpan.FromSeconds(30),
            "the message, 20 echoes and 20 deliveries after the restart",
            Ct
        );
        Assert.All(receiver.Delivered, w => Assert.True(w.SignaturesValid));

        // :: Step 4: a graceful stop after recovery exits cleanly.
        Assert.Equal(0, await second.StopAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Stop_Sigterm_ExitsWithCode0()
    {
        await using var process = await PageboxProcess.StartAsync(_dataDirectory, AdminKey, cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = process.BaseUrl };
        Assert.True(await new WorldClient(http, AdminKey).IsHealthyAsync(Ct));

        var exitCode = await process.StopAsync(cancellationToken: Ct);

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Stop_Sigterm_DataKeptForNextStart()
    {
        string appId;
        await using (var first = await PageboxProcess.StartAsync(_dataDirectory, AdminKey, cancellationToken: Ct))
        {
            using var http = new HttpClient { BaseAddress = first.BaseUrl };
            appId = (await new WorldClient(http, AdminKey).CreateAppAsync("kept", Ct)).Id;
            Assert.Equal(0, await first.StopAsync(cancellationToken: Ct));
        }

        await using var second = await PageboxProcess.StartAsync(_dataDirectory, AdminKey, cancellationToken: Ct);
        using var http2 = new HttpClient { BaseAddress = second.BaseUrl };
        var app = await new WorldClient(http2, AdminKey).GetAppAsync(appId, Ct);

        Assert.Equal("kept", app.GetProperty("name").GetString());
    }
}
