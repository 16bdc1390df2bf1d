using System.Text.Json;

namespace Pagebox.Contracts;

/// <summary>An app of the world face.</summary>
/// <param name="Id">App id.</param>
/// <param name="Name">App name.</param>
/// <param name="Secret">App secret (signs webhooks, appsecret_proof).</param>
public sealed record AppDto(string Id, string Name, string Secret)
{
    /// <summary>Whether Graph calls must carry appsecret_proof.</summary>
    public bool? RequireAppsecretProof { get; init; }

    /// <summary>Whether an hour of failed webhook deliveries unsubscribes the app from the Page.</summary>
    public bool? DisableWebhooksOnFailure { get; init; }

    /// <summary>Whether the app has the Human Agent permission (the HUMAN_AGENT tag); off by default.</summary>
    public bool? HumanAgentPermission { get; init; }

    /// <summary>The app's webhook subscriptions (GET only).</summary>
    public IReadOnlyList<AppSubscriptionItem>? Subscriptions { get; init; }

    /// <summary>The app's Pages (GET only).</summary>
    public IReadOnlyList<PageDto>? Pages { get; init; }
}

/// <summary>A Page.</summary>
/// <param name="Id">Page id.</param>
/// <param name="Name">Page name.</param>
/// <param name="Platform">messenger or instagram.</param>
/// <param name="Timezone">IANA time zone of the Page.</param>
/// <param name="AccessToken">The Page access token for the app.</param>
public sealed record PageDto(string Id, string Name, string Platform, string Timezone, string? AccessToken)
{
    /// <summary>The Page's switches.</summary>
    public PageSettingsDto? Settings { get; init; }
}

/// <summary>The platform's switches on a Page.</summary>
/// <param name="MessagingEnabled">Messaging on.</param>
/// <param name="CommerceEnabled">Commerce messages allowed.</param>
/// <param name="Restricted">Page restricted for policy.</param>
/// <param name="PagesMessagingPermission">App has pages_messaging.</param>
/// <param name="OptinRequestsAllowed">Page may send marketing opt-in requests.</param>
/// <param name="SendRatePerSecond">Send API rate limit, if any.</param>
public sealed record PageSettingsDto(
    bool MessagingEnabled,
    bool CommerceEnabled,
    bool Restricted,
    bool PagesMessagingPermission,
    bool OptinRequestsAllowed,
    int? SendRatePerSecond
)
{
    /// <summary>Page blocked for policy violations (368).</summary>
    public bool Abusive { get; init; }
}

/// <summary>A person.</summary>
/// <param name="Id">Person id.</param>
/// <param name="Name">Name.</param>
/// <param name="Timezone">IANA time zone.</param>
/// <param name="Locale">Locale.</param>
public sealed record PersonDto(string Id, string Name, string Timezone, string Locale);

/// <summary>Answer to a person's message.</summary>
/// <param name="Psid">The person's id for that Page.</param>
/// <param name="Mid">The message id.</param>
public sealed record PersonMessageResult(string Psid, string Mid);

/// <summary>A PSID look-up.</summary>
/// <param name="PersonId">Person.</param>
/// <param name="Psid">PSID.</param>
/// <param name="PageId">Page.</param>
public sealed record PsidDto(string PersonId, string Psid, string PageId);

/// <summary>A conversation as the person sees it.</summary>
/// <param name="Psid">The person's PSID.</param>
/// <param name="WindowOpenUntil">When the standard messaging window closes; null if never opened.</param>
/// <param name="Messages">Oldest first.</param>
public sealed record ConversationDto(
    string Psid,
    [property: System.Text.Json.Serialization.JsonIgnore(
        Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never
    )]
        DateTimeOffset? WindowOpenUntil,
    IReadOnlyList<ConversationMessageDto> Messages
)
{
    /// <summary>Whether the person blocked the Page.</summary>
    public bool Blocked { get; init; }

    /// <summary>Whether older messages exist than the first shown; ask for them with <see cref="Before"/>.</summary>
    public bool HasMore { get; init; }

    /// <summary>With <see cref="HasMore"/>: the cursor (<c>?before=</c>) of the next older page, the first message's
    /// mid.</summary>
    public string? Before { get; init; }

    /// <summary>
    /// The person's notification message tokens for the Page, as the rules see them (the developer's view of what the
    /// Graph face answers without explaining: the cooldown, the follow-up allowance, a stop).
    /// </summary>
    public IReadOnlyList<ConversationTokenDto>? Tokens { get; init; }
}

