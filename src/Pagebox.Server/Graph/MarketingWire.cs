using System.Collections.Frozen;
using Pagebox.Domain.Marketing;

namespace Pagebox.Server.Graph;

/// <summary>
/// Wire names of the marketing enums, on the Server side only: Domain holds the enums, the parsers read these names
/// into them and the webhook encoder and the listings write them back. Parsing is case-sensitive, like Graph: only
/// the uppercase names are accepted, and a wrong value yields false (the caller turns that into an invalid-parameter
/// error), never an exception. Use an explicitly typed <c>out</c> variable to pick the enum. Each enum's names are
/// one row of <see cref="Tables"/>; an enum without a row fails on first use.
/// </summary>
internal static class MarketingWire
{
    private static readonly object[] Tables =
    [
        // Meta's webhook reference spells the status "STOP NOTIFICATIONS" (with a space), integrators match the
        // underscore form; we emit the underscore form and accept both when reading
        // (docs/spec/marketing-messages.md §3.2).
        new Names<TokenStatus>(
            [(TokenStatus.Active, "RESUME_NOTIFICATIONS"), (TokenStatus.Stopped, "STOP_NOTIFICATIONS")],
            [(TokenStatus.Active, "RESUME NOTIFICATIONS"), (TokenStatus.Stopped, "STOP NOTIFICATIONS")]
        ),
        new Names<TokenFrequency>([
            (TokenFrequency.Daily, "DAILY"),
            (TokenFrequency.Weekly, "WEEKLY"),
            (TokenFrequency.Monthly, "MONTHLY"),
        ]),
        new Names<UserTokenStatus>([
            (UserTokenStatus.NotRefreshed, "NOT_REFRESHED"),
            (UserTokenStatus.Refreshed, "REFRESHED"),
        ]),
        new Names<ReOptIn>([(ReOptIn.Enabled, "ENABLED"), (ReOptIn.Disabled, "DISABLED")]),
        new Names<CtaText>([
            (CtaText.GetUpdates, "GET_UPDATES"),
            (CtaText.Allow, "ALLOW"),
            (CtaText.Get, "GET"),
            (CtaText.OptIn, "OPT_IN"),
            (CtaText.SignUp, "SIGN_UP"),
        ]),
        new Names<ImageAspectRatio>([(ImageAspectRatio.Horizontal, "HORIZONTAL"), (ImageAspectRatio.Square, "SQUARE")]),
    ];

    /// <summary>The wire name of <paramref name="value"/>.</summary>
    public static string ToWire<T>(T value)
        where T : struct, Enum =>
        Table<T>.Names.Wire.TryGetValue(value, out var wire)
            ? wire
            : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>Reads a wire name (or an accepted alias); false, with the default value, when unknown.</summary>
    public static bool TryParse<T>(string? wire, out T value)
        where T : struct, Enum
    {
        value = default;
        return wire is not null && Table<T>.Names.Parsed.TryGetValue(wire, out value);
    }

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
    }

    private static class Table<T>
        where T : struct, Enum
    {
        public static readonly Names<T> Names = Tables.OfType<Names<T>>().Single();
    }
}
