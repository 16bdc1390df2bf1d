using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// Sends that reach a person before any conversation: a private reply to a comment (<c>recipient.comment_id</c>)
/// and the one message after a Checkbox-plugin tick (<c>recipient.user_ref</c>). Neither opens the standard window:
/// the conversation goes on only once the person answers (docs/spec/send-api.md §6, docs/spec/webhooks.md §6).
/// </summary>
public sealed class EntryPointCommands(MessagingCommands messaging)
{
    /// <summary>One private reply per comment, within 7 days of it: 10900 for a second one, 10903 when too
    /// late.</summary>
    public Result<SendResult> PrivateReply(
        IStoreSession s,
        PageRecord page,
        SendCommand cmd,
        World.WorldCommands world,
        DateTimeOffset now
    )
    {
        if (NoSenderAction(cmd, "as a private reply") is { } refused)
            return refused;
        var commentId = ((CommentRecipient)cmd.Recipient).CommentId;
        if (s.GetComment(commentId) is not { } comment || comment.PageId != page.Id)
            return DomainError.Invalid(
                "recipient[comment_id]",
                $"Param recipient[comment_id] is not a comment on this Page: {commentId}"
            );
        if (comment.RepliedAt is not null)
            return DomainError.Of(DomainErrorKind.ActivityAlreadyReplied);
        if (!Rules.MessagingWindowRule.IsOpen(comment.Created, Rules.MessagingWindowRule.PrivateReplyLength, now))
            return DomainError.Of(DomainErrorKind.CannotReplyToActivity);
        var reached = Reach(s, page, comment.PersonId, world, now);
        if (!reached.IsAccepted)
            return reached.Error;
        var conversation = reached.Value;
        s.Apply(new SaveComment(comment with { RepliedAt = now }));
        return Result<SendResult>.Accept(messaging.Deliver(s, page, conversation, cmd, MessageKind.Standard, now));
    }

    /// <summary>
    /// The one message to a Checkbox-plugin <c>user_ref</c>: no <c>recipient_id</c> in the answer and no echo or
    /// delivery event (Meta stopped them for user_ref sends in 2018). Unknown ref → 100/2018001; a second message or
    /// one after 24 hours → 10/2018278.
    /// </summary>
    public Result<SendResult> SendToUserRef(
        IStoreSession s,
        PageRecord page,
        SendCommand cmd,
        World.WorldCommands world,
        DateTimeOffset now
    )
    {
        if (NoSenderAction(cmd, "to a user_ref") is { } refused)
            return refused;
        var userRef = ((UserRefRecipient)cmd.Recipient).UserRef;
        if (s.GetUserRef(page.Id, userRef) is not { } tick)
            return DomainError.Of(DomainErrorKind.UnknownRecipient);
        if (
            tick.UsedAt is not null
            || !Rules.MessagingWindowRule.IsOpen(tick.Created, Rules.MessagingWindowRule.UserRefLength, now)
        )
            return DomainError.Of(DomainErrorKind.OutsideWindow);
        var reached = Reach(s, page, tick.PersonId, world, now);
        if (!reached.IsAccepted)
            return reached.Error;
        var conversation = reached.Value;
        s.Apply(new SaveUserRef(tick with { UsedAt = now }));
        var sent = messaging.Record(s, page, conversation, cmd, MessageKind.Standard, now);
        return Result<SendResult>.Accept(new SendResult(null, sent));
    }

    /// <summary>An entry point takes a message only: a sender action is refused, naming where it was sent.</summary>
    private static DomainError? NoSenderAction(SendCommand cmd, string where) =>
        cmd.Action is null ? null : DomainError.Invalid("sender_action", $"Param sender_action cannot be sent {where}");

    /// <summary>The person's conversation with the Page, made on first contact; refused when they blocked the
    /// Page.</summary>
    private static Result<Conversation> Reach(
        IStoreSession s,
        PageRecord page,
        string personId,
        World.WorldCommands world,
        DateTimeOffset now
    )
    {
        var conversation = world.Contact(s, s.GetPerson(personId)!, page, now);
        if (conversation.Blocked)
            return DomainError.Of(DomainErrorKind.PersonBlockedPage);
        return conversation;
    }
}
