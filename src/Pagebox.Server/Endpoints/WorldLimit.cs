namespace Pagebox.Server.Endpoints;

/// <summary>
/// The <c>limit</c> of every world-face list (docs/control-api.md): absent → the list's default; not an integer, or
/// below 1 → 400 naming it; above the list's maximum → cut to it (as Graph edges cap theirs,
/// <see cref="Graph.Binding.GraphLimit"/>).
/// </summary>
internal static class WorldLimit
{
    /// <summary>The 400 when the query's <c>limit</c> is bad; otherwise null, with <paramref name="limit"/>.</summary>
    public static IResult? Read(HttpContext http, int defaultLimit, int maxLimit, out int limit)
    {
        limit = defaultLimit;
        if (http.Request.Query["limit"].ToString() is not { Length: > 0 } text)
            return null;
        if (
            !int.TryParse(
                text,
                System.Globalization.NumberStyles.Integer,
                System.Globalization.CultureInfo.InvariantCulture,
                out var l
            )
            || l < 1
        )
            return WorldApi.Error(400, $"limit must be an integer from 1 to {maxLimit}, got \"{text}\"");
        limit = Math.Min(l, maxLimit);
        return null;
    }
}
