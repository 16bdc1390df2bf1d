using System.Net;
using System.Text.RegularExpressions;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// <c>pagebox receive</c>, the walkthrough's webhook endpoint, as a real process on a loopback port: Pagebox
/// subscribes to it (the handshake), delivers signed events to it, and its printed lines are what a person reads.
/// </summary>
public sealed partial class ReceiveCommandTests(PageboxServer server)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(CliProcess Process, Uri Callback)> StartReceiverAsync(string verifyToken, string secret)
    {
        var receiver = CliProcess.Start(
            PageboxProcess.DotnetHost(),
            [
                PageboxProcess.FindServerDll(),
                "receive",
                "--port",
                "0",
                "--verify-token",
                verifyToken,
                "--secret",
                secret,
            ]
        );
        var ready = await receiver.WaitForLineAsync(
            l => l.Contains("listening on http://", StringComparison.Ordinal),
            Wait,
            Ct
        );
        var url = ListeningUrl().Match(ready).Groups[1].Value;
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        return (receiver, new Uri(url));
    }

    [Fact]
    public async Task Receive_PageboxSubscribesAndDelivers_PrintsOneLinePerEvent()
    {
        var app = await server.World.CreateAppAsync(cancellationToken: Ct);
        var page = await server.World.CreatePageAsync(app.Id, cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync(cancellationToken: Ct);
        var (receiver, callback) = await StartReceiverAsync("my-token", app.Secret);
        await using var _ = receiver;

        string[] fields = ["messages", "message_echoes", "messaging_optins", "messaging_postbacks"];
        var subscribed = await server.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            callback,
            "my-token",
            fields,
            cancellationToken: Ct
        );
        Assert.True(subscribed.IsSuccess, subscribed.ToString());
        Assert.True((await server.Graph.SubscribePageAsync(page.Id, page.AccessToken, fields, Ct)).IsSuccess);
        await receiver.WaitForLineAsync(l => l.StartsWith("handshake accepted", StringComparison.Ordinal), Wait, Ct);

        var write = await server.World.WriteAsync(person, page.Id, "hello there", cancellationToken: Ct);
        await receiver.WaitForLineAsync(
            l => l == $"page {page.Id} sender {write.Psid} message \"hello there\"",
            Wait,
            Ct
        );

        var optIn = await server.Graph.SendOptInRequestAsync(
            page.Id,
            page.AccessToken,
            write.Psid,
            "Weekly deals",
            "DEALS",
            cancellationToken: Ct
        );
        await receiver.WaitForLineAsync(
            l => l.StartsWith($"page {page.Id} sender {page.Id} echo", StringComparison.Ordinal),
            Wait,
            Ct
        );
        var tap = await server.World.OptInAsync(person, page.Id, optIn.MessageId!, cancellationToken: Ct);
        var token = tap.GetProperty("notification_messages_token").GetString()!;
        var line = await receiver.WaitForLineAsync(
            l => l.Contains($"token {token}", StringComparison.Ordinal),
            Wait,
            Ct
        );
        Assert.StartsWith(
            $"page {page.Id} sender {write.Psid} optin notification_messages payload \"DEALS\"",
            line,
            StringComparison.Ordinal
        );
        Assert.DoesNotContain(receiver.Lines, l => l.Contains("rejected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Receive_WrongVerifyToken_RefusesTheHandshakeSoTheSubscriptionFails()
    {
        var app = await server.World.CreateAppAsync(cancellationToken: Ct);
        var (receiver, callback) = await StartReceiverAsync("my-token", app.Secret);
        await using var _ = receiver;

        var subscribed = await server.Graph.SubscribeAppAsync(
            app.Id,
            app.Secret,
            callback,
            "not-my-token",
            ["messages"],
            cancellationToken: Ct
        );
        Assert.False(subscribed.IsSuccess, subscribed.ToString());
        await receiver.WaitForLineAsync(
            l => l.StartsWith("handshake refused (403)", StringComparison.Ordinal),
            Wait,
            Ct
        );

        using var http = new HttpClient();
        using var direct = await http.GetAsync(
            new Uri(callback, "?hub.mode=subscribe&hub.verify_token=my-token&hub.challenge=123"),
            Ct
        );
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal("123", await direct.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Receive_BadOrMissingSignature_Answers403AndSaysSo()
    {
        const string secret = "the-app-secret";
        var (receiver, callback) = await StartReceiverAsync("t", secret);
        await using var _ = receiver;
        var body =
            """
            {"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},
            "timestamp":1,"message":{"mid":"m","text":"forged"}}]}]}
            """u8.ToArray();

        using var http = new HttpClient();
        using (var forged = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) })
        {
            forged.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sha256(body, "another-secret"));
            forged.Headers.Add("X-Hub-Signature", WebhookSignature.Sha1(body, secret));
            using var answer = await http.SendAsync(forged, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        await receiver.WaitForLineAsync(
            l => l == "POST rejected (403): X-Hub-Signature-256 wrong (is --secret the app secret?)",
            Wait,
            Ct
        );

        using (
            var unsigned = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) }
        )
        {
            unsigned.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sha256(body, secret));
            using var answer = await http.SendAsync(unsigned, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        }

        await receiver.WaitForLineAsync(l => l.Contains("X-Hub-Signature missing", StringComparison.Ordinal), Wait, Ct);

        using (var signed = new HttpRequestMessage(HttpMethod.Post, callback) { Content = new ByteArrayContent(body) })
        {
            signed.Headers.Add("X-Hub-Signature-256", WebhookSignature.Sha256(body, secret));
            signed.Headers.Add("X-Hub-Signature", WebhookSignature.Sha1(body, secret));
            using var answer = await http.SendAsync(signed, Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await receiver.WaitForLineAsync(l => l == "page 1 sender 2 message \"forged\"", Wait, Ct);
    }

    [Fact]
    public async Task Receive_WithoutSecret_ExitsWithUsageError()
    {
        var run = await PageboxCli.RunAsync(["receive", "--verify-token", "t"], cancellationToken: Ct);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--secret is required", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningUrl();
}
