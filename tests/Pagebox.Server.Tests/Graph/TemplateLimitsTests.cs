using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The documented limits of the generic, button and media templates, at their boundaries.</summary>
public sealed class TemplateLimitsTests(PageboxServer server)
{
    private static object Send(string psid, object payload) =>
        new { recipient = new { id = psid }, message = new { attachment = new { type = "template", payload } } };

    private static object Element(int i, int buttons = 1) =>
        new
        {
            title = $"Shirt {i}",
            subtitle = "Blue",
            buttons = Enumerable
                .Range(0, buttons)
                .Select(b => new
                {
                    type = "postback",
                    title = $"Buy {b}",
                    payload = $"BUY_{i}_{b}",
                })
                .ToArray(),
        };

    private async Task<(Scenario S, string Psid)> StartAsync()
    {
        var s = await Scenario.StartAsync(server, subscribe: false);
        return (s, (await s.PersonWritesAsync("show me")).Psid);
    }

    [Fact]
    public async Task Generic_TenElementsWithThreeButtons_IsAccepted_ElevenIsRefused()
    {
        var (s, psid) = await StartAsync();
        await using var _ = s;

        GraphAssert.Sent(
            await s.SendAsync(
                Send(
                    psid,
                    new
                    {
                        template_type = "generic",
                        elements = Enumerable.Range(0, 10).Select(i => Element(i, 3)).ToArray(),
                    }
                )
            ),
            psid
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                Send(
                    psid,
                    new
                    {
                        template_type = "generic",
                        elements = Enumerable.Range(0, 11).Select(i => Element(i)).ToArray(),
                    }
                )
            ),
            "message[attachment][payload][elements]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, new { template_type = "generic", elements = new[] { Element(0, 4) } })),
            "message[attachment][payload][elements][0][buttons]"
        );
    }

    [Fact]
    public async Task Generic_Title80Accepted_81Refused()
    {
        var (s, psid) = await StartAsync();
        await using var _ = s;

        GraphAssert.Sent(
            await s.SendAsync(
                Send(psid, new { template_type = "generic", elements = new[] { new { title = new string('t', 80) } } })
            ),
            psid
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                Send(psid, new { template_type = "generic", elements = new[] { new { title = new string('t', 81) } } })
            ),
            "message[attachment][payload][elements][0][title]"
        );
    }

    [Fact]
    public async Task ButtonTemplate_Text640AndButtonTitle20Accepted_641And21Refused()
    {
        var (s, psid) = await StartAsync();
        await using var _ = s;
        object Template(int text, int title) =>
            new
            {
                template_type = "button",
                text = new string('x', text),
                buttons = new[]
                {
                    new
                    {
                        type = "web_url",
                        url = "https://example.com",
                        title = new string('b', title),
                    },
                },
            };

        GraphAssert.Sent(await s.SendAsync(Send(psid, Template(640, 20))), psid);
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, Template(641, 20))),
            "message[attachment][payload][text]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, Template(640, 21))),
            "message[attachment][payload][buttons][0][title]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, new { template_type = "button", text = "no buttons" })),
            "message[attachment][payload][buttons]"
        );
    }

    [Fact]
    public async Task Media_TwoElements_Refused()
    {
        var (s, psid) = await StartAsync();
        await using var _ = s;
        var element = new { media_type = "image", url = "https://www.facebook.com/photo.php?fbid=1" };

        GraphAssert.Sent(
            await s.SendAsync(Send(psid, new { template_type = "media", elements = new[] { element } })),
            psid
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(Send(psid, new { template_type = "media", elements = new[] { element, element } })),
            "message[attachment][payload][elements]"
        );
        GraphAssert.InvalidParameter(
            await s.SendAsync(
                Send(
                    psid,
                    new
                    {
                        template_type = "media",
                        elements = new[] { new { media_type = "audio", url = "https://x" } },
                    }
                )
            ),
            "message[attachment][payload][elements][0][media_type]"
        );
    }
}
