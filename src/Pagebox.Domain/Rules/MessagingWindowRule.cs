using Pagebox.Domain.Messaging;

namespace Pagebox.Domain.Rules;

/// <summary>
/// Every messaging window, on the app's clock. The standard 24 hours and the 7 days of the HUMAN_AGENT (and
/// CUSTOMER_FEEDBACK) tag count from the person's last message to the Page (not from the Page's last reply); a
/// private reply counts from the comment, the Checkbox plugin's one message from the tick.
/// </summary>
public static class MessagingWindowRule
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>The HUMAN_AGENT tag's window: a person's question may be answered by a human for 7 days.</summary>
    public static readonly TimeSpan HumanAgentLength = TimeSpan.FromDays(7);

    /// <summary>A comment may be answered privately within 7 days (docs).</summary>
    public static readonly TimeSpan PrivateReplyLength = TimeSpan.FromDays(7);

    /// <summary>
    /// The Checkbox plugin lets the Page write once, within 24 hours of the tick (inferred, fidelity.md).
    /// </summary>
    public static readonly TimeSpan UserRefLength = TimeSpan.FromHours(24);

    /// <summary>
    /// The window a standard send needs: RESPONSE, UPDATE (and an absent messaging_type, which Meta's samples omit)
    /// and sender actions the 24 h one; HUMAN_AGENT and CUSTOMER_FEEDBACK tags 7 days; UTILITY templates and the
    /// retired tags (before their retirement) none (null).
    /// </summary>
    public static TimeSpan? For(MessagingType? type, string? tag) =>
        type switch
        {
            MessagingType.Utility => null,
            MessagingType.MessageTag when tag is MessageTagRule.HumanAgent or MessageTagRule.CustomerFeedback =>
                HumanAgentLength,
            MessagingType.MessageTag when tag is not null && MessageTagRule.RetiredTags.Contains(tag) => null,
            _ => Length,
        };

    /// <summary>When the window closes; null if the person never wrote.</summary>
    public static DateTimeOffset? OpenUntil(DateTimeOffset? lastInboundAt) => lastInboundAt + Length;

    /// <summary>Open while now is before last inbound + 24 h: at 23:59:59.999 open, at exactly 24:00:00
    /// closed.</summary>
    public static bool IsOpen(DateTimeOffset? lastInboundAt, DateTimeOffset now) => IsOpen(lastInboundAt, Length, now);

    /// <summary>Open while now is before <paramref name="start"/> + <paramref name="length"/>.</summary>
    public static bool IsOpen(DateTimeOffset? start, TimeSpan length, DateTimeOffset now) =>
        start is { } at && now < at + length;
}
