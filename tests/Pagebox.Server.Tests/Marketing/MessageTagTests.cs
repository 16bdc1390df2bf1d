using System.Net;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// A frozen real time one day before the tags retire: each test's app clock starts at 2026-04-25T23:00:00Z, so a
/// test can stand one second before and exactly at 2026-04-27T00:00:00Z.
/// </summary>
public sealed class BeforeTagRetirementHost()
    : MarketingHost("2025-09", new FakeTimeProvider(new DateTimeOffset(2026, 4, 25, 23, 0, 0, TimeSpan.Zero)));

/// <summary>
/// Message tags, on every kind of recipient (issue 6): CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE and POST_PURCHASE_UPDATE
/// are refused with code 100 from 2026-04-27 on the app's clock (Meta's send-messages page); CUSTOMER_FEEDBACK only
/// with the customer feedback template; HUMAN_AGENT only with the app's Human Agent permission (world face, off by
/// default).
/// </summary>
public sealed class MessageTagTests(BeforeTagRetirementHost host) : IClassFixture<BeforeTagRetirementHost>
{
    private static readonly DateTimeOffset Retirement = new(2026, 4, 27, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static TheoryData<string> RetiredTags =>
        new() { "CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE" };

    public static TheoryData<string> RecipientKinds =>
        new() { "id", "notification_messages_token", "comment_id", "user_ref" };

    private static JsonObject TaggedText(JsonObject recipient, string tag, string messagingType = "MESSAGE_TAG") =>
        new()
        {
            ["recipient"] = recipient,
            ["messaging_type"] = messagingType,
            ["tag"] = tag,
            ["message"] = new JsonObject { ["text"] = "Your order has shipped" },
        };

    private static Task<GraphResponse> PostAsync(MarketingScenario s, JsonObject body) =>
        s.Graph.PostAsync($"{s.Page.Id}/messages", body.ToJsonString(), s.Page.AccessToken, cancellationToken: Ct);

    /// <summary>
    /// A recipient of the given kind for the scenario's person, made now: the PSID (whose window may have closed), an
    /// opt-in token (the person writes first, as an opt-in request needs the window), a comment, a Checkbox tick.
    /// </summary>
    private static async Task<JsonObject> RecipientAsync(MarketingScenario s, string kind) =>
        kind switch
        {
            "id" => new JsonObject { ["id"] = s.Psid },
            "notification_messages_token" => new JsonObject { ["notification_messages_token"] = await TokenAsync(s) },
            "comment_id" => new JsonObject
            {
                ["comment_id"] = (
                    await s.World.CommentAsync(s.PersonId, s.Page.Id, "Where is my parcel?", cancellationToken: Ct)
                ).String("comment_id"),
            },
            "user_ref" => new JsonObject
            {
                ["user_ref"] = (
                    await s.World.CheckboxAsync(s.PersonId, s.Page.Id, "ref-" + Guid.NewGuid().ToString("N"), Ct)
                ).String("user_ref"),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

    private static async Task<string> TokenAsync(MarketingScenario s)
    {
        await s.WriteAsync("Keep me posted");
        return await s.OptInAsync("Order updates");
    }

    private static void AssertRetired(GraphResponse response, string tag)
    {
        GraphAssert.Error(
            response,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            1893061,
            "(#100) Invalid parameter"
        );
        Assert.Contains(
            $"tag {tag} was retired on 2026-04-27",
            response.Header("X-Pagebox-Hint"),
            StringComparison.Ordinal
        );
    }

    // :: Retired tags

    [Theory]
    [MemberData(nameof(RetiredTags))]
    public async Task RetiredTag_OneSecondBeforeRetirement_AcceptedOutsideTheWindow_AtRetirementRefused(string tag)
    {
        await using var s = await StartAsync(host);
        await s.SetClockAsync(Retirement - Second);
        Assert.Equal(10, (await s.SendStandardAsync()).ErrorCode); // the person wrote 25 hours ago: window closed

        var before = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, tag));
        await s.SetClockAsync(Retirement);
        var at = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, tag));

