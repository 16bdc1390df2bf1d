using Pagebox.Domain.Marketing;

namespace Pagebox.Server.Graph;

/// <summary>
/// Wire names of the marketing enums, on the Server side only: Domain holds the enums, the parsers read these names
/// into them and the webhook encoder and the listings write them back. Parsing is case-sensitive, like Graph: only
/// the uppercase names are accepted, and a wrong value yields false (the caller turns that into an invalid-parameter
/// error), never an exception. Use an explicitly typed <c>out</c> variable to pick the overload.
/// </summary>
internal static class MarketingWire
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
