using System.Text.Json;
using Microsoft.AspNetCore.StaticFiles;
using Pagebox.Contracts;
using Pagebox.Domain.Attachments;
using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Attachment Upload API: <c>POST /{PAGE-ID}/message_attachments</c> (docs/spec/send-api.md §5) with
/// <c>message={"attachment":{"type","payload":{"url"|…,"is_reusable"}}}</c> as JSON or a form string, or multipart with
/// a <c>filedata</c> part. Answers <c>{"attachment_id"}</c>. URLs are not fetched; of a file only its size, SHA-256,
/// name and content type are kept (the world face shows them: <c>GET /_pagebox/pages/{page}/attachments/{id}</c>).
/// </summary>
internal static class AttachmentsApi
{
    /// <summary>25 MB of file, plus room for the multipart framing and the other parameters.</summary>
    public static readonly GraphBodyLimit BodyLimit = new(AttachmentUploadRule.MaxFileBytes + (1024 * 1024));

    private const string Attachment = "message[attachment]";
    private const string Payload = "message[attachment][payload]";
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>A <see cref="PageUploadCall"/>: a multipart body over <see cref="BodyLimit"/> is refused as a file over
    /// Meta's limit.</summary>
    public static async Task<IResult> UploadAsync(PageUploadCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var (upload, parseError) = Parse(p);
        if (parseError is not null)
            return GraphErrors.Result(parseError);
        if (p.GetFile(AttachmentUploadRule.FileParameter) is { } file)
            upload = upload! with { FileSha256 = await GraphParameters.Sha256Async(file, http.RequestAborted) };
        var now = await g.PageNowAsync(caller.Page);
        var saved = await g.Store.WriteAsync(
            s => g.Attachments.Upload(s, caller.Page, upload!, now),
            http.RequestAborted
        );
        return saved.IsAccepted
            ? Results.Json(new AttachmentIdResponse(saved.Value.Id), PageboxJson.Wire.AttachmentIdResponse)
            : GraphErrors.Result(saved.Error);
    }

    /// <summary>
    /// GET /_pagebox/pages/{page}/attachments/{id} (world face): what Pagebox kept of a saved attachment of the Page;
    /// 404 for an unknown Page, or an attachment that is not this Page's.
    /// </summary>
    public static async Task<IResult> WorldGetAsync(string page, string id, GraphServices g)
    {
        var a = await g.Store.ReadAsync(s => s.GetAttachment(id));
        if (await g.Directory.GetPageAsync(page) is null)
            return WorldApi.Error(404, $"Unknown page {page}");
        if (a is null || a.PageId != page)
            return WorldApi.Error(404, $"Unknown attachment {id} of page {page}");
        return Results.Json(
            new AttachmentDto(
                a.Id,
                a.PageId,
                a.Type,
                a.Url,
                a.ContentType,
                a.SizeBytes,
                a.Sha256,
                a.FileName,
                a.Created
            ),
            PageboxJson.Wire.AttachmentDto
        );
    }

    /// <summary>The wire shapes (objects, strings, booleans); which values are allowed is <see
    /// cref="AttachmentUploadRule"/>'s.</summary>
    private static (AttachmentUpload?, DomainError?) Parse(GraphParameters p)
    {
        if (!p.TryGetRequiredObject("message", out var message, out var error))
            return (null, error);
        if (!message.TryGetProperty("attachment", out var a) || a.ValueKind == JsonValueKind.Null)
            return (null, DomainError.Missing(Attachment));
        if (a.ValueKind != JsonValueKind.Object)
            return (null, DomainError.Invalid(Attachment, $"Param {Attachment} must be an object"));
        if (!a.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
            return (null, DomainError.Missing($"{Attachment}[type]"));
        if (type.ValueKind != JsonValueKind.String)
            return (null, DomainError.Invalid($"{Attachment}[type]", $"Param {Attachment}[type] must be a string"));
        if (!a.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return (null, DomainError.Invalid(Payload, $"Param {Payload} must be an object"));
        if (
            payload.TryGetProperty("is_reusable", out var reusable)
            && reusable.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)
        )
            return (
                null,
                DomainError.Invalid($"{Payload}[is_reusable]", $"Param {Payload}[is_reusable] must be a boolean")
            );
        string? url = null;
        if (payload.TryGetProperty("url", out var u) && u.ValueKind != JsonValueKind.Null)
        {
            if (u.ValueKind != JsonValueKind.String)
                return (null, DomainError.Invalid($"{Payload}[url]", $"Param {Payload}[url] must be a string"));
            url = u.GetString();
        }
        var file = p.GetFile(AttachmentUploadRule.FileParameter);
        return (
            new AttachmentUpload(
                type.GetString()!.ToLowerInvariant(),
                url,
                file is null ? null : ContentTypeOf(file),
                file?.Length,
                file?.FileName
            ),
            null
        );
    }

    /// <summary>
    /// The part's media type; when it is missing or <c>application/octet-stream</c> (what many clients send for any
    /// file), the one its file name suggests, as curl and most form libraries would have sent.
    /// </summary>
    private static string? ContentTypeOf(IFormFile file)
    {
        var declared = (file.ContentType ?? "").Split(';')[0].Trim().ToLowerInvariant();
        if (declared.Length > 0 && declared != "application/octet-stream")
            return declared;
        return ContentTypes.TryGetContentType(file.FileName ?? "", out var guessed) ? guessed
            : declared.Length > 0 ? declared
            : null;
    }
}
