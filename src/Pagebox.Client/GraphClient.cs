using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pagebox.Contracts;

namespace Pagebox.Client;

/// <summary>
/// A thin client for the Graph face, used the way a bot uses graph.facebook.com: the access token goes in the query
/// string (as Meta's samples do) unless <see cref="TokenAsBearerHeader"/> is set; bodies are JSON or form.
/// Paths without a version (<c>123/messages</c>) get <see cref="Version"/> in front; <c>v24.0/…</c> is kept as is.
/// </summary>
public sealed partial class GraphClient
{
    /// <summary>The version prefixed to unversioned paths unless another is given.</summary>
    public const string DefaultVersion = "v25.0";

    /// <summary>A client over <paramref name="http"/>.</summary>
    /// <param name="http">Its <see cref="HttpClient.BaseAddress"/> is the server root. Not disposed by this
    /// client.</param>
    /// <param name="version">Prefixed to unversioned paths; null sends paths unversioned.</param>
    public GraphClient(HttpClient http, string? version = DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(http);
        Http = http;
        Version = version;
    }

    /// <summary>The transport; its base address is the server root.</summary>
    public HttpClient Http { get; }

    /// <summary>The version prefixed to unversioned paths (<c>v25.0</c>), or null for none.</summary>
    public string? Version { get; }

    /// <summary>Send the token as <c>Authorization: Bearer</c> instead of <c>?access_token=</c>.</summary>
    public bool TokenAsBearerHeader { get; init; }

