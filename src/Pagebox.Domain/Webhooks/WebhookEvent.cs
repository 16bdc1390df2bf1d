using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Webhooks;

/// <summary>
/// Webhook field names, exactly as the platform spells them in subscriptions.
/// </summary>
public static class WebhookFields
{
    public const string Messages = "messages";
    public const string MessageEchoes = "message_echoes";
    public const string MessageDeliveries = "message_deliveries";
    public const string MessageReads = "message_reads";
    public const string MessagingPostbacks = "messaging_postbacks";
    public const string MessagingOptins = "messaging_optins";
    public const string MessagingReferrals = "messaging_referrals";
    public const string MessageReactions = "message_reactions";
    public const string MessagingSeen = "messaging_seen";
    public const string Feed = "feed";
    public const string MessagingHandovers = "messaging_handovers";
    public const string Standby = "standby";

    /// <summary>Every field a Page subscription may name (SDK enum, the messaging subset we know).</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        Messages,
        MessageEchoes,
        MessageDeliveries,
        MessageReads,
        MessagingPostbacks,
        MessagingOptins,
        MessagingReferrals,
        MessageReactions,
        MessagingSeen,
        "message_edits",
        "messaging_optouts",
        "messaging_handovers",
        "messaging_policy_enforcement",
        "messaging_account_linking",
        "messaging_feedback",
        "messaging_game_plays",
        "standby",
        "response_feedback",
        "send_cart",
        "messenger_template_status_update",
        "marketing_message_echoes",
        "marketing_message_deliveries",
        "marketing_message_reads",
        "marketing_message_clicks",
        "marketing_message_delivery_failed",
        "marketing_messages_subscriber_upload_status",
        "feed",
        "mention",
        "comments",
        "message_template_status_update",
        "inbox_labels",
        "call_permission_reply",
        "calls",
        "group_feed",
        "leadgen",
        "live_videos",
        "messaging_customer_information",
        "messaging_in_thread_lead_form_submit",
    };

    // Instagram spells three messaging fields in the singular (SDK enum
    // iggraphusersubscribed_apps_subscribed_fields_enum_param).
    public const string InstagramReferral = "messaging_referral";
    public const string InstagramEdit = "message_edit";
    public const string InstagramHandover = "messaging_handover";
    public const string MessageEdits = "message_edits";
    public const string ResponseFeedback = "response_feedback";
    public const string MessagingFeedback = "messaging_feedback";
    public const string PolicyEnforcement = "messaging_policy_enforcement";

    /// <summary>
    /// Every field an Instagram subscription may name (object <c>instagram</c>, or an Instagram account's
    /// <c>subscribed_apps</c>): the SDK enum, plus <c>message_edit</c> (Meta's Instagram webhook reference).
    /// Messenger's plural names (<c>messaging_referrals</c>, <c>message_edits</c>, <c>messaging_handovers</c>) and
    /// Messenger-only fields (<c>message_echoes</c>, <c>message_deliveries</c>, <c>message_reads</c>, …) are not among
    /// them.
    /// </summary>
    public static readonly IReadOnlySet<string> Instagram = new HashSet<string>(StringComparer.Ordinal)
    {
        "comment_poll_response",
        "comments",
        "creator_marketplace_invited_creator_onboarding",
        "creator_marketplace_projects",
        "delta",
        "follow",
        "live_comments",
        "mentions",
        MessageReactions,
        Messages,
        InstagramHandover,
        MessagingOptins,
        MessagingPostbacks,
        InstagramReferral,
        MessagingSeen,
        "onboarding_welcome_message_series",
        Standby,
        "story_insights",
        "story_poll_response",
        "story_reactions",
        "story_share",
        InstagramEdit,
    };

    /// <summary>The fields a subscription for <paramref name="obj"/> may name.</summary>
    public static IReadOnlySet<string> KnownFor(string obj) => obj == "instagram" ? Instagram : Known;
}

/// <summary>
/// Something that happened on a conversation, in domain terms. The Server's encoder turns it into the
/// platform's <c>messaging[]</c> element; the Domain never sees JSON (message bodies are opaque strings).
/// </summary>
public abstract record WebhookEvent(string PageId, string Psid, DateTimeOffset Timestamp)
{
    public abstract string Field { get; }
}

/// <summary>The person wrote to the Page.</summary>
public sealed record PersonMessageEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Mid,
    string? Text,
    string? AttachmentsJson,
    string? QuickReplyPayload,
    string? ReplyToMid
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.Messages;

    /// <summary>The message came from a click-to-Messenger ad (or an m.me link): <c>message.referral</c>.</summary>
    public ReferralInfo? Referral { get; init; }
}

