using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// The command line as a person at a terminal meets it (issue 7), each case a real process: help on every verb, a
/// version, and every failed start as one line on stderr with exit code 2 (configuration) or 1 (start), before
/// anything is written.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempFolder _root = new("pagebox-cli");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A data directory that does not exist yet: a failed start must not create it.</summary>
    private string FreshData => Path.Combine(_root.Path, "data-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => _root.Dispose();

    private static void AssertOneLineFailure(CliResult run, int exitCode, string mentions)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("pagebox: ", line, StringComparison.Ordinal);
        Assert.Contains(mentions, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.Equal("", run.StandardOutput);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("serve --help")]
    [InlineData("serve -h")]
    [InlineData("serve --port 9 --help")]
    [InlineData("help serve")]
    public async Task Help_OnEveryVerb_PrintsUsageAndExits0(string args)
    {
        var run = await PageboxCli.RunAsync(args.Split(' '), cancellationToken: Ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Usage: pagebox", run.StandardOutput, StringComparison.Ordinal);
        if (args.Contains("serve", StringComparison.Ordinal))
            Assert.Contains("--data DIR", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", run.StandardError);
    }

    [Theory]
    [InlineData("--version")]
    [InlineData("version")]
    [InlineData("serve --version")]
    public async Task Version_PrintsOneLineAndExits0(string args)
    {
        var run = await PageboxCli.RunAsync(args.Split(' '), cancellationToken: Ct);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^pagebox \d+\.\d+\.\d+", run.StandardOutput);
        Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("serve --frob", "--frob")]
    [InlineData("serve --port many", "--port")]
    [InlineData("serve --port 70000", "--port")]
    [InlineData("serve --policy 1999", "--policy")]
    [InlineData("serve --host example.com", "--host")]
    [InlineData("serve --log-level loud", "--log-level")]
    [InlineData("serve --webhook-timeout-ms 0", "--webhook-timeout-ms")]
    [InlineData("serve --store postgres", "--store")]
    [InlineData("serve --data", "--data")]
    [InlineData("frob", "frob")]
    public async Task BadCommandLine_OneLineExit2AndNothingWritten(string args, string mentions)
    {
        var data = FreshData;

        var run = await PageboxCli.RunAsync(
            [
                .. args.Split(' '),
                .. args.Contains("--data", StringComparison.Ordinal) ? Array.Empty<string>() : ["--data", data],
            ],
            cancellationToken: Ct
        );

        AssertOneLineFailure(run, 2, mentions);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task BadEnvironmentValue_OneLineExit2()
    {
        var run = await PageboxCli.RunAsync(
            ["serve", "--data", FreshData],
            new Dictionary<string, string?> { ["PAGEBOX_PORT"] = "nope" },
            cancellationToken: Ct
        );

        AssertOneLineFailure(run, 2, "PAGEBOX_PORT");
    }

    [Fact]
    public async Task Serve_PortInUse_OneLineExit1AndNoDataWritten()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var data = FreshData;

        // With the demo on: a failed start must not write demo data (or anything else) first.
        var run = await PageboxCli.RunAsync(
            ["serve", "--host", "127.0.0.1", "--port", port, "--data", data],
            cancellationToken: Ct
        );

        AssertOneLineFailure(run, 1, port);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Serve_DataDirectoryUnderAFile_OneLineExit1AndNothingCreated()
    {
        var file = Path.Combine(_root.Path, "a-file");
        await File.WriteAllTextAsync(file, "not a directory", Ct);
        var data = Path.Combine(file, "data");

        var run = await PageboxCli.RunAsync(["serve", "--port", "0", "--data", data], cancellationToken: Ct);

        AssertOneLineFailure(run, 1, "data directory");
        Assert.Equal("not a directory", await File.ReadAllTextAsync(file, Ct));
    }

    [Fact]
    public async Task Serve_DataDirectoryUsedByAnotherPagebox_OneLineExit1()
    {
        var data = FreshData;
        await using var first = await PageboxProcess.StartAsync(data, "cli-test-key", cancellationToken: Ct);

        var run = await PageboxCli.RunAsync(
            ["serve", "--port", "0", "--data", data, "--no-demo"],
            cancellationToken: Ct
        );

        AssertOneLineFailure(run, 1, "another Pagebox");
        using var http = new HttpClient { BaseAddress = first.BaseUrl };
        Assert.True(await new WorldClient(http, first.AdminKey).IsHealthyAsync(Ct));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Launcher_FirstStart_SaysItIsBuildingThenRunsAndLaterStartsSilently()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "the launcher is a bash script");
        // A copy of the launcher in a repository of its own, with a stand-in dotnet: the real build is not what is
        // tested.
        var repo = Path.Combine(_root.Path, "repo");
        var bin = Path.Combine(_root.Path, "bin");
        Directory.CreateDirectory(Path.Combine(repo, "src"));
        Directory.CreateDirectory(bin);
        await File.WriteAllTextAsync(Path.Combine(repo, "src", "Program.cs"), "// source", Ct);
        File.Copy(Path.Combine(RepositoryRoot(), "pagebox"), Path.Combine(repo, "pagebox"));
        var fakeDotnet = Path.Combine(bin, "dotnet");
        await File.WriteAllTextAsync(
            fakeDotnet,
            """
            #!/usr/bin/env bash
            if [[ "$1" == build ]]; then
              while [[ $# -gt 0 ]]; do
                if [[ "$1" == -o ]]; then mkdir -p "$2"; touch "$2/Pagebox.Server.dll"; fi
                shift
              done
              exit 0
            fi
            shift; echo "server $*"
            """.ReplaceLineEndings("\n"),
            Ct
        );
        File.SetUnixFileMode(fakeDotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var env = new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };

        var first = await PageboxCli.RunProgramAsync(
            "bash",
            [Path.Combine(repo, "pagebox"), "--version"],
            env,
            cancellationToken: Ct
        );
        var second = await PageboxCli.RunProgramAsync(
            "bash",
            [Path.Combine(repo, "pagebox"), "--version"],
            env,
            cancellationToken: Ct
        );

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("pagebox: building", first.StandardError, StringComparison.Ordinal);
        Assert.Equal("server --version", first.StandardOutput.Trim());
        Assert.Equal("", second.StandardError);
        Assert.Equal("server --version", second.StandardOutput.Trim());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pagebox.slnx")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("Pagebox.slnx not found above " + AppContext.BaseDirectory);
    }
}
