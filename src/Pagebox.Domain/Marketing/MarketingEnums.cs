namespace Pagebox.Domain.Marketing;

// All of these are stored in the database: the numbers never change (PersistedEnumTests).

/// <summary>Whether the person lets the Page use the token. Wire: <c>notification_messages_status</c> of stop/resume
/// events.</summary>
public enum TokenStatus
{
    Active = 1,
    Stopped = 2,
}

/// <summary>Legacy per-token cadence (<c>notification_messages_frequency</c>); honoured only under <see
/// cref="PolicyProfile.P2023"/>.</summary>
public enum TokenFrequency
{
    Daily = 1,
    Weekly = 2,
    Monthly = 3,
}

/// <summary><c>user_token_status</c>: REFRESHED once the person tapped "Continue messages" (legacy
/// re-opt-in).</summary>
public enum UserTokenStatus
{
    NotRefreshed = 1,
    Refreshed = 2,
}

/// <summary><c>notification_messages_reoptin</c>: whether the legacy "Continue messages" prompt may be shown.</summary>
public enum ReOptIn
{
    Enabled = 1,
    Disabled = 2,
}

/// <summary><c>notification_messages_cta_text</c>: the label of the opt-in button.</summary>
public enum CtaText
{
    GetUpdates = 1,
    Allow = 2,
    Get = 3,
    OptIn = 4,
    SignUp = 5,
}

/// <summary><c>image_aspect_ratio</c> of the opt-in template: 1.91:1 or 1:1.</summary>
public enum ImageAspectRatio
{
    Horizontal = 1,
    Square = 2,
}
