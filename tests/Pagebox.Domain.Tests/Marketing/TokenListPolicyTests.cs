using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

/// <summary>The token list's page sizes by rule set: 25/100 before 2025-09, 100/1000 from it (2025-09-08).</summary>
public class TokenListPolicyTests
{
    [Theory]
    [InlineData(PolicyProfile.P2023, null, 25)]
    [InlineData(PolicyProfile.P2024, null, 25)]
    [InlineData(PolicyProfile.P2024, 100, 100)]
    [InlineData(PolicyProfile.P2024, 101, 100)]
    [InlineData(PolicyProfile.P2023, 1000, 100)]
    [InlineData(PolicyProfile.P2025_09, null, 100)]
    [InlineData(PolicyProfile.P2025_09, 101, 101)]
    [InlineData(PolicyProfile.P2025_09, 1000, 1000)]
    [InlineData(PolicyProfile.P2025_09, 1001, 1000)]
    [InlineData(PolicyProfile.Retired, null, 100)]
    [InlineData(PolicyProfile.P2025_09, 1, 1)]
    public void PageSize_ByProfile_DefaultAndCap(PolicyProfile profile, int? requested, int expected)
    {
        Assert.Equal(expected, TokenListPolicy.PageSize(profile, requested));
    }

    [Theory]
    [InlineData(PolicyProfile.P2023, false)]
    [InlineData(PolicyProfile.P2024, false)]
    [InlineData(PolicyProfile.P2025_09, true)]
    public void OnePerRecipient_OnlyFrom2025(PolicyProfile profile, bool expected)
    {
        Assert.Equal(expected, TokenListPolicy.OnePerRecipient(profile, requested: true));
        Assert.False(TokenListPolicy.OnePerRecipient(profile, requested: false));
    }

    [Theory]
    [InlineData(PolicyProfile.P2023, true)]
    [InlineData(PolicyProfile.P2024, false)]
    [InlineData(PolicyProfile.P2025_09, false)]
    [InlineData(PolicyProfile.Retired, false)]
    public void HidesExpired_Only2023(PolicyProfile profile, bool expected)
    {
        Assert.Equal(expected, TokenListPolicy.HidesExpired(profile));
    }
}
