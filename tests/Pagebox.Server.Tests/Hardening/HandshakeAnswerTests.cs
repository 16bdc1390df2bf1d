using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// The subscription handshake tells the caller whether the callback answered the challenge, and its status code, never
/// what it answered: Pagebox must not be a way to read other servers (issue 7).
/// </summary>
public sealed class HandshakeAnswerTests(PageboxServer server)
{
    private const string Secret = "SECRET-INTERNAL-a1b2c3";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<GraphResponse> SubscribeAsync(Scenario s, Uri callback) =>
        await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            callback,
            "verify",
            ["messages"],
            cancellationToken: Ct
        );

    [Theory]
    [InlineData(
        "HTTP/1.1 200 OK\r\nContent-Length: 22\r\nConnection: close\r\n\r\nSECRET-INTERNAL-a1b2c3",
        "HTTP Status Code = 200"
    )]
    [InlineData(
        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 22\r\nConnection: close\r\n\r\nSECRET-INTERNAL-a1b2c3",
        "HTTP Status Code = 500"
    )]
    [InlineData(
        "HTTP/1.1 403 Forbidden\r\nX-Leak: SECRET-INTERNAL-a1b2c3\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "HTTP Status Code = 403"
    )]
    [InlineData("SSH-2.0-OpenSSH_9.2 SECRET-INTERNAL-a1b2c3\r\n", "not valid HTTP")]
    public async Task Subscribe_CallbackAnswersSomethingElse_Refused2200WithoutItsAnswer(string answer, string expected)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var callback = new RawHttp.FixedServer(answer);

        var response = await SubscribeAsync(s, callback.Url);

        var error = GraphAssert.Error(response, HttpStatusCode.BadRequest, "OAuthException", 2200, null);
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, response.RawBody, StringComparison.Ordinal);
        Assert.DoesNotContain("SSH", response.RawBody, StringComparison.Ordinal);
        Assert.Equal(1, callback.Connections);
    }

    [Fact]
    public async Task Subscribe_ReceiverEchoesSomethingElse_MessageDoesNotQuoteIt()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        s.Receiver.EchoWrongChallenge = true;

        var response = await SubscribeAsync(s, s.Receiver.CallbackUrl);

        Assert.Equal(2200, response.ErrorCode);
        Assert.Contains("does not match challenge", response.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-challenge", response.RawBody, StringComparison.Ordinal);
    }
}