/// <summary>A notification message token in the developer's view of a conversation.</summary>
/// <param name="NotificationMessagesToken">The token.</param>
/// <param name="Title">Its topic.</param>
/// <param name="Status">active or stopped.</param>
/// <param name="NextEligibleTime">From when the next regular marketing message may go; null: at once.</param>
/// <param name="FollowupsSent">Opt-in follow-ups sent in the current allowance.</param>
/// <param name="FollowupOpenUntil">When the current follow-up allowance ends (in the past: it lapsed); null: none
/// open.</param>
public sealed record ConversationTokenDto(
    string NotificationMessagesToken,
    string Title,
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(
        Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never
    )]
        DateTimeOffset? NextEligibleTime,
    int FollowupsSent,
    [property: System.Text.Json.Serialization.JsonIgnore(
        Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never
    )]
        DateTimeOffset? FollowupOpenUntil
);

/// <summary>One message of a conversation.</summary>
/// <param name="Mid">Message id.</param>
/// <param name="From">page or person.</param>
/// <param name="Time">When.</param>
/// <param name="Kind">standard, optin_request, marketing, followup or sender_action.</param>
/// <param name="Message">The message object as sent.</param>
public sealed record ConversationMessageDto(
    string Mid,
    string From,
    DateTimeOffset Time,
    string Kind,
    JsonElement Message
);

/// <summary>An app's clock.</summary>
/// <param name="Now">The app's current time.</param>
public sealed record ClockDto(DateTimeOffset Now);

/// <summary>One webhook delivery (one POST, possibly retried).</summary>
/// <param name="Id">Delivery id.</param>
/// <param name="PageId">Page.</param>
/// <param name="Fields">Fields of the events it carries.</param>
/// <param name="Status">delivered, pending or failed.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="LastStatus">HTTP status of the last attempt (0: no answer).</param>
/// <param name="Created">When it was made, on the app's clock.</param>
/// <param name="Body">The envelope as sent.</param>
public sealed record DeliveryDto(
    long Id,
    string PageId,
    IReadOnlyList<string> Fields,
    string Status,
    int Attempts,
    int? LastStatus,
    DateTimeOffset Created,
    JsonElement Body
)
{
    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; init; }

    /// <summary>When the next attempt is due (pending only).</summary>
    public DateTimeOffset? NextAttempt { get; init; }
}

/// <summary>Health.</summary>
/// <param name="Status">ok, or unavailable when the store's database does not answer.</param>
public sealed record HealthDto(string Status)
{
    /// <summary>sqlite or postgres.</summary>
    public string? Store { get; init; }

    /// <summary>reachable or unreachable: whether the store's database answered just now.</summary>
    public string? Database { get; init; }

    /// <summary>Why the database is unreachable.</summary>
    public string? Error { get; init; }
}

/// <summary>Body of POST /_pagebox/apps.</summary>
/// <param name="Name">Name.</param>
public sealed record CreateAppRequest(string? Name)
{
    /// <summary>Require appsecret_proof on Graph calls.</summary>
    public bool? RequireAppsecretProof { get; init; }

    /// <summary>Unsubscribe the app from a Page whose webhooks failed for an hour, as the platform does (default
    /// true).</summary>
    public bool? DisableWebhooksOnFailure { get; init; }

    /// <summary>Grant (or withdraw) the Human Agent permission.</summary>
    public bool? HumanAgentPermission { get; init; }
}

/// <summary>Body of POST /_pagebox/apps/{app}/pages.</summary>
/// <param name="Name">Name.</param>
/// <param name="Platform">messenger or instagram.</param>
/// <param name="Timezone">IANA id.</param>
/// <param name="PageId">Link an existing Page to this app instead of creating one.</param>
public sealed record CreatePageRequest(string? Name, string? Platform, string? Timezone, string? PageId);

