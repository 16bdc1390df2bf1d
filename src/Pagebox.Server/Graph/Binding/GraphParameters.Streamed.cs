using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

internal sealed partial class GraphParameters
{
    /// <summary>The parameter parts of a streamed multipart body together (files do not count): as much as a whole
    /// ordinary body.</summary>
    private const int PartHeadersLimit = 16 * 1024;

    /// <summary>
    /// Reads a multipart body part by part without holding it (the Attachment Upload API): a file part is counted and
    /// hashed (SHA-256) as it streams past (Pagebox keeps a file's size, hash, type and name, never its bytes), the
    /// other parts are parameters of at most <paramref name="maxFieldBytes"/> together. The whole body may be <paramref
    /// name="maxBodyBytes"/> (Kestrel enforces it while reading; the caller raised its limit). Never throws for
    /// anything the client sends; only cancellation of <paramref name="ct"/> escapes.
    /// </summary>
    public static async Task<BindResult> ReadStreamedMultipartAsync(
        HttpRequest request,
        long maxBodyBytes,
        long maxFieldBytes,
        CancellationToken ct
    )
    {
        var query = FormKeys.Assemble(request.Query);
        if (request.ContentLength > maxBodyBytes)
            return BindResult.Fail(TooLarge(maxBodyBytes));
        if (
            !MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary
        )
            return BindResult.Fail(
                Malformed("The form body could not be read: the multipart Content-Type has no boundary.")
            );

        var fields = new KeyValueAccumulator();
        var files = new FormFileCollection();
        var fieldBytes = 0L;
        var reader = new MultipartReader(boundary, request.Body)
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = PartHeadersLimit,
        };
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (
                    !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
                )
                    return BindResult.Fail(
                        Malformed("The form body could not be read: a part has no form-data Content-Disposition.")
                    );
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    // :: A file: counted and hashed, never kept.
                    long length = 0;
                    int read;
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    while ((read = await section.Body.ReadAsync(chunk, ct)) > 0)
                    {
                        length += read;
                        sha.AppendData(chunk, 0, read);
                    }
                    var fileName =
                        HeaderUtilities
                            .RemoveQuotes(
                                disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName
                            )
                            .Value
                        ?? "";
                    var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
                    files.Add(
                        new StreamedFormFile(name, fileName, length, hash, new HeaderDictionary(section.Headers ?? []))
                    );
                    continue;
                }

                // :: A parameter: read whole, within what is left of the parameters' allowance.
                using var value = new MemoryStream();
                int n;
                while ((n = await section.Body.ReadAsync(chunk, ct)) > 0)
                {
                    fieldBytes += n;
                    if (fieldBytes > maxFieldBytes)
                        return BindResult.Fail(TooLarge(maxFieldBytes));
                    value.Write(chunk, 0, n);
                }
                fields.Append(name, Encoding.UTF8.GetString(value.GetBuffer(), 0, (int)value.Length));
            }
        }
        catch (InvalidDataException ex)
        {
            return BindResult.Fail(Malformed($"The form body could not be read: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BindResult.Fail(
                DomainError.Of(DomainErrorKind.BodyTooLarge, "The request body exceeds the server's limit.")
            );
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            return BindResult.Fail(Malformed($"The form body could not be read: {ex.Message}"));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return Bound(request, query, FormKeys.Assemble(fields.GetResults()), files);
    }

    /// <summary>Whether a body is multipart/form-data (the only kind whose files are streamed).</summary>
    public static bool IsMultipart(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The SHA-256 of a file part (lowercase hex): taken while it streamed past, or read from a buffered part; null
    /// when its bytes cannot be read.
    /// </summary>
    public static async ValueTask<string?> Sha256Async(IFormFile file, CancellationToken ct)
    {
        if (file is StreamedFormFile streamed)
            return streamed.Sha256;
        try
        {
            await using var stream = file.OpenReadStream();
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A file part as Pagebox keeps it: name, file name, content type, size and hash; its bytes went past
    /// uncopied.</summary>
    private sealed class StreamedFormFile(
        string name,
        string fileName,
        long length,
        string sha256,
        IHeaderDictionary headers
    ) : IFormFile
    {
        public string Sha256 => sha256;

        public string ContentType => headers.ContentType.ToString();
        public string ContentDisposition => headers.ContentDisposition.ToString();
        public IHeaderDictionary Headers => headers;
        public long Length => length;
        public string Name => name;
        public string FileName => fileName;

        public Stream OpenReadStream() => throw new NotSupportedException("Pagebox does not keep uploaded bytes.");

        public void CopyTo(Stream target) => throw new NotSupportedException("Pagebox does not keep uploaded bytes.");

        public Task CopyToAsync(Stream target, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Pagebox does not keep uploaded bytes.");
    }
}
