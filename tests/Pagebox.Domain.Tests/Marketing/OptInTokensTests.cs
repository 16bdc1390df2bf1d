using Pagebox.Domain.Marketing;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class OptInTokensTests
{
    private static readonly OptInOffer Offer = new(
        "Deals",
        "deals-payload",
        "https://x/a.png",
        TokenFrequency.Weekly,
        ReOptIn.Disabled
    );

    private static NotificationToken Create(PolicyProfile profile) =>
        OptInTokens.Create("998877", "page-1", "psid-1", "person-1", Offer, "Europe/Paris", profile, T0);

    [Fact]
    public void Create_2025_NoFrequencyNoExpiryFollowUpsOpen()
    {
        var token = Create(PolicyProfile.P2025_09);

        Assert.Equal("998877", token.Token);
        Assert.Equal("Deals", token.Title);
        Assert.Equal("deals-payload", token.Payload);
        Assert.Equal("Europe/Paris", token.TimeZone);
        Assert.Null(token.Frequency);
        Assert.Null(token.ExpiresAt);
        Assert.Equal(ReOptIn.Disabled, token.ReOptIn);
        Assert.Equal(TokenStatus.Active, token.Status);
        Assert.Equal(UserTokenStatus.NotRefreshed, token.UserTokenStatus);
        Assert.Equal(T0, token.Created);
        Assert.Equal(T0, token.Updated);
        Assert.Null(token.LastMarketingSendAt);
        Assert.True(token.FollowUpOpen);
        Assert.Equal(0, token.FollowUpsSent);
        Assert.Null(token.FirstFollowUpAt);
    }

    [Fact]
    public void Create_2023_KeepsFrequencyAndExpires()
    {
        var token = Create(PolicyProfile.P2023);

        Assert.Equal(TokenFrequency.Weekly, token.Frequency);
        Assert.Equal(T0.AddMonths(9), token.ExpiresAt);
    }

    [Fact]
    public void Stop_Active_StoppedAndUpdated()
    {
        var stopped = OptInTokens.Stop(Token(), T0 + TimeSpan.FromHours(1));

        Assert.Equal(TokenStatus.Stopped, stopped.Status);
        Assert.Equal(T0 + TimeSpan.FromHours(1), stopped.Updated);
    }

    [Fact]
    public void Resume_Stopped_ActiveUpdatedCooldownKept()
    {
        var stopped = Token() with { Status = TokenStatus.Stopped, LastMarketingSendAt = T0 };

        var resumed = OptInTokens.Resume(stopped, T0 + TimeSpan.FromHours(2));

        Assert.Equal(TokenStatus.Active, resumed.Status);
        Assert.Equal(T0 + TimeSpan.FromHours(2), resumed.Updated);
        Assert.Equal(T0, resumed.LastMarketingSendAt);
    }

    [Fact]
    public void StopAndResume_NoChange_SameInstance()
    {
        var active = Token();
        var stopped = active with { Status = TokenStatus.Stopped };

        Assert.Same(active, OptInTokens.Resume(active, T0 + TimeSpan.FromHours(1)));
        Assert.Same(stopped, OptInTokens.Stop(stopped, T0 + TimeSpan.FromHours(1)));
    }
}
