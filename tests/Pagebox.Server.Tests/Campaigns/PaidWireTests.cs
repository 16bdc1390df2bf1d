using System.Text;
using System.Text.Json;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Store;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Webhooks;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>The successor API's wire pieces in isolation: fields selections, personalization, webhook encodings, error
/// table.</summary>
public sealed class PaidWireTests
{
    private static readonly DateTimeOffset T = new(2026, 6, 3, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("id", "id")]
    [InlineData("id,adset{name,daily_budget},campaign{name}", "adset,campaign,id")]
    [InlineData("adset{promoted_object{pixel_id}},creative{actor_id}", "adset,creative")]
    [InlineData(" id , name ", "id,name")]
    public void FieldSelection_Parses(string text, string topLevel)
    {
        var parsed = FieldSelection.Parse(text);

        Assert.Null(parsed.Error);
        Assert.Equal(topLevel, string.Join(',', parsed.Value!.Names.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void FieldSelection_Nested()
    {
        var fields = FieldSelection.Parse("id,adset{name,promoted_object{pixel_id}},campaign").Value!;

        Assert.True(fields.Nested("adset")!.Nested("promoted_object")!.Has("pixel_id"));
        Assert.Empty(fields.Nested("campaign")!.Names);
        Assert.Null(fields.Nested("creative"));
    }

    [Theory]
    [InlineData("adset{name")]
    [InlineData("id}")]
    [InlineData("{name}")]
    [InlineData("adset{name}x")]
    public void FieldSelection_Malformed_100NamingFields(string text)
    {
        Assert.Equal("fields", FieldSelection.Parse(text).Error!.Parameter);
    }

    [Fact]
    public void Render_FillsTitlesSubtitlesTexts_NotButtonsOrUrls()
    {
        const string json =
            """{"text":"Hi {{first_name}}","attachment":{"type":"template","payload":"""
            + """{"template_type":"generic","text":"Hello {{full_name}}","elements":[{"title":"For {{"""
            + """first_name}}","subtitle":"{{last_name}}","image_url":"https://x/{{first_name}}","buttons":["""
            + """{"type":"web_url","title":"{{first_name}}","url":"https://x"}]}]}}}""";

        using var doc = JsonDocument.Parse(PaidMessageParser.Render(json, "Ada Lovelace"));

        var root = doc.RootElement;
        Assert.Equal("Hi Ada", root.GetProperty("text").GetString());
        var payload = root.GetProperty("attachment").GetProperty("payload");
        Assert.Equal("Hello Ada Lovelace", payload.GetProperty("text").GetString());
        var element = payload.GetProperty("elements")[0];
        Assert.Equal("For Ada", element.GetProperty("title").GetString());
        Assert.Equal("Lovelace", element.GetProperty("subtitle").GetString());
        Assert.Equal("https://x/{{first_name}}", element.GetProperty("image_url").GetString());
        Assert.Equal("{{first_name}}", element.GetProperty("buttons")[0].GetProperty("title").GetString());
    }

    [Fact]
    public void Encode_Changes_IsAPageChangeWithTheFlatPayloadAsValue()
    {
        var e = new PaidMessageEvent(
            "140984918491243",
            T,
            PaidWebhookEnvelope.Changes,
            PaidMessageEventKind.Delivery,
            "12313123123123",
            "123123123123",
            "m_abc",
            "98ecd977-245a-4ec0-a8e0-8b8ecaad8030",
            "12348141984909088",
            "124141414124"
        );

        var json = PaidMarketingWebhooks.Encode(e);

        Assert.Equal(
            """{"field":"marketing_message_deliveries","value":"""
                + """{"field":"marketing_message_deliveries","recipient_id":123123123123,"page_id":"""
                + """140984918491243,"app_id":12313123123123,"timestamp":"""
                + """1780480800000,"mid":"m_abc","marketing_message_tracking_id":"98ecd977-245a-4ec0-a8e0-8b8"""
                + """ecaad8030","messenger_subscription_token":"12348141984909088","message_id":"12414141"""
                + """4124"}}""",
            json
        );
        Assert.True(PaidMarketingWebhooks.IsChange(new PendingEvent(1, "a", e.PageId, "page", e.Field, json, T)));
    }

    [Fact]
    public void Encode_Messaging_IsTheFlatPayload_AndTheEnvelopePutsItInMessaging()
    {
        var e = new PaidMessageEvent(
            "140984918491243",
            T,
            PaidWebhookEnvelope.Messaging,
            PaidMessageEventKind.Click,
            "1",
            "123123123123",
            "m_abc",
            "t",
            "12348141984909088",
            "124141414124"
        );

        var json = PaidMarketingWebhooks.Encode(e);
        var envelope = Encoding.UTF8.GetString(
            WebhookEncoder.BuildEnvelope([new PendingEvent(1, "1", e.PageId, "page", e.Field, json, T)])
        );

        Assert.Equal(
            """{"field":"marketing_message_clicks","recipient_id":123123123123,"page_id":"""
                + """140984918491243,"timestamp":"""
                + """1780480800000,"mid":"m_abc","messenger_subscription_token":"12348141984909088","message_i"""
                + """d":"124141414124"}""",
            json
        );
        Assert.Contains("\"messaging\":[" + json + "]", envelope, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildEnvelope_Changes_EntryTimeInSeconds()
    {
        var e = new PaidDeliveryFailedEvent(
            "140984918491243",
            T,
            PaidWebhookEnvelope.Changes,
            "1",
            "2",
            "tok",
            "Unknown Error",
            "124"
        );
        var json = PaidMarketingWebhooks.Encode(e);

        var envelope = Encoding.UTF8.GetString(
            WebhookEncoder.BuildEnvelope([new PendingEvent(1, "1", e.PageId, "page", e.Field, json, T)])
        );

        Assert.Equal(
            "{\"object\":\"page\",\"entry\":[{\"id\":\"140984918491243\",\"time\":1780480800,\"changes\":["
                + json
                + "]}]}",
            envelope
        );
    }

    [Fact]
    public void ErrorTable_EveryReasonHasItsCode_AsTheTopLevelCode()
    {
        foreach (var reason in Enum.GetValues<PaidMarketingReason>())
        {
            var (code, message) = PaidMarketingErrors.Of(reason);
            Assert.InRange(code, 2300000, 2300080);
            var shape = GraphErrors.Shape(PaidRefusal.Of(reason));
            Assert.Equal((400, code, (int?)null), (shape.HttpStatus, shape.Code, shape.Subcode));
            Assert.Equal($"(#{code}) {message}", shape.Message);
        }
    }
}

/// <summary><c>--mm-webhook-envelope</c> / <c>PAGEBOX_MM_WEBHOOK_ENVELOPE</c>.</summary>
public sealed class PaidEnvelopeOptionTests
{
    [Fact]
    public void Parse_Default_Changes_FlagAndEnvironment_Messaging()
    {
        Assert.Equal("changes", Cli.ServeCommand.Parse([], _ => null).Options!.PaidMarketingWebhookEnvelope);
        Assert.Equal(
            "messaging",
            Cli.ServeCommand.Parse(
                ["--mm-webhook-envelope", "messaging"],
                _ => null
            ).Options!.PaidMarketingWebhookEnvelope
        );
        Assert.Equal(
            "messaging",
            Cli.ServeCommand.Parse(
                [],
                n => n == "PAGEBOX_MM_WEBHOOK_ENVELOPE" ? "messaging" : null
            ).Options!.PaidMarketingWebhookEnvelope
        );
    }

    [Fact]
    public void Parse_UnknownEnvelope_Refused()
    {
        var (options, error) = Cli.ServeCommand.Parse(["--mm-webhook-envelope", "entry"], _ => null);

        Assert.Null(options);
        Assert.Contains("envelope", error, StringComparison.Ordinal);
    }
}
