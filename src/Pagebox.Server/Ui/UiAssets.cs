using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Pagebox.Contracts;
using Pagebox.Server.Endpoints;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Ui;

/// <summary>
/// The inbox page: static files embedded in this assembly (Ui/wwwroot), served under /_pagebox/ui/. Every other path
/// below it (the deep links /_pagebox/ui/persons/{person}/pages/{page} and /_pagebox/ui/apps/{app}) is the page itself,
/// which routes in the browser. The page calls the world face like any client, with the admin key in an HttpOnly
/// cookie.
/// </summary>
internal static class UiAssets
{
    public const string Prefix = "/_pagebox/ui/";

    /// <summary>The cookie that carries the admin key for the inbox page (HttpOnly, SameSite=Strict, path
    /// /_pagebox).</summary>
    public const string CookieName = "pagebox_key";

    /// <summary>Cookie-authenticated writes must carry this header: a cross-site form cannot set it (CSRF).</summary>
    public const string CsrfHeader = "X-Pagebox-UI";

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(UiAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (
            var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("ui/", StringComparison.Ordinal))
        )
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"";
            assets[name[3..]] = new Asset(bytes, ContentTypeOf(name), etag);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) =>
        Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            ".png" => "image/png",
            ".json" => "application/json",
            _ => "application/octet-stream",
        };

    /// <summary>GET /_pagebox/ui/{*path}: a file, or the page for any other path. <c>?key=</c> logs in and is taken off
    /// the URL.</summary>
    public static IResult Serve(string? path, HttpContext http, AdminKey adminKey)
    {
        if (http.Request.Query.TryGetValue("key", out var key))
        {
            // The key leaves the address bar (and the history) at once: it lives on in the HttpOnly cookie only.
            var ok = adminKey.Matches(key.ToString());
            if (ok)
                SetCookie(http, key.ToString());
            var rest = string.Join(
                '&',
                http.Request.Query.Where(q => q.Key != "key")
                    .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            );
            if (!ok)
                rest = rest.Length == 0 ? "bad_key=1" : rest + "&bad_key=1";
            return Results.Redirect(http.Request.Path + (rest.Length > 0 ? "?" + rest : ""));
        }
        if (path is not null && Assets.TryGetValue(path, out var asset))
            return File(http, asset);
        if (path is not null && Path.HasExtension(path) && !path.Contains('/', StringComparison.Ordinal))
            return Results.NotFound();
        return File(http, Assets["index.html"]);
    }

    private static IResult File(HttpContext http, Asset asset)
    {
        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        if (asset.ContentType.StartsWith("text/html", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy =
                "default-src 'self'; img-src * data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
                + "frame-ancestors 'none'";
        }
        if (http.Request.Headers.IfNoneMatch == asset.ETag)
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    /// <summary>POST /_pagebox/ui/session <c>{"key"}</c>: the page's login form; sets the cookie when the key is
    /// right.</summary>
    public static async Task<IResult> LoginAsync(HttpContext http, AdminKey adminKey)
    {
        if (!http.Request.Headers.ContainsKey(CsrfHeader))
            return WorldApi.Error(403, $"The {CsrfHeader} header is required");
        var (body, error) = await WorldApi.BodyAsync(http, UiJsonContext.Wire.UiSessionRequest);
        if (error is not null)
            return error;
        if (body?.Key is not { Length: > 0 } key || !adminKey.Matches(key))
            return WorldApi.Error(401, "That is not the admin key");
        SetCookie(http, key);
        return Results.NoContent();
    }

    /// <summary>DELETE /_pagebox/ui/session: forgets the key.</summary>
    public static IResult Logout(HttpContext http)
    {
        if (!http.Request.Headers.ContainsKey(CsrfHeader))
            return WorldApi.Error(403, $"The {CsrfHeader} header is required");
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/_pagebox" });
        return Results.NoContent();
    }

    private static void SetCookie(HttpContext http, string key) =>
        http.Response.Cookies.Append(
            CookieName,
            key,
            new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/_pagebox",
                Secure = http.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(30),
                IsEssential = true,
            }
        );

    /// <summary>GET /: a browser (Accept: text/html) goes to the inbox page; every Graph client keeps Graph's
    /// answer.</summary>
    public static bool WantsPage(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the request is authenticated by the cookie (not the bearer header), and may therefore write
    /// only with <see cref="CsrfHeader"/>.</summary>
    public static string? CookieKey(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var value) ? value : null;

    internal static IEnumerable<string> AssetNames => Assets.Keys;

    internal static Assembly Assembly => typeof(UiAssets).Assembly;
}
