namespace Pagebox.Domain.Marketing;

/// <summary>
/// Legacy token expiry (before 2023-08-10): DAILY tokens live 6 months, WEEKLY 9, MONTHLY 12, counted from the opt-in
/// or the last "Continue messages" refresh. Other profiles: tokens never expire.
/// </summary>
public static class TokenLifetime
{
    /// <summary>Whether tokens expire under the rule set: only under 2023.</summary>
    public static bool Applies(PolicyProfile profile) => profile == PolicyProfile.P2023;

    /// <summary>
    /// Calendar months added in UTC (<see cref="DateTimeOffset.AddMonths"/> on a UTC instant): Aug 31 + 6 months is
    /// Feb 28/29, the last day of the shorter month. Meta does not say which time zone or clamping it uses.
    /// </summary>
    public static DateTimeOffset? ExpiryFor(TokenFrequency? frequency, PolicyProfile profile, DateTimeOffset from)
    {
        if (!Applies(profile))
            return null;
        var months = (frequency ?? TokenFrequency.Daily) switch
        {
            TokenFrequency.Weekly => 9,
            TokenFrequency.Monthly => 12,
            _ => 6,
        };
        return from.ToUniversalTime().AddMonths(months);
    }

    /// <summary>
    /// Expired once <paramref name="now"/> reaches the expiry instant. Only under 2023: a database made under 2023 and
    /// served under a later profile behaves like Meta after 2023-08-10, where stored expiries stopped mattering.
    /// </summary>
    public static bool IsExpired(NotificationToken token, PolicyProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Applies(profile) && token.ExpiresAt is { } expiresAt && now >= expiresAt;
    }

    /// <summary>
    /// Whether Meta would show the person the "Continue messages" prompt now: only under 2023, for an active,
    /// unexpired token whose opt-in allowed re-opt-in (<c>notification_messages_reoptin</c> ENABLED).
    /// </summary>
    public static bool CanRefresh(NotificationToken token, PolicyProfile profile, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return profile == PolicyProfile.P2023
            && token.ReOptIn == ReOptIn.Enabled
            && token.Status == TokenStatus.Active
            && !IsExpired(token, profile, now);
    }

    /// <summary>
    /// The person tapped "Continue messages": REFRESHED, and an expiring token gets a new expiry counted from now.
    /// A token that never expires (ExpiresAt null) stays so; check <see cref="CanRefresh"/> first.
    /// </summary>
    public static NotificationToken Refresh(NotificationToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token with
        {
            UserTokenStatus = UserTokenStatus.Refreshed,
            ExpiresAt = token.ExpiresAt is null ? null : ExpiryFor(token.Frequency, PolicyProfile.P2023, now),
            Updated = now,
        };
    }
}
