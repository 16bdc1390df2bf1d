using Pagebox.Domain.Messaging;
using Pagebox.Domain.Rules;
using Pagebox.Testing;

namespace Pagebox.Domain.Tests.Rules;

/// <summary>
/// The standard messaging window on a fake clock: the person wrote at T0, the clock is moved to the boundary and the
/// rule is asked with the clock's <c>now</c>, as the Send API asks it with the app's clock.
/// </summary>
public sealed class MessagingWindowRuleTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock at T0 + <paramref name="elapsed"/>, reached by advancing it the way an app clock
    /// moves.</summary>
    private static FakeTimeProvider ClockAfter(TimeSpan elapsed)
    {
        var clock = new FakeTimeProvider(T0);
        clock.Advance(elapsed);
        return clock;
    }

    [Theory]
    [InlineData("00:00:00", true)]
    [InlineData("12:00:00", true)]
    [InlineData("23:59:59", true)]
    [InlineData("23:59:59.999", true)]
    [InlineData("1.00:00:00", false)]
    [InlineData("1.00:00:01", false)]
    [InlineData("2.00:00:00", false)]
    public void IsOpen_TimeSinceLastInbound_OpenOnlyBefore24Hours(string elapsed, bool open)
    {
        var clock = ClockAfter(TimeSpan.Parse(elapsed, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(open, MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
    }

    [Fact]
    public void IsOpen_At23h59m59s_Open()
    {
        var clock = ClockAfter(new TimeSpan(23, 59, 59));

        Assert.True(MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
    }

    [Fact]
    public void IsOpen_OneMillisecondBefore24Hours_Open()
    {
        var clock = ClockAfter(TimeSpan.FromHours(24) - TimeSpan.FromMilliseconds(1));

        Assert.True(MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
    }

    [Fact]
    public void IsOpen_Exactly24Hours_Closed()
    {
        var clock = ClockAfter(TimeSpan.FromHours(24));

        Assert.False(MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
    }

    [Fact]
    public void IsOpen_24h00m01s_Closed()
    {
        var clock = ClockAfter(new TimeSpan(1, 0, 0, 1));

        Assert.False(MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
    }

    [Fact]
    public void IsOpen_PersonNeverWrote_Closed()
    {
        Assert.False(MessagingWindowRule.IsOpen(null, T0));
    }

    [Fact]
    public void IsOpen_PersonWritesAgainBeforeClose_WindowCountsFromLatestMessage()
    {
        var clock = new FakeTimeProvider(T0);
        clock.Advance(TimeSpan.FromHours(20));
        var renewed = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromHours(23));

        Assert.False(MessagingWindowRule.IsOpen(T0, clock.GetUtcNow()));
        Assert.True(MessagingWindowRule.IsOpen(renewed, clock.GetUtcNow()));
    }

    [Fact]
    public void OpenUntil_LastInbound_Exactly24HoursLater()
    {
        Assert.Equal(T0 + TimeSpan.FromHours(24), MessagingWindowRule.OpenUntil(T0));
        Assert.Equal(TimeSpan.FromHours(24), MessagingWindowRule.Length);
    }

    [Fact]
    public void OpenUntil_PersonNeverWrote_Null()
    {
        Assert.Null(MessagingWindowRule.OpenUntil(null));
    }

    // :: Which window a send needs

    public static TheoryData<MessagingType?, string?, TimeSpan?> Windows =>
        new()
        {
            { MessagingType.Response, null, TimeSpan.FromHours(24) },
            { MessagingType.Update, null, TimeSpan.FromHours(24) },
            { null, null, TimeSpan.FromHours(24) },
            { MessagingType.MessageTag, "HUMAN_AGENT", TimeSpan.FromDays(7) },
            { MessagingType.MessageTag, "CUSTOMER_FEEDBACK", TimeSpan.FromDays(7) },
            { MessagingType.MessageTag, "ACCOUNT_UPDATE", null },
            { MessagingType.MessageTag, null, TimeSpan.FromHours(24) },
            { MessagingType.Response, "HUMAN_AGENT", TimeSpan.FromHours(24) },
            { MessagingType.Utility, null, null },
        };

    [Theory]
    [MemberData(nameof(Windows))]
    public void For_TypeAndTag_TheirWindow(MessagingType? type, string? tag, TimeSpan? expected)
    {
        Assert.Equal(expected, MessagingWindowRule.For(type, tag));
    }

    [Fact]
    public void IsOpen_PrivateReplyAt7Days_Closed()
    {
        var clock = new FakeTimeProvider(T0);

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMilliseconds(1));
        Assert.True(MessagingWindowRule.IsOpen(T0, MessagingWindowRule.PrivateReplyLength, clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(MessagingWindowRule.IsOpen(T0, MessagingWindowRule.PrivateReplyLength, clock.GetUtcNow()));
    }
}
