namespace Pagebox.Server.Endpoints;

/// <summary>Matches a Graph version segment: v followed by MAJOR.MINOR digits (v2.6 … v25.0).</summary>
internal sealed class GraphVersionConstraint : IRouteConstraint
{
    public const string Name = "graphversion";

    public bool Match(
        HttpContext? httpContext,
        IRouter? route,
        string routeKey,
        RouteValueDictionary values,
        RouteDirection routeDirection
    ) => values.TryGetValue(routeKey, out var value) && value is string s && IsVersion(s);

    public static bool IsVersion(ReadOnlySpan<char> s)
    {
        if (s.Length < 4 || s[0] != 'v')
            return false;
        var dot = s.IndexOf('.');
        if (dot < 2 || dot == s.Length - 1)
            return false;
        foreach (var c in s[1..dot])
            if (!char.IsAsciiDigit(c))
                return false;
        foreach (var c in s[(dot + 1)..])
            if (!char.IsAsciiDigit(c))
                return false;
        return true;
    }
}
