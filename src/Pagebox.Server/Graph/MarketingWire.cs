using System.Collections.Frozen;
using Pagebox.Domain.Marketing;

namespace Pagebox.Server.Graph;

/// <summary>
/// Wire names of the marketing enums, on the Server side only: Domain holds the enums, the parsers read these names
/// into them and the webhook encoder and the listings write them back. Parsing is case-sensitive, like Graph: only
/// the uppercase names are accepted, and a wrong value yields false (the caller turns that into an invalid-parameter
/// error), never an exception. Use an explicitly typed <c>out</c> variable to pick the enum. Each enum's names are
/// one table (<see cref="Names{T}"/>), and each enum has its own overload, so a missing one fails the build.
/// </summary>
internal static class MarketingWire
{
    // Meta's webhook reference spells the status "STOP NOTIFICATIONS" (with a space), integrators match the underscore
    // form; we emit the underscore form and accept both when reading (docs/spec/marketing-messages.md §3.2).
    private static readonly Names<TokenStatus> Status = new(
        [(TokenStatus.Active, "RESUME_NOTIFICATIONS"), (TokenStatus.Stopped, "STOP_NOTIFICATIONS")],
        [(TokenStatus.Active, "RESUME NOTIFICATIONS"), (TokenStatus.Stopped, "STOP NOTIFICATIONS")]
    );
    private static readonly Names<TokenFrequency> Frequency = new([
        (TokenFrequency.Daily, "DAILY"),
        (TokenFrequency.Weekly, "WEEKLY"),
        (TokenFrequency.Monthly, "MONTHLY"),
    ]);
    private static readonly Names<UserTokenStatus> UserStatus = new([
        (UserTokenStatus.NotRefreshed, "NOT_REFRESHED"),
        (UserTokenStatus.Refreshed, "REFRESHED"),
    ]);
    private static readonly Names<ReOptIn> ReOptIns = new([
        (ReOptIn.Enabled, "ENABLED"),
        (ReOptIn.Disabled, "DISABLED"),
    ]);
    private static readonly Names<CtaText> Cta = new([
        (CtaText.GetUpdates, "GET_UPDATES"),
        (CtaText.Allow, "ALLOW"),
        (CtaText.Get, "GET"),
        (CtaText.OptIn, "OPT_IN"),
        (CtaText.SignUp, "SIGN_UP"),
    ]);
    private static readonly Names<ImageAspectRatio> AspectRatio = new([
        (ImageAspectRatio.Horizontal, "HORIZONTAL"),
        (ImageAspectRatio.Square, "SQUARE"),
    ]);

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string ToWire(TokenStatus value) => Status.ToWire(value);

    /// <summary>Reads a wire name (or an accepted alias); false, with the default value, when unknown.</summary>
    public static bool TryParse(string? wire, out TokenStatus value) => Status.TryParse(wire, out value);

    /// <inheritdoc cref="ToWire(TokenStatus)"/>
    public static string ToWire(TokenFrequency value) => Frequency.ToWire(value);

    /// <inheritdoc cref="TryParse(string?, out TokenStatus)"/>
    public static bool TryParse(string? wire, out TokenFrequency value) => Frequency.TryParse(wire, out value);

    /// <inheritdoc cref="ToWire(TokenStatus)"/>
    public static string ToWire(UserTokenStatus value) => UserStatus.ToWire(value);

    /// <inheritdoc cref="TryParse(string?, out TokenStatus)"/>
    public static bool TryParse(string? wire, out UserTokenStatus value) => UserStatus.TryParse(wire, out value);

    /// <inheritdoc cref="ToWire(TokenStatus)"/>
    public static string ToWire(ReOptIn value) => ReOptIns.ToWire(value);

    /// <inheritdoc cref="TryParse(string?, out TokenStatus)"/>
    public static bool TryParse(string? wire, out ReOptIn value) => ReOptIns.TryParse(wire, out value);

    /// <inheritdoc cref="ToWire(TokenStatus)"/>
    public static string ToWire(CtaText value) => Cta.ToWire(value);

    /// <inheritdoc cref="TryParse(string?, out TokenStatus)"/>
    public static bool TryParse(string? wire, out CtaText value) => Cta.TryParse(wire, out value);

    /// <inheritdoc cref="ToWire(TokenStatus)"/>
    public static string ToWire(ImageAspectRatio value) => AspectRatio.ToWire(value);

    /// <inheritdoc cref="TryParse(string?, out TokenStatus)"/>
    public static bool TryParse(string? wire, out ImageAspectRatio value) => AspectRatio.TryParse(wire, out value);

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

    /// <summary>One enum's names: the one it is written as, and every spelling it is read from.</summary>
    private sealed class Names<T>((T Value, string Wire)[] names, (T Value, string Wire)[]? aliases = null)
        where T : struct, Enum
    {
        public FrozenDictionary<T, string> Wire { get; } = names.ToFrozenDictionary(n => n.Value, n => n.Wire);

        public FrozenDictionary<string, T> Parsed { get; } =
            names.Concat(aliases ?? []).ToFrozenDictionary(n => n.Wire, n => n.Value, StringComparer.Ordinal);

        public string ToWire(T value) =>
            Wire.TryGetValue(value, out var wire)
                ? wire
                : throw new ArgumentOutOfRangeException(nameof(value), value, null);

        public bool TryParse(string? wire, out T value)
        {
            value = default;
            return wire is not null && Parsed.TryGetValue(wire, out value);
        }
    }
}
