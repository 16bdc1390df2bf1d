using System.Net;
using System.Text.Json;

namespace Pagebox.Testing;

/// <summary><c>POST /_pagebox/apps</c> answer.</summary>
public sealed record AppInfo(string Id, string Name, string Secret)
{
    /// <summary>The app access token <c>APP-ID|APP-SECRET</c>.</summary>
    public string AccessToken => $"{Id}|{Secret}";
}

/// <summary><c>POST /_pagebox/apps/{app}/pages</c> answer.</summary>
public sealed record PageInfo(string Id, string Name, string Platform, string Timezone, string AccessToken);

/// <summary><c>POST /_pagebox/persons/{person}/messages</c> answer: the person's PSID for that Page and the message id.</summary>
public sealed record WriteResult(string Psid, string Mid);

/// <summary><c>GET /_pagebox/pages/{page}/psids/{psid}</c> answer.</summary>
public sealed record PsidOwner(string PersonId, string Psid, string PageId);

/// <summary>Any answer, 2xx or not: for tests that expect errors. <c>var (status, body) = await world.SendAsync(…)</c>.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonElement Body)
{
    public string RawBody { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary><c>error.code</c> of the Graph-style envelope, when present.</summary>
    public int? ErrorCode => Error.Int("code");

    public string? ErrorMessage => Error.String("message");

    private JsonElement Error =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error", out var error) ? error : default;
}
