using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

/// <summary>
/// The follow-up allowance on a fake clock: the 1st follow-up within 2 minutes of the opt-in tap (or of
/// ENABLE_FOLLOWUP_MESSAGE), the 2nd and 3rd within 2 minutes of the 1st; "within" is strict (at 2:00 closed).
/// </summary>
public class FollowUpRuleTests
{
    private static readonly TimeSpan TwoMinutes = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan OneFiftyNine = new(0, 1, 59);
    private static readonly TimeSpan TwoOhOne = new(0, 2, 1);

    private static NotificationToken AfterFollowUps(int sent, DateTimeOffset first) =>
        FreshToken() with
        {
            FollowUpsSent = sent,
            FirstFollowUpAt = first,
            FollowUpOpen = sent < 3,
        };

    // :: The 1st follow-up: within 2 minutes of the opt-in

    [Fact]
    public void IsFollowUp_First1m59sAfterOptIn_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(FreshToken(), T0 + OneFiftyNine));
    }

    [Fact]
    public void IsFollowUp_First1MsBefore2MinutesAfterOptIn_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(FreshToken(), T0 + TwoMinutes - Ms));
    }

    [Fact]
    public void IsFollowUp_FirstExactly2MinutesAfterOptIn_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(FreshToken(), T0 + TwoMinutes));
    }

    [Fact]
    public void IsFollowUp_First2m01sAfterOptIn_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(FreshToken(), T0 + TwoOhOne));
    }

    [Fact]
    public void IsFollowUp_FreshTokenDaysAfterOptIn_False()
    {
        Assert.False(FollowUpRule.IsFollowUp(FreshToken(), T0 + TimeSpan.FromDays(3)));
    }

    [Fact]
    public void IsFollowUp_TokenWithoutOpeningTime_CountsFromCreation()
    {
        // Tokens stored before the opening time was kept: the allowance counts from the token's creation.
        var legacy = FreshToken() with
        {
            FollowUpOpenedAt = null,
            Created = T0,
        };

        Assert.True(FollowUpRule.IsFollowUp(legacy, T0 + OneFiftyNine));
        Assert.False(FollowUpRule.IsFollowUp(legacy, T0 + TwoMinutes));
    }

    // :: The 2nd and 3rd: within 2 minutes of the 1st

    [Fact]
    public void IsFollowUp_Second1m59sAfterFirst_True()
    {
        var first = T0 + TimeSpan.FromMinutes(1);

        Assert.True(FollowUpRule.IsFollowUp(AfterFollowUps(1, first), first + OneFiftyNine));
    }

    [Fact]
    public void IsFollowUp_SecondExactly2MinutesAfterFirst_False()
    {
        var first = T0 + TimeSpan.FromMinutes(1);

        Assert.False(FollowUpRule.IsFollowUp(AfterFollowUps(1, first), first + TwoMinutes));
    }

    [Fact]
    public void IsFollowUp_Second2m01sAfterFirst_False()
    {
        var first = T0 + TimeSpan.FromMinutes(1);

        Assert.False(FollowUpRule.IsFollowUp(AfterFollowUps(1, first), first + TwoOhOne));
    }

    [Fact]
    public void IsFollowUp_ThirdWithin2MinutesOfFirst_True()
    {
        Assert.True(FollowUpRule.IsFollowUp(AfterFollowUps(2, T0), T0 + OneFiftyNine));
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
    public void OpenUntil_Fresh_TwoMinutesAfterOptIn_AfterFirst_TwoMinutesAfterIt_AllSent_Null()
    {
        Assert.Equal(T0 + TwoMinutes, FollowUpRule.OpenUntil(FreshToken()));
        Assert.Equal(
            T0 + TimeSpan.FromMinutes(3),
            FollowUpRule.OpenUntil(AfterFollowUps(1, T0 + TimeSpan.FromMinutes(1)))
        );
        Assert.Null(FollowUpRule.OpenUntil(AfterFollowUps(3, T0)));
    }

    // :: Length of the 2nd and 3rd

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

    // :: Recording and reopening

    [Fact]
    public void Record_First_StartsWindow()
    {
        var at = T0 + TimeSpan.FromSeconds(30);

        var after = FollowUpRule.Record(FreshToken(), at);

        Assert.Equal(1, after.FollowUpsSent);
        Assert.Equal(at, after.FirstFollowUpAt);
        Assert.True(after.FollowUpOpen);
        Assert.Equal(at, after.Updated);
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
    public void Reopen_AfterFollowUpsUsed_FreshAllowanceFromTheCall()
    {
        var call = T0 + TimeSpan.FromDays(2);
        var used = AfterFollowUps(3, T0) with { LastMarketingSendAt = T0 + TimeSpan.FromMinutes(5) };

        var reopened = FollowUpRule.Reopen(used, call);

        Assert.True(reopened.FollowUpOpen);
        Assert.Equal(0, reopened.FollowUpsSent);
        Assert.Null(reopened.FirstFollowUpAt);
        Assert.Equal(call, reopened.FollowUpOpenedAt);
        Assert.Equal(T0 + TimeSpan.FromMinutes(5), reopened.LastMarketingSendAt);
        Assert.True(FollowUpRule.IsFollowUp(reopened, call + OneFiftyNine));
        Assert.False(FollowUpRule.IsFollowUp(reopened, call + TwoMinutes));
        Assert.False(FollowUpRule.IsFollowUp(reopened, call + TwoOhOne));
    }

    [Fact]
    public void Open_ClosedToken_StartsAtTheTap()
    {
        var tap = T0 + TimeSpan.FromDays(10);

        var opened = FollowUpRule.Open(Token(), tap);

        Assert.Equal(tap + TwoMinutes, FollowUpRule.OpenUntil(opened));
        Assert.Equal(tap, opened.Updated);
    }

    // :: The developer's hint

    [Fact]
    public void WhyNotAFollowUp_Lapsed_NamesTheClosingInstant()
    {
        var hint = FollowUpRule.WhyNotAFollowUp(FreshToken(), T0 + TwoOhOne);

        Assert.Equal(
            "not an opt-in follow-up: the allowance closed at 2025-06-04T10:02:00.0000000Z, 2 minutes after the "
                + "opt-in or ENABLE_FOLLOWUP_MESSAGE",
            hint
        );
    }

    [Fact]
    public void WhyNotAFollowUp_StillOpen_Null()
    {
        Assert.Null(FollowUpRule.WhyNotAFollowUp(FreshToken(), T0 + OneFiftyNine));
    }

    [Fact]
    public void WhyNotAFollowUp_Closed_SaysHowToReopen()
    {
        Assert.Contains("ENABLE_FOLLOWUP_MESSAGE", FollowUpRule.WhyNotAFollowUp(Token(), T0), StringComparison.Ordinal);
    }
}
