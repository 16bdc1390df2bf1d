using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

public class PolicyProfileTests
{
    [Theory]
    [InlineData("2023", PolicyProfile.P2023)]
    [InlineData("2024", PolicyProfile.P2024)]
    [InlineData("2025-09", PolicyProfile.P2025_09)]
    [InlineData("retired", PolicyProfile.Retired)]
    public void TryParse_KnownName_ParsesAndRoundTrips(string wire, PolicyProfile expected)
    {
        Assert.True(PolicyProfiles.TryParse(wire, out var profile));
        Assert.Equal(expected, profile);
        Assert.Equal(wire, PolicyProfiles.ToWire(profile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2025")]
    [InlineData("RETIRED")]
    [InlineData("2025-9")]
    public void TryParse_UnknownName_ReturnsFalse(string? wire)
    {
        Assert.False(PolicyProfiles.TryParse(wire, out _));
    }

    [Fact]
    public void Default_Is2025_09()
    {
        Assert.Equal(PolicyProfile.P2025_09, PolicyProfiles.Default);
    }
}
