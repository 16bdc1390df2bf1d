using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Graph Batch API: <c>POST /</c> with <c>batch=[{"method","relative_url","body"?}, …]</c> (at most 50), answered
/// with one <c>{"code","headers","body"}</c> per request, in order. General Graph SDKs use it for bulk sends. Each
/// request runs as a real request to this server (so it goes through the same binding, rules and faults), one after
/// another; the top-level access token applies to those that carry none.
/// </summary>
internal static class BatchApi
{
    public const int MaxRequests = 50;

    public static async Task<IResult> RunAsync(HttpContext http, GraphServices g)
    {
        var (p, error) = await g.ReadParametersAsync(http);
        if (error is not null) return error;
        if (!p!.Has("batch")) return GraphErrors.Result(DomainError.Missing("batch"));
        var raw = p.GetRawJson("batch");
        using var doc = raw is null ? null : JsonDocument.Parse(raw);
        var batch = doc?.RootElement is { ValueKind: JsonValueKind.String } s && Graph.Binding.RelaxedJson.TryParseElement(s.GetString(), out var parsed) ? parsed : doc?.RootElement;
        if (batch is not { ValueKind: JsonValueKind.Array } items) return GraphErrors.Result(DomainError.Invalid("batch", "Param batch must be a JSON array of requests"));
        if (items.GetArrayLength() > MaxRequests) return GraphErrors.Result(DomainError.Invalid("batch", $"Too many requests in batch message. Maximum batch size is {MaxRequests}"));
        var includeHeaders = !p.TryGetBool("include_headers", out var include, out _) || include;

        var requests = new List<(HttpMethod Method, string Url, string? Body)>();
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var at = $"batch[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) return GraphErrors.Result(DomainError.Invalid(at, $"Param {at} must be an object"));
            var method = item.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()!.ToUpperInvariant() : "GET";
            if (method is not ("GET" or "POST" or "DELETE")) return GraphErrors.Result(DomainError.Invalid($"{at}[method]", $"Param {at}[method] must be one of {{GET, POST, DELETE}}"));
            if (!item.TryGetProperty("relative_url", out var u) || u.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(u.GetString()))
                return GraphErrors.Result(DomainError.Missing($"{at}[relative_url]"));
            string? body = item.TryGetProperty("body", out var b) ? b.ValueKind switch
            {
                JsonValueKind.String => b.GetString(),
                JsonValueKind.Object => FormOf(b),
                _ => null,
            } : null;
            var url = u.GetString()!.TrimStart('/');
            var carriesToken = url.Contains("access_token=", StringComparison.Ordinal) || (body?.Contains("access_token=", StringComparison.Ordinal) ?? false);
            if (!carriesToken && p.AccessToken is { } token)
                url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + Uri.EscapeDataString(token);
            requests.Add((new HttpMethod(method), url, body));
        }

        var client = g.HttpClients.CreateClient();
        var origin = $"{http.Request.Scheme}://{http.Request.Host}/";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var (method, url, body) in requests)
            {
                using var request = new HttpRequestMessage(method, origin + url);
                if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
                using var response = await client.SendAsync(request, http.RequestAborted);
                var text = await response.Content.ReadAsStringAsync(http.RequestAborted);
                w.WriteStartObject();
                w.WriteNumber("code", (int)response.StatusCode);
                if (includeHeaders)
                {
                    w.WriteStartArray("headers");
                    WriteHeader(w, "Content-Type", response.Content.Headers.ContentType?.ToString());
                    WriteHeader(w, "WWW-Authenticate", response.Headers.WwwAuthenticate.Count > 0 ? response.Headers.WwwAuthenticate.ToString() : null);
                    w.WriteEndArray();
                }
                w.WriteString("body", text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=UTF-8");
    }

    private static void WriteHeader(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) return;
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    /// <summary>A JSON object body (some SDKs send one) as the form the sub-request expects; objects stay JSON strings.</summary>
    private static string FormOf(JsonElement body)
        => string.Join('&', body.EnumerateObject().Select(prop =>
            $"{Uri.EscapeDataString(prop.Name)}={Uri.EscapeDataString(prop.Value.ValueKind == JsonValueKind.String ? prop.Value.GetString()! : prop.Value.GetRawText())}"));
}
