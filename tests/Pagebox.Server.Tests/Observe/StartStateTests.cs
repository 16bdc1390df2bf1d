using System.Net;
using System.Text.Json.Nodes;

namespace Pagebox.Server.Tests.Observe;

/// <summary>
/// The state a start begins from, each case a real process: <c>--ephemeral</c> (said in the banner, gone at exit),
/// <c>--seed-file</c> (a declarative world whose tokens send at once), <c>--import</c> (an exported document), and a
/// bad file as one line on stderr with nothing written.
/// </summary>
public sealed class StartStateTests : IDisposable
{
    private const string Key = "observe-key";

    private readonly TempFolder _root = new("pagebox-start");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    private const string Seed = """
        {
          // A CI job's world: fixed ids and tokens the tests hard-code.
          "apps": [{
            "id": "1000000000000001", "name": "Shop bot", "secret": "0123456789abcdef0123456789abcdef",
            "subscriptions": [{"object": "page", "callback_url": "http://127.0.0.1:9/webhook", "verify_token": "vt",
                               "fields": ["messages", "messaging_optins"]}],
            "pages": [{"id": "200000000000001", "name": "Shop", "access_token": "EAAseededpagetoken",
                       "subscribed_fields": ["messages"]}]
          }],
          "persons": [{
            "id": "300000000000001", "name": "Ada",
            "conversations": [{"page_id": "200000000000001", "psid": "4000000000000001",
                               "last_message_seconds_ago": 60}],
            "optins": [{"page_id": "200000000000001", "title": "Weekly deals", "payload": "DEALS",
                        "token": "5000000000000000001"}]
          }]
        }
        """;

    private static JsonObject TokenSend(string token) =>
        new()
        {
            ["recipient"] = new JsonObject { ["notification_messages_token"] = token },
            ["message"] = new JsonObject { ["text"] = "Deals of the week" },
        };

    [Fact]
    public async Task SeedFile_AtStart_CreatesTheWorldAndItsTokensSend()
    {
        var seed = Path.Combine(_root.Path, "seed.json");
        await File.WriteAllTextAsync(seed, Seed, Ct);
        await using var server = await PageboxProcess.StartAsync(
            Path.Combine(_root.Path, "data"),
            Key,
            ["--seed-file", seed],
            Ct
        );
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var world = new WorldClient(http, Key);
        var graph = new GraphClient(http);

        var pages = await world.SendAsync(
            HttpMethod.Get,
            "_pagebox/apps/1000000000000001/pages",
            cancellationToken: Ct
        );
        var persons = await world.SendAsync(
            HttpMethod.Get,
            "_pagebox/apps/1000000000000001/persons",
            cancellationToken: Ct
        );
        var subscriptions = await graph.GetAsync(
            "1000000000000001/subscriptions",
            "1000000000000001|0123456789abcdef0123456789abcdef",
            cancellationToken: Ct
        );
        var window = await graph.SendTextAsync(
            "200000000000001",
            "EAAseededpagetoken",
            "4000000000000001",
            "hi",
            "RESPONSE",
            Ct
        );
        var sent = await graph.PostAsync(
            "200000000000001/messages",
            TokenSend("5000000000000000001").ToJsonString(),
            "EAAseededpagetoken",
            cancellationToken: Ct
        );
        var again = await graph.PostAsync(
            "200000000000001/messages",
            TokenSend("5000000000000000001").ToJsonString(),
            "EAAseededpagetoken",
            cancellationToken: Ct
        );

        Assert.Equal("EAAseededpagetoken", pages.Body.GetProperty("data")[0].GetProperty("access_token").GetString());
        Assert.Equal(
            "4000000000000001",
            persons.Body.GetProperty("data")[0].GetProperty("conversations")[0].GetProperty("psid").GetString()
        );
        Assert.True(subscriptions.IsSuccess, subscriptions.ToString());
        Assert.Contains("http://127.0.0.1:9/webhook", subscriptions.Body.GetRawText(), StringComparison.Ordinal);
        Assert.True(window.IsSuccess, window.ToString()); // the person wrote a minute ago: the window is open
        Assert.True(sent.IsSuccess, sent.ToString()); // a regular marketing message on the seeded token
        Assert.Equal(2018354, again.ErrorSubcode); // and the 48-hour rule holds for it
    }

