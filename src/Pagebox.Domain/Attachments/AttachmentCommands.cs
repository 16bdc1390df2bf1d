using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Attachments;

/// <summary>The Attachment Upload API (docs/spec/send-api.md §5): saves an attachment of a Page and names it with a new
/// id.</summary>
public sealed class AttachmentCommands(IdGenerator ids)
{
    public Result<AttachmentRecord> Upload(
        IStoreSession s,
        PageRecord page,
        AttachmentUpload upload,
        DateTimeOffset now
    )
    {
        if (AttachmentUploadRule.Check(upload) is { } error)
            return error;
        // Nothing is fetched or kept but the facts: Pagebox never shows the media to anyone (docs/fidelity.md).
        var attachment = new AttachmentRecord(
            ids.AttachmentId(),
            page.Id,
            upload.Type,
            upload.Url,
            upload.HasFile ? upload.FileContentType : null,
            upload.FileLength,
            upload.FileName,
            now,
            upload.HasFile ? upload.FileSha256 : null
        );
        s.Apply(new SaveAttachment(attachment));
        return attachment;
    }
}
