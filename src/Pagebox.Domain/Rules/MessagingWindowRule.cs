namespace Pagebox.Domain.Rules;

/// <summary>
/// The standard messaging window: 24 hours from the person's last message to the Page, on the app's clock.
/// Graph counts it from the person's last message, not from the Page's last reply.
/// </summary>
public static class MessagingWindowRule
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>When the window closes; null if the person never wrote.</summary>
    public static DateTimeOffset? OpenUntil(DateTimeOffset? lastInboundAt) => lastInboundAt + Length;

    /// <summary>Open while now is before last inbound + 24 h: at 23:59:59.999 open, at exactly 24:00:00 closed.</summary>
    public static bool IsOpen(DateTimeOffset? lastInboundAt, DateTimeOffset now)
        => lastInboundAt is { } last && now < last + Length;
}
