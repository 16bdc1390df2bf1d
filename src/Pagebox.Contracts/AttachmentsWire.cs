namespace Pagebox.Contracts;

/// <summary>The Attachment Upload API's answer: <c>{"attachment_id": "…"}</c>.</summary>
/// <param name="AttachmentId">The saved attachment's id, for <c>payload.attachment_id</c> in later sends.</param>
public sealed record AttachmentIdResponse(string AttachmentId);

/// <summary>
/// The world face's view of a saved attachment (<c>GET /_pagebox/pages/{page}/attachments/{id}</c>): what Pagebox
/// kept of it. A file upload has its size, SHA-256 (lowercase hex), content type and file name; an upload by URL its
/// URL.
/// </summary>
public sealed record AttachmentDto(
    string Id,
    string PageId,
    string Type,
    string? Url,
    string? ContentType,
    long? SizeBytes,
    string? Sha256,
    string? FileName,
    DateTimeOffset CreatedTime
);
