using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// How often a token may carry a regular marketing message (follow-ups are outside this rule, see
/// <see cref="FollowUpRule"/>). Refusal: MarketingTooSoon (4/2018354) carrying the next eligible time.
/// </summary>
public static class FrequencyRule
{
    /// <summary>The 2024 rule: "one message per day per notification message token", read as 24 h after the
    /// last.</summary>
    public static readonly TimeSpan Cooldown2024 = TimeSpan.FromHours(24);

    /// <summary>From 2025-09-01 the cooldown per token became 48 h.</summary>
    public static readonly TimeSpan Cooldown2025 = TimeSpan.FromHours(48);

    /// <summary>
    /// When the token may carry its next regular marketing message; null when it never carried one (or under the
    /// retired profile, where nothing is ever eligible and the retired error comes first).
    /// Under 2023 the token's own frequency applies (DAILY when none): DAILY is 24 h; WEEKLY and MONTHLY are calendar
    /// periods in the Page's time zone ("Monday at 12:00am until Sunday at 11:59pm in the time zone set by the Page"),
    /// so the next one starts at the next Monday 00:00 or the next 1st 00:00, local time.
    /// </summary>
    public static DateTimeOffset? NextEligibleTime(
        NotificationToken token,
        PolicyProfile profile,
        TimeZoneInfo pageTimeZone
    )
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(pageTimeZone);
        if (token.LastMarketingSendAt is not { } last)
            return null;

        return profile switch
        {
            PolicyProfile.P2025_09 => last + Cooldown2025,
            PolicyProfile.P2024 => last + Cooldown2024,
            PolicyProfile.P2023 => (token.Frequency ?? TokenFrequency.Daily) switch
            {
                TokenFrequency.Weekly => NextWeekStart(last, pageTimeZone),
                TokenFrequency.Monthly => NextMonthStart(last, pageTimeZone),
                _ => last + Cooldown2024,
            },
            _ => null,
        };
    }

    /// <summary>Null when a regular marketing message may go now; exactly at the next eligible time is
    /// allowed.</summary>
    public static DomainError? Check(
        NotificationToken token,
        PolicyProfile profile,
        TimeZoneInfo pageTimeZone,
        DateTimeOffset now
    )
    {
        var next = NextEligibleTime(token, profile, pageTimeZone);
        return next is { } n && now < n
            ? new DomainError(DomainErrorKind.MarketingTooSoon) { NextEligibleTime = n }
            : null;
    }

    /// <summary>Monday 00:00 of the calendar week after the one containing <paramref name="instant"/>, in <paramref
    /// name="zone"/>.</summary>
    public static DateTimeOffset NextWeekStart(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime.Date;
        var daysToMonday = ((int)DayOfWeek.Monday - (int)local.DayOfWeek + 7) % 7;
        return StartOfLocalDay(local.AddDays(daysToMonday == 0 ? 7 : daysToMonday), zone);
    }

    /// <summary>The 1st of the month after the one containing <paramref name="instant"/>, 00:00 in <paramref
    /// name="zone"/>.</summary>
    public static DateTimeOffset NextMonthStart(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return StartOfLocalDay(new DateTime(local.Year, local.Month, 1).AddMonths(1), zone);
    }

    /// <summary>
    /// The first instant of a local calendar day. Mind DST: where midnight is skipped (Chile, Paraguay: clocks go from
    /// 23:59:59 to 01:00) the day starts at the jump; where midnight happens twice (Cuba) the first one counts.
    /// Local-to-UTC conversion (IsInvalidTime, GetUtcOffset of a local time) is not trusted: .NET reads Paraguay's
    /// 2023-10-01 gap as valid. Instead each offset in force around that day is tried, and the earliest instant whose
    /// UTC-to-local conversion (which follows the tz transitions exactly) is on or after local midnight wins.
    /// </summary>
    private static DateTimeOffset StartOfLocalDay(DateTime date, TimeZoneInfo zone)
    {
        // Local wall-clock midnight written as if it were UTC; subtracting an offset gives a real instant.
        var wallMidnight = new DateTimeOffset(DateTime.SpecifyKind(date.Date, DateTimeKind.Unspecified), TimeSpan.Zero);
        var near = wallMidnight - zone.BaseUtcOffset;
        DateTimeOffset? first = null;
        foreach (var probe in (ReadOnlySpan<DateTimeOffset>)[near.AddDays(-1), near, near.AddDays(1)])
        {
            var candidate = wallMidnight - zone.GetUtcOffset(probe);
            var local = TimeZoneInfo.ConvertTime(candidate, zone).DateTime;
            if (local >= date.Date && (first is null || candidate < first))
                first = candidate;
        }
        return first ?? wallMidnight - zone.GetUtcOffset(near);
    }
}
