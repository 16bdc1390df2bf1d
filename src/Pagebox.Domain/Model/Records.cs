namespace Pagebox.Domain.Model;

// Stored enums carry explicit numbers: the numbers are in the database (see PersistedEnumTests).
public enum Platform
{
    Messenger = 1,
    Instagram = 2,
}

public enum MessageKind
{
    Standard = 1,
    OptInRequest = 2,
    Marketing = 3,
    FollowUp = 4,
    SenderAction = 5,
    PaidMarketing = 6,
}

public enum MessageDirection
{
    FromPerson = 1,
    FromPage = 2,
}

/// <param name="HumanAgentPermission">The Human Agent permission (App Review on the platform; off by default): the
/// HUMAN_AGENT tag.</param>
/// <param name="Id">The app id (numeric, Meta's length).</param>
/// <param name="Name">The app's name.</param>
/// <param name="Secret">The app secret: it signs webhooks and <c>appsecret_proof</c>.</param>
/// <param name="RequireAppSecretProof">Every Graph call must carry <c>appsecret_proof</c>.</param>
/// <param name="ClockOffsetMs">The app's clock: real time plus this offset.</param>
/// <param name="Created">When the app was made, on its clock.</param>
public sealed record AppRecord(
    string Id,
    string Name,
    string Secret,
    bool RequireAppSecretProof,
    long ClockOffsetMs,
    DateTimeOffset Created,
    bool HumanAgentPermission = false
);

/// <summary>The switches the real platform flips on its own (docs/spec/control-api.md, "Page settings").</summary>
/// <param name="Restricted">Temporarily restricted from sending messages: 10/1893063.</param>
/// <param name="Abusive">Blocked for policy violations ("deemed abusive or … otherwise disallowed"): 368.</param>
/// <param name="MessagingEnabled">The Page can send and receive messages.</param>
/// <param name="CommerceEnabled">The Page has commerce features (product and receipt templates).</param>
/// <param name="PagesMessagingPermission">The app holds <c>pages_messaging</c> for the Page.</param>
/// <param name="OptInRequestsAllowed">The Page may send opt-in requests (<c>optin_requests_allowed</c>).</param>
/// <param name="SendRatePerSecond">The Page's send-rate limit per second; null for the platform's default.</param>
public sealed record PageSettings(
    bool MessagingEnabled = true,
    bool CommerceEnabled = true,
    bool Restricted = false,
    bool PagesMessagingPermission = true,
    bool OptInRequestsAllowed = true,
    int? SendRatePerSecond = null,
    bool Abusive = false
);

public sealed record PageRecord(
    string Id,
    string AppId,
    string Name,
    Platform Platform,
    string TimeZone,
    PageSettings Settings
);

/// <summary>A Page access token: which Page it opens and on behalf of which app.</summary>
public sealed record PageToken(string Token, string PageId, string AppId);

public sealed record PersonRecord(string Id, string Name, string TimeZone, string Locale);

/// <summary>
/// One person and one Page. The PSID is given on first contact and never changes.
/// </summary>
public sealed record Conversation(
    string PageId,
    string PersonId,
    string Psid,
    DateTimeOffset? LastInboundAt,
    bool Blocked,
    DateTimeOffset Created
);

public sealed record StoredMessage(
    string Mid,
    string PageId,
    string Psid,
    MessageDirection Direction,
    MessageKind Kind,
    DateTimeOffset Time,
    string MessageJson,
    string? AppId
);

/// <summary>An app's webhook subscription for one object ("page" or "instagram").</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720",
    Justification = "Object is the platform's own field name (page, instagram)."
)]
public sealed record AppSubscription(
    string AppId,
    string Object,
    string CallbackUrl,
    string VerifyToken,
    IReadOnlyList<string> Fields
);

/// <summary>An app installed on a Page (POST /{PAGE-ID}/subscribed_apps).</summary>
public sealed record PageSubscription(string PageId, string AppId, IReadOnlyList<string> Fields);
