using System.Diagnostics;

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
        var start = CliProcess.StartInfo(program, args, environment);
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
