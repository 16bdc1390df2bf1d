using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Rules;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// The facts a send is decided on, read by <see cref="SendRouter"/> from the store: the Page as it is now, the
/// conversation and the quoted message (standard sends to a PSID), and what the request names (app, persona,
/// attachment, thread owner, thread_control target). A fact the request does not need stays at its default.
/// </summary>
public sealed record SendFacts(PageRecord Page, Conversation? Conversation, StoredMessage? ReplyTo)
{
    /// <summary>messaging_policy_enforcement "block": the platform stopped this app messaging on the Page.</summary>
    public bool BlockedByPolicy { get; init; }

    /// <summary>The sending app holds the Human Agent permission.</summary>
    public bool HumanAgentPermission { get; init; }

    /// <summary>The persona named by persona_id, if any.</summary>
    public PersonaRecord? Persona { get; init; }

    /// <summary>The saved attachment named by attachment_id, if any.</summary>
    public Attachments.AttachmentRecord? Attachment { get; init; }

    /// <summary>The app that owns the PSID's thread (handover); null when no app does.</summary>
    public string? ThreadOwner { get; init; }

    /// <summary>The Page token of the app thread_control[app_id] names (null: the app has no access).</summary>
    public PageToken? ThreadControlTargetToken { get; init; }
}

/// <summary>
/// Every send to POST /{PAGE-ID}/messages is decided here, in one order, the first refusal winning as on the
/// platform (a bad token is refused before a bad PSID):
/// 1. the Page's switches (<see cref="CheckPage"/>), then the app's policy block;
/// 2. the request's shape (<see cref="CheckShape"/>), commerce templates, the message tag;
/// 3. what the request names: persona, saved attachment, the thread's owner, rich content, thread_control;
/// 4. for standard messaging only (<see cref="IsStandard"/>): the recipient, the person's block, the quoted
///    message, the window (<see cref="DecideRecipient"/>). Other products (tokens, comments, user_refs, opt-in
///    requests) decide their recipient in their own commands.
/// </summary>
public static class SendPolicy
{
    /// <summary>Deprecated tags refused with code 100 from this date (<see cref="MessageTagRule"/>).</summary>
    public static readonly DateTimeOffset TagDeprecation = MessageTagRule.Retirement;

    private static readonly HashSet<string> KnownTags = new(StringComparer.Ordinal)
    {
        "HUMAN_AGENT",
        "CUSTOMER_FEEDBACK",
        "CONFIRMED_EVENT_UPDATE",
        "ACCOUNT_UPDATE",
        "POST_PURCHASE_UPDATE",
    };

    /// <summary>
    /// Switches the platform flips on its own, checked before anything about the recipient, in this order: messaging
    /// off (10904), no pages_messaging (200), blocked for abuse (368), temporarily restricted (10/1893063).
    /// </summary>
    public static DomainError? CheckPage(PageSettings settings)
    {
        if (!settings.MessagingEnabled)
            return DomainError.Of(DomainErrorKind.MessagingDisabled) with
            {
                Hint = "the Page's switch messaging_enabled is off",
            };
        if (!settings.PagesMessagingPermission)
            return DomainError.Of(DomainErrorKind.NoMessagingPermission) with
            {
                Hint = "the Page's switch pages_messaging_permission is off",
            };
        if (settings.Abusive)
            return DomainError.Of(DomainErrorKind.PageBlockedForAbuse) with
            {
                Hint = "the Page's switch abusive is on (blocked for policy violations)",
            };
        if (settings.Restricted)
            return DomainError.Of(DomainErrorKind.PageRestricted) with
            {
                Hint = "the Page's switch restricted is on (temporarily restricted from sending)",
            };
        return null;
    }

    /// <summary>Commerce messages (product and receipt templates) while the Page's commerce feature is limited:
    /// 2022.</summary>
    public static DomainError? CheckCommerce(PageSettings settings, OutgoingMessage? message) =>
        !settings.CommerceEnabled && message?.TemplateType is "product" or "receipt"
            ? DomainError.Of(DomainErrorKind.CommerceDisabled)
            : null;

    /// <summary>The request's shape: exactly one of message or sender_action, a valid message, a tag when
    /// tagged.</summary>
    public static DomainError? CheckShape(SendCommand cmd)
    {
        if (cmd.Message is not null && cmd.Action is not null)
            return DomainError.Of(DomainErrorKind.MessageAndSenderAction);
        if (cmd.Message is null && cmd.Action is null)
            return DomainError.Missing("message");
        if (cmd.MessagingType == MessagingType.MessageTag)
        {
            if (cmd.Tag is null)
                return DomainError.Missing("tag");
            if (!KnownTags.Contains(cmd.Tag))
                return DomainError.Invalid(
                    "tag",
                    $"Param tag must be one of {{HUMAN_AGENT, CUSTOMER_FEEDBACK}} - got \"{cmd.Tag}\""
                );
        }
        if (cmd.MessagingType == MessagingType.Utility && cmd.Message is { HasUtilityTemplate: false })
            return DomainError.Invalid("message[template]", "UTILITY messages need message[template]");
        return cmd.Message is null ? null : MessageContentRule.Validate(cmd.Message);
    }

