using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// <c>pagebox serve</c> started in a bot's project folder, each case a real process: the folder's
/// <c>appsettings.json</c> is the bot's (its Kestrel endpoints, its log levels), not Pagebox's, and no folder is
/// watched for changes (a watcher woke at every write to a data directory below it).
/// </summary>
public sealed class WorkingDirectoryTests : IDisposable
{
    private const string Key = "cwd-key";

    private readonly TempFolder _root = new("pagebox-cwd");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Serve_InABotsProjectFolder_TakesNoneOfItsSettings()
    {
        var botPort = FreeLoopbackPort();
        var settings = $$"""
            {
              "Kestrel": { "Endpoints": { "Bot": { "Url": "http://127.0.0.1:{{botPort}}" } } },
              "Logging": { "LogLevel": { "Default": "Information" } }
            }
            """;
        await File.WriteAllTextAsync(Path.Combine(_root.Path, "appsettings.json"), settings, Ct);

        await using var server = await PageboxProcess.StartAsync(
            Path.Combine(_root.Path, "data"),
            Key,
            null,
            _root.Path,
            Ct
        );
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        using var live = await http.GetAsync(new Uri("/_pagebox/health/live", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // The bot's port is left to the bot: nothing listens there.
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() =>
            probe.ConnectAsync(IPAddress.Loopback, botPort, Ct).AsTask()
        );
        // The bot's log level did not reach Pagebox's log (Information would log every start and request).
        Assert.DoesNotContain("Microsoft.Hosting.Lifetime", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InAFolderWithSubfolders_WatchesNone()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("inotify watches are read from /proc, which only Linux has.");
        }

        for (var i = 0; i < 20; i++)
        {
            Directory.CreateDirectory(
                Path.Combine(_root.Path, "src", "folder" + i.ToString(CultureInfo.InvariantCulture))
            );
        }

        await using var server = await PageboxProcess.StartAsync(
            Path.Combine(_root.Path, "data"),
            Key,
            null,
            _root.Path,
            Ct
        );
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        var world = new WorldClient(http, Key);
        // A few writes to the data directory below the working directory.
        for (var i = 0; i < 3; i++)
        {
            var app = await world.CreateAppAsync("App " + i.ToString(CultureInfo.InvariantCulture), Ct);
            Assert.False(string.IsNullOrEmpty(app.Id));
        }

        Assert.Equal(0, InotifyWatches(server.ProcessId));
    }

    /// <summary>The inotify watches a process holds: one <c>inotify wd:</c> line per watch in the fdinfo of each of
    /// its inotify descriptors.</summary>
    private static int InotifyWatches(int pid)
    {
        var watches = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fd"))
        {
            if (new FileInfo(fd).LinkTarget is not { } target || !target.Contains("inotify", StringComparison.Ordinal))
            {
                continue;
            }

            watches += File.ReadLines($"/proc/{pid}/fdinfo/{Path.GetFileName(fd)}")
                .Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
        }

        return watches;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
