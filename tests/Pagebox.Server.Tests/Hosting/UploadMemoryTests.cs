using System.Globalization;
using System.Net;
using Pagebox.Server.Tests.Hardening;

namespace Pagebox.Server.Tests.Hosting;

/// <summary>
/// Uploads are streamed, not held (issue 7: 16 concurrent 25 MiB uploads once took the resident set to 861 MiB and
/// kept it). A real child process takes eight 25 MiB uploads at once; its peak resident set (VmHWM) grows by far less
/// than the 200 MiB the files add up to.
/// </summary>
public sealed class UploadMemoryTests : IAsyncLifetime
{
    private const long FileBytes = 25L * 1024 * 1024;
    private const int Uploads = 8;
    private const long AllowedGrowthBytes = 96L * 1024 * 1024;

    private readonly string _dataDirectory = Path.Combine(
        Path.GetTempPath(),
        "pagebox-uploads-" + Guid.NewGuid().ToString("N")
    );

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_dataDirectory);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The process's peak resident set so far (Linux /proc), in bytes.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)
            * 1024;
    }

    [Fact]
    public async Task Upload_EightConcurrent25MiBFiles_PeakMemoryGrowsFarLessThanTheFiles()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "reads the peak resident set from /proc");
        await using var process = await PageboxProcess.StartAsync(
            _dataDirectory,
            "memory-test-key",
            cancellationToken: Ct
        );
        using var http = new HttpClient { BaseAddress = process.BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        var world = new WorldClient(http, process.AdminKey);
        var graph = new GraphClient(http);
        var app = await world.CreateAppAsync("uploads", Ct);
        var page = await world.CreatePageAsync(app.Id, "Uploads", cancellationToken: Ct);
        Task<GraphResponse> Upload(long bytes) =>
            graph.SendAsync(
                HttpMethod.Post,
                $"{page.Id}/message_attachments",
                UploadStreamingTests.Form(new Infrastructure.PatternStream(bytes)),
                page.AccessToken,
                cancellationToken: Ct
            );

        // Warm up (JIT, pools, the first connections) with small uploads, then take the baseline.
        foreach (var answer in await Task.WhenAll(Enumerable.Range(0, Uploads).Select(_ => Upload(64 * 1024))))
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        var before = PeakResidentBytes(process.ProcessId);

        var answers = await Task.WhenAll(Enumerable.Range(0, Uploads).Select(_ => Upload(FileBytes)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var growth = PeakResidentBytes(process.ProcessId) - before;
        Assert.True(
            growth < AllowedGrowthBytes,
            $"peak resident set grew by {growth / (1024 * 1024)} MiB for {Uploads} x {FileBytes / (1024 * 1024)} MiB "
                + $"uploads (allowed {AllowedGrowthBytes / (1024 * 1024)} MiB)"
        );
    }
}
