using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

/// <summary>
/// The merged parameters of one Graph request, whatever encoding the client chose (spec §1.4): query string,
/// JSON body, urlencoded form or multipart form. A body parameter replaces a query parameter of the same name.
/// </summary>
/// <remarks>
/// Every parameter is held as a <see cref="JsonElement"/>: JSON body members keep their JSON type, query and form
/// values are JSON strings (bracket keys become objects/arrays of strings, see <see cref="FormKeys"/>). The typed
/// getters paper over the difference, so <c>recipient={'id':'1'}</c> in a form and <c>"recipient":{"id":1}</c>
/// in JSON read the same. A top-level JSON <c>null</c> counts as absent: serializers that do not omit nulls
/// (<c>"sender_action": null</c>) must not trip "both message and sender_action" checks.
/// Getter contract: <c>true</c> = present and valid; <c>false</c> with <c>error == null</c> = absent;
/// <c>false</c> with an error = present but unusable (<see cref="DomainErrorKind.InvalidParameter"/>).
/// </remarks>
internal sealed partial class GraphParameters
{
    private readonly Dictionary<string, JsonElement> _values;
    private readonly IFormFileCollection? _files;

    internal GraphParameters(
        Dictionary<string, JsonElement> values,
        IFormFileCollection? files,
        string? accessToken,
        string? appSecretProof
    )
    {
        _values = values;
        _files = files;
        AccessToken = accessToken;
        AppSecretProof = appSecretProof;
    }

    /// <summary>From <c>Authorization: Bearer|OAuth</c>, else the body, else the query. Blank counts as
    /// absent.</summary>
    public string? AccessToken { get; }

    /// <summary>The <c>appsecret_proof</c> parameter (body, else query). Blank counts as absent.</summary>
    public string? AppSecretProof { get; }

    public IEnumerable<string> Names => _values.Keys;

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>Strings as sent; numbers and booleans as their JSON text (bots send <c>"id": 123</c>).</summary>
    public bool TryGetString(string name, [NotNullWhen(true)] out string? value, out DomainError? error)
    {
        value = null;
        error = null;
        if (!_values.TryGetValue(name, out var element))
        {
            return false;
        }

        value = AsText(element);
        if (value is null)
        {
            error = DomainError.Invalid(name, $"Param {name} must be a string");
            return false;
        }

        return true;
    }

    /// <summary>An optional string parameter: absent → null; present but not a string → its error.</summary>
    public DomainError? OptionalString(string name, out string? value)
    {
        value = TryGetString(name, out var text, out var error) ? text : null;
        return error;
    }

    /// <summary><see cref="TryGetString"/> for a parameter the call needs: absent is its "missing" error.</summary>
    public bool TryGetRequiredString(
        string name,
        [NotNullWhen(true)] out string? value,
        [NotNullWhen(false)] out DomainError? error
    )
    {
        if (TryGetString(name, out value, out error))
        {
            return true;
        }

        error ??= DomainError.Missing(name);
        return false;
    }

    /// <summary><see cref="TryGetObject"/> for a parameter the call needs: absent is its "missing" error.</summary>
    public bool TryGetRequiredObject(string name, out JsonElement value, [NotNullWhen(false)] out DomainError? error)
    {
        if (TryGetObject(name, out value, out error))
        {
            return true;
        }

        error ??= DomainError.Missing(name);
        return false;
    }

    /// <summary>A JSON object member, or a string holding (relaxed) JSON of an object, as form encodings send
    /// it.</summary>
    public bool TryGetObject(string name, out JsonElement value, out DomainError? error)
    {
        value = default;
        error = null;
        if (!_values.TryGetValue(name, out var element))
        {
            return false;
        }

        if (Structured(element) is { ValueKind: JsonValueKind.Object } obj)
        {
            value = obj;
            return true;
        }

        error = DomainError.Invalid(name, $"Param {name} must be a JSON object");
        return false;
    }

