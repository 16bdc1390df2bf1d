using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

public class OptInTemplateRuleTests
{
    private const string P = "message[attachment][payload]";

    private static OptInTemplate Minimal => new(Payload: "promo");

    private static OptInElement Element(int i) => new(Title: $"Topic {i}", Payload: $"p{i}");

    private static OptInElement[] Elements(int count) => [.. Enumerable.Range(0, count).Select(Element)];

    private static ValidatedOptIn Accepted(OptInTemplate t, PolicyProfile profile = PolicyProfile.P2025_09)
    {
        var result = OptInTemplateRule.Validate(t, profile);
        Assert.True(result.IsAccepted, result.ToString());
        return result.Value;
    }

    private static DomainError Refused(OptInTemplate t, PolicyProfile profile = PolicyProfile.P2025_09)
    {
        var result = OptInTemplateRule.Validate(t, profile);
        Assert.False(result.IsAccepted);
        return result.Error;
    }

    [Fact]
    public void Validate_PayloadOnly_FillsMetaDefaults()
    {
        var v = Accepted(Minimal);

        Assert.Equal("Updates and promotions", v.Title);
        Assert.Equal(CtaText.GetUpdates, v.Cta);
        Assert.Null(v.AspectRatio);
        Assert.False(v.IsCarousel);
        var offer = Assert.Single(v.Offers);
        Assert.Equal(
            new OptInOffer("Updates and promotions", "promo", null, TokenFrequency.Daily, ReOptIn.Enabled),
            offer
        );
    }

    [Fact]
    public void Validate_AllFieldsGiven_KeepsThem()
    {
        var v = Accepted(
            new OptInTemplate(
                "Deals",
                "promo",
                "https://x/i.png",
                ImageAspectRatio.Square,
                CtaText.SignUp,
                "Europe/Paris",
                TokenFrequency.Weekly,
                ReOptIn.Disabled
            )
        );

        Assert.Equal("Deals", v.Title);
        Assert.Equal(ImageAspectRatio.Square, v.AspectRatio);
        Assert.Equal(CtaText.SignUp, v.Cta);
        Assert.Equal("Europe/Paris", v.TimeZone);
        Assert.Equal(
            new OptInOffer("Deals", "promo", "https://x/i.png", TokenFrequency.Weekly, ReOptIn.Disabled),
            Assert.Single(v.Offers)
        );
    }

    [Fact]
    public void Validate_Title65Characters_Accepted()
    {
        Assert.Equal(65, Accepted(Minimal with { Title = new string('a', 65) }).Title.Length);
    }

    [Fact]
    public void Validate_Title66Characters_RefusedNamingTitle()
    {
        var error = Refused(Minimal with { Title = new string('a', 66) });

        Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
        Assert.Equal($"{P}[title]", error.Parameter);
    }

