using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// Opt-in follow-ups: after an opt-in the Page may send up to 3 messages on the token; all within 2 minutes of the
/// first, the 2nd and 3rd at most 250 characters. They may go outside the standard window.
/// Choices where Meta is silent:
/// - Follow-ups are not subject to the frequency cooldown and do not start it (the doc: the daily limit "Does not
///   apply to Opt In Followup messages"); once follow-ups close, the first regular message may go at once.
/// - The first follow-up has no deadline: the window opens with the token and only the first follow-up starts the
///   2-minute clock.
/// - A send that no longer qualifies (4th, or after the 2 minutes) is not refused: it is a regular marketing message.
/// - An over-long 2nd/3rd follow-up is refused as (#100) invalid <c>message[text]</c>; a message without text
///   (attachment only) has no characters and passes.
/// - ENABLE_FOLLOWUP_MESSAGE (dev support) reopens the whole allowance: 3 more follow-ups, a new 2-minute window.
/// </summary>
public static class FollowUpRule
{
    public const int MaxFollowUps = 3;
    public const int MaxLaterFollowUpLength = 250;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>Whether a send on <paramref name="token"/> at <paramref name="now"/> is a follow-up (exactly 2 minutes after the first still is).</summary>
    public static bool IsFollowUp(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.FollowUpOpen) return false;
        if (token.FollowUpsSent == 0) return true;
        return token.FollowUpsSent < MaxFollowUps && token.FirstFollowUpAt is { } first && now - first <= Window;
    }

    /// <summary>
    /// For a send that <see cref="IsFollowUp"/>: refuses a 2nd or 3rd follow-up longer than 250 characters.
    /// <paramref name="textLength"/> is <see cref="MarketingText.Length"/> of <c>message.text</c>, null without text.
    /// </summary>
    public static DomainError? Check(NotificationToken token, int? textLength)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.FollowUpsSent >= 1 && textLength > MaxLaterFollowUpLength
            ? DomainError.Invalid("message[text]", $"Param message[text] must be at most {MaxLaterFollowUpLength} characters in the 2nd and 3rd opt-in follow-up messages")
            : null;
    }

    /// <summary>The token after a follow-up went out; the 3rd closes follow-ups.</summary>
    public static NotificationToken Record(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var sent = token.FollowUpsSent + 1;
        return token with
        {
            FollowUpsSent = sent,
            FirstFollowUpAt = token.FirstFollowUpAt ?? now,
            FollowUpOpen = sent < MaxFollowUps,
            Updated = now,
        };
    }

    /// <summary>Dev support <c>ENABLE_FOLLOWUP_MESSAGE</c>: the next sends are follow-ups again.</summary>
    public static NotificationToken Reopen(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token with { FollowUpOpen = true, FollowUpsSent = 0, FirstFollowUpAt = null, Updated = now };
    }
}
