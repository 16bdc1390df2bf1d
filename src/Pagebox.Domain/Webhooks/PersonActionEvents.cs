using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Webhooks;

// Webhook events of what a person does beyond writing (Domain/World/PersonActionCommands.cs), and the platform's
// policy enforcement. Field names per Meta's webhook reference pages; Instagram's singular names where they differ.

/// <summary><c>message_reactions</c>: the person reacted to (or took back a reaction from) a message of the
/// Page.</summary>
/// <param name="Reaction">smile, angry, sad, wow, love, like, dislike or other; null leaves it out (Instagram
/// unreact).</param>
/// <param name="Emoji">The emoji; null leaves it out (Instagram unreact).</param>
/// <param name="PageId">The Page whose message it is.</param>
/// <param name="Psid">The person's page-scoped id.</param>
/// <param name="Timestamp">When the person reacted, on the app's clock.</param>
/// <param name="Mid">The message reacted to.</param>
/// <param name="Action">react or unreact.</param>
public sealed record ReactionEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Mid,
    string Action,
    string? Reaction,
    string? Emoji
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessageReactions;
}

/// <summary><c>message_edits</c> (Instagram: <c>message_edit</c>): the person edited a message; the new text and the
/// edit count.</summary>
public sealed record MessageEditEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Mid,
    string Text,
    int NumEdit,
    Platform Platform
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field =>
        Platform == Platform.Instagram ? WebhookFields.InstagramEdit : WebhookFields.MessageEdits;
}

/// <summary><c>response_feedback</c>: thumbs up ("Good response") or down ("Bad response") on a message an app
/// sent.</summary>
public sealed record ResponseFeedbackEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Mid,
    string Feedback
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public const string Good = "Good response";
    public const string Bad = "Bad response";

    public override string Field => WebhookFields.ResponseFeedback;
}

/// <summary>One answered question of a customer feedback template: its id, score type, score and free-form
/// follow-up.</summary>
public sealed record FeedbackAnswer(string QuestionId, string Type, string Payload, string? FollowUp);

/// <summary><c>messaging_feedback</c>: the person submitted a customer feedback template (one screen).</summary>
public sealed record MessagingFeedbackEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    IReadOnlyList<FeedbackAnswer> Answers
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessagingFeedback;
}

/// <summary>Instagram: the person unsent a message (<c>messages</c> with <c>is_deleted: true</c>).</summary>
public sealed record UnsendEvent(string PageId, string Psid, DateTimeOffset Timestamp, string Mid)
    : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.Messages;
}

/// <summary>
/// The person opted in through a recurring-notification link (<c>m.me/rn/…?topic=&amp;cadence=</c>):
/// <c>messaging_optins</c> with <c>source: SHORTLINK</c>, the link's <c>ref</c> and the topic.
/// </summary>
public sealed record LinkOptInEvent(
    string PageId,
    string Psid,
    DateTimeOffset Timestamp,
    string Topic,
    string? Ref,
    string Token,
    TokenFrequency Frequency,
    string? TimeZone,
    DateTimeOffset TokenExpiry,
    UserTokenStatus UserTokenStatus
) : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessagingOptins;
}

/// <summary>The Send to Messenger plugin: <c>messaging_optins</c> with the sender and the plugin's
/// <c>data-ref</c>.</summary>
public sealed record PluginOptInEvent(string PageId, string Psid, DateTimeOffset Timestamp, string? Ref)
    : WebhookEvent(PageId, Psid, Timestamp)
{
    public override string Field => WebhookFields.MessagingOptins;
}

/// <summary>
/// <c>messaging_policy_enforcement</c>: the platform warns, blocks or unblocks an app on a Page. No sender; the reason
/// is absent on unblock. The order key is the app, so one app's enforcements arrive in order.
/// </summary>
public sealed record PolicyEnforcementEvent(
    string PageId,
    DateTimeOffset Timestamp,
    string AppId,
    string Action,
    string? Reason
) : WebhookEvent(PageId, "policy:" + AppId, Timestamp)
{
    public override string Field => WebhookFields.PolicyEnforcement;
}

/// <summary>A referral carried by another event: an m.me link's <c>ref</c>, or a click-to-Messenger ad.</summary>
/// <param name="AdsContextJson">A JSON object as given (the Domain keeps it opaque).</param>
/// <param name="Ref">The <c>ref</c> parameter; null when none was given.</param>
/// <param name="Source">Where the referral came from (SHORTLINK, ADS, …).</param>
/// <param name="Type">The referral's type (OPEN_THREAD).</param>
/// <param name="AdId">The ad's id, for a click-to-Messenger ad.</param>
public sealed record ReferralInfo(
    string? Ref,
    string Source,
    string Type,
    string? AdId = null,
    string? AdsContextJson = null
);
