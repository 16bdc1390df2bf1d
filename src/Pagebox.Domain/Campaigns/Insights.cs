namespace Pagebox.Domain.Campaigns;

/// <summary>An insights period: local dates, both inclusive (Meta's date_start and date_stop).</summary>
public sealed record InsightsPeriod(DateOnly Start, DateOnly Stop)
{
    public DateTimeOffset From(TimeZoneInfo zone) => LocalCalendar.StartOf(Start, zone);

    public DateTimeOffset Until(TimeZoneInfo zone) => LocalCalendar.StartOf(Stop.AddDays(1), zone);
}

/// <summary>
/// The insights edge's <c>date_preset</c> values (measure-performance page) as local dates. As in the Marketing API,
/// <c>last_Nd</c> ends yesterday and <c>today</c> is today only; <c>maximum</c> and <c>data_maximum</c> start at the
/// first send. The documented default is <c>last_30d</c>.
/// </summary>
public static class InsightsPeriods
{
    public const string DefaultPreset = "last_30d";

    public static readonly IReadOnlyList<string> Presets =
    [
        "today",
        "yesterday",
        "this_month",
        "last_month",
        "this_quarter",
        "maximum",
        "data_maximum",
        "last_3d",
        "last_7d",
        "last_14d",
        "last_28d",
        "last_30d",
        "last_90d",
        "last_week_mon_sun",
        "last_week_sun_sat",
        "last_quarter",
        "last_year",
        "this_week_mon_today",
        "this_week_sun_today",
        "this_year",
    ];

    public static InsightsPeriod? For(string preset, DateOnly today, DateOnly? firstSend)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var sunday = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        var quarter = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        return preset switch
        {
            "today" => new(today, today),
            "yesterday" => new(today.AddDays(-1), today.AddDays(-1)),
            "last_3d" => Last(today, 3),
            "last_7d" => Last(today, 7),
            "last_14d" => Last(today, 14),
            "last_28d" => Last(today, 28),
            "last_30d" => Last(today, 30),
            "last_90d" => Last(today, 90),
            "this_month" => new(month, today),
            "last_month" => new(month.AddMonths(-1), month.AddDays(-1)),
            "this_quarter" => new(quarter, today),
            "last_quarter" => new(quarter.AddMonths(-3), quarter.AddDays(-1)),
            "this_year" => new(new DateOnly(today.Year, 1, 1), today),
            "last_year" => new(new DateOnly(today.Year - 1, 1, 1), new DateOnly(today.Year - 1, 12, 31)),
            "this_week_mon_today" => new(monday, today),
            "this_week_sun_today" => new(sunday, today),
            "last_week_mon_sun" => new(monday.AddDays(-7), monday.AddDays(-1)),
            "last_week_sun_sat" => new(sunday.AddDays(-7), sunday.AddDays(-1)),
            "maximum" or "data_maximum" => new(firstSend is { } f && f < today ? f : today, today),
            _ => null,
        };
    }

    private static InsightsPeriod Last(DateOnly today, int days) => new(today.AddDays(-days), today.AddDays(-1));
}

/// <summary>What <c>message_delivery_estimate</c> answers: numbers of sends and their cost (smallest currency
/// unit).</summary>
public sealed record DeliveryEstimate(
    long DeliveryLowerBound,
    long DeliveryUpperBound,
    long CostLowerBound,
    long CostUpperBound
);

/// <summary>
/// Pagebox's estimate (Meta's is a model of budget, audience and per-country prices): every sendable subscriber can
/// take one message per 12 hours, so at most two a day; the budget (daily × days, or lifetime) buys budget ÷ price
/// sends. Lower bound: one message per subscriber within the budget; upper bound: two a day within the budget.
/// </summary>
public static class DeliveryEstimator
{
    public static DeliveryEstimate Estimate(
        int subscribers,
        long price,
        long? dailyBudget,
        long? lifetimeBudget,
        int days
    )
    {
        var audienceUpper = subscribers * 2L * Math.Max(1, days);
        long? affordable =
            dailyBudget is { } d ? d * Math.Max(1, days) / price
            : lifetimeBudget is { } l ? l / price
            : null;
        var upper = Math.Min(audienceUpper, affordable ?? long.MaxValue);
        var lower = Math.Min(subscribers, upper);
        return new DeliveryEstimate(lower, upper, lower * price, upper * price);
    }
}
