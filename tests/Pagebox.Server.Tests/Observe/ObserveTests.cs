using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Marketing;

namespace Pagebox.Server.Tests.Observe;

/// <summary>A Pagebox of its own under the default rule set, shared by the observability tests.</summary>
public sealed class ObserveHost() : MarketingHost("2025-09");

/// <summary>
/// The API described (OpenAPI, /_pagebox/docs), measured (/_pagebox/metrics), observable (journal filters, readiness),
/// its listings, and its state moved out and in (export, import, reset, --ephemeral): over real HTTP.
/// </summary>
public sealed class ObserveTests(ObserveHost host) : IClassFixture<ObserveHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<ApiResponse> World(HttpMethod method, string path, object? body = null) =>
        host.World.SendAsync(method, path, body, cancellationToken: Ct);

    private async Task<string> ScrapeAsync()
    {
        using var response = await host.Http.GetAsync(new Uri("_pagebox/metrics", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>The value of the first sample whose line starts with <paramref name="metric"/> and holds every label
    /// given.</summary>
    /// <summary>
    /// The sum of every series of <paramref name="metric"/> carrying all of <paramref name="labels"/> (the exporter's
    /// order of series is not stable between scrapes, so the first match is not a measure).
    /// </summary>
    private static double Sample(string scrape, string metric, params string[] labels)
    {
        var sum = 0d;
        foreach (var line in scrape.Split('\n'))
        {
            if (
                !line.StartsWith(metric + "{", StringComparison.Ordinal)
                && !line.StartsWith(metric + " ", StringComparison.Ordinal)
            )
                continue;
            if (!labels.All(l => line.Contains(l, StringComparison.Ordinal)))
                continue;
            var value = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
            sum += double.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return sum;
    }

    // :: The API described

    [Fact]
    public async Task OpenApi_WorldDocument_ListsWorldFacePaths()
    {
        using var response = await host.Http.GetAsync(new Uri("_pagebox/openapi/world.json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = doc.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        Assert.StartsWith("3.", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Contains("/_pagebox/apps", paths);
        Assert.Contains("/_pagebox/persons/{person}/messages", paths);
        Assert.Contains("/_pagebox/apps/{app}/journal", paths);
        Assert.Contains("/_pagebox/export", paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/_pagebox/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApi_GraphDocument_ListsTheGraphSurface()
    {
        using var response = await host.Http.GetAsync(new Uri("_pagebox/openapi/graph.json", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var paths = doc.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/{id}/messages", out var messages), "the Send API");
        Assert.True(messages.TryGetProperty("post", out _));
        Assert.True(messages.TryGetProperty("get", out _), "the Conversations API's messages");
        Assert.True(paths.TryGetProperty("/{id}/notification_message_tokens", out _));
        Assert.True(paths.TryGetProperty("/act_{account}/messages", out _));
        Assert.DoesNotContain(
            paths.EnumerateObject(),
            p =>
                p.Name.StartsWith("/_pagebox", StringComparison.Ordinal)
                || p.Name.Contains("{version", StringComparison.Ordinal)
        );
    }

    [Fact]
    public async Task Docs_WithoutKey_ServesTheBrowsableReferenceOfBothDocuments()
    {
        using var response = await host.Http.GetAsync(new Uri("_pagebox/docs", UriKind.Relative), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("world", html, StringComparison.Ordinal);
        Assert.Contains("graph", html, StringComparison.Ordinal);
        Assert.Contains("openapi", html, StringComparison.Ordinal);
    }

    // :: Readiness

    [Fact]
    public async Task HealthReady_RunningServer_ReportsStoreMigrationsAndDispatcher()
    {
        var ready = await World(HttpMethod.Get, "_pagebox/health/ready");

        Assert.Equal(HttpStatusCode.OK, ready.Status);
        Assert.Equal("ok", ready.Body.GetProperty("status").GetString());
        Assert.Equal("reachable", ready.Body.GetProperty("database").GetString());
        Assert.Equal("applied", ready.Body.GetProperty("migrations").GetString());
        Assert.Equal("running", ready.Body.GetProperty("dispatcher").GetString());
        Assert.True(ready.Body.GetProperty("schema_version").GetInt32() >= 50);
    }

    // :: Metrics

    [Fact]
    public async Task Metrics_AcceptedAndRefusedSends_AreCountedWithTheirCode()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        var before = await ScrapeAsync();

        var ok = await s.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, s.Psid, "hello", "RESPONSE", Ct);
        var refused = await s.Graph.SendTextAsync(
            s.Page.Id,
            s.Page.AccessToken,
            "no-such-psid",
            "hello",
            "RESPONSE",
            Ct
        );
        Assert.True(ok.IsSuccess, ok.ToString());
        Assert.False(refused.IsSuccess);

        var after = await ScrapeAsync();
        Assert.True(
            Sample(after, "pagebox_sends_total", "outcome=\"accepted\"", "api=\"send\"")
                >= Sample(before, "pagebox_sends_total", "outcome=\"accepted\"", "api=\"send\"") + 1,
            after
        );
        Assert.True(
            Sample(after, "pagebox_sends_total", "outcome=\"refused\"", "code=\"100\"")
                >= Sample(before, "pagebox_sends_total", "outcome=\"refused\"", "code=\"100\"") + 1,
            after
        );
        Assert.Contains("pagebox_store_commit_batch_size", after, StringComparison.Ordinal);
        Assert.Contains("pagebox_webhook_outbox_depth", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WebhookDelivery_CountsTheAttemptAndItsLatency()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        await s.Receiver.WaitForEventsAsync(
            e => e.Has("message") && !e.IsEcho,
            1,
            TimeSpan.FromSeconds(15),
            "the first message's webhook",
            Ct
        );
        var before = await ScrapeAsync();

        await s.WriteAsync("once more");
        await s.Receiver.WaitForEventsAsync(
            e => e.Has("message") && !e.IsEcho,
            2,
            TimeSpan.FromSeconds(15),
            "the second message's webhook",
            Ct
        );

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string after;
        while (true)
        {
            // The attempt is recorded once the bot answered: right after the receiver saw it.
            after = await ScrapeAsync();
            if (
                Sample(after, "pagebox_webhook_attempts_total", "outcome=\"delivered\"", "status=\"200\"")
                > Sample(before, "pagebox_webhook_attempts_total", "outcome=\"delivered\"", "status=\"200\"")
            )
                break;
            Assert.True(DateTime.UtcNow < deadline, after);
            await Task.Delay(20, Ct);
        }
        Assert.True(
            Sample(after, "pagebox_webhook_duration_seconds_count", "outcome=\"delivered\"")
                > Sample(before, "pagebox_webhook_duration_seconds_count", "outcome=\"delivered\"")
        );
        Assert.Contains("pagebox_webhook_duration_seconds_bucket{", after, StringComparison.Ordinal);
    }

    // :: The journal

    [Fact]
    public async Task Journal_Filters_ByPathStatusOutcomeCodeAndSince()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        var start = await host.World.GetClockAsync(s.App.Id, Ct);
        await s.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, s.Psid, "hello", "RESPONSE", Ct);
        await s.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, "no-such-psid", "hello", "RESPONSE", Ct);
        await s.Graph.GetAsync($"{s.Page.Id}/notification_message_tokens", s.Page.AccessToken, cancellationToken: Ct);
        var journal = $"_pagebox/apps/{s.App.Id}/journal";

        var refused = await World(HttpMethod.Get, journal + "?outcome=refused");
        var accepted = await World(HttpMethod.Get, journal + "?outcome=accepted&path=/messages&method=POST");
        var byStatus = await World(HttpMethod.Get, journal + "?status=4xx&code=100");
        var byPath = await World(HttpMethod.Get, journal + "?path=notification_message_tokens");
        var since = await World(
            HttpMethod.Get,
            journal + "?since=" + Uri.EscapeDataString(start.AddDays(1).ToString("O"))
        );
        var bad = await World(HttpMethod.Get, journal + "?status=teapot");

        var one = Assert.Single(refused.Body.EnumerateArray());
        Assert.Equal(
            (400, true, 100),
            (
                one.GetProperty("status").GetInt32(),
                one.GetProperty("refused").GetBoolean(),
                one.GetProperty("error_code").GetInt32()
            )
        );
        Assert.EndsWith("/messages", one.GetProperty("path").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(
            "…",
            one.GetProperty("parameters").GetProperty("access_token").GetString(),
            StringComparison.Ordinal
        );
        Assert.Contains("(#100)", one.GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.True(one.GetProperty("duration_ms").GetDouble() >= 0);
        Assert.All(accepted.Body.EnumerateArray(), e => Assert.Equal(200, e.GetProperty("status").GetInt32()));
        Assert.Contains(
            accepted.Body.EnumerateArray(),
            e => e.GetProperty("parameters").GetProperty("message").GetProperty("text").GetString() == "hello"
        );
        Assert.Equal(
            one.GetProperty("id").GetInt64(),
            Assert.Single(byStatus.Body.EnumerateArray()).GetProperty("id").GetInt64()
        );
        Assert.Equal("GET", Assert.Single(byPath.Body.EnumerateArray()).GetProperty("method").GetString());
        Assert.Empty(since.Body.EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    // :: One limit for every world-face list

    [Fact]
    public async Task Lists_Limit_BadIs400NamingIt_AboveTheMaximumIsCut()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        await s.Graph.SendTextAsync(s.Page.Id, s.Page.AccessToken, s.Psid, "hello", "RESPONSE", Ct);
        string[] lists =
        [
            $"_pagebox/apps/{s.App.Id}/journal",
            $"_pagebox/apps/{s.App.Id}/webhook-deliveries",
            $"_pagebox/apps/{s.App.Id}/pages",
            $"_pagebox/apps/{s.App.Id}/persons",
            $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}",
        ];
        foreach (var list in lists)
        {
            foreach (var bad in new[] { "0", "-3", "abc", "1.5" })
            {
                var refused = await World(HttpMethod.Get, $"{list}?limit={bad}");
                Assert.True(refused.Status == HttpStatusCode.BadRequest, $"{list}?limit={bad}: {refused.Status}");
                Assert.Equal(
                    $"limit must be an integer from 1 to 1000, got \"{bad}\"",
                    refused.Body.GetProperty("error").GetProperty("message").GetString()
                );
            }
            var cut = await World(HttpMethod.Get, $"{list}?limit=5000");
            Assert.True(cut.IsSuccess, $"{list}?limit=5000: {cut.Status} {cut.RawBody}");
            var one = await World(HttpMethod.Get, $"{list}?limit=1");
            Assert.True(one.IsSuccess, $"{list}?limit=1: {one.Status} {one.RawBody}");
        }
    }

    // :: Listings

    [Fact]
    public async Task Listings_AppPagesAndPersons_ArePagedWithTheAppsTokens()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        var second = await host.World.CreatePageAsync(s.App.Id, "Second", cancellationToken: Ct);
        var other = await host.World.CreatePersonAsync("Kim", cancellationToken: Ct);
        await host.World.WriteAsync(other, second.Id, "hi", cancellationToken: Ct);

        var first = await World(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/pages?limit=1");
        var next = await World(HttpMethod.Get, first.Body.GetProperty("paging").GetProperty("next").GetString()!);
        var persons = await World(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/persons");
        var unknown = await World(HttpMethod.Get, "_pagebox/apps/999/pages");

        var p1 = Assert.Single(first.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(
            (s.Page.Id, s.Page.AccessToken),
            (p1.GetProperty("id").GetString(), p1.GetProperty("access_token").GetString())
        );
        Assert.Equal(2, first.Body.GetProperty("paging").GetProperty("total").GetInt32());
        Assert.Equal(
            second.Id,
            Assert.Single(next.Body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString()
        );
        Assert.Equal(
            JsonValueKind.Null,
            next.Body.GetProperty("paging").TryGetProperty("next", out var n) ? n.ValueKind : JsonValueKind.Null
        );
        Assert.Equal(
            [s.PersonId, other],
            persons.Body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray()
        );
        Assert.Equal(
            s.Psid,
            persons.Body.GetProperty("data")[0].GetProperty("conversations")[0].GetProperty("psid").GetString()
        );
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    // :: State

    [Fact]
    public async Task Export_ImportIntoAFreshPagebox_SameWorldAndTokensStillSend()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var exported = await World(HttpMethod.Get, $"_pagebox/export?app={s.App.Id}");
        Assert.Equal(HttpStatusCode.OK, exported.Status);
        Assert.Equal(s.App.Id, exported.Body.GetProperty("app").GetString());

        await using var fresh = await PageboxServer.StartAsync();
        var imported = await fresh.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            exported.RawBody,
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.OK, imported.Status);

        async Task<string> Raw(WorldClient w, string path) =>
            (await w.SendAsync(HttpMethod.Get, path, cancellationToken: Ct)).RawBody;
        Assert.Equal(
            await Raw(host.World, $"_pagebox/apps/{s.App.Id}/pages"),
            await Raw(fresh.World, $"_pagebox/apps/{s.App.Id}/pages")
        );
        Assert.Equal(
            await Raw(host.World, $"_pagebox/apps/{s.App.Id}/persons"),
            await Raw(fresh.World, $"_pagebox/apps/{s.App.Id}/persons")
        );
        var conversation = await fresh.World.GetConversationAsync(s.PersonId, s.Page.Id, Ct);
        Assert.Equal(
            token,
            conversation.GetProperty("tokens")[0].GetProperty("notification_messages_token").GetString()
        );
        Assert.Equal(
            (await s.ConversationAsync()).GetProperty("messages").GetArrayLength(),
            conversation.GetProperty("messages").GetArrayLength()
        );

        var send = new JsonObject
        {
            ["recipient"] = new JsonObject { ["notification_messages_token"] = token },
            ["message"] = new JsonObject { ["text"] = "Deals" },
        };
        var sent = await fresh.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            send.ToJsonString(),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(sent.IsSuccess, sent.ToString());
        Assert.Equal(s.Psid, sent.Body.GetProperty("recipient_id").GetString());
        var unknownToken = await fresh.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new JsonObject
            {
                ["recipient"] = new JsonObject { ["notification_messages_token"] = "12345" },
                ["message"] = new JsonObject { ["text"] = "x" },
            }.ToJsonString(),
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.False(unknownToken.IsSuccess);
    }

    [Fact]
    public async Task Export_FromSqlite_ImportIntoPostgres_SameWorldAndTokensStillSend()
    {
        Assert.SkipWhen(TestPostgres.ConnectionString is null, TestPostgres.SkipReason);
        await using var s = await MarketingScenario.StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");
        var exported = await World(HttpMethod.Get, "_pagebox/export");
        var cs = TestPostgres.NewSchemaConnectionString(out var schema)!;
        await using (var c = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString))
        {
            await c.OpenAsync(Ct);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            await create.ExecuteNonQueryAsync(Ct);
        }
        try
        {
            await using var postgres = await PageboxServer.StartAsync(o =>
            {
                o.Store = "postgres";
                o.PostgresConnectionString = cs;
            });
            var imported = await postgres.World.SendAsync(
                HttpMethod.Post,
                "_pagebox/import",
                exported.RawBody,
                cancellationToken: Ct
            );
            Assert.True(imported.IsSuccess, imported.RawBody);

            async Task<string> Raw(WorldClient w, string path) =>
                (await w.SendAsync(HttpMethod.Get, path, cancellationToken: Ct)).RawBody;
            Assert.Equal(
                await Raw(host.World, $"_pagebox/apps/{s.App.Id}/pages"),
                await Raw(postgres.World, $"_pagebox/apps/{s.App.Id}/pages")
            );
            Assert.Equal(
                await Raw(host.World, $"_pagebox/apps/{s.App.Id}/persons"),
                await Raw(postgres.World, $"_pagebox/apps/{s.App.Id}/persons")
            );
            Assert.Equal(
                await Raw(host.World, $"_pagebox/apps/{s.App.Id}/tokens"),
                await Raw(postgres.World, $"_pagebox/apps/{s.App.Id}/tokens")
            );
            var send = new JsonObject
            {
                ["recipient"] = new JsonObject { ["notification_messages_token"] = token },
                ["message"] = new JsonObject { ["text"] = "Deals" },
            };
            var sent = await postgres.Graph.PostAsync(
                $"{s.Page.Id}/messages",
                send.ToJsonString(),
                s.Page.AccessToken,
                cancellationToken: Ct
            );
            Assert.True(sent.IsSuccess, sent.ToString());
            var reexported = await postgres.World.SendAsync(
                HttpMethod.Get,
                $"_pagebox/export?app={s.App.Id}",
                cancellationToken: Ct
            );
            Assert.Equal(HttpStatusCode.OK, reexported.Status);
        }
        finally
        {
            await using var c = new Npgsql.NpgsqlConnection(TestPostgres.ConnectionString);
            await c.OpenAsync(CancellationToken.None);
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", c);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Import_BadDocument_AnswersAWorldFaceErrorAndWritesNothing()
    {
        await using var fresh = await PageboxServer.StartAsync();
        var app = await fresh.World.CreateAppAsync("kept", Ct);
        var whole = await fresh.World.SendAsync(HttpMethod.Get, "_pagebox/export", cancellationToken: Ct);
        var doc = JsonNode.Parse(whole.RawBody)!;
        doc["tables"]!["persons"] = new JsonObject
        {
            ["columns"] = new JsonArray("id", "nickname"),
            ["rows"] = new JsonArray(new JsonArray("1", "x")),
        };
        doc["tables"]!["apps"]!["rows"] = new JsonArray();

        var refused = await fresh.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            doc.ToJsonString(),
            cancellationToken: Ct
        );
        var notJson = await fresh.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            "{\"pagebox_state\":",
            cancellationToken: Ct
        );
        var notState = await fresh.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            "{\"tables\":{}}",
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("PageboxError", refused.Body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(
            "nickname",
            refused.Body.GetProperty("error").GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Equal(HttpStatusCode.BadRequest, notState.Status);
        Assert.Equal(
            HttpStatusCode.OK,
            (await fresh.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{app.Id}", cancellationToken: Ct)).Status
        );
    }

    [Fact]
    public async Task Reset_App_ClearsConversationsAndTokensKeepsPagesAndTheirAccessTokens()
    {
        await using var s = await MarketingScenario.StartAsync(host);
        var token = await s.OptInAsync("Weekly deals");

        var reset = await World(HttpMethod.Post, $"_pagebox/apps/{s.App.Id}/reset");

        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        var persons = await World(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/persons");
        Assert.Empty(persons.Body.GetProperty("data").EnumerateArray());
        var pages = await World(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/pages");
        Assert.Equal(
            s.Page.Id,
            Assert.Single(pages.Body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString()
        );
        var send = await s.SendAsync(token);
        Assert.False(send.IsSuccess);
        var wrote = await s.WriteAsync("hello again"); // the Page still works: a new conversation starts
        Assert.False(string.IsNullOrEmpty(wrote.Psid));
        var echo = await s.Graph.SendTextAsync(
            s.Page.Id,
            s.Page.AccessToken,
            wrote.Psid,
            "welcome back",
            "RESPONSE",
            Ct
        );
        Assert.True(echo.IsSuccess, echo.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await World(HttpMethod.Post, "_pagebox/apps/999/reset")).Status);
    }

    // :: --ephemeral

    [Fact]
    public async Task Ephemeral_Store_LivesInATempDirectoryRemovedAtExit()
    {
        string directory;
        await using (var server = await PageboxServer.StartAsync(o => o.Ephemeral = true))
        {
            directory = server.Host.DataDirectory!;
            Assert.StartsWith(Path.GetTempPath(), directory, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(directory, "pagebox.db")));
            var app = await server.World.CreateAppAsync("throwaway", Ct);
            var ready = await server.World.SendAsync(HttpMethod.Get, "_pagebox/health/ready", cancellationToken: Ct);
            Assert.True(ready.Body.GetProperty("ephemeral").GetBoolean());
            Assert.Equal(
                HttpStatusCode.OK,
                (await server.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{app.Id}", cancellationToken: Ct)).Status
            );
        }

        Assert.False(Directory.Exists(directory));
    }
}
