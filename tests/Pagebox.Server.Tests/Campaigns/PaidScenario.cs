using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>
/// One test's world for the Marketing Messages API for Messenger: an app (own clock) with a Page, a bot webhook
/// receiver subscribed as a bot subscribes (app subscription with the handshake, then subscribed_apps) to the messaging
/// fields and the six marketing_message* fields, a person who wrote to the Page, and helpers for the legacy opt-in that
/// makes the subscription token, the ad account, campaigns and sends.
/// </summary>
internal sealed class PaidScenario : IAsyncDisposable
{
    public static readonly string[] Fields =
    [
        "messages",
        "messaging_optins",
        "messaging_postbacks",
        "marketing_message_echoes",
        "marketing_message_deliveries",
        "marketing_message_reads",
        "marketing_message_clicks",
        "marketing_message_delivery_failed",
        "marketing_messages_subscriber_upload_status",
    ];

    private PaidScenario(
        WorldClient world,
        GraphClient graph,
        AppInfo app,
        PageInfo page,
        WebhookReceiver receiver,
        string personId,
        string psid
    )
    {
        World = world;
        Graph = graph;
        App = app;
        Page = page;
        Receiver = receiver;
        PersonId = personId;
        Psid = psid;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public WorldClient World { get; }

    public GraphClient Graph { get; }

    public AppInfo App { get; }

    public PageInfo Page { get; }

    public WebhookReceiver Receiver { get; }

    public string PersonId { get; }

    public string Psid { get; }

    /// <summary>The ad account made by <see cref="AdAccountAsync"/>: <c>act_</c> + digits.</summary>
    public string Act { get; private set; } = "";

    public string AccountId => Act["act_".Length..];

    public static Task<PaidScenario> StartAsync(
        PageboxServer server,
        string personName = "Ada Lovelace",
        string? locale = null
    ) => StartAsync(server.World, server.Graph, personName, locale);

    public static async Task<PaidScenario> StartAsync(
        WorldClient world,
        GraphClient graph,
        string personName = "Ada Lovelace",
        string? locale = null
    )
    {
        var app = await world.CreateAppAsync("mm-tests", Ct);
        var page = await world.CreatePageAsync(app.Id, "Coast Clothing", cancellationToken: Ct);
        var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-" + Guid.NewGuid().ToString("N"), Ct);
        receiver.RejectInvalidSignatures = true;
        try
        {
            var subscribed = await graph.SubscribeAppAsync(
                app.Id,
                app.Secret,
                receiver.CallbackUrl,
                receiver.VerifyToken,
                Fields,
                cancellationToken: Ct
            );
            Assert.True(subscribed.IsSuccess, subscribed.ToString());
            var installed = await graph.SubscribePageAsync(page.Id, page.AccessToken, Fields, Ct);
            Assert.True(installed.IsSuccess, installed.ToString());
            var person = await world.CreatePersonAsync(personName, locale: locale, cancellationToken: Ct);
            var first = await world.WriteAsync(person, page.Id, "Hello", cancellationToken: Ct);
            return new PaidScenario(world, graph, app, page, receiver, person, first.Psid);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Receiver.DisposeAsync();

    // :: The legacy opt-in: the subscription token

    /// <summary>The Page asks for permission with a notification_messages template (legacy), the person taps: the
    /// token.</summary>
    public async Task<string> OptInAsync(string title = "Weekly deals", string? personId = null, string? psid = null)
    {
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = psid ?? Psid },
            ["message"] = new JsonObject
            {
                ["attachment"] = new JsonObject
                {
                    ["type"] = "template",
                    ["payload"] = new JsonObject
                    {
                        ["template_type"] = "notification_messages",
                        ["title"] = title,
                        ["payload"] = "DEALS",
                    },
                },
            },
        };
        var request = await Graph.PostAsync(
            $"{Page.Id}/messages",
            body.ToJsonString(),
            Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(request.IsSuccess, $"opt-in request: {request}");
        var tapped = await World.OptInAsync(
            personId ?? PersonId,
            Page.Id,
            request.Body.GetProperty("message_id").GetString()!,
            null,
            Ct
        );
        return tapped.GetProperty("notification_messages_token").GetString()!;
    }

    /// <summary>Another person who wrote to the Page.</summary>
    public async Task<(string PersonId, string Psid)> AddPersonAsync(string name = "Sam Smith", string? locale = null)
    {
        var person = await World.CreatePersonAsync(name, locale: locale, cancellationToken: Ct);
        var first = await World.WriteAsync(person, Page.Id, "Hi", cancellationToken: Ct);
        return (person, first.Psid);
    }

    // :: World face

    public Task<ApiResponse> WorldAsync(HttpMethod method, string path, object? body = null) =>
        World.SendAsync(method, path, body, cancellationToken: Ct);

    /// <summary>POST /_pagebox/apps/{app}/ad_accounts with the Page and <paramref name="extra"/> members; remembers
    /// <see cref="Act"/>.</summary>
    public async Task<JsonElement> AdAccountAsync(JsonObject? extra = null)
    {
        var body = extra ?? [];
        body["page_id"] ??= Page.Id;
        var created = await WorldAsync(HttpMethod.Post, $"_pagebox/apps/{App.Id}/ad_accounts", body.ToJsonString());
        Assert.True(created.Status == HttpStatusCode.Created, created.RawBody);
        Act = created.Body.GetProperty("id").GetString()!;
        return created.Body;
    }

    public async Task<JsonElement> AccountAsync()
    {
        var found = await WorldAsync(HttpMethod.Get, $"_pagebox/ad_accounts/{Act}");
        Assert.True(found.IsSuccess, found.RawBody);
        return found.Body;
    }

    public Task<ApiResponse> PatchAccountAsync(object patch) =>
        WorldAsync(HttpMethod.Patch, $"_pagebox/ad_accounts/{Act}", patch);

    public Task<JsonElement> ConversationAsync(string? personId = null) =>
        World.GetConversationAsync(personId ?? PersonId, Page.Id, Ct);

    /// <summary>The person chats in <paramref name="threads"/> threads with friends (organic activity for the
    /// F-caps).</summary>
    public async Task FriendChatsAsync(int threads, string? personId = null)
    {
        var r = await WorldAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{personId ?? PersonId}/friend_chats",
            new { threads, page_id = Page.Id }
        );
        Assert.True(r.IsSuccess, r.RawBody);
    }

    // :: The Graph face

    public Task<GraphResponse> CreateCampaignAsync(object body) =>
        Graph.PostAsync($"{Act}/message_campaign", body, Page.AccessToken, cancellationToken: Ct);

    /// <summary>A daily-budget campaign (1000 cents unless told); returns its id.</summary>
    public async Task<string> CampaignAsync(long daily = 1000, string name = "Summer sale")
    {
        var created = await CreateCampaignAsync(
            new
            {
                name,
                page_id = Page.Id,
                daily_budget = daily,
            }
        );
        Assert.True(created.IsSuccess, $"campaign: {created}");
        Assert.Equal(["id"], GraphAssert.Names(created.Body));
        return created.Body.GetProperty("id").GetString()!;
    }

    /// <summary>A campaign made now and the clock moved past its one-hour warm-up.</summary>
    public async Task<string> WarmCampaignAsync(long daily = 1000)
    {
        var id = await CampaignAsync(daily);
        await AdvanceAsync(TimeSpan.FromHours(1));
        return id;
    }

    public static JsonObject TextMessage(string text = "Hi {{first_name}}, 20% off today") => new() { ["text"] = text };

    public static JsonObject GenericMessage(
        string title = "New sale for you, {{first_name}}!",
        string? url = "https://shop.example/sale",
        bool postback = true
    )
    {
        var buttons = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "web_url",
                ["url"] = url,
                ["title"] = "View Website",
            },
        };
        if (postback)
            buttons.Add(
                new JsonObject
                {
                    ["type"] = "postback",
                    ["title"] = "Start Chatting",
                    ["payload"] = "START",
                }
            );
        return new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = "template",
                ["payload"] = new JsonObject
                {
                    ["template_type"] = "generic",
                    ["elements"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["title"] = title,
                            ["image_url"] = "https://shop.example/hat.png",
                            ["subtitle"] = "We have the right hat for everyone.",
                            ["default_action"] = new JsonObject
                            {
                                ["type"] = "web_url",
                                ["url"] = "https://shop.example/hats",
                            },
                            ["buttons"] = buttons,
                        },
                    },
                },
            },
        };
    }

    public Task<GraphResponse> SendAsync(
        string campaignId,
        string token,
        JsonNode? message = null,
        int? gap = null,
        string? act = null
    )
    {
        var body = new JsonObject
        {
            ["message_id"] = campaignId,
            ["messenger_delivery_data"] = new JsonObject { ["subscription_token"] = token },
            ["message"] = message ?? TextMessage(),
        };
        if (gap is { } g)
            body["min_conversation_gap_seconds"] = g;
        return Graph.PostAsync($"{act ?? Act}/messages", body.ToJsonString(), Page.AccessToken, cancellationToken: Ct);
    }

    /// <summary>A send that must be accepted: exactly {"success":true,"marketing_message_tracking_id"}; returns the
    /// tracking id.</summary>
    public async Task<string> SendOkAsync(string campaignId, string token, JsonNode? message = null)
    {
        var sent = await SendAsync(campaignId, token, message);
        return Sent(sent);
    }

    public static string Sent(GraphResponse sent)
    {
        Assert.True(sent.Status == HttpStatusCode.OK, $"send: {sent}");
        Assert.Equal(["marketing_message_tracking_id", "success"], GraphAssert.Names(sent.Body));
        Assert.True(sent.Body.GetProperty("success").GetBoolean());
        var tracking = sent.Body.GetProperty("marketing_message_tracking_id").GetString()!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", tracking);
        return tracking;
    }

    /// <summary>The successor API's error: HTTP 400, OAuthException, the code as <c>error.code</c>, no
    /// subcode.</summary>
    public static JsonElement Refused(GraphResponse response, int code)
    {
        var error = GraphAssert.Error(response, HttpStatusCode.BadRequest, "OAuthException", code, null);
        Assert.StartsWith($"(#{code}) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        return error;
    }

    /// <summary>A refusal with <c>error_data.remaining_seconds</c> (the envelope then has error_data beside the usual
    /// keys).</summary>
    public static long RefusedWithRemaining(GraphResponse response, int code)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        var error = response.Body.GetProperty("error");
        Assert.Equal(["code", "error_data", "fbtrace_id", "message", "type"], GraphAssert.Names(error));
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(["remaining_seconds"], GraphAssert.Names(error.GetProperty("error_data")));
        return error.GetProperty("error_data").GetProperty("remaining_seconds").GetInt64();
    }

    public Task<GraphResponse> GetAsync(string path) => Graph.GetAsync(path, Page.AccessToken, cancellationToken: Ct);

    // :: Clock

    public Task<DateTimeOffset> NowAsync() => World.GetClockAsync(App.Id, Ct);

    public Task<DateTimeOffset> AdvanceAsync(TimeSpan by) => World.AdvanceClockAsync(App.Id, by, Ct);

    /// <summary>Sets the clock to at least <paramref name="to"/> (the server may round 1 ms short; nudged on
    /// then).</summary>
    public async Task<DateTimeOffset> SetClockAsync(DateTimeOffset to)
    {
        var now = await World.SetClockAsync(App.Id, to, Ct);
        return now >= to ? now : await World.AdvanceClockAsync(App.Id, TimeSpan.FromMilliseconds(1), Ct);
    }

    // :: Webhooks

    /// <summary>Waits for the <c>changes</c> of <paramref name="field"/> whose value matches; returns them all once
    /// there are <paramref name="count"/>.</summary>
    public Task<IReadOnlyList<ChangeEvent>> WaitForChangesAsync(
        string field,
        Func<JsonElement, bool>? match = null,
        int count = 1
    ) =>
        Receiver.WaitForAsync<IReadOnlyList<ChangeEvent>>(
            r =>
                r.Changes().Where(c => c.Field == field && (match?.Invoke(c.Value) ?? true)).ToList() is { } hits
                && hits.Count >= count
                    ? hits
                    : null,
            TimeSpan.FromSeconds(15),
            $"{count} {field} change(s)",
            Ct
        );

    public async Task<JsonElement> WaitForChangeAsync(string field, Func<JsonElement, bool>? match = null) =>
        (await WaitForChangesAsync(field, match))[^1].Value;
}
