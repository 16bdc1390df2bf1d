using Pagebox.Domain.Campaigns;
using static Pagebox.Domain.Tests.Campaigns.CampaignFixtures;

namespace Pagebox.Domain.Tests.Campaigns;

public class PaidCreativeRuleTests
{
    private static CreativeButton Url(string title = "Shop") => new("web_url", title, "https://shop.example/");

    private static CreativeElement Element(
        string? mediaType = null,
        bool video = false,
        bool image = true,
        int grid = 0,
        int heroes = 0,
        params CreativeButton[] buttons
    ) => new(mediaType, video, image, image, grid, heroes, buttons);

    private static PaidMarketingReason? Check(PaidCreative creative) =>
        Reason(PaidCreativeRule.Check(creative, "page-1"));

    private static PaidCreative Generic(params CreativeElement[] elements) => new("generic", elements, [], []);

    [Fact]
    public void Check_ThreeButtons_Allowed_Four_TooManyButtons()
    {
        Assert.Null(Check(Generic(Element(buttons: [Url(), Url(), Url()]))));
        Assert.Equal(
            PaidMarketingReason.TooManyButtons,
            Check(Generic(Element(buttons: [Url(), Url(), Url(), Url()])))
        );
    }

    [Fact]
    public void Check_ButtonTemplate_FourButtons_TooManyButtons()
    {
        Assert.Equal(
            PaidMarketingReason.TooManyButtons,
            Check(new PaidCreative("button", [], [Url(), Url(), Url(), Url()], []))
        );
    }

    [Theory]
    [InlineData("web_url", null)]
    [InlineData("postback", null)]
    [InlineData("app", null)]
    [InlineData("phone_number", PaidMarketingReason.InvalidButtonType)]
    [InlineData(null, PaidMarketingReason.InvalidButtonType)]
    public void Check_ButtonTypes(string? type, PaidMarketingReason? expected)
    {
        Assert.Equal(
            expected,
            Check(Generic(Element(buttons: [new CreativeButton(type, "Go", "https://x.example/")])))
        );
    }

    [Fact]
    public void Check_PostbackWithVideo_InvalidButtonType()
    {
        Assert.Equal(
            PaidMarketingReason.InvalidButtonType,
            Check(
                Generic(
                    Element("video", video: true, image: false, buttons: [new CreativeButton("postback", "Go", null)])
                )
            )
        );
    }

    [Fact]
    public void Check_EmptyTitleAndUrl()
    {
        Assert.Equal(
            PaidMarketingReason.EmptyButtonTitle,
            Check(Generic(Element(buttons: [new CreativeButton("web_url", "", "https://x.example/")])))
        );
        Assert.Equal(
            PaidMarketingReason.EmptyButtonUrl,
            Check(Generic(Element(buttons: [new CreativeButton("web_url", "Go", "")])))
        );
    }

    [Fact]
    public void Check_MediaTypes()
    {
        Assert.Equal(
            PaidMarketingReason.VideoWithoutVideoId,
            Check(Generic(Element("video", video: false, image: false)))
        );
        Assert.Equal(PaidMarketingReason.ImageWithoutImageUrl, Check(Generic(Element("image", image: false))));
        Assert.Null(Check(Generic(Element(null, image: false))));
        Assert.Equal(
            PaidMarketingReason.ImageWithoutImageUrl,
            Check(new PaidCreative("media", [Element("image", image: false)], [], []))
        );
    }

    [Fact]
    public void Check_ImageGrid()
    {
        Assert.Null(Check(Generic(new CreativeElement(null, false, false, false, 6, 1, []))));
        Assert.Equal(
            PaidMarketingReason.ImageUrlsInCarousel,
            Check(Generic(new CreativeElement(null, false, false, false, 2, 0, []), Element()))
        );
        Assert.Equal(
            PaidMarketingReason.SingleAndMultipleImages,
            Check(Generic(new CreativeElement(null, false, true, true, 2, 0, [])))
        );
        Assert.Equal(
            PaidMarketingReason.MultipleHeroImages,
            Check(Generic(new CreativeElement(null, false, false, false, 3, 2, [])))
        );
    }

    [Fact]
    public void Check_AttachmentOfAnotherPage()
    {
        var creative = new PaidCreative("media", [Element("image")], [], [], "att-1", "p", "page-2");

        Assert.Equal(PaidMarketingReason.AttachmentOfAnotherPage, Check(creative));
        Assert.Null(Check(creative with { AttachmentPageId = "page-1" }));
    }

    [Theory]
    [InlineData("Hi {{first_name}}!", null)]
    [InlineData("Hi {{last_name}} / {{full_name}}", null)]
    [InlineData("Hi {{nickname}}", PaidMarketingReason.UnresolvedPlaceholder)]
    [InlineData("Hi {{ first_name }}", PaidMarketingReason.UnresolvedPlaceholder)]
    [InlineData("Braces { not a macro }", null)]
    public void Check_Macros(string text, PaidMarketingReason? expected)
    {
        Assert.Equal(expected, Check(Text(text)));
    }
}

public class PersonalizationMacrosTests
{
    [Theory]
    [InlineData("New sale for you, {{first_name}}!", "John Doe", "New sale for you, John!")]
    [InlineData("{{last_name}}|{{full_name}}", "John Doe", "Doe|John Doe")]
    [InlineData("{{first_name}}{{last_name}}", "Cher", "Cher")]
    [InlineData("{{first_name}} {{last_name}}", "Mary Ann Smith", "Mary Ann Smith")]
    [InlineData("No macros", "John Doe", "No macros")]
    public void Render_FillsTheThreeMacros(string text, string name, string expected)
    {
        Assert.Equal(expected, PersonalizationMacros.Render(text, name));
    }
}
