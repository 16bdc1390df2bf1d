using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// Secrets at rest (issue 7), in a real child process: the data directory it creates is 0700 and the database files
/// 0600; at log level Trace, with credentials in query strings, bodies, headers and a malformed request line, the
/// output holds none of them: no access token, proof, app secret or admin key.
/// </summary>
public sealed class SecretsAtRestTests : IDisposable
{
    private const string AdminKey = "admin-key-that-must-not-leak-7f3a";

    private readonly TempFolder _root = new("pagebox-secrets");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_TraceLogsWithCredentialsEverywhere_NoneInTheOutputAndFilesOwnerOnly()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "Unix file modes");
        var data = Path.Combine(_root.Path, "data");
        string pageToken,
            secret,
            proof;
        string output;
        await using (var process = await PageboxProcess.StartAsync(data, AdminKey, ["--log-level", "Trace"], Ct))
        {
            using var http = new HttpClient { BaseAddress = process.BaseUrl };
            var world = new WorldClient(http, AdminKey);
            var graph = new GraphClient(http);
            var app = await world.CreateAppAsync("secretive", Ct);
            var page = await world.CreatePageAsync(app.Id, "Secrets", cancellationToken: Ct);
            (pageToken, secret) = (page.AccessToken, app.Secret);
            proof = GraphClient.AppSecretProof(pageToken, secret);

            // :: Credentials in every place a request can carry them.
            await graph.GetAsync("me", pageToken, proof, Ct);
            await graph.GetAsync($"{app.Id}/subscriptions", app.AccessToken, cancellationToken: Ct);
            await graph.SendRawAsync(
                HttpMethod.Get,
                $"v25.0/{app.Id}/subscriptions?access_token={app.Id}%7C{secret}",
                null,
                cancellationToken: Ct
            );
            await graph.GetAsync(
                $"debug_token?input_token={Uri.EscapeDataString(pageToken)}",
                app.AccessToken,
                cancellationToken: Ct
            );
            await graph.PostFormAsync(
                "me/messages",
                new Dictionary<string, string>
                {
                    ["access_token"] = pageToken,
                    ["appsecret_proof"] = proof,
                    ["recipient"] = "{\"id\":\"1\"}",
                },
                cancellationToken: Ct
            );
            await graph.PostAsync(
                "me/messages",
                new { access_token = pageToken, recipient = new { id = "1" } },
                null,
                cancellationToken: Ct
            );
            await new GraphClient(http) { TokenAsBearerHeader = true }.GetAsync("me", pageToken, cancellationToken: Ct);
            await graph.GetAsync($"{Uri.EscapeDataString(pageToken)}/messages", pageToken, cancellationToken: Ct);
            await RawHttp.SendAsync(
                process.BaseUrl,
                $"GET /me?access_token={pageToken}&appsecret_proof={proof} HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                Ct
            );
            await world.GetAppAsync(app.Id, Ct);

            // :: The files while it runs.
            Assert.Equal(
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(data)
            );
            foreach (var name in new[] { "pagebox.db", "pagebox.db-wal", "pagebox.db-shm" })
            {
                var file = Path.Combine(data, name);
                Assert.True(File.Exists(file), $"{name} missing");
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            Assert.Equal(0, await process.StopAsync(cancellationToken: Ct));
            output = process.Output;
        }

        // Trace level was really on (request lines are logged), and redaction was at work.
        Assert.Contains("Request starting", output, StringComparison.Ordinal);
        Assert.Contains("[redacted]", output, StringComparison.Ordinal);
        foreach (
            var (what, value) in new[]
            {
                ("the Page token", pageToken),
                ("the app secret", secret),
                ("the appsecret_proof", proof),
                ("the admin key", AdminKey),
            }
        )
        {
            Assert.False(
                output.Contains(value, StringComparison.Ordinal),
                $"{what} is in the output:{Environment.NewLine}{Excerpt(output, value)}"
            );
        }
    }

    private static string Excerpt(string output, string value)
    {
        var at = output.IndexOf(value, StringComparison.Ordinal);
        var start = Math.Max(0, at - 300);
        return output[start..Math.Min(output.Length, at + value.Length + 100)];
    }
}
