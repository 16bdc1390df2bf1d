using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

public class MarketingEnumTests
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

    private static int[] Numbers<T>()
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))];
}
