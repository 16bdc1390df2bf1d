namespace Pagebox.Contracts;

/// <summary>A notification message token as <c>GET /{PAGE-ID}/notification_message_tokens</c> and the token node show it. Times in Unix seconds.</summary>
/// <param name="NotificationMessagesToken">The token.</param>
/// <param name="RecipientId">The PSID (IGSID on Instagram).</param>
/// <param name="NotificationMessagesReoptin">ENABLED or DISABLED.</param>
/// <param name="CreationTimestamp">When the person opted in.</param>
/// <param name="UserTokenStatus">NOT_REFRESHED or REFRESHED.</param>
/// <param name="TopicTitle">The opt-in title.</param>
/// <param name="NextEligibleTime">From when the next marketing message may be sent.</param>
public sealed record NotificationTokenInfo(
    string NotificationMessagesToken,
    string RecipientId,
    string NotificationMessagesReoptin,
    long CreationTimestamp,
    string UserTokenStatus,
    string TopicTitle,
    long NextEligibleTime)
{
    /// <summary>When the token expires; 2100-01-01 for tokens that never expire (every rule set but 2023).</summary>
    public long? TokenExpiryTimestamp { get; init; }

    /// <summary>The person's time zone from the opt-in request.</summary>
    public string? NotificationMessagesTimezone { get; init; }

    /// <summary>DAILY, WEEKLY or MONTHLY (2023 rules only).</summary>
    public string? NotificationMessagesFrequency { get; init; }

    /// <summary>Pagebox extension on the token node: STOP_NOTIFICATIONS while the person has stopped the token.</summary>
    public string? NotificationMessagesStatus { get; init; }
}

/// <summary>What the world face answers when a person taps an opt-in.</summary>
/// <param name="NotificationMessagesToken">The token.</param>
/// <param name="Psid">The person's PSID.</param>
/// <param name="Title">The topic.</param>
/// <param name="Payload">The opt-in payload.</param>
/// <param name="UserTokenStatus">NOT_REFRESHED or REFRESHED.</param>
/// <param name="Created">False when the person already held the topic's token.</param>
public sealed record OptInTapResult(string NotificationMessagesToken, string Psid, string Title, string Payload, string UserTokenStatus, bool Created)
{
    /// <summary>Expiry in Unix milliseconds, as the webhook carries it (2100-01-01 when it never expires).</summary>
    public long? TokenExpiryTimestamp { get; init; }
}

/// <summary>Body of POST /_pagebox/persons/{person}/optins.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">The opt-in request message.</param>
/// <param name="Element">Carousel element index (0-based).</param>
public sealed record OptInTapRequest(string? PageId, string? Mid, int? Element);

/// <summary>Body of POST /_pagebox/persons/{person}/marketing/stop and /resume.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Token">One token; all of the Page's tokens when absent.</param>
public sealed record MarketingStopRequest(string? PageId, string? Token);

/// <summary>The tokens a stop or resume changed.</summary>
/// <param name="Tokens">Changed tokens.</param>
public sealed record MarketingStopResult(IReadOnlyList<string> Tokens);
