using System.Globalization;
using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// Opt-in follow-ups (seed, "Opt In Followup Messages"): after the person opts in, the Page may send up to 3 messages
/// on the token, outside the standard window too. The allowance:
/// - opens at the person's opt-in tap (every tap, also on a topic already held), or when the test endpoint's
///   ENABLE_FOLLOWUP_MESSAGE is called (a fresh allowance from that moment: 3 more, new deadlines);
/// - the 1st follow-up must go out within 2 minutes of that opening;
/// - the 2nd and 3rd within 2 minutes of the 1st, and at most 250 characters;
/// - "within 2 minutes" is read strictly, like the 24-hour window: at 1:59.999 still open, at exactly 2:00 closed.
/// Any other send is a regular marketing message under the rule set's frequency (<see cref="FrequencyRule"/>), which
/// also closes a lapsed allowance. Follow-ups are not subject to the frequency cooldown and do not start it (the seed:
/// the daily limit "does not apply to Opt In Followup messages"). An over-long 2nd/3rd follow-up is refused as (#100)
/// invalid <c>message[text]</c>; a message without text (attachment only) has no characters and passes.
/// </summary>
public static class FollowUpRule
{
    public const int MaxFollowUps = 3;
    public const int MaxLaterFollowUpLength = 250;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The instant from which the next send is no longer a follow-up: 2 minutes after the opening (1st follow-up) or
    /// after the 1st follow-up (2nd and 3rd). Null when there is no allowance (closed, or all 3 sent).
    /// </summary>
    public static DateTimeOffset? OpenUntil(NotificationToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.FollowUpOpen || token.FollowUpsSent >= MaxFollowUps)
            return null;
        var anchor =
            token.FollowUpsSent == 0
                ? token.FollowUpOpenedAt ?? token.Created
                : token.FirstFollowUpAt ?? token.FollowUpOpenedAt ?? token.Created;
        return anchor + Window;
    }

    /// <summary>Whether a send on <paramref name="token"/> at <paramref name="now"/> is a follow-up (at exactly 2:00 it
    /// no longer is).</summary>
    public static bool IsFollowUp(NotificationToken token, DateTimeOffset now) =>
        OpenUntil(token) is { } until && now < until;

    /// <summary>
    /// For a send that <see cref="IsFollowUp"/>: refuses a 2nd or 3rd follow-up longer than 250 characters.
    /// <paramref name="textLength"/> is <see cref="MarketingText.Length"/> of <c>message.text</c>, null without text.
    /// </summary>
    public static DomainError? Check(NotificationToken token, int? textLength)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.FollowUpsSent >= 1 && textLength > MaxLaterFollowUpLength
            ? DomainError.Invalid(
                "message[text]",
                $"Param message[text] must be at most {MaxLaterFollowUpLength} characters in the 2nd and 3rd opt-in "
                    + $"follow-up messages"
            )
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

    /// <summary>
    /// A fresh allowance from <paramref name="now"/>: the person's opt-in tap, or the test endpoint's
    /// <c>ENABLE_FOLLOWUP_MESSAGE</c>. The regular cooldown is left as it is.
    /// </summary>
    public static NotificationToken Open(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token with
        {
            FollowUpOpen = true,
            FollowUpsSent = 0,
            FirstFollowUpAt = null,
            FollowUpOpenedAt = now,
            Updated = now,
        };
    }

    /// <summary>Dev support <c>ENABLE_FOLLOWUP_MESSAGE</c>: a fresh allowance from the moment it is called.</summary>
    public static NotificationToken Reopen(NotificationToken token, DateTimeOffset now) => Open(token, now);

    /// <summary>
    /// For the developer (the <c>X-Pagebox-Hint</c> of a refused regular send): why the send was not a follow-up.
    /// Null when it could not have been one for a reason the rule does not own.
    /// </summary>
    public static string? WhyNotAFollowUp(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (OpenUntil(token) is not { } until)
            return "not an opt-in follow-up: none is allowed now (3 were sent, or the allowance lapsed or ended with "
                + "a regular marketing message); ENABLE_FOLLOWUP_MESSAGE opens a new one";
        if (now < until)
            return null;
        var from = token.FollowUpsSent == 0 ? "the opt-in or ENABLE_FOLLOWUP_MESSAGE" : "the 1st follow-up";
        return $"not an opt-in follow-up: the allowance closed at "
            + $"{until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}, 2 minutes after {from}";
    }
}
