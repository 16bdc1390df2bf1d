using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// What SDKs and bot frameworks call to check their credentials at start-up: <c>GET /debug_token</c> and the app node
/// <c>GET /{APP-ID}</c> with the app token.
/// </summary>
internal static class TokenApi
{
    /// <summary>The permissions a Pagebox Page token has: everything the Messenger Platform needs.</summary>
    private static readonly string[] PageScopes = ["pages_messaging", "pages_manage_metadata", "pages_show_list", "pages_read_engagement", "pages_messaging_subscriptions"];

    /// <summary>
    /// GET /debug_token?input_token=…: who a token belongs to. Called with any valid token (Meta asks for an app token or
    /// a developer's); an unknown input token is described as invalid in the answer, not refused.
    /// </summary>
    public static async Task<IResult> DebugAsync(HttpContext http, GraphServices g)
    {
        var (p, error) = await g.ReadParametersAsync(http);
        if (error is not null) return error;
        if (p!.AccessToken is null) return GraphErrors.Result(DomainError.Of(DomainErrorKind.MissingAccessToken));
        var (_, appError) = await GraphAuth.AppAsync(p, g.Directory);
        if (appError is { Kind: not DomainErrorKind.AppTokenRequired }) return GraphErrors.Result(appError);
        if (!p.TryGetString("input_token", out var input, out var inputError)) return GraphErrors.Result(inputError ?? DomainError.Missing("input_token"));

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            if (GraphAuth.IsAppToken(input) && await GraphAuth.AppOfAppTokenAsync(input, g.Directory) is { } app)
            {
                w.WriteString("app_id", app.Id);
                w.WriteString("type", "APP");
                w.WriteString("application", app.Name);
                w.WriteBoolean("is_valid", true);
                w.WriteStartArray("scopes");
                w.WriteEndArray();
            }
            else if (await g.Directory.GetTokenAsync(input) is { } token && await g.Directory.GetAppAsync(token.AppId) is { } owner
                     && await g.Directory.GetPageAsync(token.PageId) is { } page)
            {
                w.WriteString("app_id", owner.Id);
                w.WriteString("type", "PAGE");
                w.WriteString("application", owner.Name);
                w.WriteNumber("data_access_expires_at", 0);
                w.WriteNumber("expires_at", 0);
                w.WriteBoolean("is_valid", true);
                w.WriteString("profile_id", page.Id);
                w.WriteStartArray("scopes");
                foreach (var scope in PageScopes) w.WriteStringValue(scope);
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteNumber("code", 190);
                w.WriteString("message", "Invalid OAuth access token.");
                w.WriteEndObject();
                w.WriteBoolean("is_valid", false);
                w.WriteStartArray("scopes");
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=UTF-8");
    }

    /// <summary>GET /{APP-ID} with that app's token: {"id","name","link"}; null when the id is not the caller's app.</summary>
    public static async Task<IResult?> TryAppNodeAsync(string id, HttpContext http, GraphServices g)
    {
        var (p, error) = await g.ReadParametersAsync(http);
        if (error is not null || p!.AccessToken is not { } token || !GraphAuth.IsAppToken(token) || !token.StartsWith(id + "|", StringComparison.Ordinal)) return null;
        var (app, appError) = await GraphAuth.AppAsync(p, g.Directory);
        if (appError is not null) return GraphErrors.Result(appError);
        var json = JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = app!.Id, ["name"] = app.Name, ["link"] = $"https://pagebox.local/apps/{app.Id}" },
            TokenJson.Default.DictionaryStringString);
        return Results.Text(json, "application/json; charset=UTF-8");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TokenJson : System.Text.Json.Serialization.JsonSerializerContext;
