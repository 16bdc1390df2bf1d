using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// The person taps the call to action: a token is made (one per topic) and every app subscribed to the Page receives
/// <c>messaging_optins</c> (seed, "Opt In Webhook Notification"; changelog 2022-10-17: tokens belong to the Page).
/// </summary>
public sealed class OptInWebhookTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    [Fact]
    public async Task OptIn_TwoAppsSubscribedToThePage_BothReceiveTheSameMessagingOptins()
    {
        await using var s = await StartAsync(host);
        var app2 = await s.World.CreateAppAsync("second bot", Ct);
        var link = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{app2.Id}/pages",
            new { page_id = s.Page.Id },
            cancellationToken: Ct
        );
        Assert.True(link.Status == HttpStatusCode.Created, $"{(int)link.Status} {link.RawBody}");
        Assert.Equal(s.Page.Id, link.Body.String("id"));
        var app2PageToken = link.Body.String("access_token")!;
        Assert.NotEqual(s.Page.AccessToken, app2PageToken);
        await using var receiver2 = await WebhookReceiver.StartAsync(app2.Secret, VerifyToken, Ct);
        await SubscribeAsync(host, app2, s.Page.Id, app2PageToken, receiver2, "page");
        var mid = await s.RequestOptInOkAsync(SingleOptIn("Hat drops", payload: "HATS", timezone: "Europe/Paris"));
        var before = await s.NowAsync();

        var tapped = await s.TapAsync(mid);

        var after = await s.NowAsync();
        var token = tapped.String("notification_messages_token")!;
        Assert.False(string.IsNullOrEmpty(token));
        var expected = new JsonObject
        {
            ["type"] = "notification_messages",
            ["payload"] = "HATS",
            ["notification_messages_token"] = token,
            ["notification_messages_timezone"] = "Europe/Paris",
            ["token_expiry_timestamp"] = MarketingAssert.NeverExpiresMilliseconds,
            ["user_token_status"] = "NOT_REFRESHED",
            ["title"] = "Hat drops",
        };
        foreach (var (receiver, app) in new[] { (s.Receiver, s.App), (receiver2, app2) })
        {
            var optIn = await WaitForOptInAsync(
                receiver,
                o => o.String("notification_messages_token") == token,
                $"the opt-in at app {app.Id}"
            );
            Assert.True(optIn.Webhook.SignaturesValid, $"signed with app {app.Id}'s secret: {optIn.Webhook}");
            Assert.Equal("page", optIn.Webhook.Envelope!.Value.String("object"));
            Assert.Equal(s.Page.Id, optIn.EntryId);
            Assert.Equal(["optin", "recipient", "sender", "timestamp"], optIn.Event.Names());
            Assert.Equal(s.Psid, optIn.SenderId);
            Assert.Equal(s.Page.Id, optIn.RecipientId);
            Assert.InRange(optIn.Timestamp!.Value, before.ToUnixTimeMilliseconds(), after.ToUnixTimeMilliseconds());
            MarketingAssert.JsonEqual(expected, optIn["optin"]);
        }

        // The token belongs to the Page: the second app's Page token reads and uses it too.
        var node = await s.TokenNodeAsync(token, app2PageToken);
        Assert.True(node.IsSuccess, node.ToString());
        Assert.Equal(token, node.Body.String("notification_messages_token"));
    }

    [Fact]
    public async Task OptIn_TapAnswer_CarriesTheTokenOfTheWebhook()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync("Hat drops", payload: "HATS");

        var tapped = await s.TapAsync(mid);

        var token = tapped.String("notification_messages_token")!;
        Assert.Equal(s.Psid, tapped.String("psid"));
        Assert.Equal("Hat drops", tapped.String("title"));
        Assert.Equal("HATS", tapped.String("payload"));
        Assert.Equal("NOT_REFRESHED", tapped.String("user_token_status"));
        await s.WaitForTokenEventAsync(token, status: null);
    }

    [Fact]
    public async Task OptIn_CarouselThirdElementTapped_TokenCarriesThatElementsTitleAndPayload()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Pick your updates"),
                ("notification_messages_timezone", "UTC"),
                (
                    "elements",
                    new JsonArray(
                        new JsonObject { ["title"] = "Shoes", ["payload"] = "SHOES" },
                        new JsonObject { ["title"] = "Hats", ["payload"] = "HATS" },
                        new JsonObject
                        {
                            ["title"] = "Scarves",
                            ["payload"] = "SCARVES",
                            ["image_url"] = "https://example.com/scarf.png",
                        }
                    )
                )
            )
        );

        var tapped = await s.TapAsync(mid, element: 2);

        var token = tapped.String("notification_messages_token")!;
        var optIn = await s.WaitForTokenEventAsync(token, status: null);
        Assert.Equal("Scarves", optIn["optin"].String("title"));
        Assert.Equal("SCARVES", optIn["optin"].String("payload"));
        var node = await s.TokenNodeAsync(token);
        Assert.Equal("Scarves", node.Body.String("topic_title"));
    }

    [Fact]
    public async Task OptIn_CarouselElementWithoutTitle_InheritsTheTemplateTitle()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Pick your updates"),
                ("elements", new JsonArray(new JsonObject { ["payload"] = "ANY" }))
            )
        );

        var tapped = await s.TapAsync(mid, element: 0);

        Assert.Equal("Pick your updates", tapped.String("title"));
        Assert.Equal("ANY", tapped.String("payload"));
    }

    [Fact]
    public async Task OptIn_TwoCarouselElementsTapped_OneTokenPerTopic()
    {
        await using var s = await StartAsync(host);
        var mid = await s.RequestOptInOkAsync(
            Template(
                ("title", "Pick your updates"),
                (
                    "elements",
                    new JsonArray(
                        new JsonObject { ["title"] = "Shoes", ["payload"] = "SHOES" },
                        new JsonObject { ["title"] = "Hats", ["payload"] = "HATS" }
                    )
                )
            )
        );

        var shoes = (await s.TapAsync(mid, element: 0)).String("notification_messages_token");
        var hats = (await s.TapAsync(mid, element: 1)).String("notification_messages_token");
        var shoesAgain = (await s.TapAsync(mid, element: 0)).String("notification_messages_token");

        Assert.NotEqual(shoes, hats);
        Assert.Equal(shoes, shoesAgain);
        var listed = TokenIds(await s.TokensAsync()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { hats!, shoes! }.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task OptIn_SameTopicRequestedAgainAWeekLater_TapGivesTheSameToken()
    {
        await using var s = await StartAsync(host);
        var first = await s.MessageAsync(await s.RequestOptInOkAsync("Weekly deals"));
        var token = (await s.TapAsync(first.Mid)).String("notification_messages_token")!;
        await s.SetClockAsync(first.Time + TimeSpan.FromDays(7));
        await s.WriteAsync();
        var second = await s.RequestOptInOkAsync("Weekly deals", payload: "AGAIN");

        var tapped = await s.TapAsync(second);

        Assert.Equal(token, tapped.String("notification_messages_token"));
        Assert.Equal([token], TokenIds(await s.TokensAsync()));
        var optIn = await s.WaitForOptInAsync(o => o.String("payload") == "AGAIN", "the second opt-in");
        Assert.Equal(token, optIn["optin"].String("notification_messages_token"));
    }

    [Fact]
    public async Task OptIn_TapUnknownRequest_Returns404()
    {
        await using var s = await StartAsync(host);

        var response = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/optins",
            new { page_id = s.Page.Id, mid = s.FirstMid },
            cancellationToken: Ct
        );

        // The person's own message is no opt-in request.
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }
}
