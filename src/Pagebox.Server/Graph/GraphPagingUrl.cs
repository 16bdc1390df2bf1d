using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Graph;

/// <summary>
/// <c>paging.next</c> of every paged Graph list. Meta's next links are complete requests: they carry the caller's
/// <c>access_token</c> (whether it came in the query, the body or <c>Authorization</c>), and the official SDKs follow
/// them verbatim, without adding the token again. <c>appsecret_proof</c> rides along when the caller sent it, so an app
/// that requires it can follow the link too.
/// </summary>
internal static class GraphPagingUrl
{
    private static readonly HashSet<string> Credentials = new(StringComparer.Ordinal)
    {
        "access_token",
        "appsecret_proof",
    };

    /// <summary>An absolute URL on this server: <paramref name="path"/>, the given query, then the caller's
    /// credentials.</summary>
    public static string Next(
        HttpContext http,
        GraphParameters p,
        string path,
        IEnumerable<KeyValuePair<string, string?>> query
    )
    {
        var all = query.Where(q => !Credentials.Contains(q.Key)).ToList();
        if (p.AccessToken is { } token)
            all.Add(new("access_token", token));
        if (p.AppSecretProof is { } proof)
            all.Add(new("appsecret_proof", proof));
        return $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}{QueryString.Create(all)}";
    }
}
