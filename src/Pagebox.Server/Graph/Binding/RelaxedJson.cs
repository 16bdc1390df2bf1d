using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pagebox.Server.Graph.Binding;

/// <summary>
/// Parses the pseudo-JSON that Meta's own curl samples send in form fields:
/// <c>recipient={'id':'123'}</c>, <c>message={'text':'hello, world',}</c>.
/// </summary>
/// <remarks>
/// Accepts standard JSON plus single-quoted strings (with <c>\'</c> escapes and bare <c>"</c> inside),
/// trailing commas and surrounding whitespace. The text is rewritten to standard JSON in one pass and then
/// handed to System.Text.Json, so everything else (depth, escapes, numbers) follows the standard parser.
/// Never throws: any failure is a <c>false</c> return.
/// </remarks>
internal static class RelaxedJson
{
    public const int MaxDepth = 64;

    public static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, MaxDepth = MaxDepth };

    /// <summary>For JSON we write: it is stored and echoed, never embedded in HTML, so keep non-ASCII text
    /// readable.</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out JsonDocument? doc)
    {
        doc = null;
        if (string.IsNullOrWhiteSpace(text) || ToStandard(text.Trim()) is not { } json)
        {
            return false;
        }

        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // Lone UTF-16 surrogates cannot be transcoded to UTF-8.
            return false;
        }

        if (!IsWellFormed(doc.RootElement))
        {
            doc.Dispose();
            doc = null;
            return false;
        }

        return true;
    }

    /// <summary>
    /// False when a string or name holds an escaped unpaired surrogate (<c>"\ud800"</c>). System.Text.Json parses
    /// those and throws only when the string is read; PHP's json_decode, and so Graph, rejects them up front.
    /// </summary>
    public static bool IsWellFormed(JsonElement element)
    {
        using var writer = new Utf8JsonWriter(Stream.Null);
        try
        {
            element.WriteTo(writer);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Parses and returns a detached copy of the root, so the caller has nothing to dispose.</summary>
    public static bool TryParseElement(string? text, out JsonElement element)
    {
        element = default;
        if (!TryParse(text, out var doc))
        {
            return false;
        }

        using (doc)
        {
            element = doc.RootElement.Clone();
            return true;
        }
    }

    /// <summary>Rewrites single-quoted strings as double-quoted ones; null when a string is unterminated.</summary>
    private static string? ToStandard(string text)
    {
        if (!text.Contains('\'', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                // Copy a standard string verbatim so a quote character inside it is not taken as a delimiter.
                sb.Append(c);
                while (i < text.Length)
                {
                    var d = text[i++];
                    sb.Append(d);
                    if (d == '\\' && i < text.Length)
                    {
                        sb.Append(text[i++]);
                    }
                    else if (d == '"')
                    {
                        break;
                    }
                }
            }
            else if (c == '\'')
            {
                if (!AppendSingleQuoted(text, ref i, sb))
                {
                    return null;
                }
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static bool AppendSingleQuoted(string text, ref int i, StringBuilder sb)
    {
        sb.Append('"');
        while (i < text.Length)
        {
            var d = text[i++];
            switch (d)
            {
                case '\'':
                    sb.Append('"');
                    return true;
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    if (i >= text.Length)
                    {
                        return false;
                    }

                    var e = text[i++];
                    if (e == '\'')
                    {
                        sb.Append('\'');
                    }
                    else
                    {
                        // Standard escapes (\n, \", \\, \uXXXX) pass through; invalid ones fail in the parser.
                        sb.Append('\\').Append(e);
                    }

                    break;
                default:
                    sb.Append(d);
                    break;
            }
        }

        return false;
    }
}
