using System.Diagnostics;
using System.Text;

namespace Pagebox.Testing;

/// <summary>
/// A long-running command-line program (<c>pagebox receive</c>, an installed tool, a published binary) whose output
/// is read line by line; <see cref="WaitForLineAsync"/> waits for a line without sleeping. Disposing kills it.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process) => _process = process;

    /// <summary>Every line so far, stdout and stderr (prefixed <c>[stderr] </c>), in arrival order.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The whole output so far.</summary>
    public string Output => string.Join(Environment.NewLine, Lines);

    /// <summary>True once the process ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="program"/>; PAGEBOX_* and ASP.NET URL variables of the test host are
    /// removed.</summary>
    public static CliProcess Start(
        string program,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null
    )
    {
        var start = StartInfo(program, args, environment);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.OnLine(e.Data, "");
        process.ErrorDataReceived += (_, e) => cli.OnLine(e.Data, "[stderr] ");
        process.Exited += (_, _) => cli.Signal();
        if (!process.Start())
            throw new InvalidOperationException($"Could not start {program}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// How every test starts a program: output and errors read as UTF-8, the test host's URL variables removed (they
    /// would override the program's own --host/--port) and, unless <paramref name="keepPagebox"/>, its PAGEBOX_*
    /// variables too; then <paramref name="environment"/> (a null value removes the variable).
    /// </summary>
    internal static ProcessStartInfo StartInfo(
        string program,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        bool keepPagebox = false
    )
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in HostUrlVariables)
            start.Environment.Remove(name);
        if (!keepPagebox)
        {
            foreach (
                var name in start
                    .Environment.Keys.Where(k => k.StartsWith("PAGEBOX_", StringComparison.Ordinal))
                    .ToList()
            )
                start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }
        return start;
    }

    private static readonly string[] HostUrlVariables =
    [
        "ASPNETCORE_URLS",
        "DOTNET_URLS",
        "ASPNETCORE_HTTP_PORTS",
        "ASPNETCORE_HTTPS_PORTS",
        "URLS",
    ];

    /// <summary>
    /// The first line matching <paramref name="predicate"/>; throws <see cref="TimeoutException"/> (with the output)
    /// after <paramref name="timeout"/>, or <see cref="InvalidOperationException"/> when the process ends first.
    /// </summary>
    public async Task<string> WaitForLineAsync(
        Func<string, bool> predicate,
        TimeSpan timeout,
        CancellationToken cancellationToken = default
    )
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (Lines.FirstOrDefault(predicate) is { } line)
                return line;
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                if (Lines.FirstOrDefault(predicate) is { } last)
                    return last;
                throw new InvalidOperationException(
                    $"{_process.StartInfo.FileName} exited with {_process.ExitCode} before the line came."
                        + $"{Environment.NewLine}{Output}"
                );
            }

            var remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw new TimeoutException(
                    $"No such line within {timeout.TotalSeconds:0} s.{Environment.NewLine}{Output}"
                );
            try
            {
                await changed.WaitAsync(remaining, cancellationToken);
            }
            catch (TimeoutException)
            {
                // One more look, then the clock decides.
            }
        }
    }

    /// <summary>Kills the process tree and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line, string prefix)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            _lines.Add(prefix + line);
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }
}
