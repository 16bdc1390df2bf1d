using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// The Send API's refusals, whole envelope and HTTP status as docs/spec/send-api.md §1.6 and §7 give them: the
/// platform's rules (window, recipient, block, Page switches), tokens, and every malformed, missing, wrongly typed,
/// unknown-enum or too-long parameter (code 100 naming the parameter).
/// </summary>
public sealed class SendApiErrorTests(PageboxServer server)
{
    private const string OutsideWindowMessage =
        "(#10) This message is sent outside of allowed window. Learn more about the new policy here: "
        + "https://developers.facebook.com/docs/messenger-platform/policy-overview";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Scenario S, string Psid)> OpenWindowAsync()
    {
        var s = await Scenario.StartAsync(server, subscribe: false);
        var written = await s.PersonWritesAsync("hi");
        return (s, written.Psid);
    }

    private Task<GraphResponse> PostRawAsync(string pathAndQuery, HttpContent? content) =>
        server.Graph.SendRawAsync(HttpMethod.Post, pathAndQuery, content, null, Ct);

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    private static async Task<int> MessageCountAsync(Scenario s) =>
        (await s.ConversationAsync()).GetProperty("messages").GetArrayLength();

    // :: The platform's rules

    [Fact]
    public async Task Send_UnknownPsid_100Subcode2018001()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.SendTextAsync("1234567890123456", "anyone there?");

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018001,
            "(#100) No matching user found"
        );
    }

    [Fact]
    public async Task Send_PsidOfAnotherPage_100Subcode2018001()
    {
        var (s, _) = await OpenWindowAsync();
        await using var __ = s;
        var other = await server.World.CreatePageAsync(s.App.Id, "Other", cancellationToken: Ct);
        var elsewhere = await server.World.WriteAsync(s.PersonId, other.Id, "hi other", cancellationToken: Ct);

        var answer = await s.SendTextAsync(elsewhere.Psid, "not my psid");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, 2018001);
    }

    [Fact]
    public async Task Send_AppClockAdvanced24Hours_10Subcode2018278()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        await s.AdvanceClockAsync(TimeSpan.FromHours(24));
        var answer = await s.SendTextAsync(psid, "too late");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278, OutsideWindowMessage);
        Assert.Equal(1, await MessageCountAsync(s));
    }

    [Fact]
    public async Task Send_AppClockAt23h59m59s_AcceptedThenClosedOneSecondLater()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var openUntil = (await s.ConversationAsync()).GetProperty("window_open_until").GetDateTimeOffset();

        await server.World.SetClockAsync(s.App.Id, openUntil - TimeSpan.FromSeconds(1), Ct);
        var lastSecond = await s.SendTextAsync(psid, "just in time");
        await s.AdvanceClockAsync(TimeSpan.FromSeconds(1));
        var afterClose = await s.SendTextAsync(psid, "just too late");

        GraphAssert.Sent(lastSecond, psid);
        GraphAssert.Error(afterClose, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278, OutsideWindowMessage);
    }

    [Fact]
    public async Task Send_PersonWritesAgainAfterWindowClosed_WindowReopens()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await s.AdvanceClockAsync(TimeSpan.FromHours(25));
        GraphAssert.Error(
            await s.SendTextAsync(psid, "closed"),
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            2018278
        );

        await s.PersonWritesAsync("hello again");
        var answer = await s.SendTextAsync(psid, "open again");

        GraphAssert.Sent(answer, psid);
    }

    [Fact]
    public async Task Send_UpdateAfterWindowClosed_10Subcode2018278()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await s.AdvanceClockAsync(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        var answer = await s.SendTextAsync(psid, "update", "UPDATE");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 10, 2018278);
    }

    [Fact]
    public async Task Send_MessageAndSenderAction_100Subcode2018014()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await s.SendAsync(
            new
            {
                recipient = new { id = psid },
                message = new { text = "hi" },
                sender_action = "typing_on",
            }
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018014,
            "(#100) Cannot send both message and state at the same time."
        );
    }

    [Fact]
    public async Task Send_PersonBlockedPage_551()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.BlockAsync(s.PersonId, s.Page.Id, Ct);

        var answer = await s.SendTextAsync(psid, "still there?");

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            551,
            1545041,
            "(#551) This person isn't available right now."
        );
        Assert.Equal(1, await MessageCountAsync(s));
    }

    [Fact]
    public async Task Send_PersonUnblocksPage_AcceptedAgain()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.BlockAsync(s.PersonId, s.Page.Id, Ct);
        await server.World.UnblockAsync(s.PersonId, s.Page.Id, Ct);

        GraphAssert.Sent(await s.SendTextAsync(psid, "welcome back"), psid);
    }

    [Fact]
    public async Task Send_EmptyText_100Subcode2018034()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await s.SendAsync(new { recipient = new { id = psid }, message = new { text = "" } });

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            2018034,
            "(#100) Message cannot be empty."
        );
    }

    // :: Tokens

    [Fact]
    public async Task Send_BadToken_190WithWwwAuthenticate()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.SendTextAsync(
            s.Page.Id,
            "EAAnot-a-real-token",
            psid,
            "hi",
            cancellationToken: Ct
        );

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith("Invalid OAuth access token", message, StringComparison.Ordinal);
        Assert.Equal($"OAuth \"Facebook Platform\" \"invalid_token\" \"{message}\"", answer.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task Send_NoToken_104()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.SendTextAsync(s.Page.Id, null!, psid, "hi", cancellationToken: Ct);

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            104,
            null,
            "An access token is required to request this resource."
        );
    }

    [Fact]
    public async Task Send_AppTokenOnPageEdge_Refused()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await server.Graph.SendTextAsync(s.Page.Id, s.App.AccessToken, psid, "hi", cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
        Assert.Equal(1, await MessageCountAsync(s));
    }

    // :: Malformed, missing, wrongly typed, unknown enum, too long (code 100 naming the parameter)

    [Fact]
    public async Task Send_MalformedJson_100()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await PostRawAsync(
            $"v25.0/me/messages?access_token={s.Page.AccessToken}",
            Json("""{"recipient":{"id":"1"},"message":{"text":"hi"}""")
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null);
    }

    [Fact]
    public async Task Send_MissingRecipient_100NamingRecipient()
    {
        var (s, _) = await OpenWindowAsync();
        await using var __ = s;

        var answer = await s.SendAsync(new { message = new { text = "to whom?" } });

        Assert.Equal("(#100) The parameter recipient is required", GraphAssert.InvalidParameter(answer, "recipient"));
    }

    [Fact]
    public async Task Send_RecipientIdNotNumeric_100NamingRecipientId()
    {
        var (s, _) = await OpenWindowAsync();
        await using var __ = s;

        var answer = await s.SendAsync(new { recipient = new { id = "not-a-psid" }, message = new { text = "hi" } });

        Assert.Equal(
            "(#100) Param recipient[id] must be a valid ID string (e.g., \"123\")",
            GraphAssert.InvalidParameter(answer, "recipient[id]")
        );
    }

    [Fact]
    public async Task Send_RecipientNotAnObject_100NamingRecipient()
    {
        var (s, _) = await OpenWindowAsync();
        await using var __ = s;

        GraphAssert.InvalidParameter(
            await s.SendAsync(new { recipient = 42, message = new { text = "hi" } }),
            "recipient"
        );
    }

    [Fact]
    public async Task Send_TextIsNumber_100NamingMessageText()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await s.SendAsync(new { recipient = new { id = psid }, message = new { text = 42 } });

        GraphAssert.InvalidParameter(answer, "message[text]");
    }

    [Fact]
    public async Task Send_MessageIsArray_100NamingMessage()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        GraphAssert.InvalidParameter(
            await s.SendAsync(new { recipient = new { id = psid }, message = new[] { "hi" } }),
            "message"
        );
    }

    [Fact]
    public async Task Send_NoMessageNorSenderAction_100NamingMessage()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        GraphAssert.InvalidParameter(await s.SendAsync(new { recipient = new { id = psid } }), "message");
    }

    [Theory]
    [InlineData("messaging_type", "FOO")]
    [InlineData("notification_type", "BAR")]
    [InlineData("sender_action", "dance")]
    public async Task Send_UnknownEnumValue_100NamingParameterAndValue(string parameter, string value)
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var body = new Dictionary<string, object> { ["recipient"] = new { id = psid }, [parameter] = value };
        if (parameter != "sender_action")
            body["message"] = new { text = "hi" };

        var answer = await s.SendAsync(body);

        var message = GraphAssert.InvalidParameter(answer, parameter);
        Assert.Contains($"\"{value}\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_Text2000Chars_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        GraphAssert.Sent(await s.SendTextAsync(psid, new string('a', 2000)), psid);
    }

    [Fact]
    public async Task Send_Text2000Emoji_AcceptedAsCodePoints()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        GraphAssert.Sent(await s.SendTextAsync(psid, string.Concat(Enumerable.Repeat("😀", 2000))), psid);
    }

    [Fact]
    public async Task Send_Text2001Chars_100NamingMessageText()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await s.SendTextAsync(psid, new string('a', 2001));

        GraphAssert.InvalidParameter(answer, "message[text]");
        Assert.Equal(1, await MessageCountAsync(s));
    }

    [Fact]
    public async Task Send_Metadata1001Chars_100NamingMetadata()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;

        var answer = await s.SendAsync(
            new { recipient = new { id = psid }, message = new { text = "hi", metadata = new string('m', 1001) } }
        );

        GraphAssert.InvalidParameter(answer, "message[metadata]");
    }

    [Fact]
    public async Task Send_14QuickReplies_100NamingQuickReplies()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var replies = Enumerable
            .Range(0, 14)
            .Select(i => new
            {
                content_type = "text",
                title = $"Option {i}",
                payload = $"P{i}",
            })
            .ToArray();

        var refused = await s.SendAsync(
            new { recipient = new { id = psid }, message = new { text = "pick", quick_replies = replies } }
        );
        var accepted = await s.SendAsync(
            new { recipient = new { id = psid }, message = new { text = "pick", quick_replies = replies[..13] } }
        );

        GraphAssert.InvalidParameter(refused, "message[quick_replies]");
        GraphAssert.Sent(accepted, psid);
    }

    [Fact]
    public async Task Send_BodyOver1MB_GraphErrorNot500()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var huge =
            $$$"""{"recipient":{"id":"{{{psid}}}"},"message":"""
            + $$$"""{"text":"hi","metadata":"{{{new string('x', 1024 * 1024)}}}"}}""";

        var answer = await PostRawAsync($"v25.0/me/messages?access_token={s.Page.AccessToken}", Json(huge));

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null);
    }

    [Fact]
    public async Task Send_ChunkedBodyOver1MB_GraphErrorNot500()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        var bytes = Encoding.UTF8.GetBytes(
            $$$"""{"recipient":{"id":"{{{psid}}}"},"message":{"text":"{{{new string('x', 1_100_000)}}}"}}"""
        );
        var chunked = new StreamContent(new NonSeekableStream(bytes));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var answer = await PostRawAsync($"v25.0/me/messages?access_token={s.Page.AccessToken}", chunked);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null);
    }

    [Theory]
    [InlineData("POST", "v25.0/me/nonexistent_edge")]
    [InlineData("GET", "v25.0/a/b/c/d")]
    [InlineData("POST", "not-graph-at-all/x/y")]
    [InlineData("POST", "v25.0/me/messages.json")]
    [InlineData("GET", "v25.0/me/picture.jpg")]
    public async Task UnknownPath_GraphErrorEnvelope(string method, string path)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"{path}?access_token={s.Page.AccessToken}");

        using var response = await server.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} '{text}'");
        var body = JsonDocument.Parse(text).RootElement;
        var error = body.GetProperty("error");
        Assert.Equal("OAuthException", error.GetProperty("type").GetString());
        Assert.Equal(2500, error.GetProperty("code").GetInt32());
        Assert.StartsWith(
            "Unknown path components: /",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.False(string.IsNullOrEmpty(error.GetProperty("fbtrace_id").GetString()));
    }

    // :: The Page's switches (docs/spec/control-api.md, "Page settings")

    [Fact]
    public async Task Send_PageMessagingDisabled_10904()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { messaging_enabled = false }, Ct);

        var answer = await s.SendTextAsync(psid, "hi");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 10904, null);
    }

    [Fact]
    public async Task Send_NoPagesMessagingPermission_200Forbidden()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { pages_messaging_permission = false }, Ct);

        var answer = await s.SendTextAsync(psid, "hi");

        var error = GraphAssert.Error(answer, HttpStatusCode.Forbidden, "OAuthException", 200, null);
        Assert.StartsWith("(#200) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_PageRestricted_10_1893063()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { restricted = true }, Ct);

        var answer = await s.SendTextAsync(psid, "hi");

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            10,
            1893063,
            "(#10) You are temporarily restricted from sending messages."
        );
    }

    [Fact]
    public async Task Send_PageAbusive_368()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { abusive = true }, Ct);

        var answer = await s.SendTextAsync(psid, "hi");

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 368, null);
        Assert.StartsWith("(#368) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_PageSwitchedBackOn_Accepted()
    {
        var (s, psid) = await OpenWindowAsync();
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { messaging_enabled = false, restricted = true }, Ct);
        await server.World.PatchPageAsync(s.Page.Id, new { messaging_enabled = true, restricted = false }, Ct);

        GraphAssert.Sent(await s.SendTextAsync(psid, "back"), psid);
    }

    /// <summary>A stream without a length, so HttpClient sends the body chunked (no Content-Length).</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
