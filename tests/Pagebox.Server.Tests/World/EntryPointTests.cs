using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>
/// Entry points before any conversation: a comment answered with one private reply (recipient.comment_id), and the
/// Checkbox plugin's one message (recipient.user_ref). Neither opens the standard messaging window.
/// </summary>
public sealed class EntryPointTests(PageboxServer server)
{
    private static readonly string[] FeedAndMessaging =
    [
        "feed",
        "messages",
        "message_echoes",
        "message_deliveries",
        "messaging_optins",
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object> Text(string recipientField, string id, string text) =>
        new Dictionary<string, object>
        {
            ["recipient"] = new Dictionary<string, string> { [recipientField] = id },
            ["message"] = new { text },
        };

    private static async Task<(string PostId, string CommentId)> CommentAsync(
        Scenario s,
        string text,
        string? postId = null
    )
    {
        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/comments",
            postId is null
                ? new { page_id = s.Page.Id, text }
                : new
                {
                    page_id = s.Page.Id,
                    post_id = postId,
                    text,
                },
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.Created, answer.Status);
        return (answer.Body.GetProperty("post_id").GetString()!, answer.Body.GetProperty("comment_id").GetString()!);
    }

    [Fact]
    public async Task Comment_OnThePage_SendsAFeedChangeWithTheComment()
    {
        await using var s = await Scenario.StartAsync(server, fields: FeedAndMessaging);

        var (postId, commentId) = await CommentAsync(s, "Do you ship to Lisbon?");

        var change = await s.Receiver.WaitForAsync(
            r => r.Changes().FirstOrDefault(c => c.Field == "feed"),
            because: "the feed change",
            cancellationToken: Ct
        );
        Assert.Equal(s.Page.Id, change.EntryId);
        var value = change.Value;
        Assert.Equal("comment", value.GetProperty("item").GetString());
        Assert.Equal("add", value.GetProperty("verb").GetString());
        Assert.Equal(commentId, value.GetProperty("comment_id").GetString());
        Assert.Equal(postId, value.GetProperty("post_id").GetString());
        Assert.Equal(postId, value.GetProperty("parent_id").GetString());
        Assert.Equal("Do you ship to Lisbon?", value.GetProperty("message").GetString());
        Assert.Equal(s.PersonId, value.GetProperty("from").GetProperty("id").GetString());
        Assert.StartsWith(s.Page.Id + "_", postId, StringComparison.Ordinal);
        Assert.True(change.Webhook.Sha256Valid && change.Webhook.Sha1Valid);
    }

    [Fact]
    public async Task PrivateReply_ToAComment_ReachesThePersonWithoutOpeningTheWindow()
    {
        await using var s = await Scenario.StartAsync(server, fields: FeedAndMessaging);
        var (_, commentId) = await CommentAsync(s, "How much is the blue shirt?");

        var reply = await s.SendAsync(Text("comment_id", commentId, "It is 25 EUR, want a link?"));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var psid = reply.Body.GetProperty("recipient_id").GetString()!;
        var conversation = await s.ConversationAsync();
        Assert.Equal(psid, conversation.GetProperty("psid").GetString());
        Assert.Equal(JsonValueKind.Null, conversation.GetProperty("window_open_until").ValueKind);
        Assert.Equal(
            "It is 25 EUR, want a link?",
            conversation.GetProperty("messages")[0].GetProperty("message").GetProperty("text").GetString()
        );

        // The conversation goes on only once the person answers.
        var followUp = await s.SendTextAsync(psid, "Still there?");
        GraphAssert.Error(followUp, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278);
        await s.PersonWritesAsync("yes please");
        GraphAssert.Sent(await s.SendTextAsync(psid, "Here it is"), psid);
    }

