namespace Pagebox.Domain.Campaigns;

/// <summary>
/// Days and weeks in an ad account's time zone: daily budgets reset at local midnight, the weekly cap of a daily
/// budget runs Sunday to Saturday, insights count by local date.
/// </summary>
public static class LocalCalendar
{
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The first instant of the local day containing <paramref name="instant"/>.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset instant, TimeZoneInfo zone) =>
        StartOf(DateOf(instant, zone), zone);

    public static DateTimeOffset NextDayStart(DateTimeOffset instant, TimeZoneInfo zone) =>
        StartOf(DateOf(instant, zone).AddDays(1), zone);

    /// <summary>Sunday 00:00 (local) of the calendar week containing <paramref name="instant"/>.</summary>
    public static DateTimeOffset WeekStart(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var date = DateOf(instant, zone);
        return StartOf(date.AddDays(-(int)date.DayOfWeek), zone);
    }

    public static DateTimeOffset NextWeekStart(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var date = DateOf(instant, zone);
        return StartOf(date.AddDays(7 - (int)date.DayOfWeek), zone);
    }

    /// <summary>
    /// The first instant of a local date. Where DST skips midnight the day starts at the jump; where midnight happens
    /// twice the first one counts. Each offset in force around the date is tried and the earliest instant whose
    /// UTC-to-local conversion is on or after local midnight wins (local-to-UTC conversion is not trusted at gaps).
    /// </summary>
    public static DateTimeOffset StartOf(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var midnight = date.ToDateTime(TimeOnly.MinValue);
        var wall = new DateTimeOffset(DateTime.SpecifyKind(midnight, DateTimeKind.Unspecified), TimeSpan.Zero);
        var near = wall - zone.BaseUtcOffset;
        DateTimeOffset? first = null;
        foreach (var probe in (ReadOnlySpan<DateTimeOffset>)[near.AddDays(-1), near, near.AddDays(1)])
        {
            var candidate = wall - zone.GetUtcOffset(probe);
            if (TimeZoneInfo.ConvertTime(candidate, zone).DateTime >= midnight && (first is null || candidate < first))
                first = candidate;
        }
        return first ?? wall - zone.GetUtcOffset(near);
    }

    public static TimeZoneInfo Zone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
