using System.Net;
using System.Text;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// The fuzz corpus grown to the Batch API and the world face (issue 7): seeded random requests, each answered without
/// an HTTP 500 and always with the right envelope: a batch answer is an array of <c>{"code","body"}</c> whose bodies
/// are Graph answers or Graph errors (never a 5xx inside either), and every world-face refusal is
/// <c>{"error":{"message","type","code"}}</c>. Seeded, so a failure replays.
/// </summary>
public sealed class BatchAndWorldFuzzTests(PageboxServer server)
{
    private const int BatchSeed = 20_261_201;
    private const int WorldSeed = 20_261_202;
    private const int BatchRequests = 250;
    private const int WorldRequests = 400;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // :: The Batch API

    [Fact]
    public async Task Batch_RandomRequests_NeverHttp500AndEveryAnswerAnEnvelope()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("fuzz the batch")).Psid;
        var random = new Random(BatchSeed);
        var failures = new List<string>();
        var refused = 0;
        var subAnswers = new int[2];

        for (var i = 0; i < BatchRequests; i++)
        {
            var (path, content, description) = BatchRequest(random, s, psid);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Content = content,
            };
            if (random.Next(6) == 0)
                request.Headers.Host = random.Next(2) == 0 ? "evil.example:1" : "127.0.0.1:1";
            using var response = await server.Http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (BatchProblem(response.StatusCode, text) is { } problem)
                failures.Add(
                    $"#{i} {description} -> {(int)response.StatusCode} {problem}: {text[..Math.Min(text.Length, 400)]}"
                );
            else if (
                response.StatusCode == HttpStatusCode.OK
                && TryParse(text, out var answers)
                && answers.ValueKind == JsonValueKind.Array
            )
                foreach (var item in answers.EnumerateArray())
                    subAnswers[item.GetProperty("code").GetInt32() == 200 ? 0 : 1]++;
            else
                refused++;
        }

        // The corpus reaches every layer: whole batches refused, and sub-requests both answered and refused.
        Assert.True(
            refused > BatchRequests / 10 && subAnswers[0] > BatchRequests / 10 && subAnswers[1] > BatchRequests / 10,
            $"refused batches {refused}, sub-requests answered {subAnswers[0]}, refused {subAnswers[1]}"
        );
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {BatchRequests} batches got a bad answer:{Environment.NewLine}"
                + $"{string.Join(Environment.NewLine, failures)}"
        );
    }

    private static (string Path, HttpContent Content, string Description) BatchRequest(
        Random random,
        Scenario s,
        string psid
    )
    {
        var batch = random.Next(12) switch
        {
            0 => Pick(
                random,
                [
                    "",
                    "null",
                    "42",
                    "\"[]\"",
                    "{}",
                    "[",
                    "[]",
                    "[[]]",
                    "[null]",
                    "[1,2]",
                    "{'method':'GET'}",
                    new string('[', 500),
                ]
            ),
            1 => "[" + string.Join(',', Enumerable.Repeat("{\"relative_url\":\"me\"}", random.Next(49, 53))) + "]",
            _ => "["
                + string.Join(',', Enumerable.Range(0, random.Next(1, 6)).Select(_ => BatchItem(random, s, psid)))
                + "]",
        };
        var token = random.Next(6) switch
        {
            0 => null,
            1 => "EAAgarbage",
            2 => s.App.AccessToken,
            3 => $"{s.App.Id}|wrong",
            _ => s.Page.AccessToken,
        };
        var form = new Dictionary<string, string> { ["batch"] = batch };
        if (token is not null && random.Next(3) > 0)
            form["access_token"] = token;
        if (random.Next(5) == 0)
            form["appsecret_proof"] =
                random.Next(2) == 0 ? GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret) : "zz";
        if (random.Next(5) == 0)
            form["include_headers"] = Pick(random, ["true", "false", "0", "maybe", "[]"]);
        var path = Pick(random, ["v25.0/", "", "v2.6/", "v24.0/?suppress_response_codes=true"]);
        if (token is not null && !form.ContainsKey("access_token"))
            path +=
                (path.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + "access_token="
                + Uri.EscapeDataString(token);
        HttpContent content =
            random.Next(4) == 0
                ? new StringContent(
                    JsonSerializer.Serialize(
                        form.ToDictionary(
                            kv => kv.Key,
                            kv =>
                                (object)(
                                    kv.Key == "batch" && IsJson(kv.Value)
                                        ? JsonDocument.Parse(kv.Value).RootElement
                                        : kv.Value
                                )
                        )
                    ),
                    Encoding.UTF8,
                    "application/json"
                )
                : new FormUrlEncodedContent(form);
        return (path, content, $"POST /{path} batch={batch[..Math.Min(batch.Length, 200)]}");
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string BatchItem(Random random, Scenario s, string psid)
    {
        var method = random.Next(8) switch
        {
            0 => "null",
            1 => "42",
            2 => "\"PUT\"",
            3 => "\"post\"",
            4 => "\"DELETE\"",
            5 => "\"GET\"",
            _ => random.Next(2) == 0 ? "\"POST\"" : "\"GET\"",
        };
        var url = Pick(
            random,
            [
                "me",
                "me/messages",
                s.Page.Id,
                $"v24.0/{s.Page.Id}/messages",
                "me?fields=id,name",
                $"{psid}?fields=first_name",
                "me/conversations",
                "me/personas",
                "me/subscribed_apps",
                "me/thread_owner?recipient=" + psid,
                $"{s.App.Id}/subscriptions",
                "debug_token?input_token=x",
                "/",
                "",
                "?",
                "_pagebox/apps",
                "/_pagebox/persons",
                "http://127.0.0.1:1/x",
                "//evil.example/x",
                "../../etc/passwd",
                "%2e%2e/",
                "me%2Fmessages",
                "v99.0/me",
                "me messages",
                "me/messages?access_token=EAAbad",
                "me/messages#frag",
                "😀/messages",
                "\\\\evil\\x",
                "me/message_attachments",
                new string('a', 5000),
            ]
        );
        var body = random.Next(7) switch
        {
            0 => null,
            1 => $"\"recipient={Uri.EscapeDataString($"{{\"id\":\"{psid}\"}}")}&message="
                + $"{Uri.EscapeDataString("{\"text\":\"fuzz\"}")}\"",
            2 => $"{{\"recipient\":{{\"id\":\""
                + $"{psid}\"}},\"message\":{{\"text\":\"obj\"}},\"messaging_type\":\"RESPONSE\"}}",
            3 => "42",
            4 => "[1,{}]",
            5 => JsonSerializer.Serialize(Garbage(random, 40)),
            _ => "{\"sender_action\":\"typing_on\",\"recipient\":\"{'id':'" + psid + "'}\"}",
        };
        var members = new List<string>();
        if (random.Next(8) > 0)
            members.Add($"\"method\":{method}");
        if (random.Next(10) > 0)
            members.Add($"\"relative_url\":{(random.Next(12) == 0 ? "7" : JsonSerializer.Serialize(url))}");
        if (body is not null)
            members.Add($"\"body\":{body}");
        if (random.Next(8) == 0)
            members.Add("\"name\":\"first\",\"depends_on\":\"x\",\"headers\":[{\"name\":\"Host\",\"value\":\"evil\"}]");
        return random.Next(15) == 0
            ? Pick(random, ["null", "1", "\"me\"", "[]"])
            : "{" + string.Join(',', members) + "}";
    }

    /// <summary>Null when fine: no 5xx, and either a Graph error envelope or an array of well-formed
    /// sub-answers.</summary>
    private static string? BatchProblem(HttpStatusCode status, string text)
    {
        if ((int)status >= 500)
            return "server error";
        if (!TryParse(text, out var root))
            return "body is not JSON";
        if (root.ValueKind == JsonValueKind.Array)
        {
            if (status != HttpStatusCode.OK)
                return "an array answer without 200";
            var i = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (
                    item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("code", out var code)
                    || code.ValueKind != JsonValueKind.Number
                )
                    return $"item {i} has no numeric code";
                if (code.GetInt32() >= 500)
                    return $"item {i} is a server error";
                if (!item.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.String)
                    return $"item {i} has no body string";
                if (
                    !TryParse(body.GetString()!, out var inner)
                    || inner.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)
                )
                    return $"item {i} body is not JSON";
                if (code.GetInt32() >= 400 && GraphErrorProblem(inner) is { } problem)
                    return $"item {i}: {problem}";
                i++;
            }

            return i == 0 ? "an empty answer" : null;
        }

        return GraphErrorProblem(root);
    }

    private static string? GraphErrorProblem(JsonElement root)
    {
        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("error", out var error)
            || error.ValueKind != JsonValueKind.Object
        )
            return "no error object";
        if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number)
            return "error without numeric code";
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            return "error without message";
        if (!error.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return "error without type";
        return null;
    }

    // :: The world face

    [Fact]
    public async Task World_RandomRequests_NeverHttp500AndEveryRefusalAnEnvelope()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var mid = (await s.PersonWritesAsync("fuzz the world")).Mid;
        var random = new Random(WorldSeed);
        var failures = new List<string>();
        var statuses = new int[6];

        try
        {
            for (var i = 0; i < WorldRequests; i++)
            {
                var (method, path, body, contentType, auth) = WorldRequest(random, s, mid);
                using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    if (contentType is not null)
                        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                }

                if (auth is not null)
                    request.Headers.TryAddWithoutValidation("Authorization", auth);
                using var response = await server.Http.SendAsync(request, Ct);
                var text = await response.Content.ReadAsStringAsync(Ct);
                if (WorldProblem(response, text) is { } problem)
                {
                    var preview = body is null
                        ? "(no body)"
                        : Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
                    failures.Add(
                        $"#{i} {method} /{path} {preview} -> {(int)response.StatusCode} {problem}: "
                            + $"{text[..Math.Min(text.Length, 300)]}"
                    );
                }

                statuses[(int)response.StatusCode / 100]++;
            }
        }
        finally
        {
            await server.World.SendAsync(
                HttpMethod.Delete,
                $"_pagebox/apps/{s.App.Id}/faults",
                cancellationToken: CancellationToken.None
            );
        }

        // The corpus gets past the key and the binding as well as being refused by them.
        Assert.True(
            statuses[2] > WorldRequests / 10 && statuses[4] > WorldRequests / 10,
            $"2xx {statuses[2]}, 4xx {statuses[4]}"
        );
        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {WorldRequests} world-face requests got a bad answer:{Environment.NewLine}"
                + $"{string.Join(Environment.NewLine, failures)}"
        );
    }

    private static (HttpMethod Method, string Path, byte[]? Body, string? ContentType, string? Auth) WorldRequest(
        Random random,
        Scenario s,
        string mid
    )
    {
        // A third are plausible calls (so the corpus reaches past the binding), the rest anything at all.
        if (random.Next(3) == 0)
        {
            var (m, p, b) = Pick(
                random,
                [
                    (
                        HttpMethod.Post,
                        $"_pagebox/persons/{s.PersonId}/messages",
                        $"{{\"page_id\":\"{s.Page.Id}\",\"text\":{JsonSerializer.Serialize(Garbage(random, 30))}}}"
                    ),
                    (HttpMethod.Post, $"_pagebox/persons/{s.PersonId}/reads", $"{{\"page_id\":\"{s.Page.Id}\"}}"),
                    (
                        HttpMethod.Post,
                        $"_pagebox/persons/{s.PersonId}/referrals",
                        $"{{\"page_id\":\"{s.Page.Id}\",\"ref\":\"r\"}}"
                    ),
                    (
                        HttpMethod.Post,
                        $"_pagebox/persons/{s.PersonId}/comments",
                        $"{{\"page_id\":\"{s.Page.Id}\",\"text\":\"c\"}}"
                    ),
                    (HttpMethod.Post, $"_pagebox/apps/{s.App.Id}/clock", "{\"advance_seconds\":1}"),
                    (HttpMethod.Get, $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}?limit=3", null),
                    (HttpMethod.Get, $"_pagebox/apps/{s.App.Id}", null),
                    (HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/webhook-deliveries", null),
                    (HttpMethod.Patch, $"_pagebox/pages/{s.Page.Id}", "{\"restricted\":false}"),
                    (HttpMethod.Post, "_pagebox/persons", "{}"),
                    (HttpMethod.Post, "_pagebox/apps", "{\"name\":\"fuzzed\"}"),
                ]
            );
            return (
                m,
                p,
                b is null ? null : Encoding.UTF8.GetBytes(b),
                "application/json",
                "Bearer " + PageboxServer.AdminKey
            );
        }

        var method = random.Next(10) switch
        {
            0 => HttpMethod.Get,
            1 => HttpMethod.Delete,
            2 => HttpMethod.Patch,
            3 => HttpMethod.Put,
            _ => random.Next(3) == 0 ? HttpMethod.Get : HttpMethod.Post,
        };
        // Path segments stay within what Kestrel itself accepts in a request line (it refuses the rest before Pagebox
        // runs).
        var app = random.Next(8) == 0 ? Segment(random) : s.App.Id;
        var page = random.Next(8) == 0 ? Segment(random) : s.Page.Id;
        var person = random.Next(8) == 0 ? Segment(random) : s.PersonId;
        var path =
            "_pagebox/"
            + Pick(
                    random,
                    [
                        "apps",
                        $"apps/{app}",
                        $"apps/{app}/pages",
                        $"apps/{app}/clock",
                        $"apps/{app}/webhook-deliveries",
                        $"apps/{app}/webhook-deliveries/1/replay",
                        $"apps/{app}/webhook-deliveries/abc/replay",
                        $"apps/{app}/faults",
                        $"pages/{page}",
                        $"pages/{page}/psids/{Segment(random)}",
                        "persons",
                        $"persons/{person}/messages",
                        $"persons/{person}/reads",
                        $"persons/{person}/postbacks",
                        $"persons/{person}/referrals",
                        $"persons/{person}/comments",
                        $"persons/{person}/checkbox",
                        $"persons/{person}/optins",
                        $"persons/{person}/marketing/stop",
                        $"persons/{person}/marketing/resume",
                        $"persons/{person}/blocks",
                        $"persons/{person}/blocks/{page}",
                        $"persons/{person}/conversations/{page}",
                        "health",
                        "avatars/1.png",
                        "nope",
                        $"persons/{person}/conversations/{page}?limit="
                            + $"{Pick(random, ["0", "-1", "x", "1", "99999999999", "2"])}&before="
                            + $"{Pick(random, [mid, "m_x", "", "%00"])}",
                        $"apps/{app}/webhook-deliveries?limit={Pick(random, ["0", "abc", "5", "-9"])}",
                    ]
                )
                .Replace("%00", "%01", StringComparison.Ordinal);
        var auth = random.Next(10) switch
        {
            0 => null,
            1 => "Bearer wrong",
            2 => "Basic " + PageboxServer.AdminKey,
            _ => "Bearer " + PageboxServer.AdminKey,
        };
        var contentType =
            random.Next(6) == 0
                ? Pick(
                    random,
                    ["text/plain", "application/x-www-form-urlencoded", "garbage", "application/json; charset=latin1"]
                )
                : "application/json";
        var body = random.Next(10) switch
        {
            0 => null,
            1 => Encoding.UTF8.GetBytes(Garbage(random, 60)),
            2 => Encoding.UTF8.GetBytes("{" + Garbage(random, 30)),
            3 => Encoding.UTF8.GetBytes(
                Pick(random, ["[]", "null", "42", "\"x\"", "{}", "   ", new string('[', 3000)])
            ),
            _ => Encoding.UTF8.GetBytes(WorldBody(random, s, mid)),
        };
        return (method, path, body, contentType, auth);
    }

    private static string WorldBody(Random random, Scenario s, string mid)
    {
        var names = new[]
        {
            "page_id",
            "text",
            "mid",
            "payload",
            "title",
            "ref",
            "source",
            "post_id",
            "user_ref",
            "element",
            "button",
            "token",
            "attachments",
            "quick_reply_payload",
            "reply_to",
            "advance_seconds",
            "set",
            "name",
            "platform",
            "timezone",
            "messaging_enabled",
            "restricted",
            "send_rate_per_second",
            "require_appsecret_proof",
            "disable_webhooks_on_failure",
            "match",
            "times",
            "probability",
            "latency_ms",
            "error",
            "target",
            "duplicate",
            "reorder",
            "locale",
        };
        var members = names.Where(_ => random.Next(4) == 0).Select(n => $"\"{n}\":{WorldValue(random, n, s, mid, 2)}");
        return "{" + string.Join(',', members) + "}";
    }

    private static string WorldValue(Random random, string name, Scenario s, string mid, int depth) =>
        random.Next(depth <= 0 ? 6 : 9) switch
        {
            0 => "null",
            1 => random.Next(2) == 0 ? "true" : "false",
            2 => Pick(random, ["0", "-1", "1.5", "1e308", "-1e308", "12345678901234567890", "3", "60000", "100000"]),
            3 => JsonSerializer.Serialize(Garbage(random, 20)),
            4 => JsonSerializer.Serialize(
                name switch
                {
                    "page_id" => s.Page.Id,
                    "mid" or "reply_to" => mid,
                    "platform" => Pick(random, ["messenger", "instagram", "MESSENGER"]),
                    "timezone" => Pick(random, ["UTC", "Europe/Paris", "Mars/Olympus"]),
                    "set" => Pick(
                        random,
                        ["2030-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "not a date"]
                    ),
                    "target" => "webhooks",
                    _ => "x",
                }
            ),
            5 => "\"" + new string('é', random.Next(1, 3000)) + "\"",
            6 => "["
                + string.Join(
                    ',',
                    Enumerable.Range(0, random.Next(3)).Select(_ => WorldValue(random, name, s, mid, depth - 1))
                )
                + "]",
            7 => "{\"code\":"
                + WorldValue(random, "code", s, mid, depth - 1)
                + ",\"method\":"
                + WorldValue(random, "method", s, mid, depth - 1)
                + "}",
            _ => "{\"type\":\"image\",\"payload\":" + WorldValue(random, "payload", s, mid, depth - 1) + "}",
        };

    /// <summary>Null when fine: no 5xx; a body is JSON (an avatar is a PNG, a 204 is empty); a refusal is the
    /// envelope.</summary>
    private static string? WorldProblem(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
            return "server error";
        if (status == 204)
            return text.Length == 0 ? null : "a 204 with a body";
        if (response.Content.Headers.ContentType?.MediaType == "image/png")
            return status == 200 ? null : "an image refusal";
        if (!TryParse(text, out var root))
            return "body is not JSON";
        if (status < 400)
            return null;
        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("error", out var error)
            || error.ValueKind != JsonValueKind.Object
        )
            return "no error object";
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            return "error without message";
        if (!error.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return "error without type";
        if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number)
            return "error without numeric code";
        return null;
    }

    // :: Helpers

    private static bool TryParse(string text, out JsonElement root)
    {
        try
        {
            root = JsonDocument.Parse(text).RootElement;
            return true;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }

    private static T Pick<T>(Random random, T[] choices) => choices[random.Next(choices.Length)];

    private static string Segment(Random random)
    {
        const string chars = "abcdefghijklmnopqrstuvwxyz0123456789-_.~%20";
        return new string([.. Enumerable.Range(0, random.Next(1, 14)).Select(_ => chars[random.Next(chars.Length)])]);
    }

    private static string Garbage(Random random, int max)
    {
        var chars = new char[random.Next(0, max + 1)];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)random.Next(0x20, 0x7F);
        return new string(chars);
    }
}
