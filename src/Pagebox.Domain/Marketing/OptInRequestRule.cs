using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Marketing;

/// <summary>An opt-in request the Page sent earlier to the same person (one row per topic offered).</summary>
public sealed record SentOptInRequest(string Title, string? ImageUrl, DateTimeOffset SentAt);

/// <summary>The facts the caller gathers before a Page sends a <c>notification_messages</c> template.</summary>
/// <param name="OptInRequestsAllowed">The Page setting <c>optin_requests_allowed</c>; false = barred
/// (10/1404170).</param>
/// <param name="WindowOpen">Whether the standard messaging window with this person is open now (computed by the
/// caller).</param>
/// <param name="Earlier">Earlier opt-in requests from this Page to this person; older than 7 days may be left
/// out.</param>
/// <param name="Topics">The topics of this request: one, or one per carousel element (<see
/// cref="ValidatedOptIn.Offers"/>).</param>
/// <param name="Platform">Messenger or Instagram (Instagram adds its volume limits).</param>
/// <param name="Profile">The marketing policy profile in force.</param>
public sealed record OptInRequestFacts(
    Platform Platform,
    PolicyProfile Profile,
    bool OptInRequestsAllowed,
    bool WindowOpen,
    IReadOnlyList<SentOptInRequest> Earlier,
    IReadOnlyList<OptInTopic> Topics
);

/// <summary>
/// May the Page send this opt-in request now? Checks, in this order (first failure wins):
/// 1. Page barred from opt-in requests → OptInRequestsBarred (10/1404170);
/// 2. standard messaging window closed → OutsideWindow;
/// 3. same topic requested in the last 7 days → OptInRequestDuplicate (613/1893016);
/// 4. Instagram only: more than 5 requests in the last 24 h, or more than 10 different titles in the last 7 days
///    → OptInVolumeLimit (9/2018352).
/// A carousel counts as one request per distinct topic among its elements: each element opts in to its own topic and
/// makes its own token. Two elements with the same topic count once. The caller stores one
/// <see cref="SentOptInRequest"/> per distinct topic when the send is accepted.
/// </summary>
public static class OptInRequestRule
{
    /// <summary>"One request per week per person with the same title": a rolling 7 × 24 h, not a calendar
    /// week.</summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromDays(7);

    /// <summary>Instagram's "≤ 5 per day" read as a rolling 24 h: Meta gives no time zone for a calendar day.</summary>
    public static readonly TimeSpan InstagramDay = TimeSpan.FromHours(24);

    public const int InstagramMaxPerDay = 5;
    public const int InstagramMaxTitlesPerWeek = 10;

    public static DomainError? Check(OptInRequestFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);

        // The retired profile keeps opt-in requests: the successor API sends on the tokens they make.
        if (!facts.OptInRequestsAllowed)
            return DomainError.Of(DomainErrorKind.OptInRequestsBarred);
        if (!facts.WindowOpen)
            return DomainError.Of(DomainErrorKind.OutsideWindow);

        var instagram = facts.Platform == Platform.Instagram;
        var topics = facts.Topics.Select(t => Key(t.Title, t.ImageUrl, instagram)).Distinct().ToList();

        // Within the window means strictly less than 7 days ago: exactly 604 800 s later is allowed again.
        var lastWeek = facts.Earlier.Where(r => now - r.SentAt < DuplicateWindow).ToList();
        var recentKeys = lastWeek.Select(r => Key(r.Title, r.ImageUrl, instagram)).ToHashSet();
        if (topics.Any(recentKeys.Contains))
            return DomainError.Of(DomainErrorKind.OptInRequestDuplicate);

        if (instagram)
        {
            var lastDay = lastWeek.Count(r => now - r.SentAt < InstagramDay);
            if (lastDay + topics.Count > InstagramMaxPerDay)
                return DomainError.Of(DomainErrorKind.OptInVolumeLimit);

            var titles = lastWeek
                .Select(r => r.Title)
                .Concat(topics.Select(t => t.Title))
                .Distinct(StringComparer.Ordinal)
                .Count();
            if (titles > InstagramMaxTitlesPerWeek)
                return DomainError.Of(DomainErrorKind.OptInVolumeLimit);
        }

        return null;
    }

    // Titles compare exactly (ordinal, case-sensitive): Meta does not say it folds case. On Messenger the image is
    // ignored, so the key drops it.
    private static OptInTopic Key(string title, string? imageUrl, bool instagram) =>
        new(title, instagram ? imageUrl : null);
}
