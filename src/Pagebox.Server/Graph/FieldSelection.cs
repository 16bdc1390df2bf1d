using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph;

/// <summary>
/// Graph's <c>fields</c> parameter with nested selections: <c>id,adset{name,daily_budget},campaign{name}</c>. A field
/// with a selection maps to it; a plain field maps to null.
/// </summary>
internal sealed class FieldSelection
{
    private readonly Dictionary<string, FieldSelection?> _fields = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _fields.Keys;

    public bool Has(string name) => _fields.ContainsKey(name);

    /// <summary>The nested selection of <paramref name="name"/>; an empty selection when it was named without
    /// braces.</summary>
    public FieldSelection? Nested(string name) =>
        _fields.TryGetValue(name, out var nested) ? nested ?? new FieldSelection() : null;

    public static Result<FieldSelection> Parse(string text)
    {
        var position = 0;
        var selection = new FieldSelection();
        return ParseInto(text, ref position, selection, nested: false) is { } error ? error : selection;
    }

    /// <summary>Reads fields up to the end (top level) or up to and including the closing brace (nested).</summary>
    private static DomainError? ParseInto(string text, ref int i, FieldSelection into, bool nested)
    {
        while (true)
        {
            var start = i;
            while (i < text.Length && text[i] is not (',' or '{' or '}'))
                i++;
            var name = text[start..i].Trim();
            FieldSelection? child = null;
            if (i < text.Length && text[i] == '{')
            {
                i++;
                child = new FieldSelection();
                if (ParseInto(text, ref i, child, nested: true) is { } error)
                    return error;
            }
            if (name.Length > 0)
                into._fields[name] = child;
            else if (child is not null)
                return Malformed(text);
            if (i >= text.Length)
                return nested ? Malformed(text) : null;
            switch (text[i])
            {
                case ',':
                    i++;
                    continue;
                case '}' when nested:
                    i++;
                    return null;
                default:
                    return Malformed(text);
            }
        }
    }

    private static DomainError Malformed(string text) =>
        DomainError.Invalid("fields", $"Param fields is malformed: {text}");
}
