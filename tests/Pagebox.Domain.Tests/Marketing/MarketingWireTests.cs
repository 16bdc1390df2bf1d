using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

public class MarketingWireTests
{
    // Golden numbers: these enums are stored in the database and must never be renumbered.
    [Fact]
    public void StoredEnums_Numbers_NeverChange()
    {
        Assert.Equal([1, 2, 3, 4], Numbers<PolicyProfile>());
        Assert.Equal([1, 2], Numbers<TokenStatus>());
        Assert.Equal([1, 2, 3], Numbers<TokenFrequency>());
        Assert.Equal([1, 2], Numbers<UserTokenStatus>());
        Assert.Equal([1, 2], Numbers<ReOptIn>());
        Assert.Equal([1, 2, 3, 4, 5], Numbers<CtaText>());
        Assert.Equal([1, 2], Numbers<ImageAspectRatio>());
        Assert.Equal(PolicyProfile.P2023, (PolicyProfile)1);
        Assert.Equal(PolicyProfile.Retired, (PolicyProfile)4);
        Assert.Equal(TokenStatus.Stopped, (TokenStatus)2);
        Assert.Equal(TokenFrequency.Monthly, (TokenFrequency)3);
        Assert.Equal(UserTokenStatus.Refreshed, (UserTokenStatus)2);
        Assert.Equal(ReOptIn.Disabled, (ReOptIn)2);
        Assert.Equal(CtaText.GetUpdates, (CtaText)1);
        Assert.Equal(CtaText.SignUp, (CtaText)5);
        Assert.Equal(ImageAspectRatio.Square, (ImageAspectRatio)2);
    }

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

    private static int[] Numbers<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))];
}
