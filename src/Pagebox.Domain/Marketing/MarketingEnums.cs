namespace Pagebox.Domain.Marketing;

// All of these are stored in the database: the numbers never change (PersistedEnumTests).

/// <summary>Whether the person lets the Page use the token. Wire: <c>notification_messages_status</c> of stop/resume
/// events.</summary>
public enum TokenStatus
{
    Active = 1,
    Stopped = 2,
}

/// <summary>Legacy per-token cadence (<c>notification_messages_frequency</c>); honoured only under <see
/// cref="PolicyProfile.P2023"/>.</summary>
public enum TokenFrequency
{
    Daily = 1,
    Weekly = 2,
    Monthly = 3,
}

/// <summary><c>user_token_status</c>: REFRESHED once the person tapped "Continue messages" (legacy
/// re-opt-in).</summary>
public enum UserTokenStatus
{
    NotRefreshed = 1,
    Refreshed = 2,
}

/// <summary><c>notification_messages_reoptin</c>: whether the legacy "Continue messages" prompt may be shown.</summary>
public enum ReOptIn
{
    Enabled = 1,
    Disabled = 2,
}

/// <summary><c>notification_messages_cta_text</c>: the label of the opt-in button.</summary>
public enum CtaText
{
    GetUpdates = 1,
    Allow = 2,
    Get = 3,
    OptIn = 4,
    SignUp = 5,
}

/// <summary><c>image_aspect_ratio</c> of the opt-in template: 1.91:1 or 1:1.</summary>
public enum ImageAspectRatio
{
    Horizontal = 1,
    Square = 2,
}

/// <summary>
/// Wire names of the marketing enums. Parsing is case-sensitive, like Graph: only the uppercase names are accepted,
/// and a wrong value yields false (the caller turns that into an invalid-parameter error), never an exception.
/// Use an explicitly typed <c>out</c> variable to pick the overload.
/// </summary>
public static class MarketingWire
{
    // Meta's webhook reference spells the status "STOP NOTIFICATIONS" (with a space), integrators match the underscore
    // form; we emit the underscore form and accept both when reading (docs/spec/marketing-messages.md §3.2).
    public static string ToWire(TokenStatus value) =>
        value switch
        {
            TokenStatus.Active => "RESUME_NOTIFICATIONS",
            TokenStatus.Stopped => "STOP_NOTIFICATIONS",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out TokenStatus value) =>
        Pick(
            wire switch
            {
                "RESUME_NOTIFICATIONS" or "RESUME NOTIFICATIONS" => TokenStatus.Active,
                "STOP_NOTIFICATIONS" or "STOP NOTIFICATIONS" => TokenStatus.Stopped,
                _ => (TokenStatus?)null,
            },
            out value
        );

    public static string ToWire(TokenFrequency value) =>
        value switch
        {
            TokenFrequency.Daily => "DAILY",
            TokenFrequency.Weekly => "WEEKLY",
            TokenFrequency.Monthly => "MONTHLY",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out TokenFrequency value) =>
        Pick(
            wire switch
            {
                "DAILY" => TokenFrequency.Daily,
                "WEEKLY" => TokenFrequency.Weekly,
                "MONTHLY" => TokenFrequency.Monthly,
                _ => (TokenFrequency?)null,
            },
            out value
        );

    public static string ToWire(UserTokenStatus value) =>
        value switch
        {
            UserTokenStatus.NotRefreshed => "NOT_REFRESHED",
            UserTokenStatus.Refreshed => "REFRESHED",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out UserTokenStatus value) =>
        Pick(
            wire switch
            {
                "NOT_REFRESHED" => UserTokenStatus.NotRefreshed,
                "REFRESHED" => UserTokenStatus.Refreshed,
                _ => (UserTokenStatus?)null,
            },
            out value
        );

    public static string ToWire(ReOptIn value) =>
        value switch
        {
            ReOptIn.Enabled => "ENABLED",
            ReOptIn.Disabled => "DISABLED",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out ReOptIn value) =>
        Pick(
            wire switch
            {
                "ENABLED" => ReOptIn.Enabled,
                "DISABLED" => ReOptIn.Disabled,
                _ => (ReOptIn?)null,
            },
            out value
        );

    public static string ToWire(CtaText value) =>
        value switch
        {
            CtaText.GetUpdates => "GET_UPDATES",
            CtaText.Allow => "ALLOW",
            CtaText.Get => "GET",
            CtaText.OptIn => "OPT_IN",
            CtaText.SignUp => "SIGN_UP",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out CtaText value) =>
        Pick(
            wire switch
            {
                "GET_UPDATES" => CtaText.GetUpdates,
                "ALLOW" => CtaText.Allow,
                "GET" => CtaText.Get,
                "OPT_IN" => CtaText.OptIn,
                "SIGN_UP" => CtaText.SignUp,
                _ => (CtaText?)null,
            },
            out value
        );

    /// <summary>The button label the person sees (English, as documented for each CTA value).</summary>
    public static string Label(CtaText value) =>
        value switch
        {
            CtaText.GetUpdates => "Get updates",
            CtaText.Allow => "Allow messages",
            CtaText.Get => "Get messages",
            CtaText.OptIn => "Opt in to messages",
            CtaText.SignUp => "Sign up for messages",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static string ToWire(ImageAspectRatio value) =>
        value switch
        {
            ImageAspectRatio.Horizontal => "HORIZONTAL",
            ImageAspectRatio.Square => "SQUARE",
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
        };

    public static bool TryParse(string? wire, out ImageAspectRatio value) =>
        Pick(
            wire switch
            {
                "HORIZONTAL" => ImageAspectRatio.Horizontal,
                "SQUARE" => ImageAspectRatio.Square,
                _ => (ImageAspectRatio?)null,
            },
            out value
        );

    private static bool Pick<T>(T? parsed, out T value)
        where T : struct, Enum
    {
        value = parsed ?? default;
        return parsed is not null;
    }
}
