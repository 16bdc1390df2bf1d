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
    private static readonly string[] PageScopes =
    [
        "pages_messaging",
        "pages_manage_metadata",
        "pages_show_list",
        "pages_read_engagement",
        "pages_messaging_subscriptions",
    ];

    /// <summary>
    /// GET /debug_token?input_token=…: who a token belongs to. The caller's token (an app token, or a Page token: Meta
    /// asks for an app token or a developer's) names the viewing app, whose appsecret_proof rule applies; only tokens
    /// of that app are described, others are refused as Meta does (100, "The App_id in the input_token did not match
    /// the Viewing App"). An unknown input token is described as invalid in the answer, not refused.
    /// </summary>
    public static async Task<IResult> DebugAsync(HttpContext http, GraphServices g)
    {
        var bound = await g.ReadParametersAsync(http);
        if (!bound.IsAccepted)
            return GraphErrors.Result(bound.Error);
        var p = bound.Value;
        var auth = await GraphAuth.CallerAppAsync(p, g.Directory);
        if (!auth.IsAccepted)
            return GraphErrors.Result(auth.Error);
        var viewer = auth.Value;
        if (!p.TryGetRequiredString("input_token", out var input, out var inputError))
            return GraphErrors.Result(inputError);
        var appOfInput = GraphAuth.IsAppToken(input) ? await GraphAuth.AppOfAppTokenAsync(input, g.Directory) : null;
        var pageToken = appOfInput is null ? await g.Directory.GetTokenAsync(input) : null;
        if ((appOfInput?.Id ?? pageToken?.AppId) is { } owningApp && owningApp != viewer.Id)
            return GraphErrors.Result(DomainError.Of(DomainErrorKind.TokenOfAnotherApp));

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            if (appOfInput is { } app)
            {
                w.WriteString("app_id", app.Id);
                w.WriteString("type", "APP");
                w.WriteString("application", app.Name);
                w.WriteBoolean("is_valid", true);
                w.WriteStartArray("scopes");
                w.WriteEndArray();
            }
            else if (
                pageToken is { } token
                && await g.Directory.GetAppAsync(token.AppId) is { } owner
                && await g.Directory.GetPageAsync(token.PageId) is { } page
            )
            {
                w.WriteString("app_id", owner.Id);
                w.WriteString("type", "PAGE");
                w.WriteString("application", owner.Name);
                w.WriteNumber("data_access_expires_at", 0);
                w.WriteNumber("expires_at", 0);
                w.WriteBoolean("is_valid", true);
                w.WriteString("profile_id", page.Id);
                w.WriteStartArray("scopes");
                foreach (var scope in PageScopes)
                    w.WriteStringValue(scope);
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

    /// <summary>GET /{APP-ID} with that app's token: {"id","name","link"}; null when the id is not the caller's
    /// app.</summary>
    public static async Task<IResult?> TryAppNodeAsync(string id, HttpContext http, GraphServices g)
    {
        var bound = await g.ReadParametersAsync(http);
        if (
            !bound.IsAccepted
            || bound.Value.AccessToken is not { } token
            || !GraphAuth.IsAppToken(token)
            || !token.StartsWith(id + "|", StringComparison.Ordinal)
        )
            return null;
        var app = await GraphAuth.AppAsync(bound.Value, g.Directory);
        if (!app.IsAccepted)
            return GraphErrors.Result(app.Error);
        var json = JsonSerializer.Serialize(
            new Dictionary<string, string>
            {
                ["id"] = app.Value.Id,
                ["name"] = app.Value.Name,
                ["link"] = $"https://pagebox.local/apps/{app.Value.Id}",
            },
            TokenJson.Default.DictionaryStringString
        );
        return Results.Text(json, "application/json; charset=UTF-8");
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class TokenJson : System.Text.Json.Serialization.JsonSerializerContext;
