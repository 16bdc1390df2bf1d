using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Pagebox.Client;

// Webhook delivery throughput: Pagebox's dispatcher against a bare HttpClient POST loop to the same loopback receiver,
// measured in the same run.
//
//   dotnet Webhooks.dll URL ADMIN-KEY [--pages P] [--events K] [--rounds R] [--concurrency C] [--server-pid PID]
//
// The receiver (Kestrel, in this process) answers the subscription handshake and 200 to every POST. Each Pagebox round
// creates an app subscribed to it and P Pages, closes the receiver's gate (the deliveries in flight wait in it), has
// one person write K numbered messages to each Page (every write answered after its commit, so every event is recorded
// before the gate opens), then opens the gate and times until every event has arrived: deliveries per second and
// events per second, the backlog batched per Page as Meta does. Every conversation's messages must arrive in order,
// each once: a gap, a repeat or a reversal fails the run. The baseline round posts P one-event bodies of the same size
// from C concurrent HttpClient loops (C = Pagebox's deliveries in flight) to the same receiver.
// Prints one machine-readable line per side and round:
//   RESULT side=baseline|pagebox posts=N events=E seconds=S posts_per_s=… events_per_s=… cpu_us_per_post=…
// cpu_us_per_post is the CPU (user + system) spent during the timed part, per POST: for the baseline this process's
// (client and receiver), for Pagebox the server's (with --server-pid) plus this process's (the receiver), shown as
// server+receiver. The timed part's monotonic clock bounds (nanoseconds, CLOCK_MONOTONIC: perf record -k
// CLOCK_MONOTONIC) are printed as TIMED side=… from=… to=…, so a profile can be cut to it (perf report --time).
var url =
    args.Length > 1
        ? args[0].TrimEnd('/') + "/"
        : throw new ArgumentException("usage: Webhooks URL ADMIN-KEY [--pages P] [--events K] [--rounds R]");
var adminKey = args[1];
var pages = Option("--pages", 500);
var eventsPerPage = Option("--events", 1);
var rounds = Option("--rounds", 2);
var concurrency = Option("--concurrency", 64);
var serverPid = Option("--server-pid", 0);

var receiver = new Receiver();
await using var app = receiver.Build();
await app.StartAsync();
var callback = new Uri(app.Urls.First() + "/hook");

using var http = new HttpClient(
    new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false }
)
{
    BaseAddress = new Uri(url),
    Timeout = TimeSpan.FromSeconds(60),
};
var world = new WorldClient(http, adminKey);
var graph = new GraphClient(http);
var failed = false;

for (var round = 1; round <= rounds; round++)
{
    var sample = await PageboxRoundAsync(round);
    await BaselineRoundAsync(round, sample);
}
return failed ? 1 : 0;

async Task<byte[]> PageboxRoundAsync(int round)
{
    var created = await world.CreateAppAsync($"webhooks bench {round}");
    var subscribed = await graph.SubscribeAppAsync(created.Id, created.Secret, callback, "bench", ["messages"]);
    if (!subscribed.IsSuccess)
        throw new InvalidOperationException($"subscription refused: {subscribed}");
    var pageList = new PageInfo[pages];
    await Parallel.ForAsync(
        0,
        pages,
        new ParallelOptions { MaxDegreeOfParallelism = 8 },
        async (i, ct) =>
        {
            pageList[i] = await world.CreatePageAsync(created.Id, $"Page {i}", cancellationToken: ct);
            var r = await graph.SubscribePageAsync(pageList[i].Id, pageList[i].AccessToken, ["messages"], ct);
            if (!r.IsSuccess)
                throw new InvalidOperationException($"Page subscription refused: {r}");
        }
    );
    var person = await world.CreatePersonAsync($"bench person {round}");

    receiver.Reset(expected: pages * eventsPerPage);
    receiver.Close();
    await Parallel.ForAsync(
        0,
        pages,
        new ParallelOptions { MaxDegreeOfParallelism = 8 },
        async (i, ct) =>
        {
            for (var n = 1; n <= eventsPerPage; n++)
                await world.WriteAsync(
                    person,
                    pageList[i].Id,
                    n.ToString(CultureInfo.InvariantCulture),
                    cancellationToken: ct
                );
        }
    );
    var cpu = Cpu.Take(serverPid);
    var clock = Stopwatch.StartNew();
    receiver.Open();
    var done = await Task.WhenAny(receiver.AllArrived, Task.Delay(TimeSpan.FromSeconds(120)));
    clock.Stop();
    var spent = Cpu.Take(serverPid) - cpu;
    if (done != receiver.AllArrived)
        Fail($"pagebox round {round}: {receiver.Events} of {pages * eventsPerPage} events arrived in 120 s");
    foreach (var problem in receiver.Problems.Take(5))
        Fail($"pagebox round {round}: {problem}");
    Report("pagebox", receiver.Posts, receiver.Events, clock.Elapsed, spent);
    return receiver.Sample ?? throw new InvalidOperationException("no delivery arrived");
}