/// <summary>The Page sent a message (through any app, or the inbox); the echo carries the message as sent.</summary>
public sealed record EchoEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Mid,
    string AppId,
    string MessageJson,
    Platform Platform
) : WebhookEvent(PageId, Psid, Timestamp)
{
    // Instagram has no echo field: echoes arrive through "messages" with is_echo (docs/spec/webhooks.md §1.3).
    public override string Field =>
        Platform == Platform.Instagram ? WebhookFields.Messages : WebhookFields.MessageEchoes;
}

public sealed record DeliveryEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    IReadOnlyList<string> Mids,
    DateTimeOffset Watermark
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessageDeliveries;
}

/// <summary>
/// The person read the conversation. Messenger (<c>message_reads</c>) says so with a watermark; Instagram
/// (<c>messaging_seen</c>) names the message read, <see cref="Mid"/> (the Page's latest).
/// </summary>
public sealed record ReadEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    DateTimeOffset Watermark,
    Platform Platform
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field =>
        Platform == Platform.Instagram ? WebhookFields.MessagingSeen : WebhookFields.MessageReads;

    /// <summary>Instagram: the message read.</summary>
    public string? Mid { get; init; }
}

/// <summary>The person tapped a postback button, Get Started, a persistent-menu item or an ice breaker.</summary>
public sealed record PostbackEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Title,
    string Payload,
    string? Mid
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessagingPostbacks;

    /// <summary>Get Started tapped in a new thread opened by an m.me link or an ad: <c>postback.referral</c>.</summary>
    public ReferralInfo? Referral { get; init; }
}

/// <summary>The person followed an m.me link (or an ad, a QR code) into an existing conversation:
/// <see cref="Referral"/> says which (for a click-to-Messenger ad with <c>ad_id</c> and <c>ads_context_data</c>).
/// </summary>
public sealed record ReferralEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    ReferralInfo Referral,
    Platform Platform = Platform.Messenger
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field =>
        Platform == Platform.Instagram ? WebhookFields.InstagramReferral : WebhookFields.MessagingReferrals;
}

/// <summary>
/// A person commented on a Page post: the <c>feed</c> field, delivered in the Graph-wide <c>changes</c> form. The order
/// key is the post, so comments of one post arrive in order.
/// </summary>
public sealed record FeedCommentEvent(
    string PageId,
    DateTimeOffset Timestamp,
    string PostId,
    string CommentId,
    string PersonId,
    string PersonName,
    string Text
) : WebhookEvent(PageId, "post:" + PostId, Timestamp)
{
    public override string Field => WebhookFields.Feed;
}

/// <summary>The Checkbox plugin was ticked: <c>messaging_optins</c> with <c>user_ref</c> and no sender (no PSID
/// yet).</summary>
public sealed record CheckboxOptInEvent(string PageId, DateTimeOffset Timestamp, string UserRef, string? Ref)
    : WebhookEvent(PageId, "user_ref:" + UserRef, Timestamp)
{
    public override string Field => WebhookFields.MessagingOptins;
}

/// <summary>Any <c>messaging_optins</c> event: marketing opt-in, stop, resume, re-opt-in; fields absent when
/// null.</summary>
public sealed record OptInEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Type,
    string? Payload,
    string? Token,
    string? Title,
    string? TimeZone,
    DateTimeOffset? TokenExpiry,
    UserTokenStatus? UserTokenStatus,
    string? NotificationMessagesStatus,
    TokenFrequency? Frequency
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessagingOptins;
}

/// <summary>
/// A <c>messaging_handovers</c> event for one app: <c>pass_thread_control</c>, <c>take_thread_control</c> or
/// <c>request_thread_control</c> (<see cref="Kind"/>); app ids absent when null.
/// </summary>
public sealed record HandoverEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Kind,
    string? PreviousOwnerAppId,
    string? NewOwnerAppId,
    string? RequestedOwnerAppId,
    string? Metadata,
    Platform Platform = Platform.Messenger
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public const string Pass = "pass_thread_control";
    public const string Take = "take_thread_control";
    public const string Request = "request_thread_control";

    public override string Field =>
        Platform == Platform.Instagram ? WebhookFields.InstagramHandover : WebhookFields.MessagingHandovers;
}

/// <summary>
/// A conversation event for an app that does not own the thread: delivered under <c>entry[].standby[]</c> instead of
/// <c>messaging</c> (postbacks there carry no payload).
/// </summary>
public sealed record StandbyEvent(WebhookEvent Inner) : WebhookEvent(Inner.PageId, Inner.Psid, Inner.Timestamp)
{
    public override string Field => WebhookFields.Standby;
}

/// <summary>Encodes a domain event into the bytes of one <c>messaging[]</c> element. Implemented by the
/// Server.</summary>
public interface IWebhookEventEncoder
{
    string Encode(WebhookEvent e);
}
