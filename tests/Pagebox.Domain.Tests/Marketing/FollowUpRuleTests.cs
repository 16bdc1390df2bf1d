using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class FollowUpRuleTests
{
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);

    private static NotificationToken AfterFollowUps(int sent, DateTimeOffset first) =>
        FreshToken() with { FollowUpsSent = sent, FirstFollowUpAt = first, FollowUpOpen = sent < 3 };

    [Fact]
    public void IsFollowUp_FreshToken_EvenLongAfterOptIn_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(FreshToken(), T0 + TimeSpan.FromDays(30)));
    }

    [Fact]
    public void IsFollowUp_SecondExactly2MinutesAfterFirst_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(AfterFollowUps(1, T0), T0 + TwoMinutes));
    }

    [Fact]
    public void IsFollowUp_Second1MsAfter2Minutes_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(AfterFollowUps(1, T0), T0 + TwoMinutes + Ms));
    }

    [Fact]
    public void IsFollowUp_ThirdWithin2Minutes_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(AfterFollowUps(2, T0), T0 + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void IsFollowUp_FourthWithin2Minutes_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(AfterFollowUps(3, T0), T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void IsFollowUp_Closed_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(FreshToken() with { FollowUpOpen = false }, T0));
    }

    [Fact]
    public void Check_FirstFollowUpLongText_Allowed()
    {
        Assert.Null(FollowUpRule.Check(FreshToken(), 2000));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Check_LaterFollowUp250Characters_Allowed(int sent)
    {
        Assert.Null(FollowUpRule.Check(AfterFollowUps(sent, T0), 250));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Check_LaterFollowUp251Characters_InvalidMessageText(int sent)
    {
        var error = FollowUpRule.Check(AfterFollowUps(sent, T0), 251);

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("message[text]", error?.Parameter);
    }

    [Fact]
    public void Check_LaterFollowUpWithoutText_Allowed()
    {
        Assert.Null(FollowUpRule.Check(AfterFollowUps(1, T0), null));
    }

    [Fact]
    public void Record_First_StartsWindow()
    {
        var after = FollowUpRule.Record(FreshToken(), T0 + TimeSpan.FromHours(1));

        Assert.Equal(1, after.FollowUpsSent);
        Assert.Equal(T0 + TimeSpan.FromHours(1), after.FirstFollowUpAt);
        Assert.True(after.FollowUpOpen);
        Assert.Equal(T0 + TimeSpan.FromHours(1), after.Updated);
        Assert.Null(after.LastMarketingSendAt);
    }

    [Fact]
    public void Record_Third_KeepsFirstTimeAndCloses()
    {
        var after = FollowUpRule.Record(AfterFollowUps(2, T0), T0 + TimeSpan.FromMinutes(1));

        Assert.Equal(3, after.FollowUpsSent);
        Assert.Equal(T0, after.FirstFollowUpAt);
        Assert.False(after.FollowUpOpen);
    }

    [Fact]
    public void Reopen_AfterFollowUpsUsed_NextSendIsFollowUpAgain()
    {
        var used = AfterFollowUps(3, T0) with { LastMarketingSendAt = T0 + TimeSpan.FromMinutes(5) };

        var reopened = FollowUpRule.Reopen(used, T0 + TimeSpan.FromMinutes(6));

        Assert.True(reopened.FollowUpOpen);
        Assert.Equal(0, reopened.FollowUpsSent);
        Assert.Null(reopened.FirstFollowUpAt);
        Assert.Equal(T0 + TimeSpan.FromMinutes(5), reopened.LastMarketingSendAt);
        Assert.True(FollowUpRule.IsFollowUp(reopened, T0 + TimeSpan.FromMinutes(6)));
    }
}