/// <summary>Body of POST /_pagebox/persons.</summary>
/// <param name="Name">Name.</param>
/// <param name="Timezone">IANA id.</param>
/// <param name="Locale">Locale.</param>
public sealed record CreatePersonRequest(string? Name, string? Timezone, string? Locale);

/// <summary>Body of POST /_pagebox/persons/{person}/messages.</summary>
/// <param name="PageId">Page written to.</param>
/// <param name="Text">Text.</param>
/// <param name="Attachments">Attachments as the webhook shows them.</param>
/// <param name="QuickReplyPayload">Payload of a tapped quick reply.</param>
/// <param name="ReplyTo">Mid of a quoted message.</param>
public sealed record PersonMessageRequest(
    string? PageId,
    string? Text,
    JsonElement? Attachments,
    string? QuickReplyPayload,
    string? ReplyTo
);

/// <summary>A body naming a Page (reads, blocks).</summary>
/// <param name="PageId">Page.</param>
public sealed record PageRefRequest(string? PageId);

/// <summary>Body of POST /_pagebox/apps/{app}/clock.</summary>
/// <param name="AdvanceSeconds">Seconds to move forward.</param>
/// <param name="Set">Time to move to.</param>
public sealed record ClockRequest(double? AdvanceSeconds, DateTimeOffset? Set);

/// <summary>Body of PATCH /_pagebox/pages/{page}.</summary>
/// <param name="MessagingEnabled">Messaging on.</param>
/// <param name="CommerceEnabled">Commerce on.</param>
/// <param name="Restricted">Restricted.</param>
/// <param name="PagesMessagingPermission">pages_messaging granted.</param>
/// <param name="OptinRequestsAllowed">Opt-in requests allowed.</param>
/// <param name="SendRatePerSecond">Rate limit.</param>
/// <param name="Timezone">IANA id.</param>
public sealed record PagePatchRequest(
    bool? MessagingEnabled,
    bool? CommerceEnabled,
    bool? Restricted,
    bool? PagesMessagingPermission,
    bool? OptinRequestsAllowed,
    int? SendRatePerSecond,
    string? Timezone
)
{
    /// <summary>Blocked for policy violations (368); <c>Restricted</c> is the temporary restriction
    /// (10/1893063).</summary>
    public bool? Abusive { get; init; }
}

/// <summary>Body of POST /_pagebox/persons/{person}/postbacks.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">A message the person received; with <paramref name="Button"/> (and <paramref name="Element"/> for
/// carousels).</param>
/// <param name="Button">Button index (0-based).</param>
/// <param name="Element">Carousel element index (0-based).</param>
/// <param name="Payload">Without a mid: the payload of Get Started, a persistent-menu item or an ice breaker.</param>
/// <param name="Title">Without a mid: the title shown.</param>
public sealed record PostbackRequest(
    string? PageId,
    string? Mid,
    int? Button,
    int? Element,
    string? Payload,
    string? Title
);

/// <summary>Body of POST /_pagebox/persons/{person}/referrals.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Ref">The m.me link's ref.</param>
/// <param name="Source">SHORTLINK (default), ADS, …</param>
public sealed record ReferralRequest(string? PageId, string? Ref, string? Source);

/// <summary>Body of POST /_pagebox/persons/{person}/comments.</summary>
/// <param name="PageId">Page.</param>
/// <param name="PostId">A post of the Page; a new post is made when absent.</param>
/// <param name="Text">The comment.</param>
public sealed record CommentRequest(string? PageId, string? PostId, string? Text);

/// <summary>A comment made by a person.</summary>
/// <param name="PostId">The post.</param>
/// <param name="CommentId">The comment, for <c>recipient.comment_id</c>.</param>
public sealed record CommentResult(string PostId, string CommentId);

/// <summary>Body of POST /_pagebox/persons/{person}/checkbox.</summary>
/// <param name="PageId">Page.</param>
/// <param name="UserRef">The plugin's user_ref.</param>
/// <param name="Ref">The plugin's data-ref, passed through.</param>
public sealed record CheckboxRequest(string? PageId, string? UserRef, string? Ref);

/// <summary>A Checkbox-plugin tick.</summary>
/// <param name="UserRef">For <c>recipient.user_ref</c>.</param>
/// <param name="PageId">Page.</param>
public sealed record CheckboxResult(string UserRef, string PageId);
