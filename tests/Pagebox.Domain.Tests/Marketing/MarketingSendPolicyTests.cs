using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class MarketingSendPolicyTests
{
    private static MarketingSendFacts Facts(
        NotificationToken? token,
        PolicyProfile profile = PolicyProfile.P2025_09,
        bool blocked = false,
        int? textLength = 10,
        TimeZoneInfo? zone = null
    ) => new(profile, token, blocked, zone ?? Utc, textLength);

    private static MarketingSendOutcome Accepted(MarketingSendFacts facts, DateTimeOffset now)
    {
        var result = MarketingSendPolicy.Decide(facts, now);
        Assert.True(result.IsAccepted, result.ToString());
        return result.Value;
    }

    private static DomainError Refused(MarketingSendFacts facts, DateTimeOffset now)
    {
        var result = MarketingSendPolicy.Decide(facts, now);
        Assert.False(result.IsAccepted);
        return result.Error;
    }

    [Fact]
    public void Decide_Retired_RetiredEvenWithoutToken()
    {
        Assert.Equal(DomainErrorKind.MarketingRetired, Refused(Facts(null, PolicyProfile.Retired), T0).Kind);
    }

    [Fact]
    public void Decide_UnknownToken_TokenInvalid()
    {
        Assert.Equal(DomainErrorKind.TokenInvalid, Refused(Facts(null), T0).Kind);
    }

    [Fact]
    public void Decide_2023AtExpiry_ExpiredBeforeStopped()
    {
        var token = Token() with { ExpiresAt = T0 + TimeSpan.FromDays(1), Status = TokenStatus.Stopped };

        Assert.Equal(
            DomainErrorKind.TokenExpired,
            Refused(Facts(token, PolicyProfile.P2023), T0 + TimeSpan.FromDays(1)).Kind
        );
    }

    [Fact]
    public void Decide_2023OneMsBeforeExpiry_Accepted()
    {
        var token = Token() with { ExpiresAt = T0 + TimeSpan.FromDays(1) };

        Assert.Equal(
            MarketingSendKind.Marketing,
            Accepted(Facts(token, PolicyProfile.P2023), T0 + TimeSpan.FromDays(1) - Ms).Kind
        );
    }

    [Fact]
    public void Decide_Stopped_StoppedBeforeBlocked()
    {
        var token = Token() with { Status = TokenStatus.Stopped };

        Assert.Equal(DomainErrorKind.TokenStopped, Refused(Facts(token, blocked: true), T0).Kind);
    }

    [Fact]
    public void Decide_PersonBlockedPage_BlockedEvenForFollowUp()
    {
        Assert.Equal(DomainErrorKind.PersonBlockedPage, Refused(Facts(FreshToken(), blocked: true), T0).Kind);
    }

    [Fact]
    public void Decide_FreshToken_FollowUpWithoutCooldown()
    {
        var outcome = Accepted(Facts(FreshToken()), T0);

        Assert.Equal(MarketingSendKind.FollowUp, outcome.Kind);
        Assert.Equal(MessageKind.FollowUp, outcome.MessageKind);
        Assert.Equal(1, outcome.Token.FollowUpsSent);
        Assert.Equal(T0, outcome.Token.FirstFollowUpAt);
        Assert.Null(outcome.Token.LastMarketingSendAt);
    }

    [Fact]
    public void Decide_ThreeFollowUpsThenRegular_RegularGoesAtOnceThenCooldown()
    {
        var token = FreshToken();
        foreach (
            var at in new[]
            {
                T0 + TimeSpan.FromSeconds(10),
                T0 + TimeSpan.FromMinutes(1),
                T0 + TimeSpan.FromSeconds(129),
            }
        )
        {
            var followUp = Accepted(Facts(token, textLength: 250), at);
            Assert.Equal(MarketingSendKind.FollowUp, followUp.Kind);
            token = followUp.Token;
        }

        var regular = Accepted(Facts(token), T0 + TimeSpan.FromMinutes(2));

        Assert.Equal(MarketingSendKind.Marketing, regular.Kind);
        Assert.Equal(MessageKind.Marketing, regular.MessageKind);
        Assert.Equal(T0 + TimeSpan.FromMinutes(2), regular.Token.LastMarketingSendAt);
        var tooSoon = Refused(Facts(regular.Token), T0 + TimeSpan.FromMinutes(2) + TimeSpan.FromHours(48) - Ms);
        Assert.Equal(DomainErrorKind.MarketingTooSoon, tooSoon.Kind);
        Assert.Equal(T0 + TimeSpan.FromMinutes(2) + TimeSpan.FromHours(48), tooSoon.NextEligibleTime);
    }

    [Fact]
    public void Decide_SecondFollowUp251Characters_InvalidMessageText()
    {
        var afterFirst = Accepted(Facts(FreshToken()), T0).Token;

        var error = Refused(Facts(afterFirst, textLength: 251), T0 + TimeSpan.FromMinutes(1));

        Assert.Equal(DomainErrorKind.InvalidParameter, error.Kind);
        Assert.Equal("message[text]", error.Parameter);
    }

    [Fact]
    public void Decide_SecondSendExactly2MinutesAfterFirst_RegularAndClosesFollowUps()
    {
        var afterFirst = Accepted(Facts(FreshToken()), T0).Token;

        var outcome = Accepted(Facts(afterFirst, textLength: 1000), T0 + TimeSpan.FromMinutes(2));

        Assert.Equal(MarketingSendKind.Marketing, outcome.Kind);
        Assert.False(outcome.Token.FollowUpOpen);
        Assert.Equal(1, outcome.Token.FollowUpsSent);
        Assert.Equal(T0 + TimeSpan.FromMinutes(2), outcome.Token.Updated);
    }

    [Fact]
    public void Decide_FirstSendExactly2MinutesAfterOptIn_RegularMarketingMessage()
    {
        var outcome = Accepted(Facts(FreshToken(), textLength: 1000), T0 + TimeSpan.FromMinutes(2));

        Assert.Equal(MarketingSendKind.Marketing, outcome.Kind);
        Assert.Equal(T0 + TimeSpan.FromMinutes(2), outcome.Token.LastMarketingSendAt);
        Assert.False(outcome.Token.FollowUpOpen);
    }

    [Fact]
    public void Decide_BurstDaysAfterOptIn_OneRegularMessageThenTooSoonWithHint()
    {
        // The false green of issue 6: a burst long after the opt-in got three extra messages through.
        var later = T0 + TimeSpan.FromDays(3);
        var first = Accepted(Facts(FreshToken()), later);

        var second = Refused(Facts(first.Token), later + TimeSpan.FromSeconds(1));

        Assert.Equal(MarketingSendKind.Marketing, first.Kind);
        Assert.Equal(DomainErrorKind.MarketingTooSoon, second.Kind);
        Assert.Equal(later + TimeSpan.FromHours(48), second.NextEligibleTime);
        Assert.StartsWith("not an opt-in follow-up", second.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_FollowUpRightAfterRegularSend_NotSubjectToCooldown()
    {
        // The documented test flow: send, ENABLE_FOLLOWUP_MESSAGE, send again at once.
        var sent = SentAt(T0);
        var reopened = FollowUpRule.Reopen(sent, T0 + TimeSpan.FromSeconds(1));

        var outcome = Accepted(Facts(reopened), T0 + TimeSpan.FromSeconds(2));

        Assert.Equal(MarketingSendKind.FollowUp, outcome.Kind);
        Assert.Equal(T0, outcome.Token.LastMarketingSendAt);
    }

    [Fact]
    public void Decide_2025Exactly48HoursAfterRegular_Accepted()
    {
        var outcome = Accepted(Facts(SentAt(T0)), T0 + TimeSpan.FromHours(48));

        Assert.Equal(T0 + TimeSpan.FromHours(48), outcome.Token.LastMarketingSendAt);
        Assert.Equal(T0 + TimeSpan.FromHours(48), outcome.Token.Updated);
    }

    [Fact]
    public void Decide_2024OneMsBefore24Hours_TooSoon()
    {
        var error = Refused(Facts(SentAt(T0), PolicyProfile.P2024), T0 + TimeSpan.FromHours(24) - Ms);

        Assert.Equal(DomainErrorKind.MarketingTooSoon, error.Kind);
        Assert.Equal(T0 + TimeSpan.FromHours(24), error.NextEligibleTime);
    }

    [Fact]
    public void Decide_2023WeeklyInPageTimeZone_UsesPageCalendar()
    {
        var zone = Zone("Asia/Tokyo");
        var token = SentAt(At("2025-06-04T12:00:00+09:00"), TokenFrequency.Weekly);

        Assert.Equal(
            DomainErrorKind.MarketingTooSoon,
            Refused(Facts(token, PolicyProfile.P2023, zone: zone), At("2025-06-08T23:59:59.999+09:00")).Kind
        );
        Assert.Equal(
            MarketingSendKind.Marketing,
            Accepted(Facts(token, PolicyProfile.P2023, zone: zone), At("2025-06-09T00:00:00+09:00")).Kind
        );
    }
}
