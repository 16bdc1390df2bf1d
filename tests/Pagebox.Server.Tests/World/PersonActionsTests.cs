using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>
/// What a person does beyond writing, over real HTTP with the real webhook receiver: each action's exact webhook
/// payload and its effect on the 24-hour window, checked by what the bot can then send.
/// </summary>
public sealed class PersonActionsTests(PageboxServer server)
{
    private static readonly string[] MessengerFields =
    [
        "messages",
        "message_echoes",
        "message_reactions",
        "message_edits",
        "messaging_postbacks",
        "messaging_optins",
        "messaging_referrals",
        "response_feedback",
        "messaging_feedback",
        "messaging_policy_enforcement",
    ];

    private static readonly string[] InstagramFields =
    [
        "messages",
        "message_reactions",
        "message_edit",
        "messaging_referral",
        "messaging_optins",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An app, a Page of either platform, a person and the bot's receiver, subscribed on both
    /// layers.</summary>
    private sealed class Actor : IAsyncDisposable
    {
        public required PageboxServer Server { get; init; }
        public required AppInfo App { get; init; }
        public required PageInfo Page { get; init; }
        public required string PersonId { get; init; }
        public required WebhookReceiver Receiver { get; init; }

        public WorldClient World => Server.World;

        public Task<ApiResponse> ActAsync(string action, object body, string? person = null) =>
            World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/persons/{person ?? PersonId}/{action}",
                body,
                cancellationToken: Ct
            );

        public Task<WriteResult> WritesAsync(string text, string? person = null) =>
            World.WriteAsync(person ?? PersonId, Page.Id, text, cancellationToken: Ct);

        public Task<GraphResponse> SendTextAsync(string psid, string text) =>
            Server.Graph.SendTextAsync(Page.Id, Page.AccessToken, psid, text, "RESPONSE", Ct);

        public Task<GraphResponse> SendAsync(object body) =>
            Server.Graph.PostAsync($"{Page.Id}/messages", body, Page.AccessToken, cancellationToken: Ct);

        public Task<DateTimeOffset> AdvanceAsync(TimeSpan by) => World.AdvanceClockAsync(App.Id, by, Ct);

        public Task<JsonElement> ConversationAsync(string? person = null) =>
            World.GetConversationAsync(person ?? PersonId, Page.Id, Ct);

        public async Task<MessagingEvent> EventAsync(string key, Func<MessagingEvent, bool>? match = null) =>
            (
                await Receiver.WaitForEventsAsync(
                    e => e.Has(key) && (match?.Invoke(e) ?? true),
                    1,
                    TimeSpan.FromSeconds(15),
                    $"a {key} event",
                    Ct
                )
            )[^1];

        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    private async Task<Actor> StartAsync(string platform = "messenger", IReadOnlyList<string>? fields = null)
    {
        var app = await server.World.CreateAppAsync("bot", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Shop", platform: platform, cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync("Ada", cancellationToken: Ct);
        var receiver = await WebhookReceiver.StartAsync(app.Secret, "verify-" + Guid.NewGuid().ToString("N"), Ct);
        receiver.RejectInvalidSignatures = true;
        fields ??= platform == "instagram" ? InstagramFields : MessengerFields;
        var obj = platform == "instagram" ? "instagram" : "page";
        var subscribed = await server.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            receiver.CallbackUrl,
            receiver.VerifyToken,
            fields,
            obj,
            Ct
        );
        Assert.True(subscribed.IsSuccess, subscribed.ToString());
        var installed = await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, fields, Ct);
        Assert.True(installed.IsSuccess, installed.ToString());
        return new Actor
        {
            Server = server,
            App = app,
            Page = page,
            PersonId = person,
            Receiver = receiver,
        };
    }

    private static void Created(ApiResponse answer) =>
        Assert.True(
            answer.Status == HttpStatusCode.Created,
            $"Expected 201, got {(int)answer.Status} {answer.RawBody}"
        );

