using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

internal sealed partial class GraphParameters
{
    private enum BodyKind
    {
        None,
        Json,
        Form,
        Multipart,
    }

    /// <summary>
    /// Reads the query string and body of <paramref name="request"/>. Never throws for anything the client sends;
    /// only cancellation of <paramref name="ct"/> (the client went away) escapes as an exception.
    /// </summary>
    /// <remarks>
    /// The body is buffered in memory (at most <paramref name="maxBodyBytes"/>) and left in <c>request.Body</c>
    /// as a seekable stream at position 0, so later code may re-read it; for form bodies the parsed form is also
    /// available as <c>request.Form</c>.
    /// </remarks>
    public static async Task<BindResult> ReadAsync(HttpRequest request, long maxBodyBytes, CancellationToken ct)
    {
        // :: Step 1: the query string. Bracket keys work here too (?fields[]=a).
        var query = FormKeys.Assemble(request.Query);

        // :: Step 2: buffer the body, enforcing the limit on the declared length and again while reading,
        // because chunked requests declare nothing.
        if (request.ContentLength > maxBodyBytes)
        {
            return BindResult.Fail(TooLarge(maxBodyBytes));
        }

        var buffered = await BufferBodyAsync(request.Body, request.ContentLength, maxBodyBytes, ct);
        if (!buffered.IsAccepted)
        {
            return BindResult.Fail(buffered.Error);
        }

        var body = buffered.Value;

        // Parsers below read from the start; the form reader reads request.Body itself.
        body.Position = 0;
        request.Body = body;

        // :: Step 3: parse the body by its content type, sniffing JSON when the type is missing or wrong.
        var bodyValues = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        IFormFileCollection? files = null;
        var bytes = new ReadOnlyMemory<byte>(body.GetBuffer(), 0, (int)body.Length);
        var kind = Classify(request.ContentType, bytes.Span, out var looksLikeJson);
        if (kind == BodyKind.Form && looksLikeJson && TryReadJsonObject(bytes, out var sniffed) is null)
        {
            // `curl -d '{"recipient":...}'` labels JSON as a form; no form body starts with '{'.
            bodyValues = sniffed;
        }
        else if (kind == BodyKind.Json)
        {
            if (TryReadJsonObject(bytes, out bodyValues) is { } jsonError)
            {
                return BindResult.Fail(jsonError);
            }
        }
        else if (kind is BodyKind.Form or BodyKind.Multipart)
        {
            var form = await ReadFormAsync(request, maxBodyBytes, ct);
            if (!form.IsAccepted)
            {
                return BindResult.Fail(form.Error);
            }

            bodyValues = FormKeys.Assemble(form.Value);
            files = form.Value.Files;
        }

        // Leave the buffered body rewound for anyone who wants the raw bytes later.
        body.Position = 0;

        // :: Step 4: merge (body wins per parameter) and pick the credentials.
        return Bound(request, query, bodyValues, files);
    }

    /// <summary>The query and body merged (the body wins per parameter, the query's dictionary is reused), with the
    /// credentials picked: <c>Authorization</c>, then the body, then the query.</summary>
    private static BindResult Bound(
        HttpRequest request,
        Dictionary<string, JsonElement> query,
        Dictionary<string, JsonElement> bodyValues,
        IFormFileCollection? files
    )
    {
        var token = AuthorizationToken(request) ?? Credential("access_token", bodyValues, query);
        var proof = Credential("appsecret_proof", bodyValues, query);
        foreach (var (name, value) in bodyValues)
        {
            query[name] = value;
        }

        return BindResult.Ok(new GraphParameters(query, files, token, proof));
    }

    private static DomainError TooLarge(long maxBodyBytes) =>
        DomainError.Of(DomainErrorKind.BodyTooLarge, $"The request body exceeds the limit of {maxBodyBytes} bytes.");

    private static DomainError Malformed(string detail) => DomainError.Of(DomainErrorKind.MalformedBody, detail);

