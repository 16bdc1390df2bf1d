using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

/// <summary>The JSON the server writes.</summary>
public static class PageboxJson
{
    /// <summary>
    /// The wire context: the source-generated metadata of <see cref="PageboxJsonContext"/> with snake_case names, nulls
    /// omitted, and text as readable as Graph's (a quote is <c>\"</c>, an apostrophe or emoji is itself, not
    /// <c>\u0022</c>, <c>\u0027</c> or an escape sequence). Answers are application/json, never HTML.
    /// </summary>
    public static PageboxJsonContext Wire { get; } =
        new(
            new JsonSerializerOptions
            {
                PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }
        );
}