    /// <summary>
    /// For <c>fields</c> / <c>subscribed_fields</c>: a JSON array, a string holding a (relaxed) JSON array,
    /// a comma-separated string (items trimmed, empty items dropped) or bracket keys (<c>fields[]=a</c>).
    /// </summary>
    public bool TryGetStringList(string name, out IReadOnlyList<string> values, out DomainError? error)
    {
        values = [];
        error = null;
        if (!_values.TryGetValue(name, out var element))
        {
            return false;
        }

        var structured = Structured(element);
        if (structured.ValueKind == JsonValueKind.Array)
        {
            var items = new List<string>(structured.GetArrayLength());
            foreach (var item in structured.EnumerateArray())
            {
                if (AsText(item) is not { } text)
                {
                    break;
                }

                items.Add(text);
            }

            if (items.Count == structured.GetArrayLength())
            {
                values = items;
                return true;
            }
        }
        else if (
            structured.ValueKind == JsonValueKind.String
            && structured.GetString() is { } text
            && !text.AsSpan().TrimStart().StartsWith('[')
        )
        {
            values = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            return true;
        }
        else if (structured.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            values = [structured.GetRawText()];
            return true;
        }

        error = DomainError.Invalid(name, $"Param {name} must be an array of strings");
        return false;
    }

    public bool TryGetInt(string name, out int value, out DomainError? error)
    {
        value = 0;
        error = null;
        if (!_values.TryGetValue(name, out var element))
        {
            return false;
        }

        var ok = element.ValueKind switch
        {
            JsonValueKind.Number => element.TryGetInt32(out value),
            JsonValueKind.String => int.TryParse(
                element.GetString(),
                NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture,
                out value
            ),
            _ => false,
        };
        if (!ok)
        {
            error = DomainError.Invalid(name, $"Param {name} must be an integer");
        }

        return ok;
    }

    /// <summary>JSON booleans, and <c>true</c>/<c>false</c>/<c>1</c>/<c>0</c> as text or numbers, as Graph accepts
    /// them.</summary>
    public bool TryGetBool(string name, out bool value, out DomainError? error)
    {
        value = false;
        error = null;
        if (!_values.TryGetValue(name, out var element))
        {
            return false;
        }

        bool? parsed = element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number or JsonValueKind.String => AsText(element)?.Trim().ToLowerInvariant() switch
            {
                "true" or "1" => true,
                "false" or "0" => false,
                _ => null,
            },
            _ => null,
        };
        if (parsed is null)
        {
            error = DomainError.Invalid(name, $"Param {name} must be a boolean");
            return false;
        }

        value = parsed.Value;
        return true;
    }

    /// <summary>A file part of a multipart body, e.g. <c>filedata</c> for attachment uploads.</summary>
    public IFormFile? GetFile(string name) => _files?.GetFile(name);

    /// <summary>
    /// The parameter as compact standard JSON for storage, or null when absent. Objects, arrays, numbers and
    /// booleans are re-written as parsed; a string holding (relaxed) JSON of an object or array becomes that JSON
    /// (single quotes and trailing commas gone); any other string becomes a JSON string literal.
    /// </summary>
    public string? GetRawJson(string name)
    {
        if (!_values.TryGetValue(name, out var element))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RelaxedJson.WriterOptions))
        {
            Structured(element).WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // Strings for strings, JSON text for numbers and booleans, null for everything else. GetString cannot
    // throw here: every string was either written by us or checked by RelaxedJson.IsWellFormed.
    private static string? AsText(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            _ => null,
        };

    // A string whose text parses as a JSON object or array is that object or array; anything else is itself.
    private static JsonElement Structured(JsonElement element)
    {
        if (
            element.ValueKind == JsonValueKind.String
            && AsText(element) is { } text
            && text.AsSpan().TrimStart() is [('{' or '['), ..]
            && RelaxedJson.TryParseElement(text, out var parsed)
            && parsed.ValueKind is JsonValueKind.Object or JsonValueKind.Array
        )
        {
            return parsed;
        }

        return element;
    }
}
