namespace Pagebox.Domain.Attachments;

/// <summary>
/// A saved attachment of a Page (Attachment Upload API, or a send with <c>is_reusable: true</c>): what it is and where
/// it came from. An upload by URL keeps the URL (never fetched); a file upload keeps its size, content type, name and
/// SHA-256 (lowercase hex) only, never its bytes.
/// </summary>
public sealed record AttachmentRecord(
    string Id,
    string PageId,
    string Type,
    string? Url,
    string? ContentType,
    long? SizeBytes,
    string? FileName,
    DateTimeOffset Created,
    string? Sha256 = null
);

/// <summary>
/// An upload request as sent: the declared <c>attachment.type</c>, the payload's <c>url</c>, and the <c>filedata</c>
/// part's content type, length, name and SHA-256 (all null without a file part).
/// </summary>
public sealed record AttachmentUpload(
    string Type,
    string? Url,
    string? FileContentType,
    long? FileLength,
    string? FileName,
    string? FileSha256 = null
)
{
    public bool HasFile => FileLength is not null;
}
