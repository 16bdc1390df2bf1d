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
        // deleted.
        if (s.GetPage(cachedPage.Id) is not { } page)
            return DomainError.Of(DomainErrorKind.InvalidAccessToken);
        var facts = ReadFacts(s, page, cmd);
        if (SendPolicy.Decide(facts, cmd, now) is { } refused)
            return refused;
        var decision = Route(s, facts, cmd, now);
        if (decision.IsAccepted)
            HandoverCommands.ApplySendThreadControl(s, page, cmd, now);
        return decision;
    }

    /// <summary>The facts <see cref="SendPolicy.Decide"/> needs, each read only when the request needs it.</summary>
    private static SendFacts ReadFacts(IStoreReader s, PageRecord page, SendCommand cmd)
    {
        var psid = (cmd.Recipient as PsidRecipient)?.Psid;
        var standard = psid is not null && SendPolicy.IsStandard(cmd);
        var target = cmd.ThreadControl is { } tc ? tc.AppId ?? HandoverCommands.PageInboxAppId : null;
        return new SendFacts(
            page,
            standard ? s.GetConversationByPsid(psid!) : null,
            standard && cmd.ReplyToMid is { } replyTo ? s.GetMessage(replyTo) : null
        )
        {
            BlockedByPolicy = s.IsBlockedByPolicy(page.Id, cmd.AppId),
            HumanAgentPermission = cmd.Tag is not null && (s.GetApp(cmd.AppId)?.HumanAgentPermission ?? false),
            Persona = cmd.PersonaId is { } personaId ? s.GetPersona(personaId) : null,
            Attachment = cmd.Message?.AttachmentId is { } attachmentId ? s.GetAttachment(attachmentId) : null,
            ThreadOwner = psid is null ? null : s.GetThreadOwner(page.Id, psid),
            ThreadControlTargetToken =
                target is null || target == HandoverCommands.PageInboxAppId ? null : s.GetPageTokenFor(page.Id, target),
        };
    }

    private Result<SendResult> Route(IStoreSession s, SendFacts facts, SendCommand cmd, DateTimeOffset now) =>
        cmd switch
        {
            { Recipient: TokenRecipient } => marketing.SendToToken(s, facts.Page, cmd, now),
            { Recipient: CommentRecipient } => entryPoints.PrivateReply(s, facts.Page, cmd, world, now),
            { Recipient: UserRefRecipient } => entryPoints.SendToUserRef(s, facts.Page, cmd, world, now),
            { Message.OptIn: { } template } => marketing.SendOptInRequest(s, facts.Page, cmd, template, now),
            // Standard messaging, decided to the end by SendPolicy: the conversation is there and the window open.
            _ => messaging.Deliver(
                s,
                facts.Page,
                facts.Conversation!,
                cmd,
                cmd.Action is not null ? MessageKind.SenderAction : MessageKind.Standard,
                now
            ),
        };
}
