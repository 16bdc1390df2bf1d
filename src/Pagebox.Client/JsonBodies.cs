using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Contracts;

namespace Pagebox.Client;

/// <summary>JSON plumbing shared by the clients.</summary>
internal static class JsonBodies
{
    /// <summary>
    /// Names become snake_case (<c>new { MessagingEnabled = true }</c> and <c>new { messaging_enabled = true }</c> both
    /// give <c>messaging_enabled</c>); nulls are left out, so optional members can be passed as null.
    /// Reflection-based on purpose: tests pass anonymous objects; the server's hot path is not involved.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An object of the given members, skipping those whose value is null.</summary>
    public static JsonObject Object(params (string Name, JsonNode? Value)[] members)
    {
        var result = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                result[name] = value;
            }
        }

        return result;
    }

    /// <summary>A string is taken as ready JSON text; anything else is serialized.</summary>
    public static string Serialize(object body) =>
        body as string ?? JsonSerializer.Serialize(body, body.GetType(), Options);

    public static StringContent Content(object body)
    {
        var content = new StringContent(Serialize(body), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The parsed text, or an undefined element (<c>default</c>) when empty or not JSON.</summary>
    public static JsonElement Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    public static IReadOnlyDictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        return headers;
    }

    /// <summary><c>error</c> of an error envelope (<c>{"error":{"message","type","code",…}}</c>, both faces'), or
    /// undefined.</summary>
    public static JsonElement ErrorOf(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) ? error : default;

    public static string? String(this JsonElement element, string name) => PageboxJson.MemberText(element, name);

    public static int? Int(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.Number
        && value.TryGetInt32(out var number)
            ? number
            : null;
}
