using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// The effects of a standard send once <see cref="SendPolicy.Decide"/> let it go out: the message row, the echo and
/// delivery events, in the same transaction.
/// </summary>
public sealed class MessagingCommands(IdGenerator ids)
{
    /// <summary>
    /// Stores a Page's message and records its echo and delivery. The person's device is always online in
    /// Pagebox, so the delivery event follows at once, watermarked with the send time (Messenger only: Instagram
    /// sends no delivery receipts).
    /// </summary>
    public SendResult Deliver(
        IStoreSession s,
        PageRecord page,
        Conversation conversation,
        SendCommand cmd,
        MessageKind kind,
        DateTimeOffset now,
        bool echo = true
    )
    {
        var mid = ids.Mid();
        if (cmd.Action is not null)
        {
            s.Apply(PageMessage(mid, page, conversation, MessageKind.SenderAction, cmd.ActionJson ?? "{}", cmd, now));
            return new SendResult(conversation.Psid, null);
        }
        var message = cmd.Message!;
        s.Apply(PageMessage(mid, page, conversation, kind, message.Json, cmd, now));
        if (cmd.PersonaId is { } persona)
            s.Apply(new SaveMessagePersona(mid, page.Id, persona));
        // Delivery receipts are Messenger's (message_deliveries); Instagram has none: only the read (messaging_seen).
        var delivery =
            page.Platform == Platform.Instagram ? null : new DeliveryEvent(page.Id, conversation.Psid, now, [mid], now);
        var echoEvent = echo
            ? new EchoEvent(page.Id, conversation.Psid, now, mid, cmd.AppId, message.Json, page.Platform)
            : null;
        if (echoEvent is not null && delivery is not null)
            WebhookFanout.Record(s, page, echoEvent, delivery);
        else if (((WebhookEvent?)echoEvent ?? delivery) is { } single)
            WebhookFanout.Record(s, page, single);
        // A reusable media attachment is saved like an upload, so a later send may name it (an attachment sent by
        // attachment_id is saved already: no new id).
        string? attachmentId = null;
        if (message is { IsReusable: true, AttachmentId: null, AttachmentType: { } type })
        {
            attachmentId = ids.AttachmentId();
            s.Apply(
                new SaveAttachment(
                    new Attachments.AttachmentRecord(
                        attachmentId,
                        page.Id,
                        type,
                        message.AttachmentUrl,
                        null,
                        null,
                        null,
                        now
                    )
                )
            );
        }
        return new SendResult(conversation.Psid, mid) { AttachmentId = attachmentId };
    }

    /// <summary>The row of a message the Page sends (or a sender action) in the conversation.</summary>
    private static SaveMessage PageMessage(
        string mid,
        PageRecord page,
        Conversation conversation,
        MessageKind kind,
        string json,
        SendCommand cmd,
        DateTimeOffset now
    ) => new(new StoredMessage(mid, page.Id, conversation.Psid, MessageDirection.FromPage, kind, now, json, cmd.AppId));

    /// <summary>Stores a Page's message without any webhook (user_ref sends produce no echo or delivery).</summary>
    public string Record(
        IStoreSession s,
        PageRecord page,
        Conversation conversation,
        SendCommand cmd,
        MessageKind kind,
        DateTimeOffset now
    )
    {
        var mid = ids.Mid();
        s.Apply(PageMessage(mid, page, conversation, kind, cmd.Message!.Json, cmd, now));
        if (cmd.PersonaId is { } persona)
            s.Apply(new SaveMessagePersona(mid, page.Id, persona));
        return mid;
    }
}
