using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// Validates a <c>notification_messages</c> template and fills in Meta's defaults. Errors name the parameter in
/// Graph's bracket form; element indexes are zero-based, as in JSON and Graph's own messages.
/// Meta documents the limits but not the errors; every refusal here is (#100) invalid/missing parameter (inferred).
/// </summary>
public static class OptInTemplateRule
{
    public const int MaxTitleLength = 65;
    public const int MinElements = 1;
    public const int MaxElements = 5;
    public const string DefaultTitle = "Updates and promotions";

    private const string Prefix = "message[attachment][payload]";

    /// <summary>
    /// Order: elements count; title (length, then required for a carousel); top-level payload;
    /// the enums and the time zone; then each element in order (payload, title, frequency, re-opt-in).
    /// </summary>
    public static Result<ValidatedOptIn> Validate(OptInTemplate template, PolicyProfile profile)
    {
        ArgumentNullException.ThrowIfNull(template);

        // No retired check: the opt-in template outlives the legacy sends, since the successor API reuses its tokens
        // (grow-marketing-messages-audience, "Option 3: Opt-in Requests").

        var elements = template.Elements;
        if (elements is not null && (elements.Count < MinElements || elements.Count > MaxElements))
            return DomainError.Invalid(
                $"{Prefix}[elements]",
                $"Param {Prefix}[elements] must contain between {MinElements} and {MaxElements} elements"
            );

        // An empty or blank title counts as absent: the default applies (or, for a carousel, it is missing).
        var title = Blank(template.Title) ? null : template.Title;
        if (title is not null && MarketingText.Length(title) > MaxTitleLength)
            return TitleTooLong($"{Prefix}[title]");
        if (elements is not null && title is null)
            return new DomainError(
                DomainErrorKind.MissingParameter,
                $"{Prefix}[title]",
                "The title parameter is required for marketing messages that contain a carousel"
            );
        title ??= DefaultTitle;

        // The top-level payload is required for a single opt-in; a carousel carries one per element instead.
        if (elements is null && string.IsNullOrEmpty(template.Payload))
            return DomainError.Missing($"{Prefix}[payload]");

        // The enums were read by the Server; a wrong wire value comes as its refusal, reported here in this order.
        var badEnum =
            Refusal(template.ImageAspectRatio)
            ?? Refusal(template.CtaText)
            ?? Refusal(template.Frequency)
            ?? Refusal(template.ReOptIn);
        if (badEnum is not null)
            return badEnum;
        var aspect = template.ImageAspectRatio?.Value;
        var cta = template.CtaText?.Value ?? CtaText.GetUpdates;

        // The frequency is deprecated after 2023-02-02 but a wrong value is still a wrong value: validated always,
        // kept only under 2023 (OptInTokens.Create).
        var frequency = template.Frequency?.Value ?? TokenFrequency.Daily;

        // Meta documents no default for re-opt-in; ENABLED is what its samples show (inferred).
        var reOptIn = template.ReOptIn?.Value ?? ReOptIn.Enabled;

        if (template.TimeZone is not null && !IsKnownTimeZone(template.TimeZone))
            return DomainError.Invalid(
                $"{Prefix}[notification_messages_timezone]",
                $"Param {Prefix}[notification_messages_timezone] must be a time zone id such as UTC or Europe/Paris"
            );

        if (elements is null)
        {
            var single = new OptInOffer(title, template.Payload!, template.ImageUrl, frequency, reOptIn);
            return Result<ValidatedOptIn>.Accept(
                new ValidatedOptIn(
                    title,
                    template.ImageUrl,
                    aspect,
                    cta,
                    template.TimeZone,
                    IsCarousel: false,
                    [single]
                )
            );
        }

        var offers = new List<OptInOffer>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            var offer = ValidateElement(elements[i], $"{Prefix}[elements][{i}]", title, frequency, reOptIn, profile);
            if (!offer.IsAccepted)
                return offer.Error;
            offers.Add(offer.Value);
        }
        return Result<ValidatedOptIn>.Accept(
            new ValidatedOptIn(title, template.ImageUrl, aspect, cta, template.TimeZone, IsCarousel: true, offers)
        );
    }

    /// <summary>
    /// An element inherits the template's title, frequency and re-opt-in when it has none; its image is its own
    /// (a card without image shows none). Under 2023 the element's frequency is required, as the doc of that era says
    /// ("Each element object must contain payload and notification_messages_frequency"); later it is deprecated.
    /// </summary>
    private static Result<OptInOffer> ValidateElement(
        OptInElement element,
        string name,
        string title,
        TokenFrequency frequency,
        ReOptIn reOptIn,
        PolicyProfile profile
    )
    {
        if (string.IsNullOrEmpty(element.Payload))
            return DomainError.Missing($"{name}[payload]");

        var elementTitle = Blank(element.Title) ? title : element.Title!;
        if (MarketingText.Length(elementTitle) > MaxTitleLength)
            return TitleTooLong($"{name}[title]");

        if (element.Frequency is null && profile == PolicyProfile.P2023)
            return DomainError.Missing($"{name}[notification_messages_frequency]");
        var badEnum = Refusal(element.Frequency) ?? Refusal(element.ReOptIn);
        if (badEnum is not null)
            return badEnum;

        return Result<OptInOffer>.Accept(
            new OptInOffer(
                elementTitle,
                element.Payload,
                element.ImageUrl,
                element.Frequency?.Value ?? frequency,
                element.ReOptIn?.Value ?? reOptIn
            )
        );
    }

    /// <summary>IANA ids, Windows ids (converted through ICU) and "UTC", as far as this machine's TimeZoneInfo knows
    /// them.</summary>
    public static bool IsKnownTimeZone(string id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    private static DomainError TitleTooLong(string name) =>
        DomainError.Invalid(name, $"Param {name} must be at most {MaxTitleLength} characters");

    /// <summary>The refusal of an enum the Server could not read; null when it is absent or valid.</summary>
    private static DomainError? Refusal<T>(Result<T>? read) =>
        read is { IsAccepted: false } refused ? refused.Error : null;
}
