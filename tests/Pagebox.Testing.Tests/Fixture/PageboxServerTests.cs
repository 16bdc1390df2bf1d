using System.Net;
using System.Text.Json;

namespace Pagebox.Testing.Tests.Fixture;

/// <summary>The Pagebox.Testing package's in-process server, driven as a package user would.</summary>
public sealed class PageboxServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_Default_ServesOnLoopbackAndDeletesItsTemporaryStoreOnDispose()
    {
        string dataDirectory;
        Uri baseUrl;
        await using (var pagebox = await PageboxServer.StartAsync(cancellationToken: Ct))
        {
            dataDirectory = pagebox.DataDirectory;
            baseUrl = pagebox.BaseUrl;
            Assert.Equal("127.0.0.1", pagebox.BaseUrl.Host);
            Assert.NotEqual(8480, pagebox.BaseUrl.Port);
            Assert.Equal(new Uri(pagebox.BaseUrl, "v25.0/"), pagebox.GraphBaseUrl);
            Assert.True(Directory.Exists(dataDirectory));
            Assert.True(await pagebox.World.IsHealthyAsync(Ct));
        }

        Assert.False(Directory.Exists(dataDirectory));
        using var http = new HttpClient { BaseAddress = baseUrl };
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            http.GetAsync(new Uri("_pagebox/health", UriKind.Relative), Ct)
        );
    }

    [Fact]
    public async Task StartAsync_GivenDirectory_KeepsTheStoreAcrossServers()
    {
        var directory = Path.Combine(Path.GetTempPath(), "pagebox-kept-" + Guid.NewGuid().ToString("N"));
        try
        {
            string appId;
            await using (
                var first = await PageboxServer.StartAsync(
                    new PageboxServerOptions { DataDirectory = directory, AdminKey = "kept" },
                    Ct
                )
            )
            {
                appId = (await first.World.CreateAppAsync("kept", Ct)).Id;
            }

            await using var second = await PageboxServer.StartAsync(
                new PageboxServerOptions { DataDirectory = directory, AdminKey = "kept" },
                Ct
            );
            var app = await second.World.GetAppAsync(appId, Ct);
            Assert.Equal("kept", app.GetProperty("name").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task CreateAppAsync_MarketingFlowThroughTheInMemoryHandler_DeliversSignedOptInAndSends()
    {
        await using var pagebox = await PageboxServer.StartAsync(cancellationToken: Ct);
        await using var app = await pagebox.CreateAppAsync(cancellationToken: Ct);
        var webhooks = app.RequireWebhooks();

        // The bot's HttpClient reaches Pagebox without a socket.
        using var botHttp = new HttpClient(pagebox.CreateHandler()) { BaseAddress = pagebox.BaseUrl };
        var bot = new GraphClient(botHttp);

        var write = await app.PersonWritesAsync("hello", Ct);
        var inbound = await webhooks.WaitForEventsAsync(e => e.Text == "hello", cancellationToken: Ct);
        Assert.Equal(write.Psid, inbound[0].SenderId);

        var request = await bot.SendOptInRequestAsync(
            app.Page.Id,
            app.Page.AccessToken,
            write.Psid,
            "Weekly deals",
            "DEALS",
            cancellationToken: Ct
        );
        Assert.NotNull(request.MessageId);
        var tap = await pagebox.World.OptInAsync(app.PersonId, app.Page.Id, request.MessageId!, cancellationToken: Ct);
        var token = tap.GetProperty("notification_messages_token").GetString()!;

        var optins = await webhooks.WaitForEventsAsync(
            e =>
                e.Has("optin")
                && e["optin"].TryGetProperty("notification_messages_token", out var t)
                && t.GetString() == token,
            because: "the messaging_optins webhook with the token",
            cancellationToken: Ct
        );
        Assert.True(optins[0].Webhook.Sha256Valid);
        Assert.True(optins[0].Webhook.Sha1Valid);
        Assert.Equal(app.Page.Id, optins[0].EntryId);

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(3), Ct);
        var sent = await bot.SendMarketingTextAsync(app.Page.Id, app.Page.AccessToken, token, "50% off hats", Ct);
        Assert.Equal(write.Psid, sent.RecipientId);
        var conversation = await pagebox.World.GetConversationAsync(app.PersonId, app.Page.Id, Ct);
        Assert.Contains(
            conversation.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("mid").GetString() == sent.MessageId
        );

        // A second regular marketing message within 48 hours is refused, with the platform's code and subcode.
        var refused = await Assert.ThrowsAsync<GraphApiException>(() =>
            bot.SendMarketingTextAsync(app.Page.Id, app.Page.AccessToken, token, "again", Ct)
        );
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(4, refused.Code);
        Assert.Equal(2018354, refused.Subcode);
        Assert.NotNull(refused.ErrorMessage);
        Assert.Equal(refused.Code, refused.Response.Error.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task GraphApiException_SendOutsideTheWindow_CarriesCodeAndSubcode()
    {
        await using var pagebox = await PageboxServer.StartAsync(cancellationToken: Ct);
        await using var app = await pagebox.CreateAppAsync(new PageboxAppOptions { Webhooks = false }, Ct);
        var write = await app.PersonWritesAsync("hi", Ct);
        await app.AdvanceClockAsync(TimeSpan.FromHours(25), Ct);

        var refused = await Assert.ThrowsAsync<GraphApiException>(() =>
            pagebox.Graph.SendMessageAsync(
                app.Page.Id,
                app.Page.AccessToken,
                new
                {
                    recipient = new { id = write.Psid },
                    messaging_type = "RESPONSE",
                    message = new { text = "late" },
                },
                Ct
            )
        );
        Assert.Equal(10, refused.Code);
        Assert.Equal(2018278, refused.Subcode);
        Assert.Equal("OAuthException", refused.Type);
    }

    [Fact]
    public async Task PageboxApiException_UnknownApp_CarriesTheWorldFaceError()
    {
        await using var pagebox = await PageboxServer.StartAsync(cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<PageboxApiException>(() => pagebox.World.GetAppAsync("999999", Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("PageboxError", error.ErrorType);
        Assert.NotNull(error.ErrorCode);
    }

    [Fact]
    public async Task CreateAppAsync_ManyAppsOnOneServer_KeepTheirClocksApart()
    {
        var pagebox = await PageboxServer.GetSharedAsync();
        Assert.Same(pagebox, await PageboxServer.GetSharedAsync());
        await using var first = await pagebox.CreateAppAsync(new PageboxAppOptions { Webhooks = false }, Ct);
        await using var second = await pagebox.CreateAppAsync(new PageboxAppOptions { Webhooks = false }, Ct);
        var before = await pagebox.World.GetClockAsync(second.App.Id, Ct);
        await first.AdvanceClockAsync(TimeSpan.FromDays(3), Ct);
        var after = await pagebox.World.GetClockAsync(second.App.Id, Ct);
        Assert.True(after - before < TimeSpan.FromDays(1), $"the second app's clock moved: {before} -> {after}");
        Assert.NotEqual(first.Page.AccessToken, second.Page.AccessToken);
    }

    [Fact]
    public async Task CreateInMemoryClient_CallsTheGraphFaceWithoutTheLoopbackPort()
    {
        await using var pagebox = await PageboxServer.StartAsync(cancellationToken: Ct);
        await using var app = await pagebox.CreateAppAsync(new PageboxAppOptions { Webhooks = false }, Ct);
        using var http = pagebox.CreateInMemoryClient();
        Assert.Equal(pagebox.GraphBaseUrl, http.BaseAddress);
        using var response = await http.GetAsync(
            new Uri($"{app.Page.Id}?access_token={Uri.EscapeDataString(app.Page.AccessToken)}", UriKind.Relative),
            Ct
        );
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(app.Page.Id, body.GetProperty("id").GetString());
    }
}
