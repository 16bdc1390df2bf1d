using System.Diagnostics;
using System.Text;

namespace Pagebox.Testing;

/// <summary>What a run of the command line printed and how it ended.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The non-empty lines written to stderr.</summary>
    public IReadOnlyList<string> ErrorLines =>
        [.. StandardError.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];

    public override string ToString() =>
        $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}stderr:"
        + $"{Environment.NewLine}{StandardError}";
}

/// <summary>Runs the command-line program (<c>dotnet Pagebox.Server.dll …</c>, or any executable) to its end.</summary>
public static class PageboxCli
{
    /// <summary><c>dotnet Pagebox.Server.dll <paramref name="args"/></c>, killed (and reported) after <paramref
    /// name="timeout"/>.</summary>
    public static Task<CliResult> RunAsync(
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
    ) =>
        RunProgramAsync(
            PageboxProcess.DotnetHost(),
            [PageboxProcess.FindServerDll(), .. args],
            environment,
            timeout,
            cancellationToken
        );

    /// <summary>Any program with <paramref name="args"/>; environment entries with a null value are removed.</summary>
    public static async Task<CliResult> RunProgramAsync(
        string program,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default
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
        foreach (
            var name in new[]
            {
                "ASPNETCORE_URLS",
                "DOTNET_URLS",
                "ASPNETCORE_HTTP_PORTS",
                "ASPNETCORE_HTTPS_PORTS",
                "URLS",
            }
        )
            start.Environment.Remove(name);
        foreach (
            var name in start.Environment.Keys.Where(k => k.StartsWith("PAGEBOX_", StringComparison.Ordinal)).ToList()
        )
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
                start.Environment.Remove(name);
            else
                start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process
                .WaitForExitAsync(cancellationToken)
                .WaitAsync(timeout ?? TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{program} {string.Join(' ', start.ArgumentList)} did not end in time.{Environment.NewLine}"
                    + $"{await stdout}{await stderr}"
            );
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
