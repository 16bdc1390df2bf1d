namespace Pagebox.Contracts;

/// <summary>What the world face answers when a person taps an opt-in.</summary>
/// <param name="NotificationMessagesToken">The token.</param>
/// <param name="Psid">The person's PSID.</param>
/// <param name="Title">The topic.</param>
/// <param name="Payload">The opt-in payload.</param>
/// <param name="UserTokenStatus">NOT_REFRESHED or REFRESHED.</param>
/// <param name="Created">False when the person already held the topic's token.</param>
public sealed record OptInTapResult(
    string NotificationMessagesToken,
    string Psid,
    string Title,
    string Payload,
    string UserTokenStatus,
    bool Created
)
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
