using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Attachments;

/// <summary>
/// What an upload must be (docs/spec/send-api.md §2.5, §5): a media type, exactly one of a URL and a file, a file of at
/// most 25 MB whose content type belongs to the declared type's family (<c>image/*</c> for image, and so on; any for
/// file).
/// </summary>
public static class AttachmentUploadRule
{
    /// <summary>Meta's limit for any asset: 25 MB, read as MiB (the larger reading; a file Meta takes is never refused
    /// here).</summary>
    public const long MaxFileBytes = 25L * 1024 * 1024;

    public const string TypeParameter = "message[attachment][type]";
    public const string UrlParameter = "message[attachment][payload][url]";
    public const string FileParameter = "filedata";

    public static readonly IReadOnlyList<string> MediaTypes = ["image", "audio", "video", "file"];

    public static DomainError? Check(AttachmentUpload upload)
    {
        // :: Step 1: the declared type (templates and the rest cannot be saved).
        if (!MediaTypes.Contains(upload.Type))
            return DomainError.Invalid(
                TypeParameter,
                $"Param {TypeParameter} must be one of {{image, audio, video, file}} - got \"{upload.Type}\""
            );

        // :: Step 2: exactly one source.
        if (upload.Url is null && !upload.HasFile)
            return DomainError.Invalid(
                UrlParameter,
                $"Param {UrlParameter} or a {FileParameter} file part is required"
            );
        if (upload.Url is not null && upload.HasFile)
            return DomainError.Invalid(
                FileParameter,
                $"Param {UrlParameter} and a {FileParameter} file part cannot both be sent"
            );
        if (upload.Url is not null)
            return Uri.TryCreate(upload.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? null
                : DomainError.Invalid(UrlParameter, $"Param {UrlParameter} must be an http or https URL");

        // :: Step 3: the file: not empty, not too large, of the declared family.
        if (upload.FileLength is 0)
            return DomainError.Invalid(FileParameter, $"Param {FileParameter} must not be empty");
        if (upload.FileLength > MaxFileBytes)
            return DomainError.Of(DomainErrorKind.AttachmentTooLarge, $"{upload.FileLength} bytes");
        return Matches(upload.Type, upload.FileContentType)
            ? null
            : new DomainError(
                DomainErrorKind.AttachmentTypeMismatch,
                FileParameter,
                $"The attachment type {upload.Type} does not match the file's content type "
                    + $"{upload.FileContentType ?? "(none)"}"
            );
    }

    /// <summary>image, audio and video need a content type of their family; file takes anything.</summary>
    public static bool Matches(string type, string? contentType) =>
        type == "file"
        || (contentType is not null && contentType.StartsWith(type + "/", StringComparison.OrdinalIgnoreCase));
}
