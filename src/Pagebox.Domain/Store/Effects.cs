using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Store;

/// <summary>
/// A change a rule decided on. Rules return effects as values; the store applies them in the command's
/// transaction, so a state change and the webhook events it causes commit together (docs/design-notes.md §3).
/// </summary>
public abstract record Effect;

public sealed record SaveApp(AppRecord App) : Effect;

public sealed record DeleteApp(string AppId) : Effect;

/// <summary>
/// Clears what happened in an app's world (docs/control-api.md, "Reset"): the conversations on its Pages (PSIDs,
/// messages, tokens, opt-in requests, comments, user_refs, thread owners, reactions, edits, feedback, paid messages)
/// and its webhook outbox. The app (secret, switches, clock), its Pages (switches, access tokens, subscriptions,
/// Messenger Profile, personas, attachments), its ad accounts and campaigns, and the persons stay.
/// </summary>
public sealed record ResetApp(string AppId) : Effect;

public sealed record SetClockOffset(string AppId, long OffsetMs) : Effect;

public sealed record SavePage(PageRecord Page) : Effect;

public sealed record SavePageToken(PageToken Token) : Effect;

public sealed record SavePerson(PersonRecord Person) : Effect;

public sealed record SaveConversation(Conversation Conversation) : Effect;

public sealed record SaveMessage(StoredMessage Message) : Effect;

public sealed record SaveAppSubscription(AppSubscription Subscription) : Effect;

[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720",
    Justification = "Object is the platform's own field name (page, instagram)."
)]
public sealed record DeleteAppSubscription(string AppId, string Object) : Effect;

public sealed record SavePageSubscription(PageSubscription Subscription) : Effect;

public sealed record DeletePageSubscription(string PageId, string AppId) : Effect;

public sealed record SaveToken(NotificationToken Token) : Effect;

public sealed record SaveOptInRequest(OptInRequestRecord Request) : Effect;

public sealed record SaveProfileField(string PageId, string Field, string ValueJson) : Effect;

public sealed record DeleteProfileField(string PageId, string Field) : Effect;

public sealed record SavePost(PostRecord Post) : Effect;

public sealed record SaveComment(CommentRecord Comment) : Effect;

public sealed record SaveUserRef(UserRefRecord UserRef) : Effect;

public sealed record SavePersona(PersonaRecord Persona) : Effect;

public sealed record SaveAttachment(Attachments.AttachmentRecord Attachment) : Effect;

public sealed record SaveSetting(string Key, string Value) : Effect;

/// <summary>Handover: the app that owns the conversation's thread, or none (<paramref name="AppId"/> null: every app
/// acts).</summary>
public sealed record SaveThreadOwner(string PageId, string Psid, string? AppId) : Effect;

// :: What a person does beyond writing, and the platform's policy enforcement (Domain/World/PersonActionCommands.cs).

/// <summary>The person's reaction to a message; <paramref name="Emoji"/> null takes it back.</summary>
public sealed record SaveReaction(string PageId, string Mid, string Psid, string? Emoji) : Effect;

/// <summary>The person edited their message: its new object (as the webhook shows it) and the edit count.</summary>
public sealed record EditMessage(string PageId, string Mid, string MessageJson, int NumEdit) : Effect;

/// <summary>Instagram: the person unsent their message; it is gone from the conversation.</summary>
public sealed record DeleteMessage(string Mid) : Effect;

/// <summary>A customer feedback template was answered (once).</summary>
public sealed record SaveFeedbackAnswer(string PageId, string Mid, DateTimeOffset At) : Effect;

/// <summary>The platform blocks (or unblocks) an app from messaging on a Page for policy violations.</summary>
public sealed record SavePolicyBlock(string PageId, string AppId, bool Blocked) : Effect;

/// <summary>
/// Whether the app is unsubscribed from a Page whose webhook delivery failed for an hour, as on the platform (on by
/// default); off, the subscription stays and the failed delivery waits for a replay.
/// </summary>
public sealed record SetWebhooksDisableOnFailure(string AppId, bool Enabled) : Effect;

/// <summary>
/// The app is back on the Page (it subscribed again): the failed delivery that holds the app's events of that Page is
/// tried again, first, and those that waited behind it follow in order.
/// </summary>
public sealed record ResumeWebhooks(string AppId, string PageId) : Effect;

/// <summary>The Page sent message <paramref name="Mid"/> as one of its personas (the inbox shows the persona's name and
/// picture).</summary>
public sealed record SaveMessagePersona(string Mid, string PageId, string PersonaId) : Effect;

/// <summary>Record a webhook event for one subscribed app (the outbox row).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720",
    Justification = "Object is the platform's own field name (page, instagram)."
)]
public sealed record RecordWebhook(string AppId, string Object, WebhookEvent Event) : Effect;
