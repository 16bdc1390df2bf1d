using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Campaigns;

/// <summary>A button of a marketing message, as sent (the Server reads it; shape errors are code 100 there).</summary>
public sealed record CreativeButton(string? Type, string? Title, string? Url);

/// <summary>One element of a generic or media template.</summary>
/// <param name="MediaType">image or video (generic: image when absent).</param>
/// <param name="HasImage">An <c>image_url</c> (generic) or a <c>url</c>/<c>attachment_id</c> (media template).</param>
/// <param name="ImageUrls">How many <c>image_urls</c> (the image grid); 0 when absent.</param>
/// <param name="HeroImages">How many of them say <c>is_hero_image: "true"</c>.</param>
/// <param name="HasVideo">A video (<c>media_type: video</c> with its url or attachment).</param>
/// <param name="HasSingleImageUrl">A single <c>image_url</c> beside the grid.</param>
/// <param name="Buttons">The element's buttons.</param>
public sealed record CreativeElement(
    string? MediaType,
    bool HasVideo,
    bool HasImage,
    bool HasSingleImageUrl,
    int ImageUrls,
    int HeroImages,
    IReadOnlyList<CreativeButton> Buttons
);

/// <summary>The facts of a marketing message's creative that the API's own error codes judge.</summary>
/// <param name="TemplateType">generic, button, media, product, receipt or coupon; null for a text message.</param>
/// <param name="Buttons">The button template's buttons.</param>
/// <param name="Personalized">Every text where macros apply (titles, subtitles, texts, the coupon's
/// pre-message).</param>
/// <param name="AttachmentId">A saved attachment a media template names (its parameter in <paramref
/// name="AttachmentParameter"/>).</param>
/// <param name="AttachmentPageId">The Page that saved it (filled in by the command from the store).</param>
/// <param name="Elements">The template's elements (generic or media).</param>
/// <param name="AttachmentParameter">The request parameter that named <paramref name="AttachmentId"/>, for the error
/// message.</param>
public sealed record PaidCreative(
    string? TemplateType,
    IReadOnlyList<CreativeElement> Elements,
    IReadOnlyList<CreativeButton> Buttons,
    IReadOnlyList<string> Personalized,
    string? AttachmentId = null,
    string? AttachmentParameter = null,
    string? AttachmentPageId = null
);

/// <summary>
/// The API's creative errors, in this order (first failure wins), element by element:
/// 1. image grid: <c>image_urls</c> in a carousel (more than one element) → ImageUrlsInCarousel (2300046); with
///    <c>image_url</c> too → SingleAndMultipleImages (2300047); more than one hero → MultipleHeroImages (2300048);
/// 2. media: video without a video → VideoWithoutVideoId (2300021); image (said explicitly, or by the media template)
///    without one → ImageWithoutImageUrl (2300022);
/// 3. buttons: more than 3 → TooManyButtons (2300026); a type other than web_url, postback or app, or a postback with a
///    video ("we do not support postback buttons in video payloads") → InvalidButtonType (2300023); a web_url or
/// postback
///    without title → EmptyButtonTitle (2300025); a web_url with an empty url → EmptyButtonUrl (2300024);
/// 4. a media template's attachment saved by another Page → AttachmentOfAnotherPage (2300027);
/// 5. an unknown <c>{{…}}</c> macro → UnresolvedPlaceholder (2300038).
/// </summary>
public static class PaidCreativeRule
{
    public const int MaxButtons = 3;
    public const int MaxGridImages = 6;

    public static DomainError? Check(PaidCreative creative, string pageId)
    {
        ArgumentNullException.ThrowIfNull(creative);
        var carousel = creative.Elements.Count > 1;
        foreach (var e in creative.Elements)
        {
            if (e.ImageUrls > 0 && carousel)
                return PaidRefusal.Of(PaidMarketingReason.ImageUrlsInCarousel);
            if (e.ImageUrls > 0 && e.HasSingleImageUrl)
                return PaidRefusal.Of(PaidMarketingReason.SingleAndMultipleImages);
            if (e.HeroImages > 1)
                return PaidRefusal.Of(PaidMarketingReason.MultipleHeroImages);
            var video = e.MediaType == "video";
            if (video && !e.HasVideo)
                return PaidRefusal.Of(PaidMarketingReason.VideoWithoutVideoId);
            var imageRequired = e.MediaType == "image" || (creative.TemplateType == "media" && !video);
            if (imageRequired && !e.HasImage && e.ImageUrls == 0)
                return PaidRefusal.Of(PaidMarketingReason.ImageWithoutImageUrl);
            if (CheckButtons(e.Buttons, video) is { } error)
                return error;
        }
        if (CheckButtons(creative.Buttons, video: false) is { } buttonError)
            return buttonError;
        if (creative.AttachmentPageId is { } owner && owner != pageId)
            return PaidRefusal.Of(PaidMarketingReason.AttachmentOfAnotherPage);
        if (creative.Personalized.Any(PersonalizationMacros.HasUnknown))
            return PaidRefusal.Of(PaidMarketingReason.UnresolvedPlaceholder);
        return null;
    }

    private static DomainError? CheckButtons(IReadOnlyList<CreativeButton> buttons, bool video)
    {
        if (buttons.Count > MaxButtons)
            return PaidRefusal.Of(PaidMarketingReason.TooManyButtons);
        foreach (var b in buttons)
        {
            if (b.Type is not ("web_url" or "postback" or "app") || (video && b.Type == "postback"))
                return PaidRefusal.Of(PaidMarketingReason.InvalidButtonType, $"got \"{b.Type}\"");
            if (b.Type is "web_url" or "postback" && string.IsNullOrEmpty(b.Title))
                return PaidRefusal.Of(PaidMarketingReason.EmptyButtonTitle);
            if (b.Type == "web_url" && string.IsNullOrEmpty(b.Url))
                return PaidRefusal.Of(PaidMarketingReason.EmptyButtonUrl);
        }
        return null;
    }
}
