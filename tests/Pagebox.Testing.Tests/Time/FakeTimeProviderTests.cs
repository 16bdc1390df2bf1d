namespace Pagebox.Testing.Tests.Time;

public sealed class FakeTimeProviderTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 30, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_TwoHours_MovesUtcNowAndTimestamps()
    {
        var time = new FakeTimeProvider(Start);
        var before = time.GetTimestamp();

        var now = time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(Start.AddHours(2), now);
        Assert.Equal(Start.AddHours(2), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromHours(2), time.GetElapsedTime(before));
    }

    [Fact]
    public void SetUtcNow_Backwards_Throws()
    {
        var time = new FakeTimeProvider(Start);

        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(Start.AddSeconds(-1)));
        Assert.Equal(Start, time.GetUtcNow());
    }

    [Fact]
    public void SetUtcNow_OffsetGiven_StoresUtc()
    {
        var time = new FakeTimeProvider(Start);

        time.SetUtcNow(new DateTimeOffset(2025, 3, 30, 5, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2025, 3, 30, 3, 0, 0, TimeSpan.Zero), time.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, time.GetUtcNow().Offset);
    }

    [Fact]
    public void LocalTimeZone_Default_IsUtc()
    {
        Assert.Equal(TimeZoneInfo.Utc, new FakeTimeProvider().LocalTimeZone);
    }

    [Fact]
    public void GetLocalNow_BerlinAcrossDstChange_FollowsZone()
    {
        var time = new FakeTimeProvider(Start); // 2025-03-30 00:30Z: 01:30 CET; DST starts at 01:00Z
        time.SetLocalTimeZone("Europe/Berlin");

        Assert.Equal(TimeSpan.FromHours(1), time.GetLocalNow().Offset);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(TimeSpan.FromHours(2), time.GetLocalNow().Offset);
        Assert.Equal(3, time.GetLocalNow().Hour);
    }

    [Fact]
    public void CreateTimer_Always_NotSupported()
    {
        Assert.Throws<NotSupportedException>(() =>
            new FakeTimeProvider().CreateTimer(_ => { }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan)
        );
    }
}
