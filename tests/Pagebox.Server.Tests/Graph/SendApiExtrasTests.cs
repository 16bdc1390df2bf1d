using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>Send API details real bots rely on: reusable attachments and suppress_response_codes.</summary>
public sealed class SendApiExtrasTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, object> Image(string psid, JsonElement? reusable) =>
        new Dictionary<string, object>
        {
            ["recipient"] = new { id = psid },
            ["message"] = new
            {
                attachment = new
                {
                    type = "image",
                    payload = reusable is { } r
                        ? (object)new { url = "https://example.com/shirt.png", is_reusable = r }
                        : new { url = "https://example.com/shirt.png" },
                },
            },
        };

    [Fact]
    public async Task Send_ImageWithIsReusableTrue_AnswersANumericAttachmentId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;

        var answer = await s.SendAsync(Image(psid, JsonSerializer.SerializeToElement(true)));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(["attachment_id", "message_id", "recipient_id"], GraphAssert.Names(answer.Body));
        var id = answer.Body.GetProperty("attachment_id").GetString()!;
        Assert.True(id.Length > 10 && id.All(char.IsAsciiDigit), id);
    }

    [Fact]
    public async Task Send_ImageWithoutIsReusable_AnswersNoAttachmentId()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;

        var answer = await s.SendAsync(Image(psid, null));

        GraphAssert.Sent(answer, psid);
        Assert.False(answer.Body.TryGetProperty("attachment_id", out _));
    }

    [Fact]
    public async Task Send_IsReusableNotABoolean_Returns100NamingIt()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("show me shirts")).Psid;

        var answer = await s.SendAsync(Image(psid, JsonSerializer.SerializeToElement("yes")));

        GraphAssert.InvalidParameter(answer, "message[attachment][payload][is_reusable]");
    }

    [Fact]
    public async Task Error_WithSuppressResponseCodes_IsHttp200WithTheSameEnvelope()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var body = new { recipient = new { id = "12345" }, message = new { text = "hi" } };

        var plain = await s.Graph.PostAsync($"{s.Page.Id}/messages", body, s.Page.AccessToken, cancellationToken: Ct);
        var suppressed = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages?suppress_response_codes=true",
            body,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.BadRequest, plain.Status);
        Assert.Equal(HttpStatusCode.OK, suppressed.Status);
        GraphAssert.Error(
            suppressed,
            HttpStatusCode.OK,
            "OAuthException",
            100,
            2018001,
            "(#100) No matching user found"
        );
    }
}
