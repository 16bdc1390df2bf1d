using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Tests.Webhooks;

/// <summary>
/// Webhook retries: Messenger retries "immediately a few times" and gives up after one hour (docs/spec/webhooks.md
/// §3.4).
/// </summary>
public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A Random whose jitter draw is fixed: 0 = the shortest delay, 0.5 = no jitter, just under 1 = the
    /// longest.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    [Theory]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(4, 8_000)]
    [InlineData(8, 128_000)]
    [InlineData(9, 256_000)]
    [InlineData(10, 300_000)]
    public void Next_NoJitter_DoublesFromOneSecondUpToFiveMinutes(int attempts, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetrySchedule.Next(attempts, new FixedRandom(0.5)));
    }

    [Fact]
    public void Next_FirstThreeRetries_AllWithinTenSeconds()
    {
        var random = new Random(42);
        for (var run = 0; run < 1000; run++)
        {
            var total = RetrySchedule.Next(1, random) + RetrySchedule.Next(2, random) + RetrySchedule.Next(3, random);

            Assert.InRange(total, TimeSpan.FromSeconds(5.6), TimeSpan.FromSeconds(8.4));
        }
    }

    [Fact]
    public void Next_FirstRetry_BetweenPoint8And1Point2Seconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(800), RetrySchedule.Next(1, new FixedRandom(0)));
        Assert.InRange(
            RetrySchedule.Next(1, new FixedRandom(0.999_999)),
            TimeSpan.FromMilliseconds(1199),
            TimeSpan.FromMilliseconds(1200)
        );
    }

    [Theory]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void Next_ManyAttempts_CappedAtFiveMinutesPlusJitter(int attempts)
    {
        Assert.Equal(TimeSpan.FromMinutes(4), RetrySchedule.Next(attempts, new FixedRandom(0)));
        Assert.InRange(
            RetrySchedule.Next(attempts, new FixedRandom(0.999_999)),
            TimeSpan.FromMinutes(5),
            TimeSpan.FromMinutes(6)
        );
    }

    [Fact]
    public void ShouldGiveUp_OneMsBeforeOneHour_KeepsTrying()
    {
        Assert.False(RetrySchedule.ShouldGiveUp(T0, T0 + TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void ShouldGiveUp_ExactlyOneHour_GivesUp()
    {
        Assert.True(RetrySchedule.ShouldGiveUp(T0, T0 + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void ShouldGiveUp_OneHourAndOneSecond_GivesUp()
    {
        Assert.True(RetrySchedule.ShouldGiveUp(T0, T0 + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ShouldGiveUp_FirstAttempt_KeepsTrying()
    {
        Assert.False(RetrySchedule.ShouldGiveUp(T0, T0));
    }

    [Fact]
    public void Next_ReceiverDownForTheWholeHour_RetriedManyTimesBeforeGivingUp()
    {
        // With the longest jitter on every draw, count the attempts that fit before the give-up horizon.
        var random = new FixedRandom(0.999_999);
        var now = T0;
        var attempts = 1;
        while (true)
        {
            now += RetrySchedule.Next(attempts, random);
            if (RetrySchedule.ShouldGiveUp(T0, now))
                break;
            attempts++;
        }

        Assert.InRange(attempts, 12, 40);
    }
}
