using System.Globalization;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

/// <summary>One requested field: <c>name</c>, <c>name.limit(n)</c>, <c>name{sub,fields}</c>.</summary>
internal sealed record RequestedField(string Name, int? Limit = null, IReadOnlyList<RequestedField>? Sub = null);

/// <summary>
/// The <c>fields</c> a node type answers (Graph's field syntax <c>a,b.limit(2),c{d,e}</c>): absent or empty → the
/// defaults; a syntax error → 100 "Syntax error in fields"; a name the node does not have → 100 "Tried accessing
/// nonexisting field (…) on node type (…)", also inside the braces of an edge (<see cref="Edges"/>).
/// </summary>
/// <param name="NodeType">The node's type as Graph's messages name it (<c>Conversation</c>, <c>Message</c>).</param>
/// <param name="Defaults">The fields answered when none are asked for.</param>
/// <param name="Known">Every field the node has.</param>
internal sealed record NodeFields(string NodeType, IReadOnlyList<RequestedField> Defaults, IReadOnlySet<string> Known)
{
    /// <summary>The fields that are edges to another node type, whose nested selection is checked against it.</summary>
    public IReadOnlyDictionary<string, NodeFields> Edges { get; init; } = new Dictionary<string, NodeFields>();

    public Result<IReadOnlyList<RequestedField>> Read(GraphParameters p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!p.TryGetString("fields", out var text, out var error))
            return error is null ? Result<IReadOnlyList<RequestedField>>.Accept(Defaults) : error;
        var fields = Parse(text.AsSpan());
        if (fields is null)
            return DomainError.Invalid("fields", $"Syntax error in fields: {text}");
        if (Unknown(fields) is { } unknown)
            return unknown;
        return fields.Count == 0 ? Result<IReadOnlyList<RequestedField>>.Accept(Defaults) : fields;
    }

    private DomainError? Unknown(IReadOnlyList<RequestedField> fields)
    {
        foreach (var f in fields)
        {
            if (!Known.Contains(f.Name))
                return DomainError.Invalid(
                    "fields",
                    $"Tried accessing nonexisting field ({f.Name}) on node type ({NodeType})"
                );
            if (f.Sub is not null && Edges.TryGetValue(f.Name, out var edge) && edge.Unknown(f.Sub) is { } error)
                return error;
        }
        return null;
    }

    /// <summary>A comma-separated list at one level; null on a syntax error.</summary>
    private static List<RequestedField>? Parse(ReadOnlySpan<char> text)
    {
        var result = new List<RequestedField>();
        var start = 0;
        var depth = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length)
            {
                depth += text[i] switch
                {
                    '{' or '(' => 1,
                    '}' or ')' => -1,
                    _ => 0,
                };
                if (depth < 0)
                    return null;
                if (depth > 0 || text[i] != ',')
                    continue;
            }
            if (depth != 0)
                return null;
            var item = text[start..i].Trim();
            start = i + 1;
            if (item.IsEmpty)
                continue;
            if (ParseOne(item) is not { } field)
                return null;
            result.Add(field);
        }
        return result;
    }

    private static RequestedField? ParseOne(ReadOnlySpan<char> item)
    {
        var brace = item.IndexOf('{');
        List<RequestedField>? sub = null;
        if (brace >= 0)
        {
            if (item[^1] != '}' || Parse(item[(brace + 1)..^1]) is not { } nested)
                return null;
            sub = nested;
            item = item[..brace];
        }
        int? limit = null;
        var dot = item.IndexOf('.');
        if (dot >= 0)
        {
            if (Limit(item[(dot + 1)..]) is not { } n)
                return null;
            limit = n;
            item = item[..dot];
        }
        var name = item.Trim().ToString();
        return name.Length == 0 ? null : new RequestedField(name, limit, sub);
    }

    /// <summary>The one modifier Graph's syntax has here, <c>limit(n)</c>; null for anything else.</summary>
    private static int? Limit(ReadOnlySpan<char> modifier) =>
        modifier.StartsWith("limit(")
        && modifier[^1] == ')'
        && int.TryParse(modifier[6..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : null;
}
