using System.Net;
using System.Text.Json;

namespace Pagebox.Client;

/// <summary><c>POST /_pagebox/apps</c> answer.</summary>
/// <param name="Id">The app id.</param>
/// <param name="Name">The app's name.</param>
/// <param name="Secret">The app secret: signs webhooks and <c>appsecret_proof</c>.</param>
public sealed record AppInfo(string Id, string Name, string Secret)
{
    /// <summary>The app access token <c>APP-ID|APP-SECRET</c>.</summary>
    public string AccessToken => $"{Id}|{Secret}";
}

/// <summary><c>POST /_pagebox/apps/{app}/pages</c> answer.</summary>
/// <param name="Id">The Page id.</param>
/// <param name="Name">The Page's name.</param>
/// <param name="Platform"><c>messenger</c> or <c>instagram</c>.</param>
/// <param name="Timezone">The Page's IANA time zone.</param>
/// <param name="AccessToken">The Page access token the bot sends with.</param>
public sealed record PageInfo(string Id, string Name, string Platform, string Timezone, string AccessToken);

/// <summary><c>POST /_pagebox/persons/{person}/messages</c> answer: the person's PSID for that Page and the message
/// id.</summary>
/// <param name="Psid">The person's Page-scoped id.</param>
/// <param name="Mid">The message id.</param>
public sealed record WriteResult(string Psid, string Mid);

/// <summary><c>GET /_pagebox/pages/{page}/psids/{psid}</c> answer.</summary>
/// <param name="PersonId">The person behind the PSID.</param>
/// <param name="Psid">The PSID.</param>
/// <param name="PageId">The Page it is scoped to.</param>
public sealed record PsidOwner(string PersonId, string Psid, string PageId);

/// <summary>Any answer, 2xx or not: for tests that expect errors. <c>var (status, body) = await
/// world.SendAsync(…)</c>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Body">The parsed body; undefined when empty or not JSON.</param>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body)
{
    /// <summary>The body as received.</summary>
    public string RawBody { get; init; } = "";

    /// <summary>Response and content headers, case-insensitive names.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>True on a 2xx status.</summary>
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary><c>error.code</c> of the Graph-style envelope, when present.</summary>
    public int? ErrorCode => Error.Int("code");

    /// <summary><c>error.message</c> of the envelope, when present.</summary>
    public string? ErrorMessage => Error.String("message");

    private JsonElement Error =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var error) ? error : default;
}

/// <summary>What <see cref="WorldClient.CreateAppSetupAsync"/> made.</summary>
/// <param name="App">The app (id, secret).</param>
/// <param name="Page">The Page (id, access token).</param>
/// <param name="PersonId">The person's id on the world face.</param>
public sealed record AppSetup(AppInfo App, PageInfo Page, string PersonId);
