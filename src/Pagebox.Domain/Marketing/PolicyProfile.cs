namespace Pagebox.Domain.Marketing;

/// <summary>
/// Which dated rule set of the marketing-messages product applies (docs/spec/control-api.md, "Policy profiles").
/// Chosen once by <c>--policy</c>; the app's clock never switches between them. Stored, so numbered.
/// </summary>
public enum PolicyProfile
{
    /// <summary>Before 2023-08-10: per-token DAILY/WEEKLY/MONTHLY frequency, tokens expire, re-opt-in
    /// prompts.</summary>
    P2023 = 1,

    /// <summary>2023-08-10 to 2025-08-31: one marketing message per token per 24 h, tokens never expire.</summary>
    P2024 = 2,

    /// <summary>From 2025-09-01 (default): one marketing message per token per 48 h.</summary>
    P2025_09 = 3,

    /// <summary>After the deprecation (Meta gives both 2026-01-12 and 2026-02-10): everything fails.</summary>
    Retired = 4,
}

public static class PolicyProfiles
{
    public const PolicyProfile Default = PolicyProfile.P2025_09;

    /// <summary>Parses the <c>--policy</c> value: "2023", "2024", "2025-09" or "retired" (exact spelling).</summary>
    public static bool TryParse(string? value, out PolicyProfile profile)
    {
        PolicyProfile? parsed = value switch
        {
            "2023" => PolicyProfile.P2023,
            "2024" => PolicyProfile.P2024,
            "2025-09" => PolicyProfile.P2025_09,
            "retired" => PolicyProfile.Retired,
            _ => null,
        };
        profile = parsed ?? Default;
        return parsed is not null;
    }

    public static string ToWire(PolicyProfile profile) =>
        profile switch
        {
            PolicyProfile.P2023 => "2023",
            PolicyProfile.P2024 => "2024",
            PolicyProfile.P2025_09 => "2025-09",
            PolicyProfile.Retired => "retired",
            _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, null),
        };
}
