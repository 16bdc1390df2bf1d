using System.Net;
using System.Text.Json;

namespace Pagebox.Testing;

/// <summary>A non-2xx answer of the world face, with the Graph-style error envelope when there is one.</summary>
public sealed class PageboxApiException : Exception
{
    public PageboxApiException(string method, string path, HttpStatusCode statusCode, string body)
        : base($"{method} {path} answered {(int)statusCode} {statusCode}: {body}")
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Body = body;
        Json = JsonBodies.Parse(body);
    }

    public string Method { get; }

    public string Path { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The raw answer body.</summary>
    public string Body { get; }

    /// <summary>The parsed body (undefined when it was not JSON).</summary>
    public JsonElement Json { get; }

    /// <summary><c>error.code</c> of the envelope, when present.</summary>
    public int? ErrorCode => Error.Int("code");

    /// <summary><c>error.message</c> of the envelope, when present.</summary>
    public string? ErrorMessage => Error.String("message");

    private JsonElement Error =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("error", out var error) ? error : default;
}
