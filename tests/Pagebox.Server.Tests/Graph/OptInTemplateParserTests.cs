using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The opt-in template's enums read from their wire names, and the refusals the rule then reports.</summary>
public class OptInTemplateParserTests
{
    private const string P = "message[attachment][payload]";

    private static DomainError Refused(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var parsed = OptInTemplateParser.Parse(doc.RootElement);
        Assert.True(parsed.IsAccepted, parsed.ToString());
        var result = OptInTemplateRule.Validate(parsed.Value, PolicyProfile.P2025_09);
        Assert.False(result.IsAccepted);
        return result.Error;
    }

    [Theory]
    [InlineData("image_aspect_ratio", "square", "HORIZONTAL, SQUARE")]
    [InlineData("notification_messages_cta_text", "SUBSCRIBE", "ALLOW, GET, GET_UPDATES, OPT_IN, SIGN_UP")]
    [InlineData("notification_messages_frequency", "HOURLY", "DAILY, WEEKLY, MONTHLY")]
    [InlineData("notification_messages_reoptin", "YES", "ENABLED, DISABLED")]
    [InlineData("notification_messages_reoptin", "", "ENABLED, DISABLED")]
    public void Parse_BadValue_RefusedNamingParameter(string parameter, string value, string allowed)
    {
        var error = Refused($$"""{"payload":"promo","{{parameter}}":"{{value}}"}""");

        Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
        Assert.Equal($"{P}[{parameter}]", error.Parameter);
        Assert.Equal($"Param {P}[{parameter}] must be one of {{{allowed}}}", error.Detail);
    }

    [Theory]
    [InlineData("notification_messages_frequency", "YEARLY", "DAILY, WEEKLY, MONTHLY")]
    [InlineData("notification_messages_reoptin", "NO", "ENABLED, DISABLED")]
    public void Parse_BadElementValue_RefusedNamingElementParameter(string parameter, string value, string allowed)
    {
        var error = Refused(
            $$"""
            {"title":"Deals",
             "elements":[{"payload":"p0"},{"payload":"p1"},{"payload":"p2","{{parameter}}":"{{value}}"}]}
            """
        );

        Assert.Equal($"{P}[elements][2][{parameter}]", error.Parameter);
        Assert.Equal($"Param {P}[elements][2][{parameter}] must be one of {{{allowed}}}", error.Detail);
    }

    [Fact]
    public void Parse_BadValueAndSixElements_RefusesTheElementsFirst()
    {
        var six = string.Join(",", Enumerable.Range(0, 6).Select(i => $$"""{"payload":"p{{i}}"}"""));

        var error = Refused($$"""{"title":"Deals","image_aspect_ratio":"WIDE","elements":[{{six}}]}""");

        Assert.Equal($"{P}[elements]", error.Parameter);
    }

    [Fact]
    public void Parse_WireNames_ReadIntoTheEnums()
    {
        using var doc = JsonDocument.Parse(
            """
            {"payload":"promo","image_aspect_ratio":"SQUARE","notification_messages_cta_text":"OPT_IN",
             "notification_messages_frequency":"MONTHLY","notification_messages_reoptin":"DISABLED",
             "elements":[{"payload":"p0","notification_messages_frequency":"WEEKLY"}]}
            """
        );

        var t = OptInTemplateParser.Parse(doc.RootElement);

        Assert.True(t.IsAccepted, t.ToString());
        Assert.Equal(ImageAspectRatio.Square, t.Value.ImageAspectRatio?.Value);
        Assert.Equal(CtaText.OptIn, t.Value.CtaText?.Value);
        Assert.Equal(TokenFrequency.Monthly, t.Value.Frequency?.Value);
        Assert.Equal(ReOptIn.Disabled, t.Value.ReOptIn?.Value);
        Assert.Equal(TokenFrequency.Weekly, Assert.Single(t.Value.Elements!).Frequency?.Value);
        Assert.Null(t.Value.Elements![0].ReOptIn);
    }

    [Fact]
    public void Parse_EnumNotAString_RefusedBeforeTheRule()
    {
        using var doc = JsonDocument.Parse("""{"payload":"promo","notification_messages_frequency":7}""");

        var t = OptInTemplateParser.Parse(doc.RootElement);

        Assert.False(t.IsAccepted);
        Assert.Equal($"Param {P}[notification_messages_frequency] must be a string", t.Error.Detail);
    }
}
