using Pagebox.Domain.Marketing;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class TokenLifetimeTests
{
    [Theory]
    [InlineData(TokenFrequency.Daily, "2025-07-15T08:00:00Z")]
    [InlineData(null, "2025-07-15T08:00:00Z")]
    [InlineData(TokenFrequency.Weekly, "2025-10-15T08:00:00Z")]
    [InlineData(TokenFrequency.Monthly, "2026-01-15T08:00:00Z")]
    public void ExpiryFor_2023_CalendarMonthsByFrequency(TokenFrequency? frequency, string expected)
    {
        Assert.Equal(At(expected), TokenLifetime.ExpiryFor(frequency, PolicyProfile.P2023, At("2025-01-15T08:00:00Z")));
    }

    [Theory]
    [InlineData("2023-08-31T12:00:00Z", "2024-02-29T12:00:00Z")]
    [InlineData("2024-08-31T12:00:00Z", "2025-02-28T12:00:00Z")]
    public void ExpiryFor_2023FromMonthEnd_ClampsToLastDay(string from, string expected)
    {
        Assert.Equal(At(expected), TokenLifetime.ExpiryFor(TokenFrequency.Daily, PolicyProfile.P2023, At(from)));
    }

    [Fact]
    public void ExpiryFor_2023CountsMonthsInUtc_NotInTheOffsetGiven()
    {
        // 2025-01-31 23:00 -05:00 is 2025-02-01 04:00Z: six months later is 2025-08-01 04:00Z.
        Assert.Equal(
            At("2025-08-01T04:00:00Z"),
            TokenLifetime.ExpiryFor(TokenFrequency.Daily, PolicyProfile.P2023, At("2025-01-31T23:00:00-05:00"))
        );
    }

    [Theory]
    [InlineData(PolicyProfile.P2024)]
    [InlineData(PolicyProfile.P2025_09)]
    [InlineData(PolicyProfile.Retired)]
    public void ExpiryFor_LaterProfiles_NeverExpires(PolicyProfile profile)
    {
        Assert.Null(TokenLifetime.ExpiryFor(TokenFrequency.Monthly, profile, T0));
    }

    [Fact]
    public void IsExpired_2023AtExpiryInstant_True()
    {
        var token = Token() with { ExpiresAt = T0 + TimeSpan.FromDays(1) };

        Assert.True(TokenLifetime.IsExpired(token, PolicyProfile.P2023, T0 + TimeSpan.FromDays(1)));
        Assert.False(TokenLifetime.IsExpired(token, PolicyProfile.P2023, T0 + TimeSpan.FromDays(1) - Ms));
    }

    [Fact]
    public void IsExpired_LaterProfileWithStoredExpiry_False()
    {
        var token = Token() with { ExpiresAt = T0 };

        Assert.False(TokenLifetime.IsExpired(token, PolicyProfile.P2024, T0 + TimeSpan.FromDays(365)));
    }

    [Fact]
    public void Refresh_ExpiringToken_RefreshedWithNewExpiryFromNow()
    {
        var token = Token(TokenFrequency.Weekly) with { ExpiresAt = T0 + TimeSpan.FromDays(10) };
        var now = T0 + TimeSpan.FromDays(5);

        var refreshed = TokenLifetime.Refresh(token, now);

        Assert.Equal(UserTokenStatus.Refreshed, refreshed.UserTokenStatus);
        Assert.Equal(now.AddMonths(9), refreshed.ExpiresAt);
        Assert.Equal(now, refreshed.Updated);
    }

    [Fact]
    public void Refresh_NeverExpiringToken_StaysNeverExpiring()
    {
        var refreshed = TokenLifetime.Refresh(Token(), T0);

        Assert.Null(refreshed.ExpiresAt);
        Assert.Equal(UserTokenStatus.Refreshed, refreshed.UserTokenStatus);
    }

    [Fact]
    public void CanRefresh_2023ActiveEnabledUnexpired_True()
    {
        var token = Token() with { ExpiresAt = T0 + TimeSpan.FromDays(1) };

        Assert.True(TokenLifetime.CanRefresh(token, PolicyProfile.P2023, T0));
        Assert.False(TokenLifetime.CanRefresh(token, PolicyProfile.P2023, T0 + TimeSpan.FromDays(1)));
        Assert.False(TokenLifetime.CanRefresh(token with { ReOptIn = ReOptIn.Disabled }, PolicyProfile.P2023, T0));
        Assert.False(TokenLifetime.CanRefresh(token with { Status = TokenStatus.Stopped }, PolicyProfile.P2023, T0));
        Assert.False(TokenLifetime.CanRefresh(token, PolicyProfile.P2025_09, T0));
    }
}
