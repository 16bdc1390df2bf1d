namespace Pagebox.Domain.Time;

/// <summary>
/// An app's clock: the real time plus a stored offset. It only moves forward (docs/design-notes.md §2).
/// </summary>
public sealed class AppClock(TimeProvider real, long offsetMs) : TimeProvider
{
    private long _offsetMs = offsetMs;

    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow().AddMilliseconds(OffsetMs);

    /// <summary>The offset that makes this clock read <paramref name="target"/>, or null if that would move it
    /// back.</summary>
    public long? OffsetFor(DateTimeOffset target)
    {
        var now = GetUtcNow();
        if (target < now)
            return null;
        return OffsetMs + (long)Math.Ceiling((target - now).TotalMilliseconds);
    }

    public void SetOffset(long offsetMs)
    {
        // Monotonic: a concurrent smaller offset never wins.
        long current;
        do
        {
            current = Interlocked.Read(ref _offsetMs);
            if (offsetMs <= current)
                return;
        } while (Interlocked.CompareExchange(ref _offsetMs, offsetMs, current) != current);
    }
}
