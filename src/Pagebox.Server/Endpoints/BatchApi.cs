using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Graph Batch API: <c>POST /</c> with <c>batch=[{"method","relative_url","body"?}, …]</c> (at most 50), answered
/// with one <c>{"code","headers","body"}</c> per request, in order. General Graph SDKs use it for bulk sends. Each
/// request runs inside the process through the same endpoints (binding, rules, faults, errors) as a request from the
/// network, one after another (<see cref="SubRequests"/>): no Host header, port or URL in the batch can send it
/// elsewhere. The top-level access token, and with it the top-level <c>appsecret_proof</c>, apply to the requests
/// that carry no token of their own.
/// </summary>
internal static class BatchApi
{
    public const int MaxRequests = 50;

    public static async Task<IResult> RunAsync(HttpContext http, GraphServices g, SubRequests subRequests)
    {
        if (SubRequests.IsSubRequest(http))
            return GraphErrors.Result(
                DomainError.Invalid("batch", "Param batch cannot be used inside a batch request")
            );
        var bound = await g.ReadParametersAsync(http);
        if (!bound.IsAccepted)
            return GraphErrors.Result(bound.Error);
        var p = bound.Value;
        if (!p.Has("batch"))
            return GraphErrors.Result(DomainError.Missing("batch"));
        var raw = p.GetRawJson("batch");
        using var doc = raw is null ? null : JsonDocument.Parse(raw);
        var batch =
            doc?.RootElement is { ValueKind: JsonValueKind.String } s
            && Graph.Binding.RelaxedJson.TryParseElement(s.GetString(), out var parsed)
                ? parsed
                : doc?.RootElement;
        if (batch is not { ValueKind: JsonValueKind.Array } items)
            return GraphErrors.Result(DomainError.Invalid("batch", "Param batch must be a JSON array of requests"));
        if (items.GetArrayLength() > MaxRequests)
            return GraphErrors.Result(
                DomainError.Invalid("batch", $"Too many requests in batch message. Maximum batch size is {MaxRequests}")
            );
        if (items.GetArrayLength() == 0)
            return GraphErrors.Result(DomainError.Invalid("batch", "Param batch must hold at least one request"));
        var includeHeaders = true;
        if (p.TryGetBool("include_headers", out var include, out var includeError))
            includeHeaders = include;
        else if (includeError is not null)
            return GraphErrors.Result(includeError);

        // :: Step 1: every request is checked before any runs (a malformed batch has no effect).
        var requests = new List<SubRequest>();
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var at = $"batch[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                return GraphErrors.Result(DomainError.Invalid(at, $"Param {at} must be an object"));
            if (
                item.TryGetProperty("method", out var m)
                && m.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            )
                return GraphErrors.Result(DomainError.Invalid($"{at}[method]", $"Param {at}[method] must be a string"));
            var method = m.ValueKind == JsonValueKind.String ? m.GetString()!.ToUpperInvariant() : "GET";
            if (method is not ("GET" or "POST" or "DELETE"))
                return GraphErrors.Result(
                    DomainError.Invalid($"{at}[method]", $"Param {at}[method] must be one of {{GET, POST, DELETE}}")
                );
            if (
                !item.TryGetProperty("relative_url", out var u)
                || u.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(u.GetString())
            )
                return GraphErrors.Result(DomainError.Missing($"{at}[relative_url]"));
            string? body = item.TryGetProperty("body", out var b)
                ? b.ValueKind switch
                {
                    JsonValueKind.String => b.GetString(),
                    JsonValueKind.Object => FormOf(b),
                    _ => null,
                }
                : null;
            requests.Add(Prepare(new HttpMethod(method), u.GetString()!, body, p.AccessToken, p.AppSecretProof));
        }

        // :: Step 2: run them in order, each answered as the endpoint answered it.
        return await GraphJson.WriteAsync(async w =>
        {
            w.WriteStartArray();
            foreach (var request in requests)
            {
                var answer = request.Refusal is { } refusal
                    ? await SubRequests.RenderAsync(http, request.Path, refusal)
                    : await subRequests.RunAsync(http, request.Method, request.Path, request.Query, request.Body);
                w.WriteStartObject();
                w.WriteNumber("code", answer.Status);
                if (includeHeaders)
                {
                    w.WriteStartArray("headers");
                    WriteHeader(w, "Content-Type", answer.ContentType);
                    WriteHeader(w, "WWW-Authenticate", answer.WwwAuthenticate);
                    w.WriteEndArray();
                }
                w.WriteString("body", answer.Body);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>A request of the batch, ready to run: its path and query, or the refusal it gets instead.</summary>
    private sealed record SubRequest(HttpMethod Method, string Path, string Query, string? Body, IResult? Refusal);

    private static SubRequest Prepare(
        HttpMethod method,
        string relativeUrl,
        string? body,
        string? topToken,
        string? topProof
    )
    {
        var url = relativeUrl.Trim().TrimStart('/');
        var q = url.IndexOf('?', StringComparison.Ordinal);
        var path = "/" + (q < 0 ? url : url[..q]);
        var query = q < 0 ? "" : url[q..];

        // The world face is not Graph: a batch never reaches it (nor another batch, nor anything like a full URL).
        if (
            path.StartsWith("/_pagebox", StringComparison.OrdinalIgnoreCase)
            || url.Contains("://", StringComparison.Ordinal)
            || path.Contains('\\', StringComparison.Ordinal)
        )
            return new SubRequest(
                method,
                path,
                "",
                null,
                GraphErrors.Result(new DomainError(DomainErrorKind.UnknownPath, path))
            );

        var carriesToken =
            HasParameter(query, "access_token") || (body is not null && HasParameter("?" + body, "access_token"));
        if (!carriesToken && topToken is not null)
        {
            query = Append(query, "access_token", topToken);
            // The proof belongs to the top-level token: it goes wherever that token goes, unless the request has its
            // own.
            var carriesProof =
                HasParameter(query, "appsecret_proof")
                || (body is not null && HasParameter("?" + body, "appsecret_proof"));
            if (!carriesProof && topProof is not null)
                query = Append(query, "appsecret_proof", topProof);
        }
        return new SubRequest(method, path, query, body, null);
    }

    private static string Append(string query, string name, string value) =>
        (query.Length == 0 ? "?" : query + "&") + name + "=" + Uri.EscapeDataString(value);

    private static bool HasParameter(string query, string name) =>
        query.Length > 1 && query[1..].Split('&').Any(pair => pair.Split('=', 2)[0] == name);

    private static void WriteHeader(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
            return;
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    /// <summary>A JSON object body (some SDKs send one) as the form the sub-request expects; objects stay JSON
    /// strings.</summary>
    private static string FormOf(JsonElement body) =>
        string.Join(
            '&',
            body.EnumerateObject()
                .Select(prop =>
                    $"{Uri.EscapeDataString(prop.Name)}="
                    + Uri.EscapeDataString(
                        prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText()
                    )
                )
        );
}
