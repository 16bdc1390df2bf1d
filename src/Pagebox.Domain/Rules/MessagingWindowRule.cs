namespace Pagebox.Domain.Rules;

/// <summary>
/// The messaging windows, on the app's clock, counted from the person's last message to the Page (not from the Page's
/// last reply): the standard 24 hours, and the 7 days of the HUMAN_AGENT (and CUSTOMER_FEEDBACK) tag.
/// </summary>
public static class MessagingWindowRule
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>The HUMAN_AGENT tag's window: a person's question may be answered by a human for 7 days.</summary>
    public static readonly TimeSpan HumanAgentLength = TimeSpan.FromDays(7);

    /// <summary>When the window closes; null if the person never wrote.</summary>
    public static DateTimeOffset? OpenUntil(DateTimeOffset? lastInboundAt) => lastInboundAt + Length;

    /// <summary>Open while now is before last inbound + 24 h: at 23:59:59.999 open, at exactly 24:00:00
    /// closed.</summary>
    public static bool IsOpen(DateTimeOffset? lastInboundAt, DateTimeOffset now) =>
        lastInboundAt is { } last && now < last + Length;

    /// <summary>Open while now is before last inbound + 7 days.</summary>
    public static bool IsOpenForHumanAgent(DateTimeOffset? lastInboundAt, DateTimeOffset now) =>
        lastInboundAt is { } last && now < last + HumanAgentLength;
}
