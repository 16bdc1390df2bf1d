namespace Pagebox.Contracts;

/// <summary>The Attachment Upload API's answer: <c>{"attachment_id": "…"}</c>.</summary>
/// <param name="AttachmentId">The saved attachment's id, for <c>payload.attachment_id</c> in later sends.</param>
public sealed record AttachmentIdResponse(string AttachmentId);
