using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Testing;

namespace Pagebox.Domain.Tests.Messaging;

/// <summary>send_rate_per_second on a fake clock: the sends of the current second decide, a new second starts at
/// 0.</summary>
public sealed class SendRateRuleTests
{
    private const string PageId = "100000000000001";
    private static readonly DateTimeOffset T0 = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);

    private static Result<SendRateWindow> TakeMany(int limit, int times, DateTimeOffset now, SendRateWindow window)
    {
        Result<SendRateWindow> last = window;
        for (var i = 0; i < times; i++)
        {
            last = SendRateRule.Take(window, limit, now, PageId);
            if (last.IsAccepted)
                window = last.Value;
        }
        return last;
    }

    [Fact]
    public void Take_UpToLimitInOneSecond_Accepted()
    {
        var taken = TakeMany(3, 3, T0, default);

        Assert.True(taken.IsAccepted);
        Assert.Equal(3, taken.Value.Count);
    }

    [Fact]
    public void Take_OneOverLimit_RateLimitedNamingThePage()
    {
        var full = TakeMany(3, 3, T0, default).Value;

        var refused = SendRateRule.Take(full, 3, T0 + TimeSpan.FromMilliseconds(999), PageId);

        Assert.Equal(DomainErrorKind.RateLimited, refused.Error?.Kind);
        Assert.Equal(PageId, refused.Error?.Parameter);
    }

    [Fact]
    public void Take_NextSecond_CountStartsAgain()
    {
        var clock = new FakeTimeProvider(T0);
        var full = TakeMany(2, 2, clock.GetUtcNow(), default).Value;

        var next = SendRateRule.Take(full, 2, clock.Advance(TimeSpan.FromSeconds(1)), PageId);

        Assert.True(next.IsAccepted);
        Assert.Equal(1, next.Value.Count);
    }

    [Fact]
    public void Take_LimitZero_EverySendRefused()
    {
        Assert.False(SendRateRule.Take(default, 0, T0, PageId).IsAccepted);
    }
}
