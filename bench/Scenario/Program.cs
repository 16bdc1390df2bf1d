using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

// One sequential client, as a test suite is: the 8-call scenario a marketing test makes, repeated.
//
//   dotnet Scenario.dll URL ADMIN-KEY [--scenarios N] [--warmup N] [--baseline BASELINE-URL]
//
// Each scenario: create an app, its Page, a person; the person writes; the Page answers (text RESPONSE); the Page
// sends an opt-in request (notification_messages template); the person taps it; the Page sends a marketing message on
// the token. Every answer is checked (status and the id it must carry); one wrong answer fails the run. Prints p50,
// p90, p99 and max of the whole scenario and of each call, in milliseconds, and one machine-readable line:
//   RESULT scenarios=N total_s=S p50=… p99=… write_p50=… write_p99=…
// where "write" is every call of the scenario (they all write). With --baseline (bench/Baseline's URL: bare Kestrel,
// one route answering a fixed body), each scenario is followed by 8 sequential POSTs of the same text send to it from a
// client of the same settings, so the line also carries bare_p50/bare_p99 and the ratios of a Pagebox call to a bare
// one, measured in the same run (the machine is shared: the ratio is the figure to compare, not the milliseconds).
var url =
    args.Length > 1
        ? args[0].TrimEnd('/')
        : throw new ArgumentException("usage: Scenario URL ADMIN-KEY [--scenarios N] [--warmup N]");
var adminKey = args[1];
var scenarios = Option("--scenarios", 2000);
var warmup = Option("--warmup", 200);
var baselineAt = Array.IndexOf(args, "--baseline");
var baselineUrl = baselineAt >= 0 && baselineAt + 1 < args.Length ? args[baselineAt + 1].TrimEnd('/') : null;

using var http = new HttpClient(
    new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false }
)
{
    BaseAddress = new Uri(url),
};
var admin = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
string[] calls = ["app", "page", "person", "write", "reply", "optin_request", "tap", "marketing_send"];
var perCall = calls.Select(_ => new List<double>(scenarios)).ToArray();
var whole = new List<double>(scenarios);
using var bare = new HttpClient(
    new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false }
);
var bareCalls = new List<double>(scenarios * calls.Length);

for (var i = 0; i < warmup; i++)
{
    await RunAsync(null);
    await BareAsync(null);
}
var total = TimeSpan.Zero;
for (var i = 0; i < scenarios; i++)
{
    var started = Stopwatch.GetTimestamp();
    whole.Add(await RunAsync(perCall));
    total += Stopwatch.GetElapsedTime(started);
    await BareAsync(bareCalls);
}

Console.WriteLine(
    string.Create(
        CultureInfo.InvariantCulture,
        $"{scenarios} scenarios in {total.TotalSeconds:F2} s (after {warmup} warm-up scenarios)"
    )
);
Console.WriteLine(
    "  "
        + "call".PadRight(16)
        + " "
        + string.Join(" ", "p50 p90 p99 max".Split(' ').Select(h => h.PadLeft(8)))
        + "   (ms)"
);
Print("scenario", whole);
for (var c = 0; c < calls.Length; c++)
    Print(calls[c], perCall[c]);
var writes = perCall.SelectMany(x => x).ToList();
Print("any call", writes);
var ratios = "";
if (baselineUrl is not null)
{
    Print("bare Kestrel", bareCalls);
    ratios = string.Create(
        CultureInfo.InvariantCulture,
        $" bare_p50={Pct(bareCalls, 50):F3} bare_p99={Pct(bareCalls, 99):F3} write_p50_ratio="
            + $"{Pct(writes, 50) / Pct(bareCalls, 50):F2} write_p99_ratio={Pct(writes, 99) / Pct(bareCalls, 99):F2}"
    );
}
Console.WriteLine(
    string.Create(
        CultureInfo.InvariantCulture,
        $"RESULT scenarios={scenarios} total_s={total.TotalSeconds:F2} p50={Pct(whole, 50):F3} p99="
            + $"{Pct(whole, 99):F3} write_p50={Pct(writes, 50):F3} write_p99={Pct(writes, 99):F3}"
    ) + ratios
);
return 0;