    [Fact]
    public async Task SeedFile_Bad_OneLineOnStderrAndNothingWritten()
    {
        var seed = Path.Combine(_root.Path, "bad-seed.json");
        await File.WriteAllTextAsync(
            seed,
            """{"apps":[{"id":"1000000000000001","pages":[{"id":"2","timezone":"Mars/Olympus"}]}]}""",
            Ct
        );
        var data = Path.Combine(_root.Path, "bad-data");

        var run = await PageboxCli.RunAsync(
            ["serve", "--port", "0", "--data", data, "--no-demo", "--admin-key", Key, "--seed-file", seed],
            cancellationToken: Ct
        );

        Assert.True(run.ExitCode != 0, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.Contains("apps[0].pages[0].timezone", line, StringComparison.Ordinal);
        Assert.False(
            File.Exists(Path.Combine(data, "pagebox.db")) && await HasAppAsync(data),
            "nothing of the seed was written"
        );
    }

    private static async Task<bool> HasAppAsync(string data)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection(
            $"Data Source={Path.Combine(data, "pagebox.db")};Mode=ReadOnly"
        );
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM apps";
        return (long)(await cmd.ExecuteScalarAsync())! > 0;
    }

    [Fact]
    public async Task Ephemeral_Banner_SaysSoAndTheStoreIsGoneAfterTheStop()
    {
        await using var server = await PageboxProcess.StartAsync(
            Path.Combine(_root.Path, "unused"),
            Key,
            ["--ephemeral"],
            Ct
        );
        var banner = server.Output;
        var ready = await new WorldClient(new HttpClient { BaseAddress = server.BaseUrl }, Key).SendAsync(
            HttpMethod.Get,
            "_pagebox/health/ready",
            cancellationToken: Ct
        );
        var directory = banner
            .Split('\n')
            .Single(l => l.Contains("listening on", StringComparison.Ordinal))
            .Split("EPHEMERAL store in ")[1]
            .Split(',')[0];

        Assert.Contains("EPHEMERAL", banner, StringComparison.Ordinal);
        Assert.True(Directory.Exists(directory), banner);
        Assert.True(ready.Body.GetProperty("ephemeral").GetBoolean());
        Assert.Equal("process", ready.Body.GetProperty("durability").GetString());
        Assert.Contains("Durability    process", banner, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "unused")), "--data is not used");
        Assert.Equal(0, await server.StopAsync(cancellationToken: Ct));
        Assert.False(Directory.Exists(directory), "the throwaway store is removed at exit");
    }

    [Fact]
    public async Task Import_AtStart_StartsFromTheExportedState()
    {
        await using var first = await PageboxServer.StartAsync();
        var app = await first.World.CreateAppAsync("exported", Ct);
        var page = await first.World.CreatePageAsync(app.Id, "Shop", cancellationToken: Ct);
        var exported = await first.World.SendAsync(HttpMethod.Get, "_pagebox/export", cancellationToken: Ct);
        var file = Path.Combine(_root.Path, "state.json");
        await File.WriteAllTextAsync(file, exported.RawBody, Ct);

        await using var server = await PageboxProcess.StartAsync(
            Path.Combine(_root.Path, "imported"),
            Key,
            ["--import", file],
            Ct
        );
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var pages = await new WorldClient(http, Key).SendAsync(
            HttpMethod.Get,
            $"_pagebox/apps/{app.Id}/pages",
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, pages.Status);
        Assert.Equal(page.AccessToken, pages.Body.GetProperty("data")[0].GetProperty("access_token").GetString());
    }
}
