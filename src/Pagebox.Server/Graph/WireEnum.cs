using Pagebox.Domain.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Graph;

/// <summary>
/// The one reader of an optional enum parameter on the wire: matched case-insensitively (upper-cased, as Graph
/// accepts <c>response</c> for RESPONSE); absent → null; another value → 100 "must be one of {…} - got".
/// </summary>
internal static class WireEnum
{
    public static DomainError? Read<T>(
        GraphParameters p,
        string name,
        IReadOnlyList<(string Wire, T Value)> values,
        out T? value
    )
        where T : struct, Enum
    {
        value = null;
        if (!p.TryGetString(name, out var text, out var error))
            return error;
        var upper = text.ToUpperInvariant();
        foreach (var (wire, v) in values)
        {
            if (wire == upper)
            {
                value = v;
                return null;
            }
        }
        return Error(name, text, string.Join(", ", values.Select(v => v.Wire)));
    }

    public static DomainError Error(string param, string got, string allowed) =>
        DomainError.Invalid(param, $"Param {param} must be one of {{{allowed}}} - got \"{got}\"");
}