        GraphAssert.Sent(before, s.Psid);
        AssertRetired(at, tag);
    }

    [Theory]
    [MemberData(nameof(RecipientKinds))]
    public async Task RetiredTag_AtRetirement_RefusedOnEveryKindOfRecipient(string kind)
    {
        await using var s = await StartAsync(host);
        await s.SetClockAsync(Retirement);
        var recipient = await RecipientAsync(s, kind);

        var response = await PostAsync(s, TaggedText(recipient, "ACCOUNT_UPDATE"));

        AssertRetired(response, "ACCOUNT_UPDATE");
    }

    [Theory]
    [MemberData(nameof(RecipientKinds))]
    public async Task RetiredTag_OneSecondBeforeRetirement_AcceptedOnEveryKindOfRecipient(string kind)
    {
        await using var s = await StartAsync(host);
        await s.SetClockAsync(Retirement - Second);
        var recipient = await RecipientAsync(s, kind);

        var response = await PostAsync(s, TaggedText(recipient, "POST_PURCHASE_UPDATE"));

        Assert.True(response.IsSuccess, response.ToString());
    }

    [Fact]
    public async Task RetiredTag_WithMessagingTypeResponse_StillRefused()
    {
        await using var s = await StartAsync(host);
        await s.SetClockAsync(Retirement + TimeSpan.FromMinutes(1));
        await s.WriteAsync("Any news?");

        var response = await PostAsync(
            s,
            TaggedText(new JsonObject { ["id"] = s.Psid }, "CONFIRMED_EVENT_UPDATE", messagingType: "RESPONSE")
        );

        AssertRetired(response, "CONFIRMED_EVENT_UPDATE");
    }

    // :: CUSTOMER_FEEDBACK only with the customer feedback template

    /// <summary>Meta's sample customer feedback template (customer-feedback-template page).</summary>
    private static JsonObject FeedbackTemplate() =>
        new()
        {
            ["template_type"] = "customer_feedback",
            ["title"] = "Rate your experience with Original Coast Clothing.",
            ["subtitle"] = "Let Original Coast Clothing know how they are doing by answering two questions",
            ["button_title"] = "Rate Experience",
            ["feedback_screens"] = new JsonArray(
                new JsonObject
                {
                    ["questions"] = new JsonArray(
                        new JsonObject
                        {
                            ["id"] = "hauydmns8",
                            ["type"] = "csat",
                            ["title"] = "How would you rate your experience with Original Coast Clothing?",
                            ["score_label"] = "neg_pos",
                            ["score_option"] = "five_stars",
                            ["follow_up"] = new JsonObject
                            {
                                ["type"] = "free_form",
                                ["placeholder"] = "Give additional feedback",
                            },
                        }
                    ),
                }
            ),
            ["business_privacy"] = new JsonObject { ["url"] = "https://www.example.com" },
            ["expires_in_days"] = 3,
        };

    private static JsonObject Feedback(string psid, JsonObject payload) =>
        new()
        {
            ["recipient"] = new JsonObject { ["id"] = psid },
            ["messaging_type"] = "MESSAGE_TAG",
            ["tag"] = "CUSTOMER_FEEDBACK",
            ["message"] = new JsonObject
            {
                ["attachment"] = new JsonObject { ["type"] = "template", ["payload"] = payload },
            },
        };

    [Fact]
    public async Task CustomerFeedback_WithTheTemplateThreeDaysAfterTheLastMessage_IsSent()
    {
        await using var s = await StartAsync(host);
        await s.AdvanceAsync(TimeSpan.FromDays(3));

        GraphAssert.Sent(await PostAsync(s, Feedback(s.Psid, FeedbackTemplate())), s.Psid);
    }

    [Fact]
    public async Task CustomerFeedback_WithATextMessage_Returns100NamingTag()
    {
        await using var s = await StartAsync(host);

        var response = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, "CUSTOMER_FEEDBACK"));

        GraphAssert.InvalidParameter(response, "tag");
        Assert.Contains("customer feedback template", response.Header("X-Pagebox-Hint"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomerFeedback_WithAGenericTemplate_Returns100NamingTag()
    {
        await using var s = await StartAsync(host);
        var generic = new JsonObject
        {
            ["template_type"] = "generic",
            ["elements"] = new JsonArray(new JsonObject { ["title"] = "How did we do?" }),
        };

        GraphAssert.InvalidParameter(await PostAsync(s, Feedback(s.Psid, generic)), "tag");
    }

    [Fact]
    public async Task CustomerFeedback_OnAToken_WithoutTheTemplate_Returns100NamingTag()
    {
        await using var s = await StartAsync(host);
        var recipient = await RecipientAsync(s, "notification_messages_token");

        GraphAssert.InvalidParameter(await PostAsync(s, TaggedText(recipient, "CUSTOMER_FEEDBACK")), "tag");
    }

    [Fact]
    public async Task CustomerFeedbackTemplate_TwoScreens_Returns100NamingFeedbackScreens()
    {
        await using var s = await StartAsync(host);
        var template = FeedbackTemplate();
        var screens = template["feedback_screens"]!.AsArray();
        screens.Add(screens[0]!.DeepClone());

        GraphAssert.InvalidParameter(
            await PostAsync(s, Feedback(s.Psid, template)),
            "message[attachment][payload][feedback_screens]"
        );
    }

    [Fact]
    public async Task CustomerFeedbackTemplate_WithoutBusinessPrivacy_Returns100NamingIt()
    {
        await using var s = await StartAsync(host);
        var template = FeedbackTemplate();
        template.Remove("business_privacy");

        GraphAssert.InvalidParameter(
            await PostAsync(s, Feedback(s.Psid, template)),
            "message[attachment][payload][business_privacy]"
        );
    }

    [Fact]
    public async Task CustomerFeedbackTemplate_ExpiresIn8Days_Returns100NamingIt()
    {
        await using var s = await StartAsync(host);
        var template = FeedbackTemplate();
        template["expires_in_days"] = 8;

        GraphAssert.InvalidParameter(
            await PostAsync(s, Feedback(s.Psid, template)),
            "message[attachment][payload][expires_in_days]"
        );
    }

    // :: HUMAN_AGENT only with the Human Agent permission

    [Fact]
    public async Task HumanAgent_AppWithoutThePermission_Returns10_2018065()
    {
        await using var s = await StartAsync(host);
        await s.AdvanceAsync(TimeSpan.FromDays(2));

        var response = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, "HUMAN_AGENT"));

        GraphAssert.Error(
            response,
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018065,
            "(#10) This message is sent outside of allowed window. You need the Human Agent permission to be able to "
                + "do it."
        );
        Assert.Contains("human_agent_permission", response.Header("X-Pagebox-Hint"), StringComparison.Ordinal);
        Assert.False((await s.World.GetAppAsync(s.App.Id, Ct)).GetProperty("human_agent_permission").GetBoolean());
    }

    [Fact]
    public async Task HumanAgent_PermissionGrantedThenWithdrawn_SentWithin7DaysThenRefusedAgain()
    {
        await using var s = await StartAsync(host);
        await s.AdvanceAsync(TimeSpan.FromDays(6));

        var granted = await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { human_agent_permission = true },
            cancellationToken: Ct
        );
        var sent = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, "HUMAN_AGENT"));
        await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { human_agent_permission = false },
            cancellationToken: Ct
        );
        var refused = await PostAsync(s, TaggedText(new JsonObject { ["id"] = s.Psid }, "HUMAN_AGENT"));

        Assert.True(granted.Body.GetProperty("human_agent_permission").GetBoolean(), granted.RawBody);
        GraphAssert.Sent(sent, s.Psid);
        Assert.Equal(2018065, refused.ErrorSubcode);
    }

    [Fact]
    public async Task HumanAgent_OnAToken_WithoutThePermission_Returns10_2018065()
    {
        await using var s = await StartAsync(host);
        var recipient = await RecipientAsync(s, "notification_messages_token");

        var response = await PostAsync(s, TaggedText(recipient, "HUMAN_AGENT"));

        Assert.Equal((10, 2018065), (response.ErrorCode, response.ErrorSubcode));
    }
}
