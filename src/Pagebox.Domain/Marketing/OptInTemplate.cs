using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// A <c>notification_messages</c> template as the Server reads it from <c>message.attachment.payload</c>, null when
/// absent. The enums come read by the Server: each one its value, or the refusal of its wire value (an
/// <see cref="DomainError"/> naming the parameter), which <see cref="OptInTemplateRule"/> reports in its own
/// order of checks, so a template with several faults is refused for the first one the rule meets.
/// </summary>
public sealed record OptInTemplate(
    string? Title = null,
    string? Payload = null,
    string? ImageUrl = null,
    Result<ImageAspectRatio>? ImageAspectRatio = null,
    Result<CtaText>? CtaText = null,
    string? TimeZone = null,
    Result<TokenFrequency>? Frequency = null,
    Result<ReOptIn>? ReOptIn = null,
    IReadOnlyList<OptInElement>? Elements = null
);

/// <summary>One card of a carousel opt-in (<c>elements[i]</c>).</summary>
public sealed record OptInElement(
    string? Title = null,
    string? Payload = null,
    string? ImageUrl = null,
    Result<TokenFrequency>? Frequency = null,
    Result<ReOptIn>? ReOptIn = null
);

/// <summary>A valid template with Meta's defaults filled in.</summary>
/// <param name="Title">The template title, "Updates and promotions" when none was given.</param>
/// <param name="Offers">What the person can opt in to: one offer, or one per carousel element.</param>
/// <param name="ImageUrl">The template's image; null for none.</param>
/// <param name="AspectRatio">The image's aspect ratio; null when there is no image.</param>
/// <param name="Cta">The text of the opt-in button.</param>
/// <param name="TimeZone">The <c>notification_messages_timezone</c> given, echoed on the token.</param>
/// <param name="IsCarousel">The request came as a carousel of elements.</param>
public sealed record ValidatedOptIn(
    string Title,
    string? ImageUrl,
    ImageAspectRatio? AspectRatio,
    CtaText Cta,
    string? TimeZone,
    bool IsCarousel,
    IReadOnlyList<OptInOffer> Offers
);

/// <summary>One topic the person can opt in to; tapping its button makes one token.</summary>
public sealed record OptInOffer(
    string Title,
    string Payload,
    string? ImageUrl,
    TokenFrequency Frequency,
    ReOptIn ReOptIn
)
{
    public OptInTopic Topic => new(Title, ImageUrl);
}

/// <summary>
/// What makes two opt-in requests "the same": the title on Messenger, the title and image URL on Instagram.
/// </summary>
public sealed record OptInTopic(string Title, string? ImageUrl);