async Task BaselineRoundAsync(int round, byte[] body)
{
    receiver.Reset(expected: int.MaxValue);
    receiver.Open();
    var next = -1;
    var cpu = Cpu.Take(serverPid);
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(
        Enumerable
            .Range(0, concurrency)
            .Select(async _ =>
            {
                while (Interlocked.Increment(ref next) < pages)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new("application/json");
                    using var answer = await http.PostAsync(callback, content);
                    if (answer.StatusCode != HttpStatusCode.OK)
                        Fail($"baseline round {round}: HTTP {(int)answer.StatusCode}");
                }
            })
    );
    clock.Stop();
    Report("baseline", receiver.Posts, 0, clock.Elapsed, Cpu.Take(serverPid) - cpu);
}

void Report(string side, long posts, long events, TimeSpan elapsed, Cpu spent)
{
    var to = Stopwatch.GetTimestamp();
    var from = to - (long)(elapsed.TotalSeconds * Stopwatch.Frequency);
    var perPost = posts == 0 ? 0 : 1.0 / posts;
    var cpu =
        side == "pagebox" ? $"{spent.ServerUs * perPost:F0}+{spent.OwnUs * perPost:F0}" : $"{spent.OwnUs * perPost:F0}";
    Console.WriteLine(
        string.Create(
            CultureInfo.InvariantCulture,
            $"RESULT side={side} posts={posts} events={events} seconds={elapsed.TotalSeconds:F3} "
                + $"posts_per_s={posts / elapsed.TotalSeconds:F0} events_per_s={events / elapsed.TotalSeconds:F0} "
                + $"cpu_us_per_post={cpu}"
        )
    );
    Console.WriteLine(
        string.Create(
            CultureInfo.InvariantCulture,
            $"TIMED side={side} from={from * 1e9 / Stopwatch.Frequency:F0} to={to * 1e9 / Stopwatch.Frequency:F0}"
        )
    );
}

void Fail(string message)
{
    failed = true;
    Console.Error.WriteLine("webhooks bench: " + message);
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>CPU time (user + system, microseconds) of this process and of the server (0 when not known).</summary>
internal readonly record struct Cpu(double OwnUs, double ServerUs)
{
    public static Cpu Take(int serverPid) =>
        new(Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds, ServerCpuUs(serverPid));

    public static Cpu operator -(Cpu a, Cpu b) => new(a.OwnUs - b.OwnUs, a.ServerUs - b.ServerUs);

    // utime and stime, fields 14 and 15 of /proc/PID/stat, in clock ticks (100 per second on Linux).
    private static double ServerCpuUs(int pid)
    {
        if (pid <= 0)
            return 0;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks =
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 10_000.0;
    }
}

/// <summary>
/// The loopback webhook receiver: the handshake, a gate that holds POSTs while closed, and per-conversation order.
/// </summary>
internal sealed class Receiver
{
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private TaskCompletionSource _gate = Opened();
    private TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _posts;
    private long _events;
    private long _expected;

    public long Posts => Interlocked.Read(ref _posts);
    public long Events => Interlocked.Read(ref _events);
    public Task AllArrived => _all.Task;
    public IEnumerable<string> Problems => _problems;

    /// <summary>The first body of one event that arrived (the baseline posts its bytes).</summary>
    public byte[]? Sample { get; private set; }

    public void Reset(long expected)
    {
        lock (_last)
            _last.Clear();
        _problems.Clear();
        Interlocked.Exchange(ref _posts, 0);
        Interlocked.Exchange(ref _events, 0);
        Interlocked.Exchange(ref _expected, expected);
        Sample = null;
        _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Close() => _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var web = builder.Build();
        web.MapGet(
            "/hook",
            (HttpRequest r) =>
                r.Query["hub.verify_token"] == "bench"
                    ? Results.Text(r.Query["hub.challenge"].ToString())
                    : Results.StatusCode(403)
        );
        web.MapPost("/hook", HandleAsync);
        return web;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        await _gate.Task;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        Interlocked.Increment(ref _posts);
        var count = Check(body);
        if (count == 1 && Sample is null)
            Sample = body;
        if (Interlocked.Add(ref _events, count) >= Interlocked.Read(ref _expected))
            _all.TrySetResult();
        return Results.Ok();
    }

    /// <summary>Counts the messages in a delivery and checks each conversation's numbering (1, 2, 3… once
    /// each).</summary>
    private int Check(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var count = 0;
        foreach (var entry in doc.RootElement.GetProperty("entry").EnumerateArray())
        {
            if (!entry.TryGetProperty("messaging", out var messaging))
                continue;
            foreach (var m in messaging.EnumerateArray())
            {
                if (!m.TryGetProperty("message", out var message) || !message.TryGetProperty("text", out var text))
                    continue;
                count++;
                var conversation =
                    m.GetProperty("sender").GetProperty("id").GetString()
                    + "/"
                    + m.GetProperty("recipient").GetProperty("id").GetString();
                var n = int.Parse(text.GetString()!, CultureInfo.InvariantCulture);
                lock (_last)
                {
                    _last.TryGetValue(conversation, out var previous);
                    _last[conversation] = n;
                    if (n != previous + 1)
                        _problems.Enqueue($"{conversation}: message {n} arrived after {previous}");
                }
            }
        }
        return count;
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
