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
    public static PageboxJsonContext Wire { get; } = new(WireOptions());

    /// <summary>
    /// The wire's options (<see cref="Wire"/>'s and every other wire context's), a new instance for each context
    /// (a context binds the options it is given).
    /// </summary>
    internal static JsonSerializerOptions WireOptions() =>
        new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };

    /// <summary>
    /// Member <paramref name="name"/> of an object as text: a string as its value, any other value as its raw JSON;
    /// null when the member is absent or null, or <paramref name="element"/> is not an object.
    /// </summary>
    public static string? MemberText(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;
}
