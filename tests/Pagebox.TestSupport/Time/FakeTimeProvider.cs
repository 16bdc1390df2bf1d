using System.Globalization;

namespace Pagebox.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> that only moves when told to (YARP's <c>TestTimeProvider</c> shape). Like the app
/// clock it models, it never goes back. Timers are not supported: rules take <c>now</c>, they do not wait.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    /// <summary>The default start: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private readonly DateTimeOffset _start;
    private DateTimeOffset _now;
    private TimeZoneInfo _localTimeZone = TimeZoneInfo.Utc;

    public FakeTimeProvider()
        : this(DefaultStart) { }

    public FakeTimeProvider(DateTimeOffset start)
    {
        _start = start.ToUniversalTime();
        _now = _start;
    }

    public override TimeZoneInfo LocalTimeZone
    {
        get
        {
            lock (_gate)
            {
                return _localTimeZone;
            }
        }
    }

    /// <summary>Ticks (100 ns) per second, so timestamps are exact multiples of the fake time.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Elapsed fake ticks since the start, so <see cref="TimeProvider.GetElapsedTime(long)"/> follows the fake
    /// clock.</summary>
    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return (_now - _start).Ticks;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>; returns the new time.</summary>
    public DateTimeOffset Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_gate)
        {
            _now += delta;
            return _now;
        }
    }

    /// <summary>Sets the clock to <paramref name="value"/> (converted to UTC); it may not go back.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        lock (_gate)
        {
            if (utc < _now)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value),
                    value,
                    $"The fake clock only moves forward; it is at {_now:O}."
                );
            }

            _now = utc;
        }
    }

    public void SetLocalTimeZone(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        lock (_gate)
        {
            _localTimeZone = timeZone;
        }
    }

    /// <summary>Sets the local time zone by IANA (or Windows) id, e.g. <c>Europe/Berlin</c>.</summary>
    public void SetLocalTimeZone(string timeZoneId) =>
        SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("FakeTimeProvider has no timers: pass 'now' to the code under test instead.");

    public override string ToString() => GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
}
