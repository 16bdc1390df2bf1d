namespace Pagebox.Server.Graph.Binding;

/// <summary>Strips Graph's optional <c>/vMAJOR.MINOR/</c> prefix from a request path.</summary>
/// <remarks>
/// Unversioned calls are valid: Graph serves them with the app's default version
/// (https://developers.facebook.com/docs/graph-api/guides/versioning). Empty segments (leading, trailing
/// or doubled slashes) are dropped, so <c>/v24.0/123/messages/</c> and <c>//123//messages</c> both become
/// <c>123/messages</c>.
/// </remarks>
internal static class GraphPath
{
    public static string Normalize(string? path) => Normalize(path, out _);

    /// <param name="path">The request path, already URL-decoded (as ASP.NET's <c>Request.Path</c> is).</param>
    /// <param name="version">The version segment without its <c>v</c> (<c>"24.0"</c>), or null when absent.</param>
    public static string Normalize(string? path, out string? version)
    {
        version = null;
        var segments = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length > 0 && IsVersion(segments[0]))
        {
            version = segments[0][1..];
            segments = segments[1..];
        }

        return string.Join('/', segments);
    }

    // vN.N with one or more digits on each side: v2.6, v24.0, v25.0.
    private static bool IsVersion(string segment)
    {
        if (segment.Length < 4 || segment[0] is not ('v' or 'V'))
        {
            return false;
        }

        var dot = segment.IndexOf('.', StringComparison.Ordinal);
        return dot > 1 && dot < segment.Length - 1
            && segment.AsSpan(1, dot - 1).ContainsAnyExceptInRange('0', '9') is false
            && segment.AsSpan(dot + 1).ContainsAnyExceptInRange('0', '9') is false;
    }
}
