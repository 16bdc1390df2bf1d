using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Campaigns;

/// <summary>The person's recent messaging, for the frequency caps.</summary>
/// <param name="PaidReceived">When the person received paid marketing messages (from any Page), newest last; at least
/// the last 7 days.</param>
/// <param name="Organic">The person's organic activity (messages they wrote, in any thread), at least the last 7
/// days.</param>
/// <param name="LastOrganic">The person's last organic activity ever; null when none.</param>
public sealed record ThreadRatioFacts(
    IReadOnlyList<DateTimeOffset> PaidReceived,
    IReadOnlyList<OrganicActivity> Organic,
    DateTimeOffset? LastOrganic
);

/// <summary>
/// The F-caps enforced on every send since 2026-04-10 (changelog). Three independent rules, in this order:
/// 1. weekly: blocked when the person's ratio of marketing messages to organic threads over the trailing 7 days
///    exceeds 20 %, unless they received no marketing message in those 7 days → WeeklyCap (2300042);
/// 2. daily: the same over the trailing day with 40 % → DailyCap (2300043);
/// 3. minimum organic threads: blocked unless the person was active in at least <see cref="MinOrganicThreads"/>
///    thread(s) since the last marketing message, unless their last organic activity is more than 7 days old (or
///    they have none) → MinOrganicThreads (2300044).
/// Readings Meta leaves open, taken strictly: the ratio counts the messages already received (not the one being sent);
/// an organic thread is a distinct conversation (a Page's or a friend's) in which the person wrote in the window; with
/// marketing messages and no organic thread the ratio is unbounded (blocked); "trailing" means strictly less than 7
/// days (1 day) old; the minimum is one thread.
/// </summary>
public static class ThreadRatioRule
{
    public static readonly TimeSpan Week = TimeSpan.FromDays(7);
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);
    public const int WeeklyPercent = 20;
    public const int DailyPercent = 40;
    public const int MinOrganicThreads = 1;

    public static DomainError? Check(ThreadRatioFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (Exceeds(facts, now, Week, WeeklyPercent))
            return PaidRefusal.Of(PaidMarketingReason.WeeklyCap);
        if (Exceeds(facts, now, Day, DailyPercent))
            return PaidRefusal.Of(PaidMarketingReason.DailyCap);

        var lastPaid = facts.PaidReceived.Count == 0 ? (DateTimeOffset?)null : facts.PaidReceived.Max();
        if (lastPaid is { } since && facts.LastOrganic is { } lastOrganic && now - lastOrganic <= Week)
        {
            var threadsSince = facts
                .Organic.Where(a => a.At > since)
                .Select(a => a.Thread)
                .Distinct(StringComparer.Ordinal)
                .Count();
            if (threadsSince < MinOrganicThreads)
                return PaidRefusal.Of(PaidMarketingReason.MinOrganicThreads);
        }
        return null;
    }

    /// <summary>Marketing messages over organic threads in the trailing window, against <paramref
    /// name="percent"/>.</summary>
    public static bool Exceeds(ThreadRatioFacts facts, DateTimeOffset now, TimeSpan window, int percent)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var paid = facts.PaidReceived.Count(t => now - t < window);
        if (paid == 0)
            return false;
        var threads = facts
            .Organic.Where(a => now - a.At < window)
            .Select(a => a.Thread)
            .Distinct(StringComparer.Ordinal)
            .Count();
        // paid / threads > percent / 100, in integers (no threads: unbounded).
        return threads == 0 || paid * 100L > threads * (long)percent;
    }
}
