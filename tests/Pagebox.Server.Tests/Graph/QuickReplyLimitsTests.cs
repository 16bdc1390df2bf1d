using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>Quick replies at their limits: title 20 characters, payload 1000.</summary>
public sealed class QuickReplyLimitsTests(PageboxServer server)
{
    private static object Send(string psid, string title, string payload) =>
        new
        {
            recipient = new { id = psid },
            message = new
            {
                text = "Pick a size",
                quick_replies = new[]
                {
                    new
                    {
                        content_type = "text",
                        title,
                        payload,
                    },
                },
            },
        };

    [Fact]
    public async Task QuickReply_Title20Accepted_21Refused()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("sizes?")).Psid;

        GraphAssert.Sent(await s.SendAsync(Send(psid, new string('t', 20), "SIZE")), psid);
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, new string('t', 21), "SIZE")),
            "message[quick_replies][0][title]"
        );
    }

    [Fact]
    public async Task QuickReply_Payload1000Accepted_1001Refused()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("sizes?")).Psid;

        GraphAssert.Sent(await s.SendAsync(Send(psid, "M", new string('p', 1000))), psid);
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, "M", new string('p', 1001))),
            "message[quick_replies][0][payload]"
        );
    }
}
