using System.Net;
using System.Text;

namespace Pagebox.Testing.Tests.Clients;

/// <summary>A fake transport: records each request (with its body read out) and answers with a canned
/// response.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> _answer;

    public RecordingHandler(Func<HttpRequestMessage, (HttpStatusCode Status, string Body)> answer) => _answer = answer;

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public (HttpRequestMessage Request, string? Body) Last => Requests[^1];

    protected override async Task<HttpResponseMessage> SendAsync(
        HttpRequestMessage request,
        CancellationToken cancellationToken
    )
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        var (status, text) = _answer(request);
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "application/json") };
    }
}
