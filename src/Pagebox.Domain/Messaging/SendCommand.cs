namespace Pagebox.Domain.Messaging;

public enum MessagingType
{
    Response = 1,
    Update = 2,
    MessageTag = 3,
    Utility = 4,
}

public enum SenderAction
{
    MarkSeen = 1,
    TypingOn = 2,
    TypingOff = 3,
    React = 4,
    Unreact = 5,
}

/// <summary>Who a Send API call addresses (exactly one identifier; docs/spec/send-api.md §2.3).</summary>
public abstract record Recipient;

public sealed record PsidRecipient(string Psid) : Recipient;

public sealed record TokenRecipient(string Token) : Recipient;

public sealed record CommentRecipient(string CommentId) : Recipient;

public sealed record UserRefRecipient(string UserRef) : Recipient;

public sealed record UnsupportedRecipient(string Field) : Recipient;

/// <summary>
/// The message object as the bot sent it (<see cref="Json"/>, normalised only by parsing; docs/design-notes.md §4)
/// and the few facts the rules read from it, extracted by the Server.
/// </summary>
public sealed record OutgoingMessage(string Json)
{
    public string? Text { get; init; }
    public bool HasText { get; init; }
    public bool HasAttachment { get; init; }
    public string? AttachmentType { get; init; }
    public string? TemplateType { get; init; }
    public string? Metadata { get; init; }
    public int QuickReplyCount { get; init; }
    public bool HasUtilityTemplate { get; init; }

    /// <summary>A media attachment sent with <c>is_reusable: true</c>: the answer carries an
    /// <c>attachment_id</c>.</summary>
    public bool IsReusable { get; init; }

    /// <summary>The media attachment's <c>payload.url</c>, kept with the saved attachment of a reusable send.</summary>
    public string? AttachmentUrl { get; init; }

    /// <summary>
    /// A saved attachment the message names: <c>attachment.payload.attachment_id</c> of a media attachment, or
    /// <c>elements[0].attachment_id</c> of a media template; <see cref="AttachmentIdParameter"/> says which.
    /// </summary>
    public string? AttachmentId { get; init; }

    public string? AttachmentIdParameter { get; init; }

    /// <summary><c>message.sticker_id</c> (Sticker API): the message is that sticker.</summary>
    public string? StickerId { get; init; }

    /// <summary>Set when the message is a marketing opt-in request (template_type notification_messages).</summary>
    public Marketing.OptInTemplate? OptIn { get; init; }
}

public sealed record SendCommand(
    string AppId,
    string PageId,
    Recipient Recipient,
    OutgoingMessage? Message,
    SenderAction? Action,
    MessagingType? MessagingType,
    string? Tag,
    string? ReplyToMid
)
{
    /// <summary>Send as this persona of the Page (Personas API).</summary>
    public string? PersonaId { get; init; }

    /// <summary>For a sender action: how the conversation keeps it (JSON text, opaque to the Domain).</summary>
    public string? ActionJson { get; init; }

    /// <summary><c>thread_control</c>: once the message is sent, pass the thread to this app (conversation
    /// routing).</summary>
    public ThreadControlRequest? ThreadControl { get; init; }
}

/// <summary>
/// The Send API's <c>thread_control</c> object, <c>{"control_type":"pass","app_id"?}</c>: the only documented control
/// type is <c>pass</c>; without <c>app_id</c> the thread goes to the default app, which is the Page Inbox in Pagebox.
/// </summary>
public sealed record ThreadControlRequest(string? AppId);

/// <summary>The Send API's answer: <c>{"recipient_id","message_id"}</c>; sender actions carry no message id.</summary>
public sealed record SendResult(string? RecipientId, string? MessageId)
{
    /// <summary>Set when a media attachment was sent with <c>is_reusable: true</c>.</summary>
    public string? AttachmentId { get; init; }
}
