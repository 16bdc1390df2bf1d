using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// POST /{PAGE-ID}/messages serves several products: a send to a notification message token (marketing), an opt-in
/// request (a notification_messages template), a private reply to a comment, the one message to a Checkbox-plugin
/// user_ref, and standard messaging. This picks which rules decide.
/// </summary>
public sealed class SendRouter(
    MessagingCommands messaging,
    MarketingCommands marketing,
    EntryPointCommands entryPoints,
    World.WorldCommands world
)
{
    public Result<SendResult> Send(IStoreSession s, PageRecord cachedPage, SendCommand cmd, DateTimeOffset now)
    {
        // The Page as it is now, read inside the command: a cached copy may miss a switch just flipped or an app just
        // deleted. The platform's own switches come before anything about the request.
        if (s.GetPage(cachedPage.Id) is not { } page)
            return Errors.DomainError.Of(Errors.DomainErrorKind.InvalidAccessToken);
        if (SendPolicy.CheckPage(page.Settings) is { } pageError)
            return pageError;
        // messaging_policy_enforcement "block": the platform stopped this app messaging on the Page.
        if (s.IsBlockedByPolicy(page.Id, cmd.AppId))
            return Errors.DomainError.Of(Errors.DomainErrorKind.BlockedByPolicy);
        if (SendPolicy.CheckShape(cmd) is { } shapeError)
            return shapeError;
        if (SendPolicy.CheckCommerce(page.Settings, cmd.Message) is { } commerceError)
            return commerceError;
        // Message tags hold for every kind of recipient: retired tags, CUSTOMER_FEEDBACK's template, HUMAN_AGENT's
        // permission.
        if (MessageTagRule.Check(cmd, s.GetApp(cmd.AppId)?.HumanAgentPermission ?? false, now) is { } tagError)
            return tagError;
        // A persona must be one of this Page's, and not deleted (deleting is soft: old messages keep it).
        if (
            cmd.PersonaId is { } personaId
            && (s.GetPersona(personaId) is not { Deleted: null } persona || persona.PageId != page.Id)
        )
            return Errors.DomainError.Invalid(
                "persona_id",
                $"Param persona_id is not a persona of this Page: {cmd.PersonaId}"
            );
        // A saved attachment must be one of this Page's and younger than 90 days (Attachment Upload API).
        if (
            cmd.Message?.AttachmentId is { } attachmentId
            && Attachments.AttachmentReuseRule.Check(
                s.GetAttachment(attachmentId),
                page.Id,
                cmd.Message.AttachmentIdParameter ?? "attachment_id",
                now
            )
                is { } attachmentError
        )
            return attachmentError;
        // Handover: while another app owns the thread, this app may not send to it (no owner: every app may).
        if (
            cmd.Recipient is PsidRecipient { Psid: var psid }
            && s.GetThreadOwner(page.Id, psid) is { } owner
            && owner != cmd.AppId
        )
            return Errors.DomainError.Of(Errors.DomainErrorKind.ThreadOwnedByAnotherApp);
        if (RichMessageRule.Check(page, cmd) is { } richError)
            return richError;
        if (HandoverCommands.CheckSendThreadControl(s, page, cmd) is { } controlError)
            return controlError;
        var decision = Route(s, page, cmd, now);
        if (decision.IsAccepted)
            HandoverCommands.ApplySendThreadControl(s, page, cmd, now);
        return decision;
    }

    private Result<SendResult> Route(IStoreSession s, PageRecord page, SendCommand cmd, DateTimeOffset now) =>
        cmd switch
        {
            { Recipient: TokenRecipient } => marketing.SendToToken(s, page, cmd, now),
            { Recipient: CommentRecipient } => entryPoints.PrivateReply(s, page, cmd, world, now),
            { Recipient: UserRefRecipient } => entryPoints.SendToUserRef(s, page, cmd, world, now),
            { Message.OptIn: { } template } => marketing.SendOptInRequest(s, page, cmd, template, now),
            _ => messaging.Send(s, page, cmd, now),
        };
}
