using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Marketing.MarketingScenario;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// The <c>notification_messages</c> template, field by field and at each limit (seed: "Message Attachment Object
/// Reference"): every refusal is (#100) naming the parameter in Graph's bracket form.
/// </summary>
public sealed class OptInRequestValidationTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    private const string Payload = "message[attachment][payload]";

    // Non-BMP: one code point, two UTF-16 units. "Characters" are code points (MarketingText).
    private const string Emoji = "\U0001F3A9";

    [Theory]
    [InlineData("a")]
    [InlineData(Emoji)]
    public async Task OptInRequest_Title65Characters_IsAcceptedAndTheTokenCarriesIt(string character)
    {
        await using var s = await StartAsync(host);
        var title = string.Concat(Enumerable.Repeat(character, 65));

        var mid = await s.RequestOptInOkAsync(title);

        var request = await s.MessageAsync(mid);
        Assert.Equal("optin_request", request.Kind);
        Assert.Equal("page", request.From);
        var tapped = await s.TapAsync(mid);
        Assert.Equal(title, tapped.String("title"));
    }

    [Theory]
    [InlineData("a")]
    [InlineData(Emoji)]
    public async Task OptInRequest_Title66Characters_Returns100NamingTitle(string character)
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(SingleOptIn(string.Concat(Enumerable.Repeat(character, 66))));

        MarketingAssert.InvalidParameter(response, $"{Payload}[title]");
    }

    [Fact]
    public async Task OptInRequest_NoTitle_DefaultsToUpdatesAndPromotions()
    {
        await using var s = await StartAsync(host);

        var mid = await s.RequestOptInOkAsync(title: null);

        var tapped = await s.TapAsync(mid);
        Assert.Equal("Updates and promotions", tapped.String("title"));
    }

    [Fact]
    public async Task OptInRequest_MissingPayload_Returns100NamingPayload()
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(Template(("title", "Weekly deals")));

        MarketingAssert.InvalidParameter(response, $"{Payload}[payload]");
    }

    [Fact]
    public async Task OptInRequest_FiveElements_IsAccepted()
    {
        await using var s = await StartAsync(host);

        var mid = await s.RequestOptInOkAsync(Carousel(5));

        Assert.Equal("optin_request", (await s.MessageAsync(mid)).Kind);
    }

    [Fact]
    public async Task OptInRequest_SixElements_Returns100NamingElements()
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(Carousel(6));

        MarketingAssert.InvalidParameter(response, $"{Payload}[elements]");
    }

    [Fact]
    public async Task OptInRequest_ZeroElements_Returns100NamingElements()
    {
        await using var s = await StartAsync(host);

        var response = await s.RequestOptInAsync(Carousel(0));

        MarketingAssert.InvalidParameter(response, $"{Payload}[elements]");
    }

    [Fact]
    public async Task OptInRequest_CarouselWithoutTitle_Returns100NamingTitle()
    {
        await using var s = await StartAsync(host);
        var carousel = Carousel(2);
        carousel.Remove("title");

        var response = await s.RequestOptInAsync(carousel);

        MarketingAssert.InvalidParameter(response, $"{Payload}[title]");
    }

    [Fact]
    public async Task OptInRequest_ElementWithoutPayload_Returns100NamingThatElementsPayload()
    {
        await using var s = await StartAsync(host);
        var carousel = Carousel(3);
        carousel["elements"]![1]!.AsObject().Remove("payload");

        var response = await s.RequestOptInAsync(carousel);

        MarketingAssert.InvalidParameter(response, $"{Payload}[elements][1][payload]");
    }

    [Fact]
    public async Task OptInRequest_ElementTitle66Characters_Returns100NamingThatElementsTitle()
    {
        await using var s = await StartAsync(host);
        var carousel = Carousel(2);
        carousel["elements"]![0]!["title"] = Text(66);

        var response = await s.RequestOptInAsync(carousel);

        MarketingAssert.InvalidParameter(response, $"{Payload}[elements][0][title]");
    }

    [Theory]
    [InlineData("image_aspect_ratio", "WIDE")]
    [InlineData("image_aspect_ratio", "square")]
    [InlineData("notification_messages_cta_text", "SUBSCRIBE")]
    [InlineData("notification_messages_frequency", "HOURLY")]
    [InlineData("notification_messages_reoptin", "MAYBE")]
    [InlineData("notification_messages_timezone", "Mars/Olympus_Mons")]
    public async Task OptInRequest_BadValue_Returns100NamingTheField(string field, string value)
    {
        await using var s = await StartAsync(host);
        var template = SingleOptIn("Weekly deals");
        template[field] = value;

        var response = await s.RequestOptInAsync(template);

        MarketingAssert.InvalidParameter(response, $"{Payload}[{field}]");
    }

    [Theory]
    [InlineData("notification_messages_frequency", "HOURLY")]
    [InlineData("notification_messages_reoptin", "MAYBE")]
    public async Task OptInRequest_BadElementValue_Returns100NamingThatElementsField(string field, string value)
    {
        await using var s = await StartAsync(host);
        var carousel = Carousel(3);
        carousel["elements"]![2]![field] = value;

        var response = await s.RequestOptInAsync(carousel);

        MarketingAssert.InvalidParameter(response, $"{Payload}[elements][2][{field}]");
    }

    [Fact]
    public async Task OptInRequest_TitleNotAString_Returns100NamingTitle()
    {
        await using var s = await StartAsync(host);
        var template = SingleOptIn("x");
        template["title"] = 42;

        var response = await s.RequestOptInAsync(template);

        MarketingAssert.InvalidParameter(response, $"{Payload}[title]");
    }

    [Theory]
    [InlineData("image_aspect_ratio", "HORIZONTAL")]
    [InlineData("image_aspect_ratio", "SQUARE")]
    [InlineData("notification_messages_cta_text", "ALLOW")]
    [InlineData("notification_messages_cta_text", "GET")]
    [InlineData("notification_messages_cta_text", "GET_UPDATES")]
    [InlineData("notification_messages_cta_text", "OPT_IN")]
    [InlineData("notification_messages_cta_text", "SIGN_UP")]
    [InlineData("notification_messages_frequency", "DAILY")]
    [InlineData("notification_messages_frequency", "WEEKLY")]
    [InlineData("notification_messages_frequency", "MONTHLY")]
    [InlineData("notification_messages_reoptin", "ENABLED")]
    [InlineData("notification_messages_reoptin", "DISABLED")]
    [InlineData("notification_messages_timezone", "America/New_York")]
    public async Task OptInRequest_DocumentedValue_IsAcceptedAndKeptAsSent(string field, string value)
    {
        await using var s = await StartAsync(host);
        var template = SingleOptIn("Weekly deals", imageUrl: "https://example.com/hat.png");
        template[field] = value;

        var mid = await s.RequestOptInOkAsync(template);

        // The conversation keeps the message object exactly as the bot sent it.
        var stored = await s.MessageAsync(mid);
        Assert.Equal(value, stored.Message.GetProperty("attachment").GetProperty("payload").String(field));
    }

    [Fact]
    public async Task OptInRequest_FrequencyUnder2025Rules_IsIgnoredByTheToken()
    {
        await using var s = await StartAsync(host);
        var token = await s.OptInAsync("Monthly digest", frequency: "MONTHLY");

        var node = await s.TokenNodeAsync(token);

        // Deprecated for tokens created after 2023-02-02: not returned, and the 48 h cooldown applies
        // (MarketingSendTests); the token never expires.
        Assert.True(node.IsSuccess, node.ToString());
        Assert.False(node.Body.HasProperty("notification_messages_frequency"), node.RawBody);
        Assert.Equal(MarketingAssert.NeverExpiresSeconds, node.Body.Long("token_expiry_timestamp"));
    }

    /// <summary>A carousel of <paramref name="count"/> elements with distinct topics; the template title is
    /// set.</summary>
    private static JsonObject Carousel(int count)
    {
        var elements = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            elements.Add(
                new JsonObject
                {
                    ["title"] = $"Card {i}",
                    ["payload"] = $"CARD_{i}",
                    ["image_url"] = $"https://example.com/card{i}.png",
                }
            );
        }

        return Template(("title", "Pick your updates"), ("elements", elements));
    }
}