    private static void Status(ApiResponse answer, HttpStatusCode status) =>
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status} {answer.RawBody}");

    /// <summary>sender (the PSID), recipient (the Page), timestamp and the one event key, nothing else.</summary>
    private static JsonElement Envelope(MessagingEvent e, string key, string psid, string pageId)
    {
        Assert.Equal(
            new[] { key, "recipient", "sender", "timestamp" }.Order(StringComparer.Ordinal),
            GraphAssert.Names(e.Event)
        );
        Assert.Equal(psid, e.SenderId);
        Assert.Equal(pageId, e.RecipientId);
        Assert.Equal(JsonValueKind.Number, e.Event.GetProperty("timestamp").ValueKind);
        Assert.True(e.Webhook.SignaturesValid);
        return e[key];
    }

    /// <summary>The person wrote, the Page answered; the window then closed (25 hours later).</summary>
    private static async Task<(string Psid, string PageMid)> AnsweredThenClosedAsync(Actor a)
    {
        var psid = (await a.WritesAsync("hello")).Psid;
        var pageMid = GraphAssert.Sent(await a.SendTextAsync(psid, "hi, how can I help?"), psid);
        await a.AdvanceAsync(TimeSpan.FromHours(25));
        GraphAssert.Error(
            await a.SendTextAsync(psid, "closed?"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );
        return (psid, pageMid);
    }

    // :: Reactions

    [Fact]
    public async Task Reaction_ToAPageMessage_SendsMessageReactions_AndOpensTheWindow()
    {
        await using var a = await StartAsync();
        var (psid, pageMid) = await AnsweredThenClosedAsync(a);

        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    emoji = "\u2764\ufe0f",
                }
            )
        );

        var reaction = Envelope(await a.EventAsync("reaction"), "reaction", psid, a.Page.Id);
        Assert.Equal(["action", "emoji", "mid", "reaction"], GraphAssert.Names(reaction));
        Assert.Equal("love", reaction.GetProperty("reaction").GetString());
        Assert.Equal("\u2764\ufe0f", reaction.GetProperty("emoji").GetString());
        Assert.Equal("react", reaction.GetProperty("action").GetString());
        Assert.Equal(pageMid, reaction.GetProperty("mid").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "glad you like it"), psid);
    }

    [Fact]
    public async Task Unreact_NamesTheReactionTakenBack_AndDoesNotOpenTheWindow()
    {
        await using var a = await StartAsync();
        var (psid, pageMid) = await AnsweredThenClosedAsync(a);
        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    emoji = "\U0001F44D",
                }
            )
        );
        await a.AdvanceAsync(TimeSpan.FromHours(25));

        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    action = "unreact",
                }
            )
        );

        var reaction = Envelope(
            await a.EventAsync("reaction", e => e["reaction"].GetProperty("action").GetString() == "unreact"),
            "reaction",
            psid,
            a.Page.Id
        );
        Assert.Equal(["action", "emoji", "mid", "reaction"], GraphAssert.Names(reaction));
        Assert.Equal("like", reaction.GetProperty("reaction").GetString());
        Assert.Equal("\U0001F44D", reaction.GetProperty("emoji").GetString());
        GraphAssert.Error(
            await a.SendTextAsync(psid, "still closed"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );
        // Nothing left to take back.
        Status(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    action = "unreact",
                }
            ),
            HttpStatusCode.Conflict
        );
    }

    [Fact]
    public async Task Reaction_OtherEmojiOrOwnMessage_IsOtherOr404()
    {
        await using var a = await StartAsync();
        var written = await a.WritesAsync("hello");
        var pageMid = GraphAssert.Sent(await a.SendTextAsync(written.Psid, "hi"), written.Psid);

        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    emoji = "\U0001F955",
                }
            )
        );
        Assert.Equal("other", (await a.EventAsync("reaction"))["reaction"].GetProperty("reaction").GetString());
        Status(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = written.Mid,
                    emoji = "\U0001F44D",
                }
            ),
            HttpStatusCode.NotFound
        );
        Status(await a.ActAsync("reactions", new { page_id = a.Page.Id, mid = pageMid }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unreact_OnInstagram_LeavesReactionAndEmojiOut()
    {
        await using var a = await StartAsync("instagram");
        var psid = (await a.WritesAsync("hello")).Psid;
        var pageMid = GraphAssert.Sent(await a.SendTextAsync(psid, "hi"), psid);
        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    emoji = "\u2764\ufe0f",
                }
            )
        );

        Created(
            await a.ActAsync(
                "reactions",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    action = "unreact",
                }
            )
        );

        var reaction = (
            await a.EventAsync("reaction", e => e["reaction"].GetProperty("action").GetString() == "unreact")
        )["reaction"];
        Assert.Equal(["action", "mid"], GraphAssert.Names(reaction));
        Assert.Equal(
            "instagram",
            (await a.EventAsync("reaction")).Webhook.Envelope!.Value.GetProperty("object").GetString()
        );
    }

    // :: Edits

    [Fact]
    public async Task Edit_WithinFifteenMinutes_SendsMessageEdits_UpdatesTheText_AndKeepsTheWindow()
    {
        await using var a = await StartAsync();
        var written = await a.WritesAsync("helo");
        var before = (await a.ConversationAsync()).GetProperty("window_open_until").GetDateTimeOffset();
        await a.AdvanceAsync(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));

        var answer = await a.ActAsync(
            "edits",
            new
            {
                page_id = a.Page.Id,
                mid = written.Mid,
                text = "hello",
            }
        );

        Created(answer);
        Assert.Equal(1, answer.Body.GetProperty("num_edit").GetInt32());
        var edit = Envelope(await a.EventAsync("message_edit"), "message_edit", written.Psid, a.Page.Id);
        Assert.Equal(["mid", "num_edit", "text"], GraphAssert.Names(edit));
        Assert.Equal(written.Mid, edit.GetProperty("mid").GetString());
        Assert.Equal("hello", edit.GetProperty("text").GetString());
        Assert.Equal(1, edit.GetProperty("num_edit").GetInt32());
        var conversation = await a.ConversationAsync();
        Assert.Equal(
            "hello",
            conversation.GetProperty("messages")[0].GetProperty("message").GetProperty("text").GetString()
        );
        Assert.Equal(before, conversation.GetProperty("window_open_until").GetDateTimeOffset());
    }

    [Fact]
    public async Task Edit_AtFifteenMinutes_Is409()
    {
        await using var a = await StartAsync();
        var written = await a.WritesAsync("helo");
        await a.AdvanceAsync(TimeSpan.FromMinutes(15));

        Status(
            await a.ActAsync(
                "edits",
                new
                {
                    page_id = a.Page.Id,
                    mid = written.Mid,
                    text = "hello",
                }
            ),
            HttpStatusCode.Conflict
        );
    }

    [Fact]
    public async Task Edit_FifthIsAccepted_SixthIs409()
    {
        await using var a = await StartAsync();
        var written = await a.WritesAsync("v0");
        for (var i = 1; i <= 5; i++)
            Created(
                await a.ActAsync(
                    "edits",
                    new
                    {
                        page_id = a.Page.Id,
                        mid = written.Mid,
                        text = $"v{i}",
                    }
                )
            );

        Status(
            await a.ActAsync(
                "edits",
                new
                {
                    page_id = a.Page.Id,
                    mid = written.Mid,
                    text = "v6",
                }
            ),
            HttpStatusCode.Conflict
        );

        await a.EventAsync("message_edit", e => e["message_edit"].GetProperty("num_edit").GetInt32() == 5);
    }

    [Fact]
    public async Task Edit_OnInstagram_UsesTheSingularField()
    {
        await using var a = await StartAsync("instagram");
        var written = await a.WritesAsync("helo");

        Created(
            await a.ActAsync(
                "edits",
                new
                {
                    page_id = a.Page.Id,
                    mid = written.Mid,
                    text = "hello",
                }
            )
        );

        var e = await a.EventAsync("message_edit");
        Assert.Equal("instagram", e.Webhook.Envelope!.Value.GetProperty("object").GetString());
        var log = await a.World.GetDeliveriesAsync(a.App.Id, 50, Ct);
        Assert.Contains(
            log.EnumerateArray(),
            d => d.GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "message_edit")
        );
    }

    // :: Thumbs up / down

    [Fact]
    public async Task ResponseFeedback_GoodAndBad_ReachTheSendingApp_WithoutOpeningTheWindow()
    {
        await using var a = await StartAsync();
        var (psid, pageMid) = await AnsweredThenClosedAsync(a);

        Created(
            await a.ActAsync(
                "response-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    feedback = "good",
                }
            )
        );
        Created(
            await a.ActAsync(
                "response-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    feedback = "bad",
                }
            )
        );

        // Both arrive, in the order the person tapped (one conversation's events keep their order).
        var both = await a.Receiver.WaitForEventsAsync(
            e => e.Has("response_feedback"),
            2,
            TimeSpan.FromSeconds(15),
            "two response_feedback events",
            Ct
        );
        Assert.Equal(2, both.Count);
        var good = Envelope(both[0], "response_feedback", psid, a.Page.Id);
        Assert.Equal(["feedback", "mid"], GraphAssert.Names(good));
        Assert.Equal("Good response", good.GetProperty("feedback").GetString());
        Assert.Equal(pageMid, good.GetProperty("mid").GetString());
        var bad = Envelope(both[1], "response_feedback", psid, a.Page.Id);
        Assert.Equal("Bad response", bad.GetProperty("feedback").GetString());
        Assert.Equal(pageMid, bad.GetProperty("mid").GetString());
        GraphAssert.Error(
            await a.SendTextAsync(psid, "thanks"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );
    }

    [Fact]
    public async Task ResponseFeedback_AppNotSubscribed_ShowsNoButtons_409()
    {
        await using var a = await StartAsync(fields: ["messages"]);
        var psid = (await a.WritesAsync("hello")).Psid;
        var pageMid = GraphAssert.Sent(await a.SendTextAsync(psid, "hi"), psid);

        Status(
            await a.ActAsync(
                "response-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    feedback = "good",
                }
            ),
            HttpStatusCode.Conflict
        );
        Status(
            await a.ActAsync(
                "response-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = pageMid,
                    feedback = "meh",
                }
            ),
            HttpStatusCode.BadRequest
        );
    }

    // :: Customer feedback template

    // The template check allows exactly one screen with exactly one question (Meta: "we only support one page and one
    // question per page"), so each test sends the one question it answers: a CSAT question with a free-form follow-up,
    // or an NPS question without one.
    private static object FeedbackTemplate(string psid, string type = "csat", int? expiresInDays = null) =>
        new
        {
            recipient = new { id = psid },
            messaging_type = "RESPONSE",
            message = new
            {
                attachment = new
                {
                    type = "template",
                    payload = new Dictionary<string, object?>
                    {
                        ["template_type"] = "customer_feedback",
                        ["title"] = "Rate your experience with Shop",
                        ["subtitle"] = "One quick question",
                        ["button_title"] = "Rate Experience",
                        ["feedback_screens"] = new[]
                        {
                            new
                            {
                                questions = new object[]
                                {
                                    type == "csat"
                                        ? new
                                        {
                                            id = "q1",
                                            type = "csat",
                                            title = "How was it?",
                                            score_label = "neg_pos",
                                            score_option = "five_stars",
                                            follow_up = new { type = "free_form", placeholder = "Tell us more" },
                                        }
                                        : new
                                        {
                                            id = "q1",
                                            type = "nps",
                                            title = "Would you recommend us?",
                                            score_label = "neg_pos",
                                            score_option = "zero_to_ten",
                                        },
                                },
                            },
                        },
                        ["business_privacy"] = new { url = "https://shop.example/privacy" },
                        ["expires_in_days"] = expiresInDays,
                    },
                },
            },
        };

    private static object Answers(string mid, string payload, string? followUp = null) =>
        new
        {
            page_id = (string?)null,
            mid,
            answers = new object[]
            {
                new
                {
                    question_id = "q1",
                    payload,
                    follow_up = followUp,
                },
            },
        };

    private static JsonObject With(object answers, string pageId)
    {
        var json = JsonSerializer.SerializeToNode(answers)!.AsObject();
        json["page_id"] = pageId;
        return json;
    }

    [Fact]
    public async Task CustomerFeedback_CsatAnswered_SendsMessagingFeedback_WithTheFollowUp_Once()
    {
        await using var a = await StartAsync();
        var psid = (await a.WritesAsync("hello")).Psid;
        var mid = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid)), psid);

        Created(await a.ActAsync("customer-feedback", With(Answers(mid, "4", "quick and kind"), a.Page.Id)));

        var feedback = Envelope(await a.EventAsync("messaging_feedback"), "messaging_feedback", psid, a.Page.Id);
        var screen = Assert.Single(feedback.GetProperty("feedback_screens").EnumerateArray());
        Assert.Equal(["questions", "screen_id"], GraphAssert.Names(screen));
        Assert.Equal(0, screen.GetProperty("screen_id").GetInt32());
        Assert.Equal(["q1"], GraphAssert.Names(screen.GetProperty("questions")));
        var q1 = screen.GetProperty("questions").GetProperty("q1");
        Assert.Equal(["follow_up", "payload", "type"], GraphAssert.Names(q1));
        Assert.Equal("csat", q1.GetProperty("type").GetString());
        Assert.Equal("4", q1.GetProperty("payload").GetString());
        Assert.Equal("free_form", q1.GetProperty("follow_up").GetProperty("type").GetString());
        Assert.Equal("quick and kind", q1.GetProperty("follow_up").GetProperty("payload").GetString());
        Status(await a.ActAsync("customer-feedback", With(Answers(mid, "5"), a.Page.Id)), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CustomerFeedback_NpsAnswered_SendsMessagingFeedback_WithoutAFollowUp()
    {
        await using var a = await StartAsync();
        var psid = (await a.WritesAsync("hello")).Psid;
        var mid = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid, "nps")), psid);

        Created(await a.ActAsync("customer-feedback", With(Answers(mid, "10"), a.Page.Id)));

        var feedback = Envelope(await a.EventAsync("messaging_feedback"), "messaging_feedback", psid, a.Page.Id);
        var q1 = Assert
            .Single(feedback.GetProperty("feedback_screens").EnumerateArray())
            .GetProperty("questions")
            .GetProperty("q1");
        Assert.Equal(["payload", "type"], GraphAssert.Names(q1));
        Assert.Equal("nps", q1.GetProperty("type").GetString());
        Assert.Equal("10", q1.GetProperty("payload").GetString());
    }

    [Theory]
    [InlineData("csat", "0", HttpStatusCode.BadRequest)]
    [InlineData("csat", "1", HttpStatusCode.Created)]
    [InlineData("csat", "5", HttpStatusCode.Created)]
    [InlineData("csat", "6", HttpStatusCode.BadRequest)]
    [InlineData("nps", "0", HttpStatusCode.Created)]
    [InlineData("nps", "10", HttpStatusCode.Created)]
    [InlineData("nps", "11", HttpStatusCode.BadRequest)]
    [InlineData("nps", "-1", HttpStatusCode.BadRequest)]
    public async Task CustomerFeedback_ScoresAtTheirBounds(string type, string score, HttpStatusCode expected)
    {
        await using var a = await StartAsync(fields: ["messages"]);
        var psid = (await a.WritesAsync("hello")).Psid;
        var mid = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid, type)), psid);

        Status(await a.ActAsync("customer-feedback", With(Answers(mid, score), a.Page.Id)), expected);
    }

    [Fact]
    public async Task CustomerFeedback_MissingQuestion_FollowUpNotAsked_OrNotATemplate_Is400()
    {
        await using var a = await StartAsync(fields: ["messages"]);
        var psid = (await a.WritesAsync("hello")).Psid;
        var csat = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid)), psid);
        var nps = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid, "nps")), psid);
        var text = GraphAssert.Sent(await a.SendTextAsync(psid, "plain"), psid);

        Status(
            await a.ActAsync(
                "customer-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = csat,
                    answers = Array.Empty<object>(),
                }
            ),
            HttpStatusCode.BadRequest
        );
        Status(
            await a.ActAsync(
                "customer-feedback",
                new
                {
                    page_id = a.Page.Id,
                    mid = csat,
                    answers = new[] { new { question_id = "q9", payload = "3" } },
                }
            ),
            HttpStatusCode.BadRequest
        );
        Status(
            await a.ActAsync("customer-feedback", With(Answers(nps, "3", "no"), a.Page.Id)),
            HttpStatusCode.BadRequest
        );
        Status(await a.ActAsync("customer-feedback", With(Answers(text, "3"), a.Page.Id)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CustomerFeedback_OneSecondBeforeExpiry_Accepted_AtExpiry_409()
    {
        await using var a = await StartAsync(fields: ["messages"]);
        var psid = (await a.WritesAsync("hello")).Psid;
        var early = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid, expiresInDays: 1)), psid);
        var late = GraphAssert.Sent(await a.SendAsync(FeedbackTemplate(psid, expiresInDays: 1)), psid);
        await a.AdvanceAsync(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
        Created(await a.ActAsync("customer-feedback", With(Answers(early, "3"), a.Page.Id)));

        await a.AdvanceAsync(TimeSpan.FromSeconds(1));

        Status(await a.ActAsync("customer-feedback", With(Answers(late, "3"), a.Page.Id)), HttpStatusCode.Conflict);
    }

    // :: Instagram: unsend and story mentions

    [Fact]
    public async Task Unsend_OnInstagram_SendsIsDeleted_AndTheMessageLeavesTheConversation()
    {
        await using var a = await StartAsync("instagram");
        var kept = await a.WritesAsync("hello");
        var gone = await a.WritesAsync("oops, wrong chat");

        Created(await a.ActAsync("unsend", new { page_id = a.Page.Id, mid = gone.Mid }));

        var message = Envelope(
            await a.EventAsync("message", e => e["message"].TryGetProperty("is_deleted", out _)),
            "message",
            gone.Psid,
            a.Page.Id
        );
        Assert.Equal(["is_deleted", "mid"], GraphAssert.Names(message));
        Assert.Equal(gone.Mid, message.GetProperty("mid").GetString());
        Assert.True(message.GetProperty("is_deleted").GetBoolean());
        var mids = (await a.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Select(m => m.GetProperty("mid").GetString())
            .ToList();
        Assert.Equal([kept.Mid], mids);
        Status(await a.ActAsync("unsend", new { page_id = a.Page.Id, mid = gone.Mid }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unsend_OnMessenger_Is400()
    {
        await using var a = await StartAsync();
        var written = await a.WritesAsync("hello");

        Status(await a.ActAsync("unsend", new { page_id = a.Page.Id, mid = written.Mid }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task StoryMention_OnInstagram_ArrivesAsAMessage_AndOpensTheWindow()
    {
        await using var a = await StartAsync("instagram");
        var (psid, _) = await AnsweredThenClosedAsync(a);

        var answer = await a.ActAsync(
            "story-mentions",
            new { page_id = a.Page.Id, url = "https://cdn.example/story/1.jpg" }
        );

        Created(answer);
        var message = Envelope(
            await a.EventAsync("message", e => e["message"].TryGetProperty("attachments", out _)),
            "message",
            psid,
            a.Page.Id
        );
        Assert.Equal(["attachments", "mid"], GraphAssert.Names(message));
        Assert.Equal(answer.Body.GetProperty("mid").GetString(), message.GetProperty("mid").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal("story_mention", attachment.GetProperty("type").GetString());
        Assert.Equal(
            "https://cdn.example/story/1.jpg",
            attachment.GetProperty("payload").GetProperty("url").GetString()
        );
        GraphAssert.Sent(await a.SendTextAsync(psid, "thanks for the mention!"), psid);
    }

    [Fact]
    public async Task StoryMention_OnMessenger_Is400()
    {
        await using var a = await StartAsync(fields: ["messages"]);

        Status(await a.ActAsync("story-mentions", new { page_id = a.Page.Id }), HttpStatusCode.BadRequest);
    }

    // :: Links

    [Fact]
    public async Task MmeLink_NewThreadWithGetStarted_SendsThePostbackWithTheReferral_AndOpensTheWindow()
    {
        await using var a = await StartAsync();
        var profile = await server.Graph.PostAsync(
            $"{a.Page.Id}/messenger_profile",
            new { get_started = new { payload = "GET_STARTED" } },
            a.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(profile.IsSuccess, profile.ToString());

        var answer = await a.ActAsync("links", new { url = $"https://m.me/{a.Page.Id}?ref=spring_sale" });

        Created(answer);
        Assert.Equal("postback", answer.Body.GetProperty("event").GetString());
        var psid = answer.Body.GetProperty("psid").GetString()!;
        var postback = Envelope(await a.EventAsync("postback"), "postback", psid, a.Page.Id);
        Assert.Equal(["payload", "referral", "title"], GraphAssert.Names(postback));
        Assert.Equal("GET_STARTED", postback.GetProperty("payload").GetString());
        var referral = postback.GetProperty("referral");
        Assert.Equal(["ref", "source", "type"], GraphAssert.Names(referral));
        Assert.Equal("spring_sale", referral.GetProperty("ref").GetString());
        Assert.Equal("SHORTLINK", referral.GetProperty("source").GetString());
        Assert.Equal("OPEN_THREAD", referral.GetProperty("type").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "welcome!"), psid);
    }

    [Fact]
    public async Task MmeLink_ExistingThread_SendsMessagingReferrals_AndReopensTheWindow()
    {
        await using var a = await StartAsync();
        var (psid, _) = await AnsweredThenClosedAsync(a);

        var answer = await a.ActAsync("links", new { url = $"m.me/{a.Page.Id}?ref=back-again" });

        Created(answer);
        Assert.Equal("referral", answer.Body.GetProperty("event").GetString());
        var referral = Envelope(await a.EventAsync("referral"), "referral", psid, a.Page.Id);
        Assert.Equal(["ref", "source", "type"], GraphAssert.Names(referral));
        Assert.Equal("back-again", referral.GetProperty("ref").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "welcome back"), psid);
        // A ref outside letters, digits, '-', '_' and '=' is not a ref Meta passes on.
        Status(
            await a.ActAsync("links", new { url = $"https://m.me/{a.Page.Id}?ref=a%20b" }),
            HttpStatusCode.BadRequest
        );
    }

    [Fact]
    public async Task RecurringLink_RegisteredTopic_OptsInWithRefSourceAndTopic_WithoutOpeningTheWindow()
    {
        await using var a = await StartAsync();
        // The topic is registered by an opt-in request with that title (here to another person).
        var first = await a.WritesAsync("hi");
        var request = await a.SendAsync(
            new
            {
                recipient = new { id = first.Psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "notification_messages",
                            title = "Weekly deals",
                            payload = "DEALS",
                        },
                    },
                },
            }
        );
        Assert.True(request.IsSuccess, request.ToString());
        var newcomer = await server.World.CreatePersonAsync("Bo", timezone: "Europe/Lisbon", cancellationToken: Ct);

        var answer = await a.ActAsync(
            "links",
            new { url = $"https://m.me/rn/{a.Page.Id}?topic=Weekly%20deals&cadence=weekly&ref=spring" },
            newcomer
        );

        Created(answer);
        Assert.Equal("optin", answer.Body.GetProperty("event").GetString());
        var psid = answer.Body.GetProperty("psid").GetString()!;
        var token = answer.Body.GetProperty("notification_messages_token").GetString()!;
        var optin = Envelope(await a.EventAsync("optin", e => e.SenderId == psid), "optin", psid, a.Page.Id);
        Assert.Equal(
            [
                "notification_messages_frequency",
                "notification_messages_timezone",
                "notification_messages_token",
                "notification_messages_topic",
                "payload",
                "ref",
                "source",
                "title",
                "token_expiry_timestamp",
                "type",
                "user_token_status",
            ],
            GraphAssert.Names(optin)
        );
        Assert.Equal("notification_messages", optin.GetProperty("type").GetString());
        Assert.Equal("Weekly deals", optin.GetProperty("title").GetString());
        Assert.Equal("Weekly deals", optin.GetProperty("notification_messages_topic").GetString());
        Assert.Equal("spring", optin.GetProperty("ref").GetString());
        Assert.Equal("SHORTLINK", optin.GetProperty("source").GetString());
        Assert.Equal("", optin.GetProperty("payload").GetString());
        Assert.Equal(token, optin.GetProperty("notification_messages_token").GetString());
        Assert.Equal("WEEKLY", optin.GetProperty("notification_messages_frequency").GetString());
        Assert.Equal("Europe/Lisbon", optin.GetProperty("notification_messages_timezone").GetString());
        Assert.Equal("NOT_REFRESHED", optin.GetProperty("user_token_status").GetString());
        // The token sends; the window did not open.
        Assert.True(
            (
                await a.SendAsync(
                    new { recipient = new { notification_messages_token = token }, message = new { text = "Deals!" } }
                )
            ).IsSuccess
        );
        GraphAssert.Error(
            await a.SendTextAsync(psid, "hello?"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );
    }

    [Fact]
    public async Task RecurringLink_UnregisteredTopicOrBadCadence_IsRefused()
    {
        await using var a = await StartAsync();

        Status(
            await a.ActAsync("links", new { url = $"https://m.me/rn/{a.Page.Id}?topic=Nope&cadence=daily" }),
            HttpStatusCode.Conflict
        );
        Status(
            await a.ActAsync("links", new { url = $"https://m.me/rn/{a.Page.Id}?topic=Nope&cadence=hourly" }),
            HttpStatusCode.BadRequest
        );
        Status(
            await a.ActAsync("links", new { url = "https://m.me/rn?cadence=daily", page_id = a.Page.Id }),
            HttpStatusCode.Conflict
        );
        Assert.Empty(a.Receiver.OptIns());
    }

    // :: Send to Messenger plugin, ads

    [Fact]
    public async Task SendToMessenger_SendsTheOptInWithSenderAndRef_AndOpensTheWindow()
    {
        await using var a = await StartAsync();

        var answer = await a.ActAsync("send-to-messenger", new { page_id = a.Page.Id, @ref = new string('r', 250) });

        Created(answer);
        var psid = answer.Body.GetProperty("psid").GetString()!;
        var optin = Envelope(await a.EventAsync("optin"), "optin", psid, a.Page.Id);
        Assert.Equal(["ref"], GraphAssert.Names(optin));
        Assert.Equal(new string('r', 250), optin.GetProperty("ref").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "Your receipt"), psid);
        Status(
            await a.ActAsync("send-to-messenger", new { page_id = a.Page.Id, @ref = new string('r', 251) }),
            HttpStatusCode.BadRequest
        );
    }

    [Fact]
    public async Task AdClick_WithAMessage_SendsTheMessageWithTheAdReferral_AndOpensTheWindow()
    {
        await using var a = await StartAsync();
        var (psid, _) = await AnsweredThenClosedAsync(a);

        var answer = await a.ActAsync(
            "ad-clicks",
            new
            {
                page_id = a.Page.Id,
                ad_id = "23851234567890123",
                @ref = "summer",
                text = "Is this still available?",
                ads_context_data = new
                {
                    ad_title = "Summer shirts",
                    photo_url = "https://cdn.example/ad.jpg",
                    post_id = "123_456",
                },
            }
        );

        Created(answer);
        var message = Envelope(
            await a.EventAsync("message", e => e["message"].TryGetProperty("referral", out _)),
            "message",
            psid,
            a.Page.Id
        );
        Assert.Equal(["mid", "referral", "text"], GraphAssert.Names(message));
        Assert.Equal("Is this still available?", message.GetProperty("text").GetString());
        var referral = message.GetProperty("referral");
        Assert.Equal(["ad_id", "ads_context_data", "ref", "source", "type"], GraphAssert.Names(referral));
        Assert.Equal("23851234567890123", referral.GetProperty("ad_id").GetString());
        Assert.Equal("ADS", referral.GetProperty("source").GetString());
        Assert.Equal("OPEN_THREAD", referral.GetProperty("type").GetString());
        Assert.Equal("summer", referral.GetProperty("ref").GetString());
        Assert.Equal(["ad_title", "photo_url", "post_id"], GraphAssert.Names(referral.GetProperty("ads_context_data")));
        Assert.Equal("Summer shirts", referral.GetProperty("ads_context_data").GetProperty("ad_title").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "Yes, in all sizes"), psid);
    }

    [Fact]
    public async Task AdClick_WithoutAMessage_SendsMessagingReferrals_AndOpensTheWindow()
    {
        await using var a = await StartAsync();

        var answer = await a.ActAsync("ad-clicks", new { page_id = a.Page.Id, ad_id = "777" });

        Created(answer);
        var psid = answer.Body.GetProperty("psid").GetString()!;
        var referral = Envelope(await a.EventAsync("referral"), "referral", psid, a.Page.Id);
        Assert.Equal(["ad_id", "source", "type"], GraphAssert.Names(referral));
        Assert.Equal("ADS", referral.GetProperty("source").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "Hi from the ad"), psid);
        Status(await a.ActAsync("ad-clicks", new { page_id = a.Page.Id }), HttpStatusCode.BadRequest);
    }

    // :: The platform's policy enforcement

    [Fact]
    public async Task PolicyEnforcement_Block_TellsTheApp_AndRefusesItsSends_UntilUnblock()
    {
        await using var a = await StartAsync();
        var psid = (await a.WritesAsync("hello")).Psid;

        Status(
            await a.World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/pages/{a.Page.Id}/policy-enforcement",
                new { action = "block" },
                cancellationToken: Ct
            ),
            HttpStatusCode.Created
        );

        var blocked = await a.EventAsync("policy_enforcement");
        Assert.Equal(["policy_enforcement", "recipient", "timestamp"], GraphAssert.Names(blocked.Event));
        Assert.Equal(a.Page.Id, blocked.RecipientId);
        var body = blocked["policy_enforcement"];
        Assert.Equal(["action", "reason"], GraphAssert.Names(body));
        Assert.Equal("block", body.GetProperty("action").GetString());
        Assert.StartsWith(
            "The bot violated our Platform Policies",
            body.GetProperty("reason").GetString(),
            StringComparison.Ordinal
        );
        GraphAssert.Error(
            await a.SendTextAsync(psid, "still here?"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            368,
            null
        );

        Status(
            await a.World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/pages/{a.Page.Id}/policy-enforcement",
                new { action = "unblock", reason = "x" },
                cancellationToken: Ct
            ),
            HttpStatusCode.BadRequest
        );
        Status(
            await a.World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/pages/{a.Page.Id}/policy-enforcement",
                new { action = "unblock" },
                cancellationToken: Ct
            ),
            HttpStatusCode.Created
        );

        var unblocked = await a.EventAsync(
            "policy_enforcement",
            e => e["policy_enforcement"].GetProperty("action").GetString() == "unblock"
        );
        Assert.Equal(["action"], GraphAssert.Names(unblocked["policy_enforcement"]));
        GraphAssert.Sent(await a.SendTextAsync(psid, "back"), psid);
    }

    [Fact]
    public async Task PolicyEnforcement_Warning_OnlyTells()
    {
        await using var a = await StartAsync();
        var psid = (await a.WritesAsync("hello")).Psid;

        Status(
            await a.World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/pages/{a.Page.Id}/policy-enforcement",
                new { action = "warning", reason = "Too many messages" },
                cancellationToken: Ct
            ),
            HttpStatusCode.Created
        );

        var warning = await a.EventAsync("policy_enforcement");
        Assert.Equal("Too many messages", warning["policy_enforcement"].GetProperty("reason").GetString());
        GraphAssert.Sent(await a.SendTextAsync(psid, "fine"), psid);
        Status(
            await a.World.SendAsync(
                HttpMethod.Post,
                $"_pagebox/pages/{a.Page.Id}/policy-enforcement",
                new { action = "ban" },
                cancellationToken: Ct
            ),
            HttpStatusCode.BadRequest
        );
    }
}
