using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Messaging;

/// <summary>
/// The handover protocol over real HTTP: two apps on one Page (the Scenario's bot and a second "agent" app linked to
/// the Page), each with its own receiver, both subscribed to messaging_handovers and standby.
/// </summary>
public sealed class HandoverTests(PageboxServer server)
{
    private const string PageInbox = "263902037430900";
    private static readonly IReadOnlyList<string> Fields =
    [
        .. Scenario.StandardFields,
        "messaging_postbacks",
        "messaging_handovers",
        "standby",
    ];
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two apps on the Page, subscribed; the person wrote once (no owner: both got it under
    /// messaging).</summary>
    private sealed class World : IAsyncDisposable
    {
        public required Scenario S { get; init; }
        public required AppInfo Agent { get; init; }
        public required string AgentToken { get; init; }
        public required WebhookReceiver AgentReceiver { get; init; }
        public required string Psid { get; init; }

        public string PageId => S.Page.Id;

        public Task<GraphResponse> PostAsync(string edge, object body, string token) =>
            S.Graph.PostAsync($"{PageId}/{edge}", body, token, cancellationToken: Ct);

        public Task<GraphResponse> OwnerAsync(string token) =>
            S.Graph.GetAsync($"{PageId}/thread_owner?recipient={Psid}", token, cancellationToken: Ct);

        public async ValueTask DisposeAsync()
        {
            await AgentReceiver.DisposeAsync();
            await S.DisposeAsync();
        }
    }

    private static async Task<World> StartAsync(PageboxServer server)
    {
        var s = await Scenario.StartAsync(server, fields: Fields);
        var agent = await s.World.CreateAppAsync("agent", Ct);
        var link = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{agent.Id}/pages",
            new { page_id = s.Page.Id },
            cancellationToken: Ct
        );
        Assert.True(link.Status == HttpStatusCode.Created, $"{(int)link.Status} {link.RawBody}");
        var token = link.Body.GetProperty("access_token").GetString()!;
        var receiver = await WebhookReceiver.StartAsync(agent.Secret, "verify-" + Guid.NewGuid().ToString("N"), Ct);
        receiver.RejectInvalidSignatures = true;
        Assert.True(
            (
                await s.Graph.SubscribeAppAsync(
                    agent.Id,
                    agent.Secret,
                    receiver.CallbackUrl,
                    receiver.VerifyToken,
                    Fields,
                    cancellationToken: Ct
                )
            ).IsSuccess
        );
        Assert.True((await s.Graph.SubscribePageAsync(s.Page.Id, token, Fields, Ct)).IsSuccess);
        var psid = (await s.PersonWritesAsync("Hello")).Psid;
        await s.WaitForEventsAsync(e => IsMessage(e, "Hello"), because: "the bot gets the first message");
        await receiver.WaitForEventsAsync(
            e => IsMessage(e, "Hello"),
            1,
            Wait,
            "the agent app gets the first message",
            Ct
        );
        return new World
        {
            S = s,
            Agent = agent,
            AgentToken = token,
            AgentReceiver = receiver,
            Psid = psid,
        };
    }

    private static bool IsMessage(MessagingEvent e, string text) =>
        e.Has("message") && !e.IsEcho && e["message"].TryGetProperty("text", out var t) && t.GetString() == text;

    private static void Success(GraphResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        Assert.Equal(["success"], GraphAssert.Names(response.Body));
        Assert.True(response.Body.GetProperty("success").GetBoolean());
    }

    private static string? OwnerOf(GraphResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        var data = response.Body.GetProperty("data");
        return data.GetArrayLength() == 0
            ? null
            : Assert.Single(data.EnumerateArray()).GetProperty("thread_owner").GetProperty("app_id").GetString();
    }

    private static Task<MessagingEvent> HandoverAsync(WebhookReceiver receiver, string kind) =>
        receiver.WaitForAsync(r => r.MessagingEvents().FirstOrDefault(e => e.Has(kind)), Wait, $"a {kind} event", Ct);

    [Fact]
    public async Task NoOwner_ThreadOwnerIsEmpty_AndMessagesReachBothAppsUnderMessaging()
    {
        await using var w = await StartAsync(server);

        Assert.Null(OwnerOf(await w.OwnerAsync(w.S.Page.AccessToken)));
        GraphAssert.Sent(await w.S.SendTextAsync(w.Psid, "from the bot"), w.Psid);
        GraphAssert.Sent(
            await w.S.Graph.SendTextAsync(w.PageId, w.AgentToken, w.Psid, "from the agent", "RESPONSE", Ct),
            w.Psid
        );

        Assert.Empty(w.S.Receiver.StandbyEvents());
        Assert.Empty(w.AgentReceiver.StandbyEvents());
    }