    /// <summary>lowercase hex HMAC-SHA256(key = app secret, data = access token) (Meta: "Secure your requests with
    /// appsecret_proof").</summary>
    public static string AppSecretProof(string accessToken, string appSecret) =>
        Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(accessToken))
        );

    /// <summary>The app access token <c>APP-ID|APP-SECRET</c>.</summary>
    public static string AppAccessToken(string appId, string appSecret) => $"{appId}|{appSecret}";

    /// <summary>POST with a JSON body (a string is sent as ready JSON text; null sends no body).</summary>
    public Task<GraphResponse> PostAsync(
        string path,
        object? jsonBody,
        string? accessToken,
        string? appSecretProof = null,
        CancellationToken cancellationToken = default
    ) => SendAsync(HttpMethod.Post, path, JsonContent(jsonBody), accessToken, appSecretProof, cancellationToken);

    /// <summary>POST <c>application/x-www-form-urlencoded</c>; object-typed Graph parameters go as JSON strings.
    /// The token may be one of the fields instead of <paramref name="accessToken"/>.</summary>
    public Task<GraphResponse> PostFormAsync(
        string path,
        IDictionary<string, string> form,
        string? accessToken = null,
        string? appSecretProof = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(form);
        return SendAsync(
            HttpMethod.Post,
            path,
            new FormUrlEncodedContent(form),
            accessToken,
            appSecretProof,
            cancellationToken
        );
    }

    /// <summary>GET <paramref name="path"/> with the token (and proof) in the query.</summary>
    public Task<GraphResponse> GetAsync(
        string path,
        string? accessToken,
        string? appSecretProof = null,
        CancellationToken cancellationToken = default
    ) => SendAsync(HttpMethod.Get, path, null, accessToken, appSecretProof, cancellationToken);

    /// <summary>DELETE <paramref name="path"/>, with an optional JSON body.</summary>
    public Task<GraphResponse> DeleteAsync(
        string path,
        string? accessToken,
        object? jsonBody = null,
        string? appSecretProof = null,
        CancellationToken cancellationToken = default
    ) => SendAsync(HttpMethod.Delete, path, JsonContent(jsonBody), accessToken, appSecretProof, cancellationToken);

    /// <summary>A JSON body (a string is ready JSON text); null: no body.</summary>
    private static StringContent? JsonContent(object? jsonBody) =>
        jsonBody is null ? null : JsonBodies.Content(jsonBody);

    /// <summary>Any request; the token and proof are added as configured. Disposes <paramref
    /// name="content"/>.</summary>
    public async Task<GraphResponse> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        string? accessToken,
        string? appSecretProof = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        var target = Versioned(path);
        if (accessToken is not null && !TokenAsBearerHeader)
        {
            target = WithQuery(target, "access_token", accessToken);
        }

        if (appSecretProof is not null)
        {
            target = WithQuery(target, "appsecret_proof", appSecretProof);
        }

        return await SendRawAsync(
            method,
            target,
            content,
            accessToken is not null && TokenAsBearerHeader ? accessToken : null,
            cancellationToken
        );
    }

    /// <summary>
    /// A request to exactly <paramref name="pathAndQuery"/> (no version prefix or token added), for tests that craft
    /// the wire by hand; <paramref name="bearer"/> goes into <c>Authorization: Bearer</c>. Disposes <paramref
    /// name="content"/>.
    /// </summary>
    public async Task<GraphResponse> SendRawAsync(
        HttpMethod method,
        string pathAndQuery,
        HttpContent? content,
        string? bearer = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery.TrimStart('/'), UriKind.Relative))
        {
            Content = content,
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return new GraphResponse(
            response.StatusCode,
            JsonBodies.Parse(text),
            response.Content.Headers.ContentType?.ToString(),
            JsonBodies.Headers(response)
        )
        {
            RawBody = text,
        };
    }

    /// <summary>POST /{page}/messages <c>{"recipient":{"id"},"messaging_type","message":{"text"}}</c>.</summary>
    public Task<GraphResponse> SendTextAsync(
        string pageId,
        string accessToken,
        string psid,
        string text,
        string messagingType = "RESPONSE",
        CancellationToken cancellationToken = default
    ) =>
        PostAsync(
            $"{Uri.EscapeDataString(pageId)}/messages",
            SendBody(("id", psid), messagingType, JsonBodies.Object(("text", text))),
            accessToken,
            cancellationToken: cancellationToken
        );

    /// <summary>
    /// <c>POST /{app}/subscriptions</c> with the app access token (form: object, callback_url, fields, verify_token),
    /// which makes the server perform the handshake against <paramref name="callbackUrl"/>.
    /// </summary>
    public Task<GraphResponse> SubscribeAppAsync(
        string appId,
        string appSecret,
        Uri callbackUrl,
        string verifyToken,
        IEnumerable<string> fields,
        string objectType = "page",
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentNullException.ThrowIfNull(fields);
        var form = new Dictionary<string, string>
        {
            ["object"] = objectType,
            ["callback_url"] = callbackUrl.ToString(),
            ["fields"] = string.Join(',', fields),
            ["verify_token"] = verifyToken,
        };
        return PostFormAsync(
            $"{Uri.EscapeDataString(appId)}/subscriptions",
            form,
            AppAccessToken(appId, appSecret),
            cancellationToken: cancellationToken
        );
    }

    /// <summary><c>POST /{page}/subscribed_apps?subscribed_fields=…</c> with the Page access token.</summary>
    public Task<GraphResponse> SubscribePageAsync(
        string pageId,
        string pageAccessToken,
        IEnumerable<string> fields,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(fields);
        var path = WithQuery(
            $"{Uri.EscapeDataString(pageId)}/subscribed_apps",
            "subscribed_fields",
            string.Join(',', fields)
        );
        return PostAsync(path, null, pageAccessToken, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <c>POST /{page}/messages</c> with <paramref name="message"/> as the JSON body (an object, or ready JSON text);
    /// the typed answer, or <see cref="GraphApiException"/> with the platform's code and subcode.
    /// </summary>
    /// <exception cref="GraphApiException">The Graph face refused the send.</exception>
    public async Task<SendResponse> SendMessageAsync(
        string pageId,
        string accessToken,
        object message,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(pageId);
        ArgumentNullException.ThrowIfNull(message);
        var response = await PostAsync(
            $"{Uri.EscapeDataString(pageId)}/messages",
            message,
            accessToken,
            cancellationToken: cancellationToken
        );
        return response.EnsureSuccess().Read(PageboxJson.Wire.SendResponse);
    }

    /// <summary>
    /// A marketing message on a notification message token (<c>recipient.notification_messages_token</c>), text only;
    /// throws <see cref="GraphApiException"/> when the platform refuses it (frequency, stopped topic, expired token…).
    /// </summary>
    /// <exception cref="GraphApiException">The Graph face refused the send.</exception>
    public Task<SendResponse> SendMarketingTextAsync(
        string pageId,
        string accessToken,
        string notificationMessagesToken,
        string text,
        CancellationToken cancellationToken = default
    ) =>
        SendMessageAsync(
            pageId,
            accessToken,
            SendBody(
                ("notification_messages_token", notificationMessagesToken),
                null,
                JsonBodies.Object(("text", text))
            ),
            cancellationToken
        );

    /// <summary>
    /// An opt-in request for marketing messages (the <c>notification_messages</c> template) to <paramref name="psid"/>,
    /// inside the 24-hour window; the answer's <see cref="SendResponse.MessageId"/> is what the person taps.
    /// </summary>
    /// <exception cref="GraphApiException">The Graph face refused the request.</exception>
    public Task<SendResponse> SendOptInRequestAsync(
        string pageId,
        string accessToken,
        string psid,
        string title,
        string payload,
        string timezone = "UTC",
        CancellationToken cancellationToken = default
    ) =>
        SendMessageAsync(
            pageId,
            accessToken,
            SendBody(
                ("id", psid),
                null,
                JsonBodies.Object(
                    (
                        "attachment",
                        JsonBodies.Object(
                            ("type", "template"),
                            (
                                "payload",
                                JsonBodies.Object(
                                    ("template_type", "notification_messages"),
                                    ("title", title),
                                    ("payload", payload),
                                    ("notification_messages_timezone", timezone)
                                )
                            )
                        )
                    )
                )
            ),
            cancellationToken
        );

    /// <summary>A Send API body: <c>recipient</c> of its one member, <c>messaging_type</c> when given, then
    /// <c>message</c>.</summary>
    private static JsonObject SendBody(
        (string Name, JsonNode? Value) recipient,
        string? messagingType,
        JsonObject message
    ) =>
        JsonBodies.Object(
            ("recipient", JsonBodies.Object(recipient)),
            ("messaging_type", messagingType),
            ("message", message)
        );

    private string Versioned(string path)
    {
        path = path.TrimStart('/');
        return Version is null || VersionPrefix().IsMatch(path) ? path : $"{Version.Trim('/')}/{path}";
    }

    private static string WithQuery(string path, string name, string value) =>
        $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{Uri.EscapeDataString(name)}="
        + $"{Uri.EscapeDataString(value)}";

    [GeneratedRegex(@"^v\d+\.\d+(/|\?|$)", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPrefix();
}
