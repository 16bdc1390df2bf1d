using System.Text;
using Microsoft.AspNetCore.Http;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Tests.Graph.Binding;

/// <summary>Builds <see cref="HttpRequest"/>s the way a bot or SDK would send them, without a server.</summary>
internal static class TestRequests
{
    public const long DefaultLimit = 1024 * 1024;

    public static HttpRequest Create(
        string method = "POST",
        string path = "/v24.0/me/messages",
        string? query = null,
        string? contentType = null,
        byte[]? body = null,
        bool declareLength = true,
        string? authorization = null
    )
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = method;
        request.Path = path;
        if (query is not null)
        {
            request.QueryString = new QueryString(query);
        }

        request.ContentType = contentType;
        request.Body = new MemoryStream(body ?? []);
        if (body is not null && declareLength)
        {
            request.ContentLength = body.Length;
        }

        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        return request;
    }

    public static HttpRequest Json(string json, string contentType = "application/json") =>
        Create(contentType: contentType, body: Encoding.UTF8.GetBytes(json));

    public static HttpRequest Form(string form, string? query = null) =>
        Create(query: query, contentType: "application/x-www-form-urlencoded", body: Encoding.UTF8.GetBytes(form));

    public static HttpRequest Multipart(
        string boundary,
        params (string Name, string? FileName, string? ContentType, byte[] Content)[] parts
    )
    {
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, fileName, contentType, content) in parts)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            Write(fileName is null ? "\r\n" : $"; filename=\"{fileName}\"\r\n");
            Write(contentType is null ? "\r\n" : $"Content-Type: {contentType}\r\n\r\n");
            body.Write(content);
            Write("\r\n");
        }

        Write($"--{boundary}--\r\n");
        return Create(contentType: $"multipart/form-data; boundary={boundary}", body: body.ToArray());
    }

    public static Task<BindResult> ReadAsync(HttpRequest request, long maxBodyBytes = DefaultLimit) =>
        GraphParameters.ReadAsync(request, maxBodyBytes, TestContext.Current.CancellationToken);

    /// <summary>Reads and asserts success.</summary>
    public static async Task<GraphParameters> BindAsync(HttpRequest request, long maxBodyBytes = DefaultLimit)
    {
        var result = await ReadAsync(request, maxBodyBytes);
        Assert.True(result.Succeeded, $"Expected success, got {result.Error}");
        return result.Parameters;
    }
}