    private static async Task<Result<MemoryStream>> BufferBodyAsync(
        Stream source,
        long? declared,
        long maxBodyBytes,
        CancellationToken ct
    )
    {
        // Pre-size from Content-Length, but never trust it for more than 1 MiB up front.
        var buffer = new MemoryStream((int)Math.Clamp(declared ?? 0, 0, 1 << 20));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > maxBodyBytes)
                {
                    return TooLarge(maxBodyBytes);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own MaxRequestBodySize fired first; its limit is not ours to quote.
            return DomainError.Of(DomainErrorKind.BodyTooLarge, "The request body exceeds the server's limit.");
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            return Malformed($"The request body could not be read: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static BodyKind Classify(string? contentType, ReadOnlySpan<byte> body, out bool looksLikeJson)
    {
        var content = SkipBomAndWhitespace(body);
        looksLikeJson = content is [(byte)'{', ..];
        if (content.IsEmpty)
        {
            // Nothing to bind, whatever Content-Type claims (`application/json` with an empty body is common on GET).
            return BodyKind.None;
        }

        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value ?? "" : "";
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Multipart;
        }

        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Form;
        }

        if (
            mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        )
        {
            return BodyKind.Json;
        }

        // Missing, text/plain, application/octet-stream...: SDKs that forget the header still send JSON objects.
        return looksLikeJson ? BodyKind.Json : BodyKind.None;
    }

    private static ReadOnlySpan<byte> SkipBomAndWhitespace(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        return body.TrimStart(" \t\r\n"u8);
    }

    /// <summary>Reads a JSON object body; returns the error, or null with the top-level members (nulls
    /// dropped).</summary>
    private static DomainError? TryReadJsonObject(ReadOnlyMemory<byte> body, out Dictionary<string, JsonElement> values)
    {
        values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (body.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        if (!Utf8.IsValid(body.Span))
        {
            return Malformed("The request body is not valid UTF-8.");
        }

        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(body, RelaxedJson.Options);
            root = doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            // Bots copying Meta's single-quoted samples into a JSON body still get through.
            if (!RelaxedJson.TryParseElement(Encoding.UTF8.GetString(body.Span), out root))
            {
                return Malformed($"The request body is not valid JSON: {ex.Message}");
            }
        }

        if (!RelaxedJson.IsWellFormed(root))
        {
            return Malformed("The request body is not valid JSON: it contains an unpaired UTF-16 surrogate escape.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return Malformed($"The JSON request body must be an object, not {Describe(root.ValueKind)}.");
        }

        // Duplicate members: the last one wins, as in most JSON decoders (PHP's json_decode included).
        foreach (var property in root.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                values.Remove(property.Name);
            }
            else
            {
                values[property.Name] = property.Value;
            }
        }

        return null;
    }

    private static string Describe(JsonValueKind kind) =>
        kind switch
        {
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };

    private static async Task<Result<IFormCollection>> ReadFormAsync(
        HttpRequest request,
        long maxBodyBytes,
        CancellationToken ct
    )
    {
        // The body is already buffered and size-checked, so lift FormOptions' per-value limits to the body limit.
        // The feature is installed so that request.Form returns the same collection later.
        var limit = (int)Math.Clamp(maxBodyBytes, 0, int.MaxValue);
        var feature = new FormFeature(
            request,
            new FormOptions { ValueLengthLimit = limit, MultipartBodyLengthLimit = maxBodyBytes }
        );
        request.HttpContext.Features.Set<IFormFeature>(feature);
        try
        {
            return Result<IFormCollection>.Accept(await feature.ReadFormAsync(ct));
        }
        catch (InvalidDataException ex)
        {
            // Missing boundary, truncated multipart, too many fields, over-long keys...
            return Malformed($"The form body could not be read: {ex.Message}");
        }
        catch (IOException ex) when (!ct.IsCancellationRequested)
        {
            return Malformed($"The form body could not be read: {ex.Message}");
        }
    }

    private static string? AuthorizationToken(HttpRequest request)
    {
        foreach (var header in request.Headers.Authorization)
        {
            var parts = (header ?? "")
                .Trim()
                .Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (
                parts.Length == 2
                && (
                    parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase)
                    || parts[0].Equals("OAuth", StringComparison.OrdinalIgnoreCase)
                )
            )
            {
                return parts[1];
            }
        }

        return null;
    }

    private static string? Credential(
        string name,
        Dictionary<string, JsonElement> body,
        Dictionary<string, JsonElement> query
    )
    {
        foreach (var source in (ReadOnlySpan<Dictionary<string, JsonElement>>)[body, query])
        {
            if (
                source.TryGetValue(name, out var element)
                && AsText(element) is { } text
                && !string.IsNullOrWhiteSpace(text)
            )
            {
                return text.Trim();
            }
        }

        return null;
    }
}
