using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Messaging;

/// <summary>The sends a Page made in one second of real time (Unix seconds).</summary>
public readonly record struct SendRateWindow(long Second, int Count);

/// <summary>
/// The Page's <c>send_rate_per_second</c> switch: at most that many sends per second per Page (the platform's is
/// 300/s for text). The count of sends already made in the current second decides; 613 when full. A rate is about
/// real load, so the caller passes the real clock's now, not the app's.
/// </summary>
public static class SendRateRule
{
    /// <summary>The window after this send, or the refusal when the second is full (the window then stays).</summary>
    public static Result<SendRateWindow> Take(SendRateWindow window, int limit, DateTimeOffset now, string pageId)
    {
        var second = now.ToUnixTimeSeconds();
        var current = window.Second == second ? window : new SendRateWindow(second, 0);
        return current.Count >= limit
            ? new DomainError(DomainErrorKind.RateLimited, pageId)
            : current with
            {
                Count = current.Count + 1,
            };
    }
}
