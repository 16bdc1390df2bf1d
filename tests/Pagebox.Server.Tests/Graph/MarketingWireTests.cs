using Pagebox.Domain.Marketing;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The wire names of the marketing enums (the stored numbers are Domain's golden test,
/// MarketingEnumTests).</summary>
public class MarketingWireTests
{
    [Fact]
    public void ToWire_EveryValue_ParsesBack()
    {
        foreach (var v in Enum.GetValues<TokenStatus>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out TokenStatus p));
            Assert.Equal(v, p);
        }
        foreach (var v in Enum.GetValues<TokenFrequency>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out TokenFrequency p));
            Assert.Equal(v, p);
        }
        foreach (var v in Enum.GetValues<UserTokenStatus>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out UserTokenStatus p));
            Assert.Equal(v, p);
        }
        foreach (var v in Enum.GetValues<ReOptIn>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out ReOptIn p));
            Assert.Equal(v, p);
        }
        foreach (var v in Enum.GetValues<CtaText>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out CtaText p));
            Assert.Equal(v, p);
        }
        foreach (var v in Enum.GetValues<ImageAspectRatio>())
        {
            Assert.True(MarketingWire.TryParse(MarketingWire.ToWire(v), out ImageAspectRatio p));
            Assert.Equal(v, p);
        }
    }

    [Fact]
    public void ToWire_MetaNames_AreExact()
    {
        Assert.Equal("STOP_NOTIFICATIONS", MarketingWire.ToWire(TokenStatus.Stopped));
        Assert.Equal("RESUME_NOTIFICATIONS", MarketingWire.ToWire(TokenStatus.Active));
        Assert.Equal("NOT_REFRESHED", MarketingWire.ToWire(UserTokenStatus.NotRefreshed));
        Assert.Equal("GET_UPDATES", MarketingWire.ToWire(CtaText.GetUpdates));
        Assert.Equal("SIGN_UP", MarketingWire.ToWire(CtaText.SignUp));
        Assert.Equal("OPT_IN", MarketingWire.ToWire(CtaText.OptIn));
        Assert.Equal("HORIZONTAL", MarketingWire.ToWire(ImageAspectRatio.Horizontal));
        Assert.Equal("Get updates", MarketingWire.Label(CtaText.GetUpdates));
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("Daily")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("HOURLY")]
    public void TryParse_NotAnUppercaseWireName_ReturnsFalse(string? wire)
    {
        Assert.False(MarketingWire.TryParse(wire, out TokenFrequency _));
    }

    [Fact]
    public void TryParse_StatusWithDocSpace_IsAccepted()
    {
        // The webhook reference spells it with a space; integrators use the underscore.
        Assert.True(MarketingWire.TryParse("STOP NOTIFICATIONS", out TokenStatus status));
        Assert.Equal(TokenStatus.Stopped, status);
    }
}
