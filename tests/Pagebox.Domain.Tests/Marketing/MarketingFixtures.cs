using System.Globalization;
using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

/// <summary>A fixed fake "now" and token builders: the rules take the time as an argument, never read a
/// clock.</summary>
internal static class MarketingFixtures
{
    /// <summary>Wednesday 2025-06-04 10:00:00 UTC.</summary>
    public static readonly DateTimeOffset T0 = At("2025-06-04T10:00:00Z");

    public static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    public static TimeZoneInfo Utc => TimeZoneInfo.Utc;

    /// <summary>An active token made at <see cref="T0"/>, follow-ups already used up, never sent a regular
    /// message.</summary>
    public static NotificationToken Token(TokenFrequency? frequency = null) =>
        new(
            Token: "1234567890",
            PageId: "page-1",
            Psid: "psid-1",
            PersonId: "person-1",
            Title: "Deals",
            Payload: "deals-payload",
            TimeZone: "UTC",
            Frequency: frequency,
            ReOptIn: ReOptIn.Enabled,
            Status: TokenStatus.Active,
            UserTokenStatus: UserTokenStatus.NotRefreshed,
            Created: T0,
            Updated: T0,
            ExpiresAt: null,
            LastMarketingSendAt: null,
            FollowUpsSent: 3,
            FirstFollowUpAt: T0,
            FollowUpOpen: false
        );

    /// <summary>A token just opted in to at <see cref="T0"/>: follow-ups open since then, none sent.</summary>
    public static NotificationToken FreshToken() =>
        Token() with
        {
            FollowUpsSent = 0,
            FirstFollowUpAt = null,
            FollowUpOpen = true,
            FollowUpOpenedAt = T0,
        };

    public static NotificationToken SentAt(DateTimeOffset last, TokenFrequency? frequency = null) =>
        Token(frequency) with
        {
            LastMarketingSendAt = last,
        };
}
