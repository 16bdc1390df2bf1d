using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Pagebox.Client;

/// <summary>An answer of the Graph face, successful or not: status, parsed body, headers.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The parsed body; undefined (<c>default</c>) when empty or not JSON.</param>
/// <param name="ContentType">The answer's Content-Type.</param>
/// <param name="Headers">Response and content headers, case-insensitive names, repeated values joined by a
/// comma.</param>
public sealed record GraphResponse(
    HttpStatusCode Status,
    JsonElement Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers
)
{
    /// <summary>The body as received.</summary>
    public string RawBody { get; init; } = "";

    /// <summary>True on a 2xx status.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary><c>error.code</c>, when the body is the error envelope.</summary>
    public int? ErrorCode => Error.Int("code");

    /// <summary><c>error.error_subcode</c>, when present.</summary>
    public int? ErrorSubcode => Error.Int("error_subcode");

    /// <summary><c>error.type</c> (<c>OAuthException</c>, <c>GraphMethodException</c>…), when present.</summary>
    public string? ErrorType => Error.String("type");

    /// <summary><c>error.message</c>, when present.</summary>
    public string? ErrorMessage => Error.String("message");

    /// <summary><c>error</c> of the envelope (<c>{"error":{"message","type","code","error_subcode","fbtrace_id"}}</c>),
    /// or undefined.</summary>
    public JsonElement Error => JsonBodies.ErrorOf(Body);

    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>This answer when it is a 2xx; otherwise throws <see cref="GraphApiException"/>.</summary>
    /// <exception cref="GraphApiException">The answer is not a 2xx.</exception>
    public GraphResponse EnsureSuccess() => IsSuccess ? this : throw new GraphApiException(this);

    /// <summary>The body deserialized with <paramref name="type"/> (e.g.
    /// <c>PageboxJson.Wire.SendResponse</c>).</summary>
    /// <exception cref="JsonException">The body is not that type.</exception>
    public T Read<T>(JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(RawBody, type) ?? throw new JsonException($"The answer is JSON null: {RawBody}");

    /// <inheritdoc />
    public override string ToString() => $"{(int)Status} {RawBody}";
}

/// <summary>
/// A refusal of the Graph face, with the platform's error envelope taken apart: <see cref="Code"/>,
/// <see cref="Subcode"/>, <see cref="Type"/>, <see cref="ErrorMessage"/> and <see cref="FbtraceId"/>.
/// </summary>
public sealed class GraphApiException : Exception
{
    /// <summary>The exception for a non-2xx <paramref name="response"/>.</summary>
    public GraphApiException(GraphResponse response)
        : base(Describe(response))
    {
        ArgumentNullException.ThrowIfNull(response);
        Response = response;
    }

    /// <summary>The whole answer.</summary>
    public GraphResponse Response { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode => Response.Status;

    /// <summary><c>error.code</c> (e.g. 100 invalid parameter, 190 bad token, 551 person unavailable), or null when the
    /// body was not the envelope.</summary>
    public int? Code => Response.ErrorCode;

    /// <summary><c>error.error_subcode</c> (e.g. 2018278 outside the 24-hour window), or null.</summary>
    public int? Subcode => Response.ErrorSubcode;

    /// <summary><c>error.type</c>, or null.</summary>
    public string? Type => Response.ErrorType;

    /// <summary><c>error.message</c>, or null.</summary>
    public string? ErrorMessage => Response.ErrorMessage;

    /// <summary><c>error.fbtrace_id</c>, or null.</summary>
    public string? FbtraceId => Response.Error.String("fbtrace_id");

    /// <summary>The <c>X-Pagebox-Hint</c> header: Pagebox's explanation of the refusal, when it gave one.</summary>
    public string? Hint => Response.Header("X-Pagebox-Hint");

    private static string Describe(GraphResponse response) =>
        response is null
            ? "The Graph face refused the call."
            : $"Graph answered {(int)response.Status}: code "
                + $"{response.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}"
                + (
                    response.ErrorSubcode is { } sub
                        ? $" subcode {sub.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                        : ""
                )
                + $": {response.ErrorMessage ?? response.RawBody}";
}