async Task<double> RunAsync(List<double>[]? record)
{
    var start = Stopwatch.GetTimestamp();
    var app = await CallAsync(record, 0, "/_pagebox/apps", """{"name":"scenario"}""", 201);
    var appId = Str(app, "id");
    var page = await CallAsync(record, 1, $"/_pagebox/apps/{appId}/pages", """{"name":"Coast Clothing"}""", 201);
    var pageId = Str(page, "id");
    var token = Str(page, "access_token");
    var person = await CallAsync(record, 2, "/_pagebox/persons", """{"name":"Alex"}""", 201);
    var personId = Str(person, "id");
    var wrote = await CallAsync(
        record,
        3,
        $"/_pagebox/persons/{personId}/messages",
        $$"""{"page_id":"{{pageId}}","text":"Hello"}""",
        201
    );
    var psid = Str(wrote, "psid");
    var graph = $"/v24.0/{pageId}/messages?access_token={token}";
    await CallAsync(
        record,
        4,
        graph,
        $$$"""{"recipient":{"id":"{{{psid}}}"},"messaging_type":"RESPONSE","""
            + "\"message\":{\"text\":\"Hi! How can we help?\"}}",
        200,
        "message_id"
    );
    var request = await CallAsync(
        record,
        5,
        graph,
        """{"recipient":{"id":"""
            + "\""
            + psid
            + "\""
            + """},"message":{"attachment":{"type":"template","payload":"""
            + """{"template_type":"notification_messages","title":"Weekly """
            + """deals","payload":"PROMO","notification_messages_timezone":"UTC"}}}}""",
        200,
        "message_id"
    );
    var mid = Str(request, "message_id");
    var tapped = await CallAsync(
        record,
        6,
        $"/_pagebox/persons/{personId}/optins",
        $$"""{"page_id":"{{pageId}}","mid":"{{mid}}"}""",
        201
    );
    var nmt = Str(tapped, "notification_messages_token");
    await CallAsync(
        record,
        7,
        graph,
        $$$"""{"recipient":{"notification_messages_token":"{{{nmt}}}"},"message":{"text":"50% off hats today"}}""",
        200,
        "message_id"
    );
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

// Eight sequential text sends to bare Kestrel (bench/Baseline), the same bytes as the scenario's RESPONSE.
async Task BareAsync(List<double>? record)
{
    if (baselineUrl is null)
        return;
    for (var c = 0; c < calls.Length; c++)
    {
        var start = Stopwatch.GetTimestamp();
        using var content = new StringContent(
            """{"recipient":{"id":"1"},"messaging_type":"RESPONSE","message":{"text":"Hi! How can we help?"}}""",
            Encoding.UTF8,
            "application/json"
        );
        using var response = await bare.PostAsync($"{baselineUrl}/v24.0/1/messages?access_token=x", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        record?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        if (!response.IsSuccessStatusCode || bytes.Length == 0)
            throw new InvalidOperationException($"bare Kestrel answered {(int)response.StatusCode}");
    }
}

async Task<JsonElement> CallAsync(
    List<double>[]? record,
    int call,
    string path,
    string body,
    int status,
    string? must = null
)
{
    var start = Stopwatch.GetTimestamp();
    using var content = new StringContent(body, Encoding.UTF8, "application/json");
    using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    // the Graph face takes its token in the query
    if (path.StartsWith("/_pagebox/", StringComparison.Ordinal))
        message.Headers.Authorization = admin;
    using var response = await http.SendAsync(message);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    record?[call].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    if ((int)response.StatusCode != status)
        throw new InvalidOperationException(
            $"{calls[call]}: POST {path} answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}"
        );
    var json = JsonDocument.Parse(bytes).RootElement.Clone();
    if (must is not null)
        Str(json, must);
    return json;
}

static string Str(JsonElement e, string name) =>
    e.TryGetProperty(name, out var v) && v.GetString() is { Length: > 0 } s
        ? s
        : throw new InvalidOperationException($"no \"{name}\" in {e}");

static double Pct(List<double> values, double p)
{
    if (values.Count == 0)
        return 0;
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

static void Print(string name, List<double> v) =>
    Console.WriteLine(
        "  "
            + name.PadRight(16)
            + string.Concat(
                new[] { Pct(v, 50), Pct(v, 90), Pct(v, 99), v.Max() }.Select(x =>
                    " " + x.ToString("F3", CultureInfo.InvariantCulture).PadLeft(8)
                )
            )
    );

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
