using System.Collections.Concurrent;

namespace Pagebox.Server.Graph;

/// <summary>
/// Counts each Page's sends in the current second of real time, for the Page's <c>send_rate_per_second</c> switch. A
/// rate is about real load, so it reads the real clock, not the app's.
/// </summary>
internal sealed class SendRateCounter(TimeProvider real)
{
    private sealed class Window
    {
        public long Second;
        public int Count;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>How many sends the Page made so far in this second; counts this one when <paramref name="take"/> allows
    /// it.</summary>
    public int CountAndTake(string pageId, Func<int, bool> take)
    {
        var second = real.GetUtcNow().ToUnixTimeSeconds();
        var window = _windows.GetOrAdd(pageId, _ => new Window());
        lock (window)
        {
            if (window.Second != second)
                (window.Second, window.Count) = (second, 0);
            var before = window.Count;
            if (take(before))
                window.Count++;
            return before;
        }
    }
}
