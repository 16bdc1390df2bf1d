using Pagebox.Domain.Time;
using Pagebox.Testing;

namespace Pagebox.Domain.Tests.Time;

/// <summary>An app's clock: real time plus a stored offset, moving only forward (docs/design-notes.md §2).</summary>
public sealed class AppClockTests
{
    /// <summary>A real time that is not on a whole millisecond, as real clocks rarely are.</summary>
    private static readonly DateTimeOffset RealStart = new DateTimeOffset(2025, 6, 4, 10, 0, 0, TimeSpan.Zero).AddTicks(
        3_000
    );

    [Fact]
    public void GetUtcNow_Offset_RealTimePlusOffset()
    {
        var real = new FakeTimeProvider(RealStart);
        var clock = new AppClock(real, 60_000);

        real.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(RealStart + TimeSpan.FromSeconds(61), clock.GetUtcNow());
    }

    [Fact]
    public void OffsetFor_FutureTarget_ClockReadsAtLeastTheTarget()
    {
        // Setting the clock to the end of a messaging window must close the window, not leave it open for a
        // fraction of a millisecond.
        var real = new FakeTimeProvider(RealStart);
        var clock = new AppClock(real, 0);
        var target = new DateTimeOffset(2025, 6, 5, 10, 0, 0, TimeSpan.Zero);

        clock.SetOffset(clock.OffsetFor(target)!.Value);

        Assert.True(clock.GetUtcNow() >= target, $"set to {target:O}, reads {clock.GetUtcNow():O}");
    }

    [Fact]
    public void OffsetFor_PastTarget_Null()
    {
        var clock = new AppClock(new FakeTimeProvider(RealStart), 0);

        Assert.Null(clock.OffsetFor(RealStart - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void SetOffset_SmallerOffset_ClockDoesNotGoBack()
    {
        var clock = new AppClock(new FakeTimeProvider(RealStart), 10_000);

        clock.SetOffset(5_000);

        Assert.Equal(10_000, clock.OffsetMs);
        Assert.Equal(RealStart + TimeSpan.FromSeconds(10), clock.GetUtcNow());
    }
}
