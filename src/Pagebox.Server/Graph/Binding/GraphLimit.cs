using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

/// <summary>
/// The <c>limit</c> of every Graph list edge (conversations, messages, personas, notification message tokens): absent
/// → the edge's default; not an integer → 100 "must be an integer"; below 1 → 100 "must be a positive integer"; above
/// the edge's maximum → cut to it, as Graph edges cap <c>limit</c> ("Some edges may also have a maximum on the limit
/// value", Graph's paginated-results page), the rest one <c>after</c> away.
/// </summary>
internal static class GraphLimit
{
    public static Result<int> Read(GraphParameters p, int defaultLimit, int maxLimit)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (!p.TryGetInt("limit", out var limit, out var error))
            return error is null ? defaultLimit : error;
        return limit < 1
            ? DomainError.Invalid("limit", "Param limit must be a positive integer")
            : Math.Min(limit, maxLimit);
    }
}
