namespace Pagebox.Domain.Webhooks;

/// <summary>
/// When to try a failed webhook delivery again. Messenger retries "immediately a few times" and disables a
/// subscription that is still failing after one hour (docs/spec/webhooks.md §3.4), so the first retries come within
/// seconds and the horizon is one hour on the app's clock.
/// </summary>
public static class RetrySchedule
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(1);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

    /// <summary>Delay after the <paramref name="attempts"/>-th failed attempt: 1 s, 2 s, 4 s … capped at 5 min, ±20 %
    /// jitter.</summary>
    public static TimeSpan Next(int attempts, Random random)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var baseMs = Math.Min(1000.0 * Math.Pow(2, exponent), Cap.TotalMilliseconds);
        var jitter = 0.8 + (random.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(Math.Round(baseMs * jitter));
    }

    /// <summary>Whether a delivery first attempted at <paramref name="created"/> should be given up at <paramref
    /// name="now"/>.</summary>
    public static bool ShouldGiveUp(DateTimeOffset created, DateTimeOffset now) => now - created >= GiveUpAfter;
}