    [Fact]
    public async Task PrivateReply_SecondToTheSameComment_Returns10900()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (_, commentId) = await CommentAsync(s, "Hello?");
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Text("comment_id", commentId, "Hi!"))).Status);

        var second = await s.SendAsync(Text("comment_id", commentId, "Hi again!"));

        GraphAssert.Error(
            second,
            HttpStatusCode.BadRequest,
            "OAuthException",
            10900,
            null,
            "(#10900) Activity already replied to"
        );
    }

    [Fact]
    public async Task PrivateReply_SevenDaysAfterTheComment_Returns10903()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (_, early) = await CommentAsync(s, "first");
        var (_, late) = await CommentAsync(s, "second");
        await s.AdvanceClockAsync(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await s.SendAsync(Text("comment_id", early, "just in time"))).Status);

        await s.AdvanceClockAsync(TimeSpan.FromSeconds(1));
        var tooLate = await s.SendAsync(Text("comment_id", late, "too late"));

        GraphAssert.Error(
            tooLate,
            HttpStatusCode.BadRequest,
            "OAuthException",
            10903,
            null,
            "(#10903) This user cant reply to this activity"
        );
    }

    [Fact]
    public async Task PrivateReply_UnknownComment_Returns100NamingIt()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.SendAsync(Text("comment_id", "123_456", "hello"));

        GraphAssert.InvalidParameter(answer, "recipient[comment_id]");
    }

    [Fact]
    public async Task Comment_OnANamedPostOfAnotherPage_Is404()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var other = await Scenario.StartAsync(server, subscribe: false);
        var (otherPost, _) = await CommentAsync(other, "on the other page");

        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/comments",
            new
            {
                page_id = s.Page.Id,
                post_id = otherPost,
                text = "hi",
            },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
    }

    [Fact]
    public async Task Checkbox_Ticked_SendsAnOptInWithUserRefAndNoSender()
    {
        await using var s = await Scenario.StartAsync(server, fields: FeedAndMessaging);

        var tick = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/checkbox",
            new
            {
                page_id = s.Page.Id,
                user_ref = "cart-42",
                @ref = "checkout",
            },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Created, tick.Status);
        var optin = (await s.WaitForEventsAsync(e => e.Has("optin"), because: "the checkbox opt-in")).Single().Event;
        Assert.False(optin.TryGetProperty("sender", out _));
        Assert.Equal(s.Page.Id, optin.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("cart-42", optin.GetProperty("optin").GetProperty("user_ref").GetString());
        Assert.Equal("checkout", optin.GetProperty("optin").GetProperty("ref").GetString());
    }

    [Fact]
    public async Task UserRef_OneMessage_AnswersWithoutRecipientIdAndNoEcho()
    {
        await using var s = await Scenario.StartAsync(server, fields: FeedAndMessaging);
        await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/checkbox",
            new { page_id = s.Page.Id, user_ref = "cart-7" },
            cancellationToken: Ct
        );
        await s.WaitForEventsAsync(e => e.Has("optin"));

        var sent = await s.SendAsync(Text("user_ref", "cart-7", "Your cart is waiting"));

        Assert.Equal(HttpStatusCode.OK, sent.Status);
        Assert.Equal(["message_id"], GraphAssert.Names(sent.Body));
        var conversation = await s.ConversationAsync();
        Assert.Equal(
            "Your cart is waiting",
            conversation.GetProperty("messages")[0].GetProperty("message").GetProperty("text").GetString()
        );
        Assert.Equal(JsonValueKind.Null, conversation.GetProperty("window_open_until").ValueKind);

        // Only once: a second message to the same user_ref is outside the allowed window.
        var second = await s.SendAsync(Text("user_ref", "cart-7", "Still waiting"));
        GraphAssert.Error(second, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278);

        // No echo or delivery for user_ref sends: the next webhook the bot gets is the person's answer.
        await s.PersonWritesAsync("thanks");
        await s.WaitForEventsAsync(e => e.Has("message") && !e.IsEcho);
        Assert.Empty(s.Receiver.Echoes());
        Assert.Empty(s.Receiver.Deliveries());
    }

    [Fact]
    public async Task UserRef_After24Hours_Returns2018278()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/checkbox",
            new { page_id = s.Page.Id, user_ref = "late" },
            cancellationToken: Ct
        );
        await s.AdvanceClockAsync(TimeSpan.FromHours(24));

        var sent = await s.SendAsync(Text("user_ref", "late", "hello"));

        GraphAssert.Error(sent, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278);
    }

    [Fact]
    public async Task UserRef_OneSecondBefore24Hours_IsAccepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/checkbox",
            new { page_id = s.Page.Id, user_ref = "just-in-time" },
            cancellationToken: Ct
        );
        await s.AdvanceClockAsync(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));

        var sent = await s.SendAsync(Text("user_ref", "just-in-time", "hello"));

        Assert.Equal(HttpStatusCode.OK, sent.Status);
    }

    [Fact]
    public async Task UserRef_Unknown_Returns2018001()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var sent = await s.SendAsync(Text("user_ref", "never-ticked", "hello"));

        GraphAssert.Error(
            sent,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018001,
            "(#100) No matching user found"
        );
    }
}