    /// <summary>Decides a send (steps 1 to 4 above). Returns null when it may go out.</summary>
    public static DomainError? Decide(SendFacts facts, SendCommand cmd, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(cmd);
        var page = facts.Page;
        if (CheckPage(page.Settings) is { } pageError)
            return pageError;
        if (facts.BlockedByPolicy)
            return DomainError.Of(DomainErrorKind.BlockedByPolicy);
        var error =
            CheckShape(cmd)
            ?? CheckCommerce(page.Settings, cmd.Message)
            // Message tags hold for every kind of recipient: retired tags, CUSTOMER_FEEDBACK's template,
            // HUMAN_AGENT's permission.
            ?? MessageTagRule.Check(cmd, facts.HumanAgentPermission, now)
            ?? CheckNamed(facts, cmd, now)
            ?? RichMessageRule.Check(page, cmd)
            ?? HandoverCommands.CheckSendThreadControl(cmd, facts.ThreadControlTargetToken);
        if (error is not null)
            return error;
        return IsStandard(cmd) ? DecideRecipient(facts, cmd, now) : null;
    }

    /// <summary>
    /// Standard messaging: not a notification message token, a comment or a user_ref, and not an opt-in request
    /// (a notification_messages template). The other products decide their recipient themselves.
    /// </summary>
    public static bool IsStandard(SendCommand cmd) =>
        cmd is { Recipient: not (TokenRecipient or CommentRecipient or UserRefRecipient) }
        && cmd.Message?.OptIn is null;

    /// <summary>The persona, the saved attachment and the thread's owner the request names.</summary>
    private static DomainError? CheckNamed(SendFacts facts, SendCommand cmd, DateTimeOffset now)
    {
        var page = facts.Page;
        // A persona must be one of this Page's, and not deleted (deleting is soft: old messages keep it).
        if (cmd.PersonaId is not null && (facts.Persona is not { Deleted: null } persona || persona.PageId != page.Id))
            return DomainError.Invalid(
                "persona_id",
                $"Param persona_id is not a persona of this Page: {cmd.PersonaId}"
            );
        // A saved attachment must be one of this Page's and younger than 90 days (Attachment Upload API).
        if (
            cmd.Message?.AttachmentId is not null
            && Attachments.AttachmentReuseRule.Check(
                facts.Attachment,
                page.Id,
                cmd.Message.AttachmentIdParameter ?? "attachment_id",
                now
            )
                is { } attachmentError
        )
            return attachmentError;
        // Handover: while another app owns the thread, this app may not send to it (no owner: every app may).
        return cmd.Recipient is PsidRecipient && facts.ThreadOwner is { } owner && owner != cmd.AppId
            ? DomainError.Of(DomainErrorKind.ThreadOwnedByAnotherApp)
            : null;
    }

    /// <summary>
    /// Step 4 of <see cref="Decide"/>, for standard messaging: the recipient, the block, the quoted message, the
    /// window.
    /// </summary>
    public static DomainError? DecideRecipient(SendFacts facts, SendCommand cmd, DateTimeOffset now)
    {
        switch (cmd.Recipient)
        {
            case PsidRecipient:
                break;
            case TokenRecipient:
                return DomainError.Of(DomainErrorKind.TokenInvalid);
            case UnsupportedRecipient u:
                return DomainError.Invalid(
                    $"recipient[{u.Field}]",
                    $"Pagebox does not support recipient[{u.Field}] yet"
                );
            default:
                return DomainError.Missing("recipient");
        }
        var conversation = facts.Conversation;
        if (conversation is null || conversation.PageId != facts.Page.Id)
            return DomainError.Of(DomainErrorKind.UnknownRecipient);
        if (conversation.Blocked)
            return DomainError.Of(DomainErrorKind.PersonBlockedPage);
        if (cmd.ReplyToMid is not null && (facts.ReplyTo is null || facts.ReplyTo.Psid != conversation.Psid))
            return DomainError.Invalid("reply_to[mid]", "Param reply_to[mid] must be a message of this conversation");
        return CheckWindow(cmd, conversation.LastInboundAt, now);
    }

    /// <summary>
    /// The window the send needs (<see cref="MessagingWindowRule.For"/>), after the retired tags, which are refused
    /// whatever the window.
    /// </summary>
    public static DomainError? CheckWindow(SendCommand cmd, DateTimeOffset? lastInbound, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        if (cmd.MessagingType == MessagingType.MessageTag && MessageTagRule.IsRetired(cmd.Tag, now))
            return MessageTagRule.Retired(cmd.Tag!);
        return
            MessagingWindowRule.For(cmd.MessagingType, cmd.Tag) is { } length
            && !MessagingWindowRule.IsOpen(lastInbound, length, now)
            ? DomainError.Of(DomainErrorKind.OutsideWindow)
            : null;
    }
}
