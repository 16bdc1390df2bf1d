using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

// A state document (docs/control-api.md, "State") with N marketing-message tokens on one Page, for a benchmark at
// scale (issue #12's million tokens) without a million HTTP taps:
//
//   dotnet StateGen.dll URL ADMIN-KEY --tokens N --out FILE
//
// 1. Against a running Pagebox (URL, its admin key), it makes one model of each row through the world face and the
//    Graph face, as a bot would: an app, a Page, a person who writes, an opt-in request, the tap that gives a token.
// 2. It exports the state and writes it to FILE with the person, the conversation and the token each cloned N times:
//    every value equal to the model's person id, PSID or token gets a fresh one of the same shape. Rows are written
//    as they are made (Utf8JsonWriter), so a million tokens take seconds and little memory.
// 3. `./pagebox serve --import FILE` (or POST /_pagebox/import) then starts from that world. Prints one line:
//    STATE file=FILE tokens=N app=APP page=PAGE page_token=EAA… token=MODEL updated_ms=MS bytes=…
//    The n-th clone's token (n = 1 … N-1; the 0-th is MODEL itself) is MODEL with its last 9 characters replaced by n
//    in 9 digits (see Clone), and every token's updated_ms is MODEL's: a benchmark can name any token, and any point
//    of the token list's order (updated desc, token desc), without reading them back (bench/tokens.sh).
if (args.Length < 2)
    throw new ArgumentException("usage: StateGen URL ADMIN-KEY --tokens N --out FILE");
var url = args[0].TrimEnd('/') + "/";
var tokens = int.Parse(Option("--tokens", "1000"), CultureInfo.InvariantCulture);
var output = Option("--out", "pagebox-state.json");
using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
var admin = new AuthenticationHeaderValue("Bearer", args[1]);

// :: Step 1: the model rows, made the way a bot and a person make them.
var app = await PostAsync("_pagebox/apps", """{"name":"bench"}""");
var appId = app.GetProperty("id").GetString()!;
var page = await PostAsync($"_pagebox/apps/{appId}/pages", """{"name":"Bench Page"}""");
var pageId = page.GetProperty("id").GetString()!;
var pageToken = page.GetProperty("access_token").GetString()!;
var personId = (await PostAsync("_pagebox/persons", """{"name":"Bench Person"}""")).GetProperty("id").GetString()!;
var psid = (
    await PostAsync($"_pagebox/persons/{personId}/messages", Json(new() { ["page_id"] = pageId, ["text"] = "hi" }))
)
    .GetProperty("psid")
    .GetString()!;
var request = await PostAsync(
    $"v24.0/{pageId}/messages?access_token={Uri.EscapeDataString(pageToken)}",
    "{\"recipient\":{\"id\":\""
        + psid
        + "\"},\"message\":{\"attachment\":{\"type\":\"template\",\"payload\":{"
        + "\"template_type\":\"notification_messages\",\"title\":\"Deals\",\"payload\":\"DEALS\","
        + "\"notification_messages_timezone\":\"UTC\"}}}}"
);
var mid = request.GetProperty("message_id").GetString()!;
var token = (
    await PostAsync($"_pagebox/persons/{personId}/optins", Json(new() { ["page_id"] = pageId, ["mid"] = mid }))
)
    .GetProperty("notification_messages_token")
    .GetString()!;

// :: Step 2: the export, with the model's rows cloned.
using var export = new HttpRequestMessage(HttpMethod.Get, "_pagebox/export");
export.Headers.Authorization = admin;
using var exportAnswer = await http.SendAsync(export);
exportAnswer.EnsureSuccessStatusCode();
using var exported = JsonDocument.Parse(await exportAnswer.Content.ReadAsStringAsync());
var updatedMs = "";
var cloned = new HashSet<string>(StringComparer.Ordinal) { "persons", "conversations", "notification_tokens" };
await using (var file = File.Create(output))
await using (var w = new Utf8JsonWriter(file))
{
    w.WriteStartObject();
    foreach (var property in exported.RootElement.EnumerateObject())
    {
        if (property.Name != "tables")
        {
            property.WriteTo(w);
            continue;
        }
        w.WriteStartObject("tables");
        foreach (var table in property.Value.EnumerateObject())
        {
            w.WriteStartObject(table.Name);
            w.WritePropertyName("columns");
            table.Value.GetProperty("columns").WriteTo(w);
            w.WriteStartArray("rows");
            foreach (var row in table.Value.GetProperty("rows").EnumerateArray())
            {
                var model = row.EnumerateArray()
                    .Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == personId);
                if (table.Name == "notification_tokens" && model)
                    updatedMs = Column(table.Value, row, "updated_ms");
                if (!cloned.Contains(table.Name) || !model)
                {
                    row.WriteTo(w);
                    continue;
                }
                for (var n = 0; n < tokens; n++)
                {
                    w.WriteStartArray();
                    foreach (var v in row.EnumerateArray())
                    {
                        if (v.ValueKind != JsonValueKind.String)
                            v.WriteTo(w);
                        else if (v.GetString() == personId)
                            w.WriteStringValue(n == 0 ? personId : Clone(personId, n));
                        else if (v.GetString() == psid)
                            w.WriteStringValue(n == 0 ? psid : Clone(psid, n));
                        else if (v.GetString() == token)
                            w.WriteStringValue(n == 0 ? token : Clone(token, n));
                        else
                            v.WriteTo(w);
                    }
                    w.WriteEndArray();
                    if (n % 10_000 == 0)
                        await w.FlushAsync();
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
    w.WriteEndObject();
}
Console.WriteLine(
    $"STATE file={output} tokens={tokens} app={appId} page={pageId} page_token={pageToken} token={token} "
        + $"updated_ms={updatedMs} "
        + $"bytes={new FileInfo(output).Length.ToString(CultureInfo.InvariantCulture)}"
);
return 0;

// An id of the same length and alphabet (digits stay digits), unique per n: its last digits replaced by n.
static string Clone(string id, int n)
{
    var suffix = n.ToString("D9", CultureInfo.InvariantCulture);
    return id.Length > suffix.Length + 1 ? id[..^suffix.Length] + suffix : id + "-" + suffix;
}

// The model row's value in the named column, as text.
static string Column(JsonElement table, JsonElement row, string name)
{
    var i = 0;
    foreach (var column in table.GetProperty("columns").EnumerateArray())
    {
        if (column.GetString() == name)
            return row[i].ToString();
        i++;
    }
    throw new InvalidOperationException($"no column {name}");
}

static string Json(Dictionary<string, string> fields) => JsonSerializer.Serialize(fields);

async Task<JsonElement> PostAsync(string path, string body)
{
    // The world face takes the admin key; a Graph call its access_token alone (a Bearer header would be read as one).
    using var message = new HttpRequestMessage(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };
    if (path.StartsWith("_pagebox/", StringComparison.Ordinal))
        message.Headers.Authorization = admin;
    using var response = await http.SendAsync(message);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
    return JsonDocument.Parse(text).RootElement.Clone();
}

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
