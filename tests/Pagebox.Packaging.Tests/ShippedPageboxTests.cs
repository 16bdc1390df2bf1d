using System.Net;
using System.Text.RegularExpressions;

namespace Pagebox.Packaging.Tests;

/// <summary>
/// Pagebox as it ships: the `pagebox` dotnet tool installed from the local feed, and the self-contained single-file
/// binary (what the Dockerfile copies), each started with `serve` on a loopback port and used as a bot would.
/// </summary>
public sealed partial class ShippedPageboxTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "pagebox-shipped-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private static string Required(string variable, string what)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        Assert.SkipWhen(string.IsNullOrEmpty(value), $"{variable} is not set: {what} (./scripts/test sets it)");
        return value!;
    }

    [Fact]
    public async Task DotnetTool_InstalledFromTheLocalFeed_ServesGraphAndWorldFaces()
    {
        var feed = Required("PAGEBOX_TEST_FEED", "the local feed scripts/pack filled");
        var version = Required("PAGEBOX_TEST_VERSION", "the version scripts/pack gave the packages");
        var toolPath = Path.Combine(_root, "tools");
        var install = await PageboxCli.RunProgramAsync(
            PageboxProcess.DotnetHost(),
            ["tool", "install", "pagebox", "--tool-path", toolPath, "--add-source", feed, "--version", version],
            timeout: TimeSpan.FromMinutes(3),
            cancellationToken: Ct
        );
        Assert.True(install.ExitCode == 0, install.ToString());

        var help = await PageboxCli.RunProgramAsync(
            Path.Combine(toolPath, "pagebox"),
            ["--help"],
            cancellationToken: Ct
        );
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("serve", help.StandardOutput, StringComparison.Ordinal);

        await ServeAndUseAsync(Path.Combine(toolPath, "pagebox"), environment: null);
    }

    [Fact]
    public async Task PublishedBinary_WithoutDotnetOnThePath_ServesHealthUiAndAGraphSend()
    {
        var binary = Required("PAGEBOX_TEST_BINARY", "the binary scripts/publish made");
        // A machine without the SDK: no dotnet on PATH, no DOTNET_ROOT to find a runtime by.
        var bare = new Dictionary<string, string?>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["DOTNET_ROOT"] = null,
            ["DOTNET_HOST_PATH"] = null,
        };
        await ServeAndUseAsync(binary, bare);
    }

    [Fact]
    public async Task PublishedBinary_WithTheDockerfileEnvironment_StartsAndItsHealthCommandSaysSo()
    {
        var binary = Required("PAGEBOX_TEST_BINARY", "the binary scripts/publish made");
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), "Dockerfile"));
        Assert.Matches(@"(?m)^USER app$", dockerfile);
        Assert.Matches(@"(?m)^VOLUME \[""/data""\]$", dockerfile);
        Assert.Matches(@"(?m)^HEALTHCHECK .*CMD \[""/app/pagebox"", ""health""\]$", dockerfile);
        // The image is built by the command tested here, and carries SQLite's native library, which the binary
        // (compiled ahead of time) loads from beside itself.
        Assert.Matches(@"(?m)^(RUN|    &&) .*\./scripts/publish linux-x64 /out$", dockerfile);
        Assert.Matches(@"(?m)^COPY --from=build /out/pagebox /out/libe_sqlite3\.so /app/$", dockerfile);
        Assert.True(
            File.Exists(Path.Combine(Path.GetDirectoryName(binary)!, "libe_sqlite3.so")),
            "libe_sqlite3.so beside the published binary"
        );

        // The image's environment, except that here the data lives in a temp directory and the host stays loopback
        // (0.0.0.0 is for inside a container only).
        var environment = DockerEnvironment(dockerfile);
        Assert.Equal("0.0.0.0", environment["PAGEBOX_HOST"]);
        Assert.Equal("/data", environment["PAGEBOX_DATA"]);
        var port = FreePort();
        environment["PAGEBOX_HOST"] = "127.0.0.1";
        environment["PAGEBOX_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["PAGEBOX_DATA"] = Path.Combine(_root, "data");
        environment["PATH"] = "/usr/bin:/bin";

        var unhealthy = await PageboxCli.RunProgramAsync(binary, ["health"], environment, cancellationToken: Ct);
        Assert.Equal(1, unhealthy.ExitCode);

        await using var server = CliProcess.Start(binary, ["serve"], environment);
        var ready = await server.WaitForLineAsync(
            l => l.Contains("listening on http://", StringComparison.Ordinal),
            StartTimeout,
            Ct
        );
        Assert.Contains($"127.0.0.1:{port}", ready, StringComparison.Ordinal);
        // The demo data is on by default, as in the container: its admin key is printed.
        Assert.Contains(server.Lines, l => l.StartsWith("Admin key", StringComparison.Ordinal));

        var healthy = await PageboxCli.RunProgramAsync(binary, ["health"], environment, cancellationToken: Ct);
        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.StartsWith("200 ", healthy.StandardOutput, StringComparison.Ordinal);
    }

    private async Task ServeAndUseAsync(string program, IReadOnlyDictionary<string, string?>? environment)
    {
        var data = Path.Combine(_root, "data-" + Guid.NewGuid().ToString("N")[..8]);
        await using var server = CliProcess.Start(
            program,
            ["serve", "--port", "0", "--data", data, "--no-demo", "--admin-key", "k"],
            environment
        );
        var ready = await server.WaitForLineAsync(
            l => l.Contains("listening on http://", StringComparison.Ordinal),
            StartTimeout,
            Ct
        );
        var baseUrl = new Uri(ListeningUrl().Match(ready).Groups[1].Value + "/");
        Assert.Equal("127.0.0.1", baseUrl.Host);

        using var http = new HttpClient { BaseAddress = baseUrl };
        using (var health = await http.GetAsync(new Uri("_pagebox/health", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The inbox page is embedded in the binary.
        using (var ui = await http.GetAsync(new Uri("_pagebox/ui/", UriKind.Relative), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
            Assert.Contains("<html", await ui.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }

        // The store was migrated (embedded migrations): the world face and a Graph send work.
        var world = new WorldClient(http, "k");
        var graph = new GraphClient(http);
        var setup = await world.CreateAppSetupAsync(cancellationToken: Ct);
        var write = await world.WriteAsync(setup.PersonId, setup.Page.Id, "hello", cancellationToken: Ct);
        var sent = await graph.SendMessageAsync(
            setup.Page.Id,
            setup.Page.AccessToken,
            new
            {
                recipient = new { id = write.Psid },
                messaging_type = "RESPONSE",
                message = new { text = "hi there" },
            },
            Ct
        );
        Assert.Equal(write.Psid, sent.RecipientId);
        Assert.False(string.IsNullOrEmpty(sent.MessageId));
        var refused = await Assert.ThrowsAsync<GraphApiException>(() =>
            graph.SendMessageAsync(
                setup.Page.Id,
                "not-a-token",
                new { recipient = new { id = write.Psid }, message = new { text = "x" } },
                Ct
            )
        );
        Assert.Equal(190, refused.Code);
    }

    private static Dictionary<string, string?> DockerEnvironment(string dockerfile)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        var text = dockerfile.Replace("\\\n", " ", StringComparison.Ordinal);
        foreach (Match line in Regex.Matches(text, @"(?m)^ENV (.+)$"))
        {
            foreach (Match pair in Regex.Matches(line.Groups[1].Value, @"(\w+)=(\S+)"))
            {
                environment[pair.Groups[1].Value] = pair.Groups[2].Value;
            }
        }

        return environment;
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pagebox.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException(
            "The repository root (Pagebox.slnx) is not above " + AppContext.BaseDirectory
        );
    }

    [GeneratedRegex(@"listening on (http://[0-9.:]+)")]
    private static partial Regex ListeningUrl();
}
