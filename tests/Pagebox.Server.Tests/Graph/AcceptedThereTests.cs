using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// What the platform accepts and Pagebox once refused (issue 6): Instagram's singular subscription fields, stickers,
/// the image grid, thread_control and extend_thread_control, the Conversations API's fields, and paging.next links that
/// carry the caller's token. Each at its boundary.
/// </summary>
public sealed class AcceptedThereTests(PageboxServer server)
{
    private const string Grid = "message[attachment][payload][elements][0]";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // :: Instagram subscription fields

    [Fact]
    public async Task InstagramSubscription_SingularFields_AreAccepted_PluralOnesRefused()
    {
        var app = await server.World.CreateAppAsync("ig", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Insta", platform: "instagram", cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-ig", Ct);
        string[] singular = ["messages", "messaging_referral", "message_edit", "messaging_handover", "standby"];

        Assert.True(
            (
                await server.Graph.SubscribeAppAsync(
                    app.Id,
                    app.Secret,
                    receiver.CallbackUrl,
                    receiver.VerifyToken,
                    singular,
                    "instagram",
                    Ct
                )
            ).IsSuccess
        );
        Assert.True((await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, singular, Ct)).IsSuccess);

        foreach (
            var plural in new[] { "messaging_referrals", "message_edits", "messaging_handovers", "message_deliveries" }
        )
        {
            GraphAssert.InvalidParameter(
                await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, ["messages", plural], Ct),
                plural
            );
            GraphAssert.InvalidParameter(
                await server.Graph.SubscribeAppAsync(
                    app.Id,
                    app.Secret,
                    receiver.CallbackUrl,
                    receiver.VerifyToken,
                    [plural],
                    "instagram",
                    Ct
                ),
                plural
            );
        }
        // And the other way round on Messenger.
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        GraphAssert.InvalidParameter(
            await server.Graph.SubscribePageAsync(s.Page.Id, s.Page.AccessToken, ["messaging_referral"], Ct),
            "messaging_referral"
        );
    }

    [Fact]
    public async Task InstagramReferral_IsDeliveredUnderMessagingReferral()
    {
        var app = await server.World.CreateAppAsync("ig", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Insta", platform: "instagram", cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync("Ada", cancellationToken: Ct);
        await using var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-ig", Ct);
        string[] fields = ["messages", "messaging_referral"];
        Assert.True(
            (
                await server.Graph.SubscribeAppAsync(
                    app.Id,
                    app.Secret,
                    receiver.CallbackUrl,
                    receiver.VerifyToken,
                    fields,
                    "instagram",
                    Ct
                )
            ).IsSuccess
        );
        Assert.True((await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, fields, Ct)).IsSuccess);

        await server.World.ReferralAsync(person, page.Id, "story_link", cancellationToken: Ct);

        var referral = (
            await receiver.WaitForEventsAsync(
                e => e.Has("referral"),
                1,
                TimeSpan.FromSeconds(15),
                "the IG referral",
                Ct
            )
        ).Single();
        Assert.Equal("story_link", referral["referral"].GetProperty("ref").GetString());
        var log = await server.World.GetDeliveriesAsync(app.Id, 10, Ct);
        Assert.Contains(
            log.EnumerateArray(),
            d => d.GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "messaging_referral")
        );
    }

    // :: Stickers

    [Fact]
    public async Task Sticker_ByIdAsNumberOrString_IsSent_AndEchoedAsSent()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = (await s.PersonWritesAsync("hi")).Psid;

        var asNumber = await s.SendAsync(
            new
            {
                recipient = new { id = psid },
                messaging_type = "RESPONSE",
                message = new { sticker_id = 369239263222822 },
            }
        );
        var asString = await s.SendAsync(
            new
            {
                recipient = new { id = psid },
                messaging_type = "RESPONSE",
                message = new { sticker_id = "369239343222814" },
            }
        );

        var mid = GraphAssert.Sent(asNumber, psid);
        GraphAssert.Sent(asString, psid);
        var echo = (await s.WaitForEventsAsync(e => e.IsEcho && e.Mid == mid)).Single();
        Assert.Equal(369239263222822, echo["message"].GetProperty("sticker_id").GetInt64());
    }

    [Fact]
    public async Task Sticker_WithTextNotAnIdOrOnInstagram_Returns100NamingStickerId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hi")).Psid;

        GraphAssert.InvalidParameter(
            await s.SendAsync(
                new { recipient = new { id = psid }, message = new { sticker_id = "1", text = "and words" } }
            ),
            "message[sticker_id]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(new { recipient = new { id = psid }, message = new { sticker_id = "smile" } }),
            "message[sticker_id]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(new { recipient = new { id = psid }, message = new { sticker_id = 0 } }),
            "message[sticker_id]"
        );
        var ig = await server.World.CreatePageAsync(s.App.Id, "Insta", platform: "instagram", cancellationToken: Ct);
        var igPsid = (await server.World.WriteAsync(s.PersonId, ig.Id, "hi", cancellationToken: Ct)).Psid;
        GraphAssert.InvalidParameter(
            await server.Graph.PostAsync(
                $"{ig.Id}/messages",
                new { recipient = new { id = igPsid }, message = new { sticker_id = "1" } },
                ig.AccessToken,
                cancellationToken: Ct
            ),
            "message[sticker_id]"
        );
    }

    // :: Image grid

    private static object GridSend(string psid, int images, Func<int, object>? image = null, object? element = null) =>
        new
        {
            recipient = new { id = psid },
            messaging_type = "RESPONSE",
            message = new
            {
                attachment = new
                {
                    type = "template",
                    payload = new
                    {
                        template_type = "image_grid",
                        elements = new[]
                        {
                            element
                                ?? new
                                {
                                    images = Enumerable
                                        .Range(0, images)
                                        .Select(i => image?.Invoke(i) ?? new { url = $"https://cdn.example/{i}.jpg" })
                                        .ToArray(),
                                },
                        },
                    },
                },
            },
        };

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(6, true)]
    [InlineData(7, false)]
    public async Task ImageGrid_TwoToSixImages(int images, bool accepted)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me")).Psid;

        var sent = await s.SendAsync(GridSend(psid, images));

        if (accepted)
            GraphAssert.Sent(sent, psid);
        else
            Assert.Contains(
                "between 2 and 6",
                GraphAssert.InvalidParameter(sent, $"{Grid}[images]"),
                StringComparison.Ordinal
            );
    }

    [Fact]
    public async Task ImageGrid_OneHeroActionsTitleAndButtons_WithinLimits_AreSent()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me")).Psid;
        object Image(int i) =>
            i switch
            {
                0 => new
                {
                    url = "https://cdn.example/0.jpg",
                    is_hero_image = true,
                    action = new { type = "web_url", url = "https://shop.example/0" },
                },
                _ => new
                {
                    url = $"https://cdn.example/{i}.jpg",
                    is_hero_image = false,
                    action = new { type = "postback", payload = $"PICK_{i}" },
                },
            };
        var images = Enumerable.Range(0, 3).Select(Image).ToArray();
        var buttons = new object[]
        {
            new
            {
                type = "web_url",
                url = "https://shop.example",
                title = "Shop",
            },
            new
            {
                type = "postback",
                payload = "MORE",
                title = "More",
            },
            new
            {
                type = "postback",
                payload = "LESS",
                title = "Less",
            },
        };

        GraphAssert.Sent(
            await s.SendAsync(
                GridSend(
                    psid,
                    3,
                    element: new
                    {
                        images,
                        title = new string('t', 45),
                        subtitle = new string('s', 80),
                        buttons,
                    }
                )
            ),
            psid
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(GridSend(psid, 3, element: new { images, title = new string('t', 46) })),
            $"{Grid}[title]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(GridSend(psid, 3, element: new { images, subtitle = new string('s', 81) })),
            $"{Grid}[subtitle]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                GridSend(
                    psid,
                    3,
                    element: new
                    {
                        images,
                        buttons = buttons
                            .Append(
                                new
                                {
                                    type = "postback",
                                    payload = "X",
                                    title = "X",
                                }
                            )
                            .ToArray(),
                    }
                )
            ),
            $"{Grid}[buttons]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                GridSend(
                    psid,
                    3,
                    element: new
                    {
                        images,
                        buttons = new[]
                        {
                            new
                            {
                                type = "phone_number",
                                payload = "+15105551234",
                                title = "Call",
                            },
                        },
                    }
                )
            ),
            $"{Grid}[buttons][0][type]"
        );
    }

    [Fact]
    public async Task ImageGrid_TwoHeroesNoUrlOrBadAction_Return100NamingTheImage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me")).Psid;

        GraphAssert.InvalidParameter(
            await s.SendAsync(
                GridSend(psid, 3, i => new { url = $"https://cdn.example/{i}.jpg", is_hero_image = i < 2 })
            ),
            $"{Grid}[images][1][is_hero_image]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                GridSend(psid, 2, i => i == 1 ? new { title = "no url" } : new { url = "https://cdn.example/0.jpg" })
            ),
            $"{Grid}[images][1][url]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                GridSend(psid, 2, i => new { url = "https://cdn.example/0.jpg", action = new { type = "call" } })
            ),
            $"{Grid}[images][0][action][type]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(GridTwoElements(psid)),
            "message[attachment][payload][elements]"
        );
    }

    private static object GridTwoElements(string psid) =>
        new
        {
            recipient = new { id = psid },
            message = new
            {
                attachment = new
                {
                    type = "template",
                    payload = new
                    {
                        template_type = "image_grid",
                        elements = new[]
                        {
                            new { images = new[] { new { url = "a" }, new { url = "b" } } },
                            new { images = new[] { new { url = "c" }, new { url = "d" } } },
                        },
                    },
                },
            },
        };

    // :: thread_control on sends, extend_thread_control

    private static async Task<(
        Scenario S,
        AppInfo Agent,
        string AgentToken,
        WebhookReceiver AgentReceiver,
        string Psid
    )> TwoAppsAsync(PageboxServer server)
    {
        string[] fields = ["messages", "messaging_handovers"];
        var s = await Scenario.StartAsync(server, fields: fields);
        var agent = await s.World.CreateAppAsync("agent", Ct);
        var link = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{agent.Id}/pages",
            new { page_id = s.Page.Id },
            cancellationToken: Ct
        );
        var token = link.Body.GetProperty("access_token").GetString()!;
        var receiver = await WebhookReceiver.StartAsync(agent.Secret, "verify-agent", Ct);
        Assert.True(
            (
                await s.Graph.SubscribeAppAsync(
                    agent.Id,
                    agent.Secret,
                    receiver.CallbackUrl,
                    receiver.VerifyToken,
                    fields,
                    cancellationToken: Ct
                )
            ).IsSuccess
        );
        Assert.True((await s.Graph.SubscribePageAsync(s.Page.Id, token, fields, Ct)).IsSuccess);
        var psid = (await s.PersonWritesAsync("I need a human")).Psid;
        return (s, agent, token, receiver, psid);
    }

    private static string? Owner(GraphResponse response)
    {
        var data = response.Body.GetProperty("data");
        return data.GetArrayLength() == 0
            ? null
            : data[0].GetProperty("thread_owner").GetProperty("app_id").GetString();
    }

    [Fact]
    public async Task ThreadControlOnASend_PassesTheThreadAfterTheMessage()
    {
        var (s, agent, _, agentReceiver, psid) = await TwoAppsAsync(server);
        await using var _s = s;
        await using var _r = agentReceiver;

        var sent = await s.SendAsync(
            new
            {
                recipient = new { id = psid },
                messaging_type = "RESPONSE",
                message = new { text = "Passing you to a human" },
                thread_control = new { app_id = agent.Id, control_type = "pass" },
            }
        );

        GraphAssert.Sent(sent, psid);
        Assert.Equal(
            agent.Id,
            Owner(
                await s.Graph.GetAsync(
                    $"{s.Page.Id}/thread_owner?recipient={psid}",
                    s.Page.AccessToken,
                    cancellationToken: Ct
                )
            )
        );
        var passed = (
            await agentReceiver.WaitForEventsAsync(
                e => e.Has("pass_thread_control"),
                1,
                TimeSpan.FromSeconds(15),
                "the pass",
                Ct
            )
        ).Single()["pass_thread_control"];
        Assert.Equal(s.App.Id, passed.GetProperty("previous_owner_app_id").GetString());
        Assert.Equal(agent.Id, passed.GetProperty("new_owner_app_id").GetString());
        GraphAssert.Error(
            await s.SendTextAsync(psid, "me again"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018300
        );
    }

    [Fact]
    public async Task ThreadControl_WithoutAppId_GoesToThePageInbox_BadOnesRefuseTheWholeSend()
    {
        var (s, _, _, agentReceiver, psid) = await TwoAppsAsync(server);
        await using var _s = s;
        await using var _r = agentReceiver;
        var before = (await s.ConversationAsync()).GetProperty("messages").GetArrayLength();

        GraphAssert.InvalidParameter(
            await s.SendAsync(
                new
                {
                    recipient = new { id = psid },
                    message = new { text = "x" },
                    thread_control = new { control_type = "take" },
                }
            ),
            "thread_control[control_type]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                new
                {
                    recipient = new { id = psid },
                    message = new { text = "x" },
                    thread_control = new { app_id = "42", control_type = "pass" },
                }
            ),
            "thread_control[app_id]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                new
                {
                    recipient = new { id = psid },
                    message = new { text = "x" },
                    thread_control = new { app_id = "abc", control_type = "pass" },
                }
            ),
            "thread_control[app_id]"
        );
        Assert.Equal(before, (await s.ConversationAsync()).GetProperty("messages").GetArrayLength());

        GraphAssert.Sent(
            await s.SendAsync(
                new
                {
                    recipient = new { id = psid },
                    message = new { text = "to the inbox" },
                    thread_control = new { control_type = "pass" },
                }
            ),
            psid
        );
        Assert.Equal(
            "263902037430900",
            Owner(
                await s.Graph.GetAsync(
                    $"{s.Page.Id}/thread_owner?recipient={psid}",
                    s.Page.AccessToken,
                    cancellationToken: Ct
                )
            )
        );
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(604800, true)]
    [InlineData(604801, false)]
    [InlineData(0, false)]
    public async Task ExtendThreadControl_OneSecondToSevenDays(long duration, bool accepted)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hi")).Psid;
        Assert.True(
            (
                await s.Graph.PostAsync(
                    $"{s.Page.Id}/take_thread_control",
                    new { recipient = new { id = psid } },
                    s.Page.AccessToken,
                    cancellationToken: Ct
                )
            ).IsSuccess
        );

        var answer = await s.Graph.PostAsync(
            $"{s.Page.Id}/extend_thread_control",
            new { recipient = new { id = psid }, duration },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        if (accepted)
        {
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            Assert.True(answer.Body.GetProperty("success").GetBoolean());
        }
        else
            GraphAssert.InvalidParameter(answer, "duration");
    }

    [Fact]
    public async Task ExtendThreadControl_NotTheOwnerOrNoDuration_IsRefused()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hi")).Psid;

        GraphAssert.Error(
            await s.Graph.PostAsync(
                $"{s.Page.Id}/extend_thread_control",
                new { recipient = new { id = psid }, duration = 3600 },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            null,
            "(#10) Only the app that controls the thread can extend thread control"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.PostAsync(
                $"{s.Page.Id}/extend_thread_control",
                new { recipient = new { id = psid } },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            "duration"
        );
    }

    // :: Conversations API fields

    [Fact]
    public async Task ConversationFields_UnreadSnippetCanReplySendersSubscribedAndKey()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("first")).Psid;
        await s.PersonWritesAsync("second");
        const string fields = "unread_count,snippet,can_reply,senders,is_subscribed,scoped_thread_key";
        async Task<JsonElement> NodeAsync()
        {
            var r = await s.Graph.GetAsync($"t_{psid}?fields={fields}", s.Page.AccessToken, cancellationToken: Ct);
            Assert.True(r.Status == HttpStatusCode.OK, r.ToString());
            return r.Body;
        }

        var unread = await NodeAsync();
        Assert.Equal(
            ["can_reply", "id", "is_subscribed", "scoped_thread_key", "senders", "snippet", "unread_count"],
            GraphAssert.Names(unread)
        );
        Assert.Equal(2, unread.GetProperty("unread_count").GetInt32());
        Assert.Equal("second", unread.GetProperty("snippet").GetString());
        Assert.True(unread.GetProperty("can_reply").GetBoolean());
        Assert.True(unread.GetProperty("is_subscribed").GetBoolean());
        Assert.Equal($"t_{psid}", unread.GetProperty("scoped_thread_key").GetString());
        Assert.Equal(
            [psid],
            unread
                .GetProperty("senders")
                .GetProperty("data")
                .EnumerateArray()
                .Select(p => p.GetProperty("id").GetString())
        );

        // mark_seen reads them; the Page's answer too.
        Assert.True((await s.SendAsync(new { recipient = new { id = psid }, sender_action = "mark_seen" })).IsSuccess);
        Assert.Equal(0, (await NodeAsync()).GetProperty("unread_count").GetInt32());
        GraphAssert.Sent(await s.SendTextAsync(psid, "answer"), psid);
        await s.PersonWritesAsync("third");
        var after = await NodeAsync();
        Assert.Equal(1, after.GetProperty("unread_count").GetInt32());
        Assert.Equal(
            [psid, s.Page.Id],
            after
                .GetProperty("senders")
                .GetProperty("data")
                .EnumerateArray()
                .Select(p => p.GetProperty("id").GetString())
        );

        // 24 hours after the person's last message the Page cannot reply.
        await s.AdvanceClockAsync(TimeSpan.FromHours(24));
        Assert.False((await NodeAsync()).GetProperty("can_reply").GetBoolean());
        var listed = await s.Graph.GetAsync(
            $"me/conversations?fields={fields}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal("third", listed.Body.GetProperty("data")[0].GetProperty("snippet").GetString());
    }

    [Fact]
    public async Task MessageAttachments_MediaOnly_AsTheGraphEdge()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var photo = await s.World.WriteMessageAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                attachments = new[] { new { type = "image", payload = new { url = "https://cdn.example/cat.png" } } },
            },
            Ct
        );
        var text = await s.PersonWritesAsync("just text");

        var withMedia = await s.Graph.GetAsync(
            $"{photo.Mid}?fields=attachments,message",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var plain = await s.Graph.GetAsync(
            $"{text.Mid}?fields=attachments,message",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var attachment = Assert.Single(withMedia.Body.GetProperty("attachments").GetProperty("data").EnumerateArray());
        Assert.Equal(["id", "image_data", "mime_type", "name"], GraphAssert.Names(attachment));
        Assert.Matches("^[0-9]{15}$", attachment.GetProperty("id").GetString());
        Assert.Equal("image/png", attachment.GetProperty("mime_type").GetString());
        Assert.Equal("cat.png", attachment.GetProperty("name").GetString());
        Assert.Equal(
            "https://cdn.example/cat.png",
            attachment.GetProperty("image_data").GetProperty("url").GetString()
        );
        Assert.Equal(["id", "message"], GraphAssert.Names(plain.Body));
        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync($"{text.Mid}?fields=attachment", s.Page.AccessToken, cancellationToken: Ct),
            "attachment"
        );
    }

    // :: paging.next carries the token

    /// <summary>Follows a next link exactly as the official SDK does: a plain GET of the URL, adding nothing.</summary>
    private async Task<GraphResponse> FollowAsync(string next)
    {
        Assert.StartsWith(server.BaseUrl.ToString().TrimEnd('/'), next, StringComparison.Ordinal);
        var uri = new Uri(next);
        return await server.Graph.SendRawAsync(
            HttpMethod.Get,
            uri.PathAndQuery.TrimStart('/'),
            null,
            cancellationToken: Ct
        );
    }

    [Fact]
    public async Task PagingNext_OfConversationsAndMessages_CarriesTheBearerToken_AndWorksVerbatim()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var ada = await s.PersonWritesAsync("one");
        await s.PersonWritesAsync("two");
        var bo = await s.World.CreatePersonAsync("Bo", cancellationToken: Ct);
        await s.World.WriteAsync(bo, s.Page.Id, "three", cancellationToken: Ct);
        var bearer = server.GraphWith(GraphClient.DefaultVersion, bearer: true);

        var list = await bearer.GetAsync(
            "me/conversations?limit=1&fields=id,messages.limit(1){message}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var next = list.Body.GetProperty("paging").GetProperty("next").GetString()!;
        Assert.Contains($"access_token={Uri.EscapeDataString(s.Page.AccessToken)}", next, StringComparison.Ordinal);
        var second = await FollowAsync(next);
        Assert.True(second.Status == HttpStatusCode.OK, second.ToString());
        Assert.Equal($"t_{ada.Psid}", second.Body.GetProperty("data")[0].GetProperty("id").GetString());

        var nested = second
            .Body.GetProperty("data")[0]
            .GetProperty("messages")
            .GetProperty("paging")
            .GetProperty("next")
            .GetString()!;
        var older = await FollowAsync(nested);
        Assert.True(older.Status == HttpStatusCode.OK, older.ToString());
        Assert.Equal("one", older.Body.GetProperty("data")[0].GetProperty("message").GetString());

        var edge = await bearer.GetAsync(
            $"t_{ada.Psid}/messages?limit=1&fields=message",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var edgeNext = await FollowAsync(edge.Body.GetProperty("paging").GetProperty("next").GetString()!);
        Assert.Equal("one", edgeNext.Body.GetProperty("data")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task PagingNext_OfPersonasAndTokens_CarriesTheToken()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var bearer = server.GraphWith(GraphClient.DefaultVersion, bearer: true);
        foreach (var name in new[] { "Ann", "Ben" })
            Assert.True(
                (
                    await s.Graph.PostAsync(
                        $"{s.Page.Id}/personas",
                        new { name, profile_picture_url = "https://cdn.example/p.png" },
                        s.Page.AccessToken,
                        cancellationToken: Ct
                    )
                ).IsSuccess
            );

        var personas = await bearer.GetAsync(
            $"{s.Page.Id}/personas?limit=1",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var secondPersona = await FollowAsync(personas.Body.GetProperty("paging").GetProperty("next").GetString()!);
        Assert.True(secondPersona.Status == HttpStatusCode.OK, secondPersona.ToString());
        // Personas are listed in id order: the second page holds the one the first did not.
        var names = new[]
        {
            personas.Body.GetProperty("data")[0].GetProperty("name").GetString(),
            secondPersona.Body.GetProperty("data")[0].GetProperty("name").GetString(),
        };
        Assert.Equal(["Ann", "Ben"], names.Order(StringComparer.Ordinal));

        var psid = (await s.PersonWritesAsync("hi")).Psid;
        foreach (var title in new[] { "Deals", "News" })
        {
            var request = await s.SendAsync(
                new
                {
                    recipient = new { id = psid },
                    message = new
                    {
                        attachment = new
                        {
                            type = "template",
                            payload = new
                            {
                                template_type = "notification_messages",
                                title,
                                payload = title,
                            },
                        },
                    },
                }
            );
            await s.World.OptInAsync(
                s.PersonId,
                s.Page.Id,
                request.Body.GetProperty("message_id").GetString()!,
                cancellationToken: Ct
            );
        }
        var tokens = await bearer.GetAsync(
            $"{s.Page.Id}/notification_message_tokens?limit=1",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var next = tokens.Body.GetProperty("paging").GetProperty("next").GetString()!;
        Assert.Contains("access_token=", next, StringComparison.Ordinal);
        var secondToken = await FollowAsync(next);
        Assert.True(secondToken.Status == HttpStatusCode.OK, secondToken.ToString());
        Assert.Single(secondToken.Body.GetProperty("data").EnumerateArray());
    }
}
