using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>
/// The person's taps on the world face (docs/spec/control-api.md "Persons"): postback buttons of a message the Page
/// sent (button and generic templates, by index), Get Started without a message, and m.me referrals. Each arrives as
/// the platform's webhook (docs/spec/webhooks.md §5.5 <c>messaging_postbacks</c>, §5.7 <c>messaging_referrals</c>) at a
/// real receiver, and each is the person acting, so it opens the 24-hour window again.
/// </summary>
public sealed class PostbackTests(PageboxServer server)
{
    private static readonly IReadOnlyList<string> Fields =
    [
        .. Scenario.StandardFields,
        "messaging_postbacks",
        "messaging_referrals",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    private Task<Scenario> StartAsync() => Scenario.StartAsync(server, fields: Fields);

    /// <summary>A button template: web_url at 0, postbacks at 1 and 2.</summary>
    private static object ButtonTemplate =>
        new
        {
            attachment = new
            {
                type = "template",
                payload = new
                {
                    template_type = "button",
                    text = "What next?",
                    buttons = new object[]
                    {
                        new
                        {
                            type = "web_url",
                            url = "https://shop.example/track",
                            title = "Track online",
                        },
                        new
                        {
                            type = "postback",
                            title = "Talk to us",
                            payload = "TALK",
                        },
                        new
                        {
                            type = "postback",
                            title = "Start over",
                            payload = "START_OVER",
                        },
                    },
                },
            },
        };

    /// <summary>A generic template of two elements; element 1 has a web_url at 0 and a postback at 1.</summary>
    private static object GenericTemplate =>
        new
        {
            attachment = new
            {
                type = "template",
                payload = new
                {
                    template_type = "generic",
                    elements = new object[]
                    {
                        new
                        {
                            title = "Blue shirt",
                            subtitle = "Cotton",
                            buttons = new object[]
                            {
                                new
                                {
                                    type = "postback",
                                    title = "Buy blue",
                                    payload = "BUY_BLUE",
                                },
                            },
                        },
                        new
                        {
                            title = "Red shirt",
                            subtitle = "Linen",
                            buttons = new object[]
                            {
                                new
                                {
                                    type = "web_url",
                                    url = "https://shop.example/red",
                                    title = "View",
                                },
                                new
                                {
                                    type = "postback",
                                    title = "Buy red",
                                    payload = "BUY_RED",
                                },
                            },
                        },
                    },
                },
            },
        };

    /// <summary>The person writes, the Page answers with <paramref name="message"/>; returns the PSID and the answer's
    /// mid.</summary>
    private static async Task<(string Psid, string Mid)> PageSendsAsync(Scenario s, object message)
    {
        var written = await s.PersonWritesAsync("hi");
        var mid = GraphAssert.Sent(
            await s.SendAsync(
                new
                {
                    recipient = new { id = written.Psid },
                    messaging_type = "RESPONSE",
                    message,
                }
            ),
            written.Psid
        );
        return (written.Psid, mid);
    }

    private Task<ApiResponse> TapAsync(string personId, object body) =>
        server.World.SendAsync(HttpMethod.Post, $"_pagebox/persons/{personId}/postbacks", body, cancellationToken: Ct);

    private Task<ApiResponse> ReferAsync(string personId, object body) =>
        server.World.SendAsync(HttpMethod.Post, $"_pagebox/persons/{personId}/referrals", body, cancellationToken: Ct);

    /// <summary>The world face's answer to a tap: exactly <c>201 {"person_id","psid","page_id"}</c>.</summary>
    private static void AssertTapped(ApiResponse answer, string personId, string psid, string pageId)
    {
        Assert.True(
            answer.Status == HttpStatusCode.Created,
            $"Expected 201, got {(int)answer.Status} {answer.RawBody}"
        );
        Assert.Equal(["page_id", "person_id", "psid"], GraphAssert.Names(answer.Body));
        Assert.Equal(
            (personId, psid, pageId),
            (
                answer.Body.GetProperty("person_id").GetString(),
                answer.Body.GetProperty("psid").GetString(),
                answer.Body.GetProperty("page_id").GetString()
            )
        );
    }

    /// <summary>The world face's error envelope exactly:
    /// <c>{"error":{"message","type":"PageboxError","code":status}}</c>.</summary>
    private static string AssertWorldError(ApiResponse answer, HttpStatusCode status)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status} {answer.RawBody}");
        Assert.Equal(["error"], GraphAssert.Names(answer.Body));
        var error = answer.Body.GetProperty("error");
        Assert.Equal(["code", "message", "type"], GraphAssert.Names(error));
        Assert.Equal("PageboxError", error.GetProperty("type").GetString());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }

    /// <summary>
    /// Nothing of <paramref name="kind"/> reached the bot: the person then writes a marker message, and once the marker
    /// is delivered (the app's deliveries go out in order) no <paramref name="kind"/> event came before it.
    /// </summary>
    private static async Task AssertNoEventAsync(Scenario s, string kind)
    {
        var marker = await s.PersonWritesAsync("marker");
        await s.WaitForEventsAsync(e => e.Mid == marker.Mid, because: "the marker message");
        Assert.Empty(s.Receiver.Events(kind));
    }

    // :: Postback buttons of a message the Page sent

    [Fact]
    public async Task Postback_ButtonTemplatePostbackButton_201AndWebhookWithMidTitlePayload()
    {
        await using var s = await StartAsync();
        var (psid, mid) = await PageSendsAsync(s, ButtonTemplate);
        var before = await server.World.GetClockAsync(s.App.Id, Ct);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                button = 2,
            }
        );

        var after = await server.World.GetClockAsync(s.App.Id, Ct);
        AssertTapped(answer, s.PersonId, psid, s.Page.Id);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("postback")));
        Assert.Equal("page", e.Webhook.Envelope!.Value.GetProperty("object").GetString());
        Assert.Equal(s.Page.Id, e.EntryId);
        Assert.Equal(["postback", "recipient", "sender", "timestamp"], GraphAssert.Names(e.Event));
        Assert.Equal(["id"], GraphAssert.Names(e["sender"]));
        Assert.Equal(["id"], GraphAssert.Names(e["recipient"]));
        Assert.Equal((psid, s.Page.Id), (e.SenderId, e.RecipientId));
        Assert.InRange(e.Timestamp!.Value, Ms(before), Ms(after));
        Assert.Equal($$"""{"mid":"{{mid}}","title":"Start over","payload":"START_OVER"}""", e["postback"].GetRawText());
        Assert.True(e.Webhook.SignaturesValid, e.Webhook.ToString());
    }

    [Fact]
    public async Task Postback_ButtonOmitted_TapsFirstButton()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("hi");
        var mid = GraphAssert.Sent(
            await s.SendAsync(
                new
                {
                    recipient = new { id = written.Psid },
                    message = new
                    {
                        attachment = new
                        {
                            type = "template",
                            payload = new
                            {
                                template_type = "button",
                                text = "Ready?",
                                buttons = new[]
                                {
                                    new
                                    {
                                        type = "postback",
                                        title = "Yes",
                                        payload = "YES",
                                    },
                                },
                            },
                        },
                    },
                }
            ),
            written.Psid
        );

        AssertTapped(await TapAsync(s.PersonId, new { page_id = s.Page.Id, mid }), s.PersonId, written.Psid, s.Page.Id);

        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("postback")));
        Assert.Equal($$"""{"mid":"{{mid}}","title":"Yes","payload":"YES"}""", e["postback"].GetRawText());
    }

    [Fact]
    public async Task Postback_GenericTemplateElementButton_WebhookCarriesThatButton()
    {
        await using var s = await StartAsync();
        var (psid, mid) = await PageSendsAsync(s, GenericTemplate);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                element = 1,
                button = 1,
            }
        );

        AssertTapped(answer, s.PersonId, psid, s.Page.Id);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("postback")));
        Assert.Equal(psid, e.SenderId);
        Assert.Equal($$"""{"mid":"{{mid}}","title":"Buy red","payload":"BUY_RED"}""", e["postback"].GetRawText());
    }

    [Fact]
    public async Task Postback_WebUrlButton_400AndNoWebhook()
    {
        await using var s = await StartAsync();
        var (_, mid) = await PageSendsAsync(s, ButtonTemplate);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                button = 0,
            }
        );

        Assert.Contains("web_url", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertNoEventAsync(s, "postback");
    }

    [Fact]
    public async Task Postback_GenericTemplateWebUrlButton_400()
    {
        await using var s = await StartAsync();
        var (_, mid) = await PageSendsAsync(s, GenericTemplate);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                element = 1,
                button = 0,
            }
        );

        Assert.Contains("web_url", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public async Task Postback_ButtonIndexOutOfRange_400NamingTheRange(int button)
    {
        await using var s = await StartAsync();
        var (_, mid) = await PageSendsAsync(s, ButtonTemplate);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                button,
            }
        );

        Assert.Contains("0..2", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertNoEventAsync(s, "postback");
    }

    [Fact]
    public async Task Postback_ElementIndexOutOfRange_400NamingTheRange()
    {
        await using var s = await StartAsync();
        var (_, mid) = await PageSendsAsync(s, GenericTemplate);

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid,
                element = 2,
                button = 0,
            }
        );

        Assert.Contains("0..1", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postback_MessageWithoutButtons_400()
    {
        await using var s = await StartAsync();
        var (_, mid) = await PageSendsAsync(s, new { text = "plain text" });

        var answer = await TapAsync(s.PersonId, new { page_id = s.Page.Id, mid });

        AssertWorldError(answer, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Postback_MessageOfAnotherPerson_404AndNoWebhook()
    {
        await using var s = await StartAsync();
        var grace = await server.World.CreatePersonAsync("Grace", cancellationToken: Ct);
        var graceWrote = await server.World.WriteAsync(grace, s.Page.Id, "hi", cancellationToken: Ct);
        var toGrace = GraphAssert.Sent(
            await s.SendAsync(
                new
                {
                    recipient = new { id = graceWrote.Psid },
                    messaging_type = "RESPONSE",
                    message = ButtonTemplate,
                }
            ),
            graceWrote.Psid
        );
        await s.PersonWritesAsync("me too");

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid = toGrace,
                button = 1,
            }
        );

        AssertWorldError(answer, HttpStatusCode.NotFound);
        await AssertNoEventAsync(s, "postback");
    }

    /// <summary>
    /// Whether a message the person never received has buttons is none of their business: it is not found, whatever
    /// it holds, as with any other message of another person.
    /// </summary>
    [Fact]
    public async Task Postback_ButtonlessMessageOfAnotherPerson_404()
    {
        await using var s = await StartAsync();
        var grace = await server.World.CreatePersonAsync("Grace", cancellationToken: Ct);
        var graceWrote = await server.World.WriteAsync(grace, s.Page.Id, "hi", cancellationToken: Ct);
        var toGrace = GraphAssert.Sent(await s.SendTextAsync(graceWrote.Psid, "just for Grace"), graceWrote.Psid);
        await s.PersonWritesAsync("me too");

        var answer = await TapAsync(s.PersonId, new { page_id = s.Page.Id, mid = toGrace });

        AssertWorldError(answer, HttpStatusCode.NotFound);
    }

    /// <summary>A refused tap leaves no trace: a person who never wrote to the Page still has no conversation with
    /// it.</summary>
    [Fact]
    public async Task Postback_MessageOfAnotherPersonBeforeFirstContact_NoConversationCreated()
    {
        await using var s = await StartAsync();
        var grace = await server.World.CreatePersonAsync("Grace", cancellationToken: Ct);
        var graceWrote = await server.World.WriteAsync(grace, s.Page.Id, "hi", cancellationToken: Ct);
        var toGrace = GraphAssert.Sent(
            await s.SendAsync(
                new
                {
                    recipient = new { id = graceWrote.Psid },
                    messaging_type = "RESPONSE",
                    message = ButtonTemplate,
                }
            ),
            graceWrote.Psid
        );

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid = toGrace,
                button = 1,
            }
        );

        AssertWorldError(answer, HttpStatusCode.NotFound);
        var conversation = await server.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}",
            cancellationToken: Ct
        );
        AssertWorldError(conversation, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Postback_MessageThePersonWrote_404()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("my own words");

        var answer = await TapAsync(s.PersonId, new { page_id = s.Page.Id, mid = written.Mid });

        AssertWorldError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Postback_MessageOfTheSamePersonOnAnotherPage_404()
    {
        await using var s = await StartAsync();
        var other = await server.World.CreatePageAsync(s.App.Id, "Other shop", cancellationToken: Ct);
        var elsewhere = await server.World.WriteAsync(s.PersonId, other.Id, "hi other", cancellationToken: Ct);
        var fromOther = GraphAssert.Sent(
            await server.Graph.PostAsync(
                $"{other.Id}/messages",
                new
                {
                    recipient = new { id = elsewhere.Psid },
                    messaging_type = "RESPONSE",
                    message = ButtonTemplate,
                },
                other.AccessToken,
                cancellationToken: Ct
            ),
            elsewhere.Psid
        );
        await s.PersonWritesAsync("hi");

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid = fromOther,
                button = 1,
            }
        );

        AssertWorldError(answer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Postback_UnknownMid_404()
    {
        await using var s = await StartAsync();
        await s.PersonWritesAsync("hi");

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                mid = "m_no-such-message",
                button = 0,
            }
        );

        AssertWorldError(answer, HttpStatusCode.NotFound);
    }

    // :: Get Started, the persistent menu, ice breakers: no message

    [Fact]
    public async Task Postback_GetStartedWithoutTitle_NewPersonGetsPsidAndWebhookWithoutMid()
    {
        await using var s = await StartAsync();
        var before = await server.World.GetClockAsync(s.App.Id, Ct);

        var answer = await TapAsync(s.PersonId, new { page_id = s.Page.Id, payload = "GET_STARTED" });

        var after = await server.World.GetClockAsync(s.App.Id, Ct);
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var psid = answer.Body.GetProperty("psid").GetString()!;
        AssertTapped(answer, s.PersonId, psid, s.Page.Id);
        Assert.Equal(s.PersonId, (await server.World.GetPsidAsync(s.Page.Id, psid, Ct)).PersonId);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("postback")));
        Assert.Equal(["postback", "recipient", "sender", "timestamp"], GraphAssert.Names(e.Event));
        Assert.Equal((psid, s.Page.Id), (e.SenderId, e.RecipientId));
        Assert.InRange(e.Timestamp!.Value, Ms(before), Ms(after));
        Assert.Equal("""{"title":"Get Started","payload":"GET_STARTED"}""", e["postback"].GetRawText());
    }

    [Fact]
    public async Task Postback_MenuItemWithTitle_WebhookCarriesTitleAndSamePsid()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("hi");

        var answer = await TapAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                payload = "TRACK_ORDER",
                title = "Track my order",
            }
        );

        AssertTapped(answer, s.PersonId, written.Psid, s.Page.Id);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("postback")));
        Assert.Equal(written.Psid, e.SenderId);
        Assert.Equal("""{"title":"Track my order","payload":"TRACK_ORDER"}""", e["postback"].GetRawText());
    }

    [Fact]
    public async Task Postback_NeitherMidNorPayload_400()
    {
        await using var s = await StartAsync();

        var answer = await TapAsync(s.PersonId, new { page_id = s.Page.Id, title = "Nothing" });

        AssertWorldError(answer, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Postback_NoPageId_400()
    {
        await using var s = await StartAsync();

        var answer = await TapAsync(s.PersonId, new { payload = "GET_STARTED" });

        Assert.Contains("page_id", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postback_UnknownPersonOrPage_404()
    {
        await using var s = await StartAsync();

        var unknownPerson = await TapAsync("999999999", new { page_id = s.Page.Id, payload = "GET_STARTED" });
        var unknownPage = await TapAsync(s.PersonId, new { page_id = "999999999", payload = "GET_STARTED" });

        AssertWorldError(unknownPerson, HttpStatusCode.NotFound);
        AssertWorldError(unknownPage, HttpStatusCode.NotFound);
    }

    // :: The window

    [Fact]
    public async Task Postback_AfterWindowClosed_ResponseSendWorksAgain()
    {
        await using var s = await StartAsync();
        var (psid, mid) = await PageSendsAsync(s, ButtonTemplate);
        await s.AdvanceClockAsync(TimeSpan.FromHours(25));
        GraphAssert.Error(
            await s.SendTextAsync(psid, "closed"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );

        AssertTapped(
            await TapAsync(
                s.PersonId,
                new
                {
                    page_id = s.Page.Id,
                    mid,
                    button = 1,
                }
            ),
            s.PersonId,
            psid,
            s.Page.Id
        );
        var answer = await s.SendTextAsync(psid, "how can we help?");

        GraphAssert.Sent(answer, psid);
        var tappedAt = await server.World.GetClockAsync(s.App.Id, Ct);
        var openUntil = (await s.ConversationAsync()).GetProperty("window_open_until").GetDateTimeOffset();
        Assert.InRange(
            openUntil,
            tappedAt + TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1),
            tappedAt + TimeSpan.FromHours(24)
        );
    }

    [Fact]
    public async Task GetStarted_AfterWindowClosed_ResponseSendWorksAgain()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("hi");
        await s.AdvanceClockAsync(TimeSpan.FromHours(25));
        GraphAssert.Error(
            await s.SendTextAsync(written.Psid, "closed"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );

        AssertTapped(
            await TapAsync(s.PersonId, new { page_id = s.Page.Id, payload = "GET_STARTED" }),
            s.PersonId,
            written.Psid,
            s.Page.Id
        );
        var answer = await s.SendTextAsync(written.Psid, "welcome back");

        GraphAssert.Sent(answer, written.Psid);
    }

    [Fact]
    public async Task Postback_RefusedTap_DoesNotOpenWindow()
    {
        await using var s = await StartAsync();
        var (psid, mid) = await PageSendsAsync(s, ButtonTemplate);
        await s.AdvanceClockAsync(TimeSpan.FromHours(25));

        AssertWorldError(
            await TapAsync(
                s.PersonId,
                new
                {
                    page_id = s.Page.Id,
                    mid,
                    button = 0,
                }
            ),
            HttpStatusCode.BadRequest
        );
        var answer = await s.SendTextAsync(psid, "still closed");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278);
    }

    // :: Referrals (m.me links into an existing thread)

    [Fact]
    public async Task Referral_Ref_201AndReferralWebhookShortlinkOpenThread()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("hi");
        var before = await server.World.GetClockAsync(s.App.Id, Ct);

        var answer = await ReferAsync(s.PersonId, new { page_id = s.Page.Id, @ref = "summer-sale_2025" });

        var after = await server.World.GetClockAsync(s.App.Id, Ct);
        AssertTapped(answer, s.PersonId, written.Psid, s.Page.Id);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("referral")));
        Assert.Equal(s.Page.Id, e.EntryId);
        Assert.Equal(["recipient", "referral", "sender", "timestamp"], GraphAssert.Names(e.Event));
        Assert.Equal((written.Psid, s.Page.Id), (e.SenderId, e.RecipientId));
        Assert.InRange(e.Timestamp!.Value, Ms(before), Ms(after));
        Assert.Equal(
            """{"ref":"summer-sale_2025","source":"SHORTLINK","type":"OPEN_THREAD"}""",
            e["referral"].GetRawText()
        );
        Assert.True(e.Webhook.SignaturesValid, e.Webhook.ToString());
    }

    [Fact]
    public async Task Referral_FirstContact_GivesPsidThatNamesThePerson()
    {
        await using var s = await StartAsync();

        var answer = await ReferAsync(
            s.PersonId,
            new
            {
                page_id = s.Page.Id,
                @ref = "qr-code",
                source = "SHORTLINK",
            }
        );

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        var psid = answer.Body.GetProperty("psid").GetString()!;
        Assert.Equal(s.PersonId, (await server.World.GetPsidAsync(s.Page.Id, psid, Ct)).PersonId);
        var e = Assert.Single(await s.WaitForEventsAsync(m => m.Has("referral")));
        Assert.Equal(psid, e.SenderId);
    }

    [Fact]
    public async Task Referral_AfterWindowClosed_ResponseSendWorksAgain()
    {
        await using var s = await StartAsync();
        var written = await s.PersonWritesAsync("hi");
        await s.AdvanceClockAsync(TimeSpan.FromHours(25));
        GraphAssert.Error(
            await s.SendTextAsync(written.Psid, "closed"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );

        AssertTapped(
            await ReferAsync(s.PersonId, new { page_id = s.Page.Id, @ref = "back" }),
            s.PersonId,
            written.Psid,
            s.Page.Id
        );
        var answer = await s.SendTextAsync(written.Psid, "welcome back");

        GraphAssert.Sent(answer, written.Psid);
    }

    [Fact]
    public async Task Referral_NoRef_400AndNoWebhook()
    {
        await using var s = await StartAsync();

        var answer = await ReferAsync(s.PersonId, new { page_id = s.Page.Id });

        Assert.Contains("ref", AssertWorldError(answer, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertNoEventAsync(s, "referral");
    }

    [Fact]
    public async Task Referral_NotSubscribedToReferrals_NotDelivered()
    {
        await using var s = await Scenario.StartAsync(server);
        var written = await s.PersonWritesAsync("hi");

        var answer = await ReferAsync(s.PersonId, new { page_id = s.Page.Id, @ref = "quiet" });

        AssertTapped(answer, s.PersonId, written.Psid, s.Page.Id);
        await AssertNoEventAsync(s, "referral");
    }
}