    [Fact]
    public async Task Pass_TargetGetsWebhook_OwnerShows_PreviousAppGets2018300_OwnerSends()
    {
        await using var w = await StartAsync(server);

        Success(
            await w.PostAsync(
                "pass_thread_control",
                new
                {
                    recipient = new { id = w.Psid },
                    target_app_id = w.Agent.Id,
                    metadata = "needs a human",
                },
                w.S.Page.AccessToken
            )
        );

        var passed = await HandoverAsync(w.AgentReceiver, "pass_thread_control");
        Assert.Equal(w.Psid, passed.Event.GetProperty("sender").GetProperty("id").GetString());
        Assert.Equal(w.PageId, passed.Event.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, passed.Event.GetProperty("timestamp").ValueKind);
        var body = passed["pass_thread_control"];
        Assert.Equal(["metadata", "new_owner_app_id", "previous_owner_app_id"], GraphAssert.Names(body));
        Assert.Equal(w.S.App.Id, body.GetProperty("previous_owner_app_id").GetString());
        Assert.Equal(w.Agent.Id, body.GetProperty("new_owner_app_id").GetString());
        Assert.Equal("needs a human", body.GetProperty("metadata").GetString());
        Assert.Equal(w.Agent.Id, OwnerOf(await w.OwnerAsync(w.S.Page.AccessToken)));

        GraphAssert.Error(
            await w.S.SendTextAsync(w.Psid, "still me?"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018300,
            "(#10) Message failed to send because another app is controlling this thread now."
        );
        GraphAssert.Sent(
            await w.S.Graph.SendTextAsync(w.PageId, w.AgentToken, w.Psid, "A human here", "RESPONSE", Ct),
            w.Psid
        );
    }

    [Fact]
    public async Task Owned_PersonEvents_GoToOwnerUnderMessaging_AndToTheOtherAppUnderStandby()
    {
        await using var w = await StartAsync(server);
        Success(
            await w.PostAsync(
                "pass_thread_control",
                new { recipient = new { id = w.Psid }, target_app_id = w.Agent.Id },
                w.S.Page.AccessToken
            )
        );

        await w.S.PersonWritesAsync("Are you a human?");
        await w.S.World.PostbackPayloadAsync(w.S.PersonId, w.PageId, "MENU_HELP", "Help", Ct);

        await w.AgentReceiver.WaitForEventsAsync(
            e => IsMessage(e, "Are you a human?"),
            1,
            Wait,
            "the owner gets the message",
            Ct
        );
        await w.AgentReceiver.WaitForEventsAsync(e => e.Has("postback"), 1, Wait, "the owner gets the postback", Ct);
        Assert.Equal("MENU_HELP", w.AgentReceiver.Postbacks().Single()["postback"].GetProperty("payload").GetString());
        var standby = await w.S.Receiver.WaitForAsync(
            r =>
                r.StandbyEvents().Where(e => e.Has("message") || e.Has("postback")).ToList() is { Count: 2 } hits
                    ? hits
                    : null,
            Wait,
            "the bot gets both under standby",
            Ct
        );
        Assert.Equal("Are you a human?", standby[0]["message"].GetProperty("text").GetString());
        Assert.Equal(w.Psid, standby[0].Event.GetProperty("sender").GetProperty("id").GetString());
        Assert.False(standby[1]["postback"].TryGetProperty("payload", out _));
        Assert.DoesNotContain(
            w.S.Receiver.MessagingEvents(),
            e => IsMessage(e, "Are you a human?") || e.Has("postback")
        );
        Assert.Empty(w.AgentReceiver.StandbyEvents());
    }

    [Fact]
    public async Task Take_CallerBecomesOwner_PreviousOwnerIsTold()
    {
        await using var w = await StartAsync(server);
        Success(
            await w.PostAsync(
                "pass_thread_control",
                new { recipient = new { id = w.Psid }, target_app_id = w.Agent.Id },
                w.S.Page.AccessToken
            )
        );

        Success(
            await w.PostAsync(
                "take_thread_control",
                new { recipient = new { id = w.Psid }, metadata = "bot is back" },
                w.S.Page.AccessToken
            )
        );

        var taken = await HandoverAsync(w.AgentReceiver, "take_thread_control");
        var body = taken["take_thread_control"];
        Assert.Equal(w.Agent.Id, body.GetProperty("previous_owner_app_id").GetString());
        Assert.Equal(w.S.App.Id, body.GetProperty("new_owner_app_id").GetString());
        Assert.Equal("bot is back", body.GetProperty("metadata").GetString());
        Assert.Equal(w.S.App.Id, OwnerOf(await w.OwnerAsync(w.AgentToken)));
        GraphAssert.Sent(await w.S.SendTextAsync(w.Psid, "bot again"), w.Psid);
        GraphAssert.Error(
            await w.S.Graph.SendTextAsync(w.PageId, w.AgentToken, w.Psid, "agent?", "RESPONSE", Ct),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018300
        );
    }

    [Fact]
    public async Task Request_ReachesTheOwner_AndIsRefusedWithoutOwnerOrByTheOwner()
    {
        await using var w = await StartAsync(server);
        GraphAssert.InvalidParameter(
            await w.PostAsync("request_thread_control", new { recipient = new { id = w.Psid } }, w.AgentToken),
            "recipient"
        );
        Success(
            await w.PostAsync("take_thread_control", new { recipient = new { id = w.Psid } }, w.S.Page.AccessToken)
        );

        Success(
            await w.PostAsync(
                "request_thread_control",
                new { recipient = new { id = w.Psid }, metadata = "let me help" },
                w.AgentToken
            )
        );

        var requested = await HandoverAsync(w.S.Receiver, "request_thread_control");
        Assert.Equal(w.Agent.Id, requested["request_thread_control"].GetProperty("requested_owner_app_id").GetString());
        Assert.Equal("let me help", requested["request_thread_control"].GetProperty("metadata").GetString());
        Assert.Equal(w.S.App.Id, OwnerOf(await w.OwnerAsync(w.AgentToken)));
        GraphAssert.InvalidParameter(
            await w.PostAsync("request_thread_control", new { recipient = new { id = w.Psid } }, w.S.Page.AccessToken),
            "recipient"
        );
    }

    [Fact]
    public async Task Release_OnlyTheOwner_ClearsTheOwner()
    {
        await using var w = await StartAsync(server);
        Success(
            await w.PostAsync(
                "pass_thread_control",
                new { recipient = new { id = w.Psid }, target_app_id = w.Agent.Id },
                w.S.Page.AccessToken
            )
        );

        var refused = GraphAssert.Error(
            await w.PostAsync("release_thread_control", new { recipient = new { id = w.Psid } }, w.S.Page.AccessToken),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            null
        );
        Assert.Contains("release", refused.GetProperty("message").GetString()!, StringComparison.Ordinal);
        Success(await w.PostAsync("release_thread_control", new { recipient = new { id = w.Psid } }, w.AgentToken));

        Assert.Null(OwnerOf(await w.OwnerAsync(w.S.Page.AccessToken)));
        GraphAssert.Sent(await w.S.SendTextAsync(w.Psid, "anyone may send again"), w.Psid);
        await w.S.PersonWritesAsync("After release");
        await w.S.WaitForEventsAsync(
            e => IsMessage(e, "After release"),
            because: "no owner: the bot gets it under messaging"
        );
        await w.AgentReceiver.WaitForEventsAsync(
            e => IsMessage(e, "After release"),
            1,
            Wait,
            "no owner: the agent gets it under messaging",
            Ct
        );
    }

    [Fact]
    public async Task Pass_ToAnAppWithoutAccessToThePage_Returns100NamingTargetAppId_ButThePageInboxIsAccepted()
    {
        await using var w = await StartAsync(server);
        var stranger = await w.S.World.CreateAppAsync("stranger", Ct);

        GraphAssert.InvalidParameter(
            await w.PostAsync(
                "pass_thread_control",
                new { recipient = new { id = w.Psid }, target_app_id = stranger.Id },
                w.S.Page.AccessToken
            ),
            "target_app_id"
        );
        Assert.Null(OwnerOf(await w.OwnerAsync(w.S.Page.AccessToken)));

        Success(
            await w.PostAsync(
                "pass_thread_control",
                new { recipient = new { id = w.Psid }, target_app_id = PageInbox },
                w.S.Page.AccessToken
            )
        );
        Assert.Equal(PageInbox, OwnerOf(await w.OwnerAsync(w.S.Page.AccessToken)));
    }

    [Fact]
    public async Task UnknownPsid_Returns2018001()
    {
        await using var w = await StartAsync(server);

        foreach (
            var edge in new[]
            {
                "pass_thread_control",
                "take_thread_control",
                "request_thread_control",
                "release_thread_control",
            }
        )
        {
            GraphAssert.Error(
                await w.PostAsync(
                    edge,
                    new { recipient = new { id = "1234567890123456" }, target_app_id = w.Agent.Id },
                    w.S.Page.AccessToken
                ),
                HttpStatusCode.BadRequest,
                "OAuthException",
                100,
                2018001
            );
        }
        GraphAssert.Error(
            await w.S.Graph.GetAsync(
                $"{w.PageId}/thread_owner?recipient=1234567890123456",
                w.S.Page.AccessToken,
                cancellationToken: Ct
            ),
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018001
        );
    }
}
