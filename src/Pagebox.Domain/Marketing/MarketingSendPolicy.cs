using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Marketing;

/// <summary>Whether an accepted send on a token was an opt-in follow-up or a regular marketing message.</summary>
public enum MarketingSendKind
{
    FollowUp = 1,
    Marketing = 2,
}

/// <summary>The facts of a send to <c>recipient.notification_messages_token</c>.</summary>
/// <param name="Token">The token, or null when unknown or not held by this Page (the caller looks it up by
/// Page).</param>
/// <param name="PersonBlockedPage">Whether the token's person has blocked the Page.</param>
/// <param name="PageTimeZone">The Page's time zone (calendar weeks and months under 2023).</param>
/// <param name="TextLength"><see cref="MarketingText.Length"/> of <c>message.text</c>; null when the message has no
/// text.</param>
/// <param name="Profile">The marketing policy profile in force.</param>
public sealed record MarketingSendFacts(
    PolicyProfile Profile,
    NotificationToken? Token,
    bool PersonBlockedPage,
    TimeZoneInfo PageTimeZone,
    int? TextLength
);

/// <summary>An accepted send: what it was, and the token to store.</summary>
public sealed record MarketingSendOutcome(MarketingSendKind Kind, NotificationToken Token)
{
    public MessageKind MessageKind => Kind == MarketingSendKind.FollowUp ? MessageKind.FollowUp : MessageKind.Marketing;
}

/// <summary>
/// Decides a send on a notification message token. Checks, in this order (first failure wins):
/// 1. retired profile → MarketingRetired;
/// 2. no such token → TokenInvalid (100);
/// 3. expired (now ≥ ExpiresAt, 2023 only) → TokenExpired (100);
/// 4. stopped by the person → TokenStopped (10/1893015);
/// 5. the person blocked the Page → PersonBlockedPage;
/// 6. a follow-up (<see cref="FollowUpRule"/>: the 1st within 2 minutes of the opt-in or ENABLE_FOLLOWUP_MESSAGE, the
///    2nd and 3rd within 2 minutes of the 1st): length of the 2nd/3rd; accepted without cooldown;
/// 7. otherwise a regular marketing message: <see cref="FrequencyRule"/> → MarketingTooSoon (4/2018354).
/// No window check: marketing messages need no open window and do not open one.
/// </summary>
public static class MarketingSendPolicy
{
    public static Result<MarketingSendOutcome> Decide(MarketingSendFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);

        if (facts.Profile == PolicyProfile.Retired)
            return DomainError.Of(DomainErrorKind.MarketingRetired);
        if (facts.Token is not { } token)
            return DomainError.Of(DomainErrorKind.TokenInvalid);
        if (TokenLifetime.IsExpired(token, facts.Profile, now))
            return DomainError.Of(DomainErrorKind.TokenExpired);
        if (token.Status == TokenStatus.Stopped)
            return DomainError.Of(DomainErrorKind.TokenStopped);
        if (facts.PersonBlockedPage)
            return DomainError.Of(DomainErrorKind.PersonBlockedPage);

        if (FollowUpRule.IsFollowUp(token, now))
        {
            if (FollowUpRule.Check(token, facts.TextLength) is { } tooLong)
                return tooLong;
            return Result<MarketingSendOutcome>.Accept(
                new MarketingSendOutcome(MarketingSendKind.FollowUp, FollowUpRule.Record(token, now))
            );
        }

        if (FrequencyRule.Check(token, facts.Profile, facts.PageTimeZone, now) is { } tooSoon)
            return tooSoon with { Hint = FollowUpRule.WhyNotAFollowUp(token, now) };

        // A regular send also closes a follow-up allowance that lapsed (2 minutes passed), so the stored flag says
        // what the next send will be without looking at the clock.
        return Result<MarketingSendOutcome>.Accept(
            new MarketingSendOutcome(
                MarketingSendKind.Marketing,
                token with
                {
                    LastMarketingSendAt = now,
                    FollowUpOpen = false,
                    Updated = now,
                }
            )
        );
    }
}
