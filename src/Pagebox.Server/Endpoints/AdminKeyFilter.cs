using Pagebox.Server.Hosting;

namespace Pagebox.Server.Endpoints;

/// <summary>Every world-face call carries <c>Authorization: Bearer ADMIN-KEY</c>; without it, 401.</summary>
internal sealed class AdminKeyFilter(AdminKey key) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers.Authorization.ToString();
        var ok = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && key.Matches(header[7..].Trim());
        // The inbox page's cookie counts too; a write authenticated by it alone must carry the page's own header, which
        // a cross-site form or image cannot send (CSRF).
        if (!ok && header.Length == 0 && Ui.UiAssets.CookieKey(request) is { } cookie && key.Matches(cookie))
        {
            if (
                !HttpMethods.IsGet(request.Method)
                && !HttpMethods.IsHead(request.Method)
                && !request.Headers.ContainsKey(Ui.UiAssets.CsrfHeader)
            )
                return WorldApi.Error(
                    403,
                    $"A write authenticated by the inbox page's cookie needs the {Ui.UiAssets.CsrfHeader} header"
                );
            ok = true;
        }
        return ok ? await next(context) : WorldApi.Error(401, "Authorization: Bearer <admin key> is required");
    }
}