    [Fact]
    public void Validate_Title65AstralEmoji_CountsCodePointsNotUtf16Units()
    {
        // 65 × U+1F381 is 130 UTF-16 code units but 65 characters.
        var title = string.Concat(Enumerable.Repeat("\U0001F381", 65));

        Assert.Equal(130, title.Length);
        Assert.Equal(65, MarketingText.Length(title));
        Accepted(Minimal with { Title = title });
        Assert.Equal(DomainErrorKind.InvalidParameter, Refused(Minimal with { Title = title + "a" }).Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_BlankTitle_GetsDefault(string title)
    {
        Assert.Equal(OptInTemplateRule.DefaultTitle, Accepted(Minimal with { Title = title }).Title);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_NoPayloadNoElements_MissingPayload(string? payload)
    {
        var error = Refused(new OptInTemplate(Title: "Deals", Payload: payload));

        Assert.Equal(DomainErrorKind.MissingParameter, error.Kind);
        Assert.Equal($"{P}[payload]", error.Parameter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void Validate_OneToFiveElements_OneOfferEach(int count)
    {
        var v = Accepted(new OptInTemplate(Title: "Deals", Elements: Elements(count)));

        Assert.True(v.IsCarousel);
        Assert.Equal(count, v.Offers.Count);
        Assert.Equal("Topic 0", v.Offers[0].Title);
        Assert.Equal("p0", v.Offers[0].Payload);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Validate_ZeroOrSixElements_RefusedNamingElements(int count)
    {
        var error = Refused(new OptInTemplate(Title: "Deals", Payload: "promo", Elements: Elements(count)));

        Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
        Assert.Equal($"{P}[elements]", error.Parameter);
    }

    [Fact]
    public void Validate_CarouselWithoutTitle_MissingTitleWithSeedMessage()
    {
        var error = Refused(new OptInTemplate(Payload: "promo", Elements: Elements(2)));

        Assert.Equal(DomainErrorKind.MissingParameter, error.Kind);
        Assert.Equal($"{P}[title]", error.Parameter);
        Assert.Equal("The title parameter is required for marketing messages that contain a carousel", error.Detail);
    }

    [Fact]
    public void Validate_ElementWithoutPayload_MissingNamedWithZeroBasedIndex()
    {
        OptInElement[] elements = [.. Elements(5)];
        elements[4] = elements[4] with { Payload = null };

        var error = Refused(
            new OptInTemplate(Title: "Deals", Payload: "top-level does not replace it", Elements: elements)
        );

        Assert.Equal(DomainErrorKind.MissingParameter, error.Kind);
        Assert.Equal($"{P}[elements][4][payload]", error.Parameter);
    }

    [Fact]
    public void Validate_ElementTitle66Characters_RefusedNamingElementTitle()
    {
        OptInElement[] elements = [Element(0), Element(1) with { Title = new string('b', 66) }];

        Assert.Equal(
            $"{P}[elements][1][title]",
            Refused(new OptInTemplate(Title: "Deals", Elements: elements)).Parameter
        );
    }

    [Fact]
    public void Validate_ElementWithoutOwnFields_InheritsTitleFrequencyAndReOptIn()
    {
        var t = new OptInTemplate(
            Title: "Deals",
            ImageUrl: "https://x/top.png",
            Frequency: TokenFrequency.Monthly,
            ReOptIn: ReOptIn.Disabled,
            Elements:
            [
                new OptInElement(Payload: "p0"),
                new OptInElement(
                    Title: "Shoes",
                    Payload: "p1",
                    ImageUrl: "https://x/s.png",
                    Frequency: TokenFrequency.Weekly,
                    ReOptIn: ReOptIn.Enabled
                ),
            ]
        );

        var v = Accepted(t);

        Assert.Equal(new OptInOffer("Deals", "p0", null, TokenFrequency.Monthly, ReOptIn.Disabled), v.Offers[0]);
        Assert.Equal(
            new OptInOffer("Shoes", "p1", "https://x/s.png", TokenFrequency.Weekly, ReOptIn.Enabled),
            v.Offers[1]
        );
    }

    [Fact]
    public void Validate_ElementWithoutFrequencyUnder2023_MissingFrequency()
    {
        var t = new OptInTemplate(
            Title: "Deals",
            Elements: [Element(0) with { Frequency = TokenFrequency.Daily }, Element(1)]
        );

        var error = Refused(t, PolicyProfile.P2023);

        Assert.Equal(DomainErrorKind.MissingParameter, error.Kind);
        Assert.Equal($"{P}[elements][1][notification_messages_frequency]", error.Parameter);
        Accepted(t, PolicyProfile.P2024);
    }

    [Theory]
    [InlineData("image_aspect_ratio")]
    [InlineData("notification_messages_cta_text")]
    [InlineData("notification_messages_frequency")]
    [InlineData("notification_messages_reoptin")]
    public void Validate_EnumTheServerRefused_ReportsThatRefusal(string parameter)
    {
        var refusal = DomainError.Invalid($"{P}[{parameter}]", $"Param {P}[{parameter}] must be one of {{A, B}}");
        var t = parameter switch
        {
            "image_aspect_ratio" => Minimal with { ImageAspectRatio = refusal },
            "notification_messages_cta_text" => Minimal with { CtaText = refusal },
            "notification_messages_frequency" => Minimal with { Frequency = refusal },
            _ => Minimal with { ReOptIn = refusal },
        };

        Assert.Same(refusal, Refused(t));
    }

    [Fact]
    public void Validate_BadTimeZone_RefusedNamingParameter()
    {
        var error = Refused(Minimal with { TimeZone = "Mars/Olympus_Mons" });

        Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
        Assert.Equal($"{P}[notification_messages_timezone]", error.Parameter);
    }

    [Fact]
    public void Validate_EnumRefusedAndSixElements_RefusesTheElementsFirst()
    {
        var refusal = DomainError.Invalid($"{P}[image_aspect_ratio]", "bad");

        var error = Refused(new OptInTemplate(Title: "Deals", ImageAspectRatio: refusal, Elements: Elements(6)));

        Assert.Equal($"{P}[elements]", error.Parameter);
    }

    [Theory]
    [InlineData("notification_messages_frequency")]
    [InlineData("notification_messages_reoptin")]
    public void Validate_ElementEnumTheServerRefused_ReportsThatRefusal(string parameter)
    {
        var refusal = DomainError.Invalid($"{P}[elements][2][{parameter}]", "bad");
        var bad =
            parameter == "notification_messages_frequency"
                ? Element(2) with
                {
                    Frequency = refusal,
                }
                : Element(2) with
                {
                    ReOptIn = refusal,
                };

        var error = Refused(new OptInTemplate(Title: "Deals", Elements: [Element(0), Element(1), bad]));

        Assert.Same(refusal, error);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Tokyo")]
    [InlineData("Tokyo Standard Time")]
    public void Validate_KnownTimeZone_Accepted(string zone)
    {
        Assert.Equal(zone, Accepted(Minimal with { TimeZone = zone }).TimeZone);
    }

    [Theory]
    [InlineData("")]
    [InlineData("utc+1")]
    [InlineData("../../etc/passwd")]
    public void Validate_UnknownTimeZone_Refused(string zone)
    {
        Assert.Equal($"{P}[notification_messages_timezone]", Refused(Minimal with { TimeZone = zone }).Parameter);
    }

    [Fact]
    public void Validate_Retired_ValidatesLikeEveryProfile()
    {
        Assert.Equal(OptInTemplateRule.DefaultTitle, Accepted(Minimal, PolicyProfile.Retired).Offers[0].Title);
        Assert.Equal(
            DomainErrorKind.InvalidParameter,
            Refused(Minimal with { Title = new string('a', 66) }, PolicyProfile.Retired).Kind
        );
    }
}
