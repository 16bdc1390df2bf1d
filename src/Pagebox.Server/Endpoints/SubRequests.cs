using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// Runs a request inside the process, through the same routing, endpoints, filters and error handling as a request
/// from the network, without one: the Batch API's sub-requests. Nothing about them (no Host header, no port, no
/// scheme) can send them anywhere but to this server's own endpoints.
/// </summary>
internal sealed class SubRequests
{
    /// <summary>Marks a sub-request's context (a batch inside a batch is refused).</summary>
    public static readonly object Marker = new();

    private RequestDelegate? _pipeline;

    /// <summary>Built once the routes are mapped (PageboxHost): routing and endpoints over the app's own
    /// endpoints.</summary>
    public void Use(RequestDelegate pipeline) => _pipeline = pipeline;

    public static bool IsSubRequest(HttpContext http) => http.Items.ContainsKey(Marker);

    /// <summary>One request's answer: status, the headers a batch reports, the body as text.</summary>
    public sealed record Answer(int Status, string? ContentType, string? WwwAuthenticate, string Body);

    public Task<Answer> RunAsync(HttpContext parent, HttpMethod method, string path, string query, string? formBody)
    {
        var pipeline = _pipeline ?? throw new InvalidOperationException("The sub-request pipeline is not built yet.");
        return InvokeAsync(parent, method, path, query, formBody, pipeline);
    }

    /// <summary>An answer made here rather than by an endpoint (a sub-request Pagebox refuses to run), rendered
    /// alike.</summary>
    public static Task<Answer> RenderAsync(HttpContext parent, string path, IResult result) =>
        InvokeAsync(parent, HttpMethod.Get, path, "", null, result.ExecuteAsync);

    private static async Task<Answer> InvokeAsync(
        HttpContext parent,
        HttpMethod method,
        string path,
        string query,
        string? formBody,
        RequestDelegate run
    )
    {
        var features = new FeatureCollection();
        var request = new HttpRequestFeature
        {
            Method = method.Method,
            Scheme = "http",
            Protocol = "HTTP/1.1",
            Path = path,
            QueryString = query,
            Headers = new HeaderDictionary(),
            Body = Stream.Null,
        };
        if (formBody is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(formBody);
            request.Body = new MemoryStream(bytes, writable: false);
            request.Headers.ContentType = "application/x-www-form-urlencoded";
            request.Headers.ContentLength = bytes.Length;
        }
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(new HttpResponseFeature());
        using var responseBody = new MemoryStream();
        var bodyFeature = new StreamResponseBodyFeature(responseBody);
        features.Set<IHttpResponseBodyFeature>(bodyFeature);
        features.Set<IHttpRequestLifetimeFeature>(
            new HttpRequestLifetimeFeature { RequestAborted = parent.RequestAborted }
        );
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature());

        await using var scope = parent.RequestServices.CreateAsyncScope();
        var http = new DefaultHttpContext(features) { RequestServices = scope.ServiceProvider };
        http.Items[Marker] = true;
        await run(http);
        await bodyFeature.CompleteAsync();
        var response = http.Response;
        var wwwAuthenticate =
            response.Headers.WWWAuthenticate.Count > 0 ? response.Headers.WWWAuthenticate.ToString() : null;
        return new Answer(
            response.StatusCode,
            response.ContentType,
            wwwAuthenticate,
            Encoding.UTF8.GetString(responseBody.GetBuffer(), 0, (int)responseBody.Length)
        );
    }
}
