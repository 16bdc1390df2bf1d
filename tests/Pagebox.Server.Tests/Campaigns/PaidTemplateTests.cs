using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>The templates the API reference lists, personalization, and the request's shape errors.</summary>
public sealed class PaidTemplateTests(PageboxServer server)
{
    private static JsonObject Template(JsonObject payload) =>
        new()
        {
            ["attachment"] = new JsonObject { ["type"] = "template", ["payload"] = payload },
        };

    private static JsonObject Button(
        string type = "web_url",
        string? title = "Go",
        string? url = "https://shop.example/"
    ) =>
        new()
        {
            ["type"] = type,
            ["title"] = title,
            ["url"] = url,
        };

    public static TheoryData<string, string> Accepted =>
        new()
        {
            { "text", """{"text":"Add text message here."}""" },
            {
                "button",
                """{"attachment":{"type":"template","payload":{"template_type":"button","text":"Welcome {{"""
                    + """first_name}}!","buttons":[{"type":"web_url","url":"https://shop.example/","title":"View """
                    + """Website"},{"type":"postback","title":"Start Chatting","payload":"START"}]}}}"""
            },
            {
                "media",
                """{"attachment":{"type":"template","payload":{"template_type":"media","elements":["""
                    + """{"media_type":"image","url":"https://business.facebook.com/shop/photos/123","buttons":["""
                    + """{"type":"web_url","url":"https://shop.example/","title":"View Website"}]}]}}}"""
            },
            {
                "product",
                """{"attachment":{"type":"template","payload":{"template_type":"product","elements":[{"id":"111"},"""
                    + """{"id":"222"}]}}}"""
            },
            {
                "receipt",
                """{"attachment":{"type":"template","payload":"""
                    + """{"template_type":"receipt","recipient_name":"Ada","order_number":"12345","currency":"USD","p"""
                    + """ayment_method":"Visa 2345","summary":{"total_cost":56.14},"elements":["""
                    + """{"title":"Shirt","price":50}]}}}"""
            },
            {
                "coupon",
                """{"attachment":{"type":"template","payload":{"template_type":"coupon","title":"10% off, {{"""
                    + """first_name}}","subtitle":"Use code """
                    + """10offsummer","coupon_code":"10offsummer","coupon_url":"https://"""
                    + """shop.example/","coupon_url_button_title":"Shop now","coupon_pre_message":"Hi {{"""
                    + """full_name}}","expire_time":"2026-10-25 16:00:00"}}}"""
            },
            {
                "grid",
                """{"attachment":{"type":"template","payload":{"template_type":"generic","text":"Hello {{"""
                    + """first_name}}","elements":[{"title":"Welcome!","image_urls":[{"url":"https://shop.example/"""
                    + """1.png","is_hero_image":"true"},{"url":"https://shop.example/2.png"}],"buttons":["""
                    + """{"type":"app","android_url":"shop://a","ios_url":"shop://i"}]}]}}}"""
            },
            {
                "video",
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"Watch","media_type":"video","video_id":"123456"}]}}}"""
            },
            {
                "quick_replies",
                """{"text":"Pick one","quick_replies":[{"content_type":"text","title":"A","payload":"A"},"""
                    + """{"content_type":"user_email"},{"content_type":"text","title":"C","payload":"C"},"""
                    + """{"content_type":"text","title":"D","payload":"D"},"""
                    + """{"content_type":"text","title":"E","payload":"E"},"""
                    + """{"content_type":"text","title":"F","payload":"F"},"""
                    + """{"content_type":"text","title":"G","payload":"G"},"""
                    + """{"content_type":"text","title":"H","payload":"H"},"""
                    + """{"content_type":"text","title":"I","payload":"I"},"""
                    + """{"content_type":"text","title":"J","payload":"J"},"""
                    + """{"content_type":"text","title":"K","payload":"K"},"""
                    + """{"content_type":"text","title":"L","payload":"L"},"""
                    + """{"content_type":"text","title":"M","payload":"M"}]}"""
            },
        };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Send_EveryDocumentedTemplate_AcceptedAndStoredPersonalized(string kind, string message)
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        Sent(await s.SendAsync(id, token, JsonNode.Parse(message)));

        var stored = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "paid_marketing")
            .GetProperty("message")
            .GetRawText();
        Assert.DoesNotContain("{{", stored, StringComparison.Ordinal);
        Assert.True(
            kind is not ("button" or "coupon" or "grid") || stored.Contains("Ada", StringComparison.Ordinal),
            $"{kind}: {stored}"
        );
    }

    [Fact]
    public async Task Send_ButtonTitlesAreNotPersonalized()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        Sent(await s.SendAsync(id, token, SetTitle(GenericMessage("Hi {{last_name}}"), "{{first_name}}")));

        var stored = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Single(x => x.GetProperty("kind").GetString() == "paid_marketing")
            .GetProperty("message");
        var element = stored.GetProperty("attachment").GetProperty("payload").GetProperty("elements")[0];
        Assert.Equal("Hi Lovelace", element.GetProperty("title").GetString());
        Assert.Equal("{{first_name}}", element.GetProperty("buttons")[0].GetProperty("title").GetString());
    }

    private static JsonObject SetTitle(JsonObject m, string title)
    {
        m["attachment"]!["payload"]!["elements"]![0]!["buttons"]![0]!["title"] = title;
        return m;
    }

    public static TheoryData<int, string> Refusals =>
        new()
        {
            {
                2300026,
                """{"attachment":{"type":"template","payload":{"template_type":"button","text":"Hi","buttons":[B,B,"""
                    + """B,B]}}}"""
            },
            {
                2300023,
                """{"attachment":{"type":"template","payload":{"template_type":"button","text":"Hi","buttons":["""
                    + """{"type":"phone_number","title":"Call","payload":"+1555"}]}}}"""
            },
            {
                2300025,
                """{"attachment":{"type":"template","payload":{"template_type":"button","text":"Hi","buttons":["""
                    + """{"type":"web_url","url":"https://x.example/"}]}}}"""
            },
            {
                2300024,
                """{"attachment":{"type":"template","payload":{"template_type":"button","text":"Hi","buttons":["""
                    + """{"type":"web_url","title":"Go","url":""}]}}}"""
            },
            {
                2300021,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"Watch","media_type":"video"}]}}}"""
            },
            {
                2300022,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"Look","media_type":"image"}]}}}"""
            },
            {
                2300023,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"Watch","media_type":"video","video_id":"1","buttons":["""
                    + """{"type":"postback","title":"Go","payload":"P"}]}]}}}"""
            },
            {
                2300046,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"A","image_urls":[{"url":"https://x.example/1.png"}]},{"title":"B"}]}}}"""
            },
            {
                2300047,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"A","image_url":"https://x.example/0.png","image_urls":[{"url":"https://x.example/"""
                    + """1.png"}]}]}}}"""
            },
            {
                2300048,
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"title":"A","image_urls":[{"url":"https://x.example/1.png","is_hero_image":"true"},"""
                    + """{"url":"https://x.example/2.png","is_hero_image":"true"}]}]}}}"""
            },
            { 2300038, """{"text":"Hi {{nickname}}"}""" },
        };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Send_CreativeErrors_TheirCodes(int code, string message)
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        var b = """{"type":"web_url","url":"https://x.example/","title":"B"}""";

        Refused(
            await s.SendAsync(
                id,
                token,
                JsonNode.Parse(
                    message.Replace("B,B,B,B", string.Join(',', Enumerable.Repeat(b, 4)), StringComparison.Ordinal)
                )
            ),
            code
        );
    }

    public static TheoryData<string, string> ShapeErrors =>
        new()
        {
            { """{"text":"TOO_LONG"}""", "message[text]" },
            { """{"text":"hi","attachment":{"type":"template","payload":{"template_type":"button"}}}""", "message" },
            { """{}""", "message" },
            {
                """{"attachment":{"type":"image","payload":{"url":"https://x.example/a.png"}}}""",
                "message[attachment][type]"
            },
            {
                """{"attachment":{"type":"template","payload":{"template_type":"airline_boardingpass"}}}""",
                "message[attachment][payload][template_type]"
            },
            {
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[]}}}""",
                "message[attachment][payload][elements]"
            },
            {
                """{"attachment":{"type":"template","payload":{"template_type":"generic","elements":["""
                    + """{"subtitle":"no title"}]}}}""",
                "message[attachment][payload][elements][0][title]"
            },
            {
                """{"attachment":{"type":"template","payload":"""
                    + """{"template_type":"coupon","title":"x","coupon_code":"C"}}}""",
                "message[attachment][payload][coupon_url]"
            },
            {
                """{"attachment":{"type":"template","payload":{"template_type":"media","elements":[{"url":"https://"""
                    + """x.example/v"}]}}}""",
                "message[attachment][payload][elements][0][media_type]"
            },
            {
                """{"attachment":{"type":"template","payload":"""
                    + """{"template_type":"receipt","recipient_name":"A","order_number":"1","currency":"USD","payment"""
                    + """_method":"V"}}}""",
                "message[attachment][payload][summary]"
            },
            { """{"text":"x","quick_replies":QR14}""", "message[quick_replies]" },
        };

    [Theory]
    [MemberData(nameof(ShapeErrors))]
    public async Task Send_ShapeErrors_100NamingTheParameter(string message, string parameter)
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        var qr =
            "["
            + string.Join(
                ',',
                Enumerable.Range(0, 14).Select(i => $$"""{"content_type":"text","title":"Q{{i}}","payload":"Q"}""")
            )
            + "]";
        var json = message
            .Replace("TOO_LONG", new string('a', 641), StringComparison.Ordinal)
            .Replace("QR14", qr, StringComparison.Ordinal);

        GraphAssert.InvalidParameter(await s.SendAsync(id, token, JsonNode.Parse(json)), parameter);
    }

    [Fact]
    public async Task Send_Text640_Accepted()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        Sent(await s.SendAsync(id, token, TextMessage(new string('a', 640))));
    }

    [Fact]
    public async Task Send_MissingParameters_100()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        GraphAssert.InvalidParameter(
            await s.Graph.PostAsync(
                $"{s.Act}/messages",
                new { messenger_delivery_data = new { subscription_token = token }, message = new { text = "x" } },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            "message_id"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.PostAsync(
                $"{s.Act}/messages",
                new { message_id = id, message = new { text = "x" } },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            "messenger_delivery_data[subscription_token]"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.PostAsync(
                $"{s.Act}/messages",
                new { message_id = id, messenger_delivery_data = new { subscription_token = token } },
                s.Page.AccessToken,
                cancellationToken: Ct
            ),
            "message"
        );
    }

    [Fact]
    public async Task Send_FormEncoded_AsMetasCurlSamples()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        var r = await s.Graph.PostFormAsync(
            $"{s.Act}/messages",
            new Dictionary<string, string>
            {
                ["message_id"] = id,
                ["messenger_delivery_data"] = $"{{'subscription_token':'{token}'}}",
                ["message"] = "{'text':'Hello from a form'}",
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Sent(r);
    }
}
