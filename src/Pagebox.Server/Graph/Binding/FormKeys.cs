using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Pagebox.Server.Graph.Binding;

/// <summary>
/// Turns query or form pairs into top-level parameters, assembling PHP-style bracket keys
/// (<c>recipient[id]=1</c>, <c>fields[]=a</c>, <c>message[quick_replies][0][title]=x</c>) into JSON objects and arrays.
/// </summary>
/// <remarks>
/// Graph runs on PHP/Hack and follows <c>parse_str</c>: a repeated plain key keeps its last value, <c>[]</c> appends,
/// and a later assignment replaces an earlier one at the same path. A node whose keys are all array indexes
/// becomes a JSON array ordered by index (gaps closed); any other node becomes an object. Every leaf is a string.
/// A key that is not well-formed bracket syntax (<c>a[b</c>, <c>[a]</c>, <c>a[b]c</c>) is kept literally.
/// </remarks>
internal static class FormKeys
{
    // Keeps assembled values well inside RelaxedJson.MaxDepth.
    private const int MaxSegments = 32;

    public static Dictionary<string, JsonElement> Assemble(IEnumerable<KeyValuePair<string, StringValues>> pairs)
    {
        var root = new Node();
        foreach (var (key, values) in pairs)
        {
            var path = Split(key);
            foreach (var value in values)
            {
                root.Assign(path, 0, value ?? "");
            }
        }

        var result = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.Children is null)
        {
            return result;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RelaxedJson.WriterOptions))
        {
            root.Write(writer, asObject: true);
        }

        // The writer only ever produces valid JSON within MaxSegments depth, so this parse cannot fail.
        using var doc = JsonDocument.Parse(buffer.WrittenMemory, RelaxedJson.Options);
        foreach (var property in doc.RootElement.Clone().EnumerateObject())
        {
            result[property.Name] = property.Value;
        }

        return result;
    }

    /// <summary><c>a[b][]</c> → <c>["a", "b", ""]</c>; anything that is not well-formed stays one literal
    /// segment.</summary>
    internal static string[] Split(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        if (open <= 0 || key[^1] != ']')
        {
            return [key];
        }

        var segments = new List<string> { key[..open] };
        var i = open;
        while (i < key.Length)
        {
            var close = key.IndexOf(']', i);
            if (
                key[i] != '['
                || close < 0
                || key.AsSpan(i + 1, close - i - 1).Contains('[')
                || segments.Count > MaxSegments
            )
            {
                return [key];
            }

            segments.Add(key[(i + 1)..close]);
            i = close + 1;
        }

        return [.. segments];
    }

    private sealed class Node
    {
        private int _nextIndex;

        public string? Leaf { get; private set; }

        public OrderedDictionary<string, Node>? Children { get; private set; }

        public void Assign(string[] path, int depth, string value)
        {
            if (depth == path.Length)
            {
                Leaf = value;
                Children = null;
                return;
            }

            // A scalar met on the way down is replaced by a container, as parse_str does.
            Leaf = null;
            Children ??= new OrderedDictionary<string, Node>(StringComparer.Ordinal);
            var segment = path[depth];
            if (depth > 0 && segment.Length == 0)
            {
                segment = (_nextIndex++).ToString(CultureInfo.InvariantCulture);
            }
            else if (TryIndex(segment, out var index))
            {
                _nextIndex = Math.Max(_nextIndex, index == int.MaxValue ? index : index + 1);
            }

            if (!Children.TryGetValue(segment, out var child))
            {
                child = new Node();
                Children.Add(segment, child);
            }

            child.Assign(path, depth + 1, value);
        }

        public void Write(Utf8JsonWriter writer, bool asObject = false)
        {
            if (Children is null)
            {
                writer.WriteStringValue(Sanitize(Leaf ?? ""));
                return;
            }

            if (!asObject && Children.Count > 0 && Children.Keys.All(k => TryIndex(k, out _)))
            {
                writer.WriteStartArray();
                foreach (var child in Children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
                {
                    child.Value.Write(writer);
                }

                writer.WriteEndArray();
                return;
            }

            writer.WriteStartObject();
            foreach (var (name, child) in Children)
            {
                writer.WritePropertyName(Sanitize(name));
                child.Write(writer);
            }

            writer.WriteEndObject();
        }

        // Canonical non-negative integers only: "0", "12", not "01", "-1" or "+1".
        private static bool TryIndex(string segment, out int index)
        {
            index = -1;
            return segment.Length > 0
                && (segment.Length == 1 || segment[0] != '0')
                && !segment.AsSpan().ContainsAnyExceptInRange('0', '9')
                && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index);
        }
    }

    // Utf8JsonWriter rejects lone UTF-16 surrogates; ASP.NET's decoders never produce them, but a custom
    // server or test double might. EnumerateRunes yields U+FFFD for each ill-formed unit.
    private static string Sanitize(string text)
    {
        if (!HasLoneSurrogate(text))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
