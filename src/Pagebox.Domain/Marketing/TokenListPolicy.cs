namespace Pagebox.Domain.Marketing;

/// <summary>
/// What <c>GET /{PAGE-ID}/notification_message_tokens</c> offers under each rule set.
/// - 2023 and 2024: a page of 25 by default, at most 100 (the seed: "A list of up to 25 tokens is returned by default
///   … Currently, there is a limit of 100 tokens that can be returned").
/// - 2025-09 (and retired, which comes after it): 100 by default, at most 1000 (Meta's changelog of 2025-09-08,
///   "Increase the page limit from 100 to 1000"; the get-subscription-tokens page: "Default: 100, Maximum: 1000"),
///   with <c>do_not_return_duplicates</c> and the token fields <c>next_eligible_time_for_paid_messaging</c> and
///   <c>custom_audience_ids</c> of the Marketing Message API.
/// A larger limit is cut to the maximum, as Graph edges cap <c>limit</c>; the rest is reached through <c>after</c>.
/// </summary>
public static class TokenListPolicy
{
    public const int LegacyDefaultLimit = 25;
    public const int LegacyMaxLimit = 100;
    public const int DefaultLimit2025 = 100;
    public const int MaxLimit2025 = 1000;

    /// <summary>Whether the rule set has the Marketing Message API's additions (limits, dedupe, paid-messaging
    /// fields).</summary>
    public static bool HasMarketingMessageApi(PolicyProfile profile) =>
        profile is PolicyProfile.P2025_09 or PolicyProfile.Retired;

    public static int DefaultLimit(PolicyProfile profile) =>
        HasMarketingMessageApi(profile) ? DefaultLimit2025 : LegacyDefaultLimit;

    public static int MaxLimit(PolicyProfile profile) =>
        HasMarketingMessageApi(profile) ? MaxLimit2025 : LegacyMaxLimit;

    /// <summary>The page size for a requested <c>limit</c> (null: none given); callers refuse a limit below 1
    /// first.</summary>
    public static int PageSize(PolicyProfile profile, int? requested) =>
        requested is { } r ? Math.Min(r, MaxLimit(profile)) : DefaultLimit(profile);

    /// <summary>
    /// Whether <c>do_not_return_duplicates=true</c> applies. Before 2025-09 the parameter did not exist; Graph ignores
    /// parameters an edge does not know, so it is ignored there (a bot relying on it sees the duplicates it would have
    /// seen).
    /// </summary>
    public static bool OnePerRecipient(PolicyProfile profile, bool requested) =>
        requested && HasMarketingMessageApi(profile);

    /// <summary>
    /// Whether the list leaves out expired tokens: under the rule sets where tokens expire (<see
    /// cref="TokenLifetime.Applies"/>, 2023); later, every token the Page holds is listed.
    /// </summary>
    public static bool HidesExpired(PolicyProfile profile) => TokenLifetime.Applies(profile);
}
