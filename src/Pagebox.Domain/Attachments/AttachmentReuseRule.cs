using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Attachments;

/// <summary>
/// A send may name a saved attachment by <c>attachment_id</c> when it is one of this Page's and younger than 90 days
/// on the app's clock (docs/spec/send-api.md §5: "Attachment IDs expire after 90 days"; foreign ids → 100/2018074).
/// At 90 days − 1 ms it is still valid; at exactly 90 days it has expired.
/// </summary>
public static class AttachmentReuseRule
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    /// <param name="attachment">The stored attachment with that id, or null when there is none.</param>
    /// <param name="parameter">Where the id was sent, for the error message.</param>
    /// <param name="pageId">The Page that sends the attachment: only its own saved attachments may be reused.</param>
    /// <param name="now">The app's clock, against the 90-day lifetime.</param>
    public static DomainError? Check(
        AttachmentRecord? attachment,
        string pageId,
        string parameter,
        DateTimeOffset now
    ) =>
        attachment is null || attachment.PageId != pageId || now >= attachment.Created + Lifetime
            ? new DomainError(DomainErrorKind.InvalidAttachmentId, parameter)
            : null;
}
