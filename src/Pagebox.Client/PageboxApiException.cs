using System.Net;
using System.Text.Json;

namespace Pagebox.Client;

/// <summary>
/// A non-2xx answer of the world face (<c>/_pagebox/…</c>), with its error envelope taken apart:
/// <c>{"error":{"message","type":"PageboxError","code"}}</c> (README, "The world face").
/// </summary>
public sealed class PageboxApiException : Exception
{
    /// <summary>The exception for a refused <paramref name="method"/> <paramref name="path"/>.</summary>
    public PageboxApiException(string method, string path, HttpStatusCode statusCode, string body)
        : base($"{method} {path} answered {(int)statusCode} {statusCode}: {body}")
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        Body = body;
        Json = JsonBodies.Parse(body);
    }

    /// <summary>The HTTP method of the call.</summary>
    public string Method { get; }

    /// <summary>The path of the call, from the server root.</summary>
    public string Path { get; }

    /// <summary>The HTTP status (400, 401, 404, 409…).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The raw answer body.</summary>
    public string Body { get; }

    /// <summary>The parsed body (undefined when it was not JSON).</summary>
    public JsonElement Json { get; }

    /// <summary><c>error.code</c> of the envelope, when present.</summary>
    public int? ErrorCode => Error.Int("code");

    /// <summary><c>error.error_subcode</c> of the envelope, when present.</summary>
    public int? ErrorSubcode => Error.Int("error_subcode");

    /// <summary><c>error.type</c> of the envelope (<c>PageboxError</c>), when present.</summary>
    public string? ErrorType => Error.String("type");

    /// <summary><c>error.message</c> of the envelope, when present.</summary>
    public string? ErrorMessage => Error.String("message");

    private JsonElement Error => JsonBodies.ErrorOf(Json);
}
