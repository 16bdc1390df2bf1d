using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pagebox.Testing;

// The test fixture's start, as a test suite pays for it: PageboxServer.StartAsync() (ephemeral SQLite store,
// migrations, Kestrel on a free loopback port) until a first call answers 200 (GET /_pagebox/health/ready, which
// needs the store, every migration and the webhook dispatcher), then disposal. Beside it, in the same process and
// alternating with it, the baseline: a bare Kestrel WebApplication (slim builder, one route, loopback, free port)
// started until its first call answers. Both are warm (JIT-compiled by warm-up rounds) as in a test process
// that starts a second fixture; the first, cold start of the process is reported apart.
//
//   dotnet Startup.dll [--runs N] [--warmup N]
//
// Prints p50/p90/max of each and one machine-readable line:
//   RESULT runs=N pagebox_p50_ms=… pagebox_p90_ms=… baseline_p50_ms=… baseline_p90_ms=… ratio_p50=…
//          start_only_p50_ms=… cold_ms=…
// ("StartAsync alone" is the same starts until StartAsync returned, before the first call.)
var runs = Option("--runs", 30);
var warmup = Option("--warmup", 5);
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };

var startOnly = new List<double>();
var cold = await PageboxOnceAsync();
startOnly.Clear();
for (var i = 0; i < warmup; i++)
{
    await PageboxOnceAsync();
    await BaselineOnceAsync();
}
var pagebox = new List<double>(runs);
var baseline = new List<double>(runs);
startOnly.Clear();
for (var i = 0; i < runs; i++)
{
    pagebox.Add(await PageboxOnceAsync());
    baseline.Add(await BaselineOnceAsync());
}

Console.WriteLine(
    Invariant($"{runs} starts of each, after {warmup} warm-up starts; the process's first start took {cold:F0} ms")
);
Console.WriteLine(
    "  " + "start".PadRight(34) + string.Join(" ", "p50 p90 max".Split(' ').Select(h => h.PadLeft(8))) + "   (ms)"
);
Print("PageboxServer.StartAsync + 1 call", pagebox);
Print("  of which StartAsync alone", startOnly);
Print("bare Kestrel + 1 call", baseline);
Console.WriteLine(
    string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"RESULT runs={runs} pagebox_p50_ms={P(pagebox, 50):F1} pagebox_p90_ms={P(pagebox, 90):F1} baseline_p50_ms="
            + $"{P(baseline, 50):F1} baseline_p90_ms={P(baseline, 90):F1} ratio_p50="
            + $"{P(pagebox, 50) / P(baseline, 50):F2} start_only_p50_ms={P(startOnly, 50):F1} cold_ms={cold:F0}"
    )
);
return 0;

async Task<double> PageboxOnceAsync()
{
    var watch = Stopwatch.StartNew();
    await using var server = await PageboxServer.StartAsync();
    var started = watch.Elapsed.TotalMilliseconds;
    using var ready = await http.GetAsync(new Uri(server.BaseUrl, "_pagebox/health/ready"));
    watch.Stop();
    if (ready.StatusCode != HttpStatusCode.OK)
        throw new InvalidOperationException($"Pagebox answered {(int)ready.StatusCode} to its first call");
    startOnly.Add(started);
    return watch.Elapsed.TotalMilliseconds;
}

async Task<double> BaselineOnceAsync()
{
    var watch = Stopwatch.StartNew();
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    builder.WebHost.ConfigureKestrel(k =>
    {
        k.AddServerHeader = false;
        k.Listen(IPAddress.Loopback, 0);
    });
    await using var app = builder.Build();
    app.MapGet("/health", () => Results.Text("ok"));
    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var ready = await http.GetAsync(new Uri(new Uri(address), "health"));
    watch.Stop();
    if (ready.StatusCode != HttpStatusCode.OK)
        throw new InvalidOperationException($"the baseline answered {(int)ready.StatusCode}");
    await app.StopAsync();
    return watch.Elapsed.TotalMilliseconds;
}

static double P(List<double> xs, int p)
{
    var sorted = xs.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static void Print(string name, List<double> xs) =>
    Console.WriteLine(
        "  " + name.PadRight(34) + string.Join(" ", new[] { P(xs, 50), P(xs, 90), xs.Max() }.Select(Cell))
    );

static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

static string Cell(double x) => x.ToString("F1", CultureInfo.InvariantCulture).PadLeft(8);

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
