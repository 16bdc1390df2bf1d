using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pagebox.Testing;

/// <summary>
/// A real Pagebox server in a child process (<c>dotnet Pagebox.Server.dll serve …</c>), for crash and restart tests.
/// Ready when it prints <c>listening on http://</c> (docs/spec/control-api.md, "Command line").
/// </summary>
public sealed class PageboxProcess : IAsyncDisposable
{
    public const string ReadyMarker = "listening on http://";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private PageboxProcess(Process process, Uri baseUrl, string dataDir, string adminKey)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDir = dataDir;
        AdminKey = adminKey;
    }

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public string DataDir { get; }

    public string AdminKey { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code once the process has ended.</summary>
    public int? ExitCode => HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved (stderr lines prefixed).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet Pagebox.Server.dll serve --host 127.0.0.1 --port FREE --data DIR --admin-key KEY --no-demo
    /// [extraArgs]</c> in the server's own folder and waits (60 s at most) for the ready line.
    /// </summary>
    public static Task<PageboxProcess> StartAsync(
        string dataDir,
        string adminKey,
        IEnumerable<string>? extraArgs = null,
        CancellationToken cancellationToken = default
    ) => StartAsync(dataDir, adminKey, extraArgs, null, cancellationToken);

    /// <summary>As <see cref="StartAsync(string, string, IEnumerable{string}?, CancellationToken)"/>, run in
    /// <paramref name="workingDirectory"/> (the server's own folder when null).</summary>
    public static async Task<PageboxProcess> StartAsync(
        string dataDir,
        string adminKey,
        IEnumerable<string>? extraArgs,
        string? workingDirectory,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        ArgumentException.ThrowIfNullOrEmpty(adminKey);
        dataDir = Path.GetFullPath(dataDir);
        var extra = extraArgs?.ToList() ?? [];
        var serverDll = FindServerDll();

        // The free port is found by binding and releasing it, so another process may grab it in between: retry then.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var server = Launch(serverDll, port, dataDir, adminKey, extra, workingDirectory);
            try
            {
                await server.WaitUntilReadyAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException)
                when (attempt < attempts && server.HasExited && LooksLikePortClash(server.Output))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>SIGKILL the whole process tree at once (a crash), then wait for it to be gone.</summary>
    public void Kill()
    {
        if (HasExited)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }

        _process.WaitForExit();
    }

    /// <summary>
    /// Graceful stop: SIGTERM (the contract says the server exits cleanly on it), then wait for the exit.
    /// Returns the exit code; kills the tree and throws <see cref="TimeoutException"/> when it does not stop in time.
    /// </summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!HasExited)
        {
            SendTerminate();
            try
            {
                await _exited.Task.WaitAsync(timeout ?? StopTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                Kill();
                throw new TimeoutException(
                    $"Pagebox (pid {_process.Id}) did not exit within {(timeout ?? StopTimeout).TotalSeconds:0} s of "
                        + $"SIGTERM; killed it.{Environment.NewLine}{Output}"
                );
            }
        }

        // Flush the redirected streams so Output holds the last lines.
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public override string ToString() => $"Pagebox pid {_process.Id} at {BaseUrl}";

    private static PageboxProcess Launch(
        string serverDll,
        int port,
        string dataDir,
        string adminKey,
        List<string> extra,
        string? workingDirectory
    )
    {
        string[] args =
        [
            serverDll,
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            port.ToString(CultureInfo.InvariantCulture),
            "--data",
            dataDir,
            "--admin-key",
            adminKey,
            "--no-demo",
        ];
        // The test host's own URL settings must not override --host/--port; its PAGEBOX_* settings stay.
        var start = CliProcess.StartInfo(DotnetHost(), args.Concat(extra), keepPagebox: true);
        start.WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(serverDll)!;

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new PageboxProcess(process, new Uri($"http://127.0.0.1:{port}/"), dataDir, adminKey);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data, isError: true);
        process.Exited += (_, _) => server._exited.TrySetResult();
        if (!process.Start())
        {
            throw new InvalidOperationException(
                $"Could not start {start.FileName} {string.Join(' ', start.ArgumentList)}"
            );
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        Task first;
        try
        {
            first = await Task.WhenAny(_ready.Task, _exited.Task).WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"Pagebox did not print '{ReadyMarker}' within {StartTimeout.TotalSeconds:0} s.{Environment.NewLine}"
                    + $"{Output}"
            );
        }

        if (first == _ready.Task)
        {
            return;
        }

        await _process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException(
            $"Pagebox exited with code {_process.ExitCode} before printing '{ReadyMarker}'.{Environment.NewLine}"
                + $"{Output}"
        );
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(isError ? "[stderr] " : "").AppendLine(line);
        }

        if (!isError && line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private void SendTerminate()
    {
        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows; the closest is ending the tree.
            Kill();
            return;
        }

        // .NET has no API to send SIGTERM to another process; /bin/kill does it.
        var kill = new ProcessStartInfo(File.Exists("/bin/kill") ? "/bin/kill" : "kill")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        kill.ArgumentList.Add("-TERM");
        kill.ArgumentList.Add(_process.Id.ToString(CultureInfo.InvariantCulture));
        using var killer = Process.Start(kill)!;
        killer.WaitForExit();
    }

    private static bool LooksLikePortClash(string output) =>
        output.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
        || output.Contains("AddressInUse", StringComparison.Ordinal);

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
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

    /// <summary>
    /// The server next to the test assembly (a referenced Exe project brings its .dll, .runtimeconfig.json and
    /// .deps.json along), else <c>src/Pagebox.Server/bin/&lt;config&gt;/net10.0/</c> under the repository root.
    /// </summary>
    public static string FindServerDll()
    {
        const string name = "Pagebox.Server.dll";
        var beside = Path.Combine(AppContext.BaseDirectory, name);
        if (IsRunnable(beside))
        {
            return beside;
        }

        var tried = new List<string> { beside };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Pagebox.slnx")))
            {
                continue;
            }

#if DEBUG
            string[] configurations = ["Debug", "Release"];
#else
            string[] configurations = ["Release", "Debug"];
#endif
            foreach (var configuration in configurations)
            {
                var candidate = Path.Combine(
                    dir.FullName,
                    "src",
                    "Pagebox.Server",
                    "bin",
                    configuration,
                    "net10.0",
                    name
                );
                if (IsRunnable(candidate))
                {
                    return candidate;
                }

                tried.Add(candidate);
            }

            break;
        }

        throw new FileNotFoundException(
            $"Pagebox.Server.dll not found; reference src/Pagebox.Server from the test project or build it. Looked "
                + $"at: {string.Join(", ", tried)}"
        );

        static bool IsRunnable(string dll) =>
            File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"));
    }

    /// <summary>The <c>dotnet</c> host running these tests (test runners start the test exe via an apphost, so
    /// <see cref="Environment.ProcessPath"/> is not always it).</summary>
    public static string DotnetHost()
    {
        var fileName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (
            Environment.ProcessPath is { } processPath
            && string.Equals(Path.GetFileName(processPath), fileName, StringComparison.OrdinalIgnoreCase)
        )
        {
            return processPath;
        }

        if (
            Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root
            && Path.Combine(root, fileName) is var rooted
            && File.Exists(rooted)
        )
        {
            return rooted;
        }

        // The runtime directory is <root>/shared/Microsoft.NETCore.App/<version>/; the host sits in <root>.
        var runtimeDir = new DirectoryInfo(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
        if (
            runtimeDir.Parent?.Parent?.Parent is { } dotnetRoot
            && Path.Combine(dotnetRoot.FullName, fileName) is var fromRuntime
            && File.Exists(fromRuntime)
        )
        {
            return fromRuntime;
        }

        return fileName;
    }
}
