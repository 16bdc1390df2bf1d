namespace Pagebox.Domain.Marketing;

/// <summary>The person's side of a token: created by tapping the opt-in button, stopped and resumed from the
/// thread.</summary>
public static class OptInTokens
{
    /// <summary>
    /// The token made when the person taps the call-to-action of <paramref name="offer"/> (one offer per carousel
    /// element). The follow-up allowance opens (<see cref="FollowUpRule"/>). The frequency is kept and the token
    /// expires only under <see cref="PolicyProfile.P2023"/>: Meta stopped returning the frequency for tokens made after
    /// 2023-02-02 and stopped expiring tokens on 2023-08-10.
    /// </summary>
    public static NotificationToken Create(
        string token,
        string pageId,
        string psid,
        string personId,
        OptInOffer offer,
        string? timeZone,
        PolicyProfile profile,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(offer);
        var frequency = profile == PolicyProfile.P2023 ? offer.Frequency : (TokenFrequency?)null;
        return new NotificationToken(
            Token: token,
            PageId: pageId,
            Psid: psid,
            PersonId: personId,
            Title: offer.Title,
            Payload: offer.Payload,
            TimeZone: timeZone,
            Frequency: frequency,
            ReOptIn: offer.ReOptIn,
            Status: TokenStatus.Active,
            UserTokenStatus: UserTokenStatus.NotRefreshed,
            Created: now,
            Updated: now,
            ExpiresAt: TokenLifetime.ExpiryFor(frequency, profile, now),
            LastMarketingSendAt: null,
            FollowUpsSent: 0,
            FirstFollowUpAt: null,
            FollowUpOpen: true,
            FollowUpOpenedAt: now
        );
    }

    /// <summary>"Stop these messages". Returns the same instance when already stopped, so the caller can skip the
    /// webhook.</summary>
    public static NotificationToken Stop(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Status == TokenStatus.Stopped ? token : token with { Status = TokenStatus.Stopped, Updated = now };
    }

    /// <summary>
    /// "Resume these messages": the same token becomes active again (inferred; Meta does not say whether a new token is
    /// made). Updated moves, so the token rises in the newest-first list. Same instance when already active.
    /// The cooldown is not reset: a stop/resume cycle must not be a way around the frequency limit.
    /// </summary>
    public static NotificationToken Resume(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Status == TokenStatus.Active ? token : token with { Status = TokenStatus.Active, Updated = now };
    }
}
