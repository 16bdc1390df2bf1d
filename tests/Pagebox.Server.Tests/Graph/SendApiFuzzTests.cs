using System.Net;
using System.Text;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// No input of any shape gets an HTTP 500 (issue 2): random bodies, content types, methods and paths against the Send
/// API, each answered with either the send answer or a Graph <c>error</c> object. Seeded, so a failure replays.
/// </summary>
public sealed class SendApiFuzzTests(PageboxServer server)
{
    private const int Seed = 20_250_604;
    private const int Requests = 300;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_300RandomRequests_NeverHttp500AlwaysSendAnswerOrGraphError()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("fuzz me")).Psid;
        var fuzz = new Fuzz(new Random(Seed), s.Page.Id, s.Page.AccessToken, psid);
        var failures = new List<string>();

        for (var i = 0; i < Requests; i++)
        {
            var (method, path, contentType, body, bearer) = fuzz.Next();
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                if (contentType is not null)
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            if (bearer is not null)
                request.Headers.TryAddWithoutValidation("Authorization", bearer);
            using var response = await server.Http.SendAsync(request, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (Problem(method, response.StatusCode, text) is { } problem)
            {
                var preview = body is null
                    ? "(no body)"
                    : Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
                failures.Add(
                    $"#{i} {method} /{path} [{contentType}] {preview} -> {(int)response.StatusCode} {problem}: "
                        + $"{text[..Math.Min(text.Length, 300)]}"
                );
            }
        }

        Assert.True(
            failures.Count == 0,
            $"{failures.Count} of {Requests} requests got a bad answer:{Environment.NewLine}"
                + $"{string.Join(Environment.NewLine, failures)}"
        );
    }

    /// <summary>
    /// Null when the answer is fine: not 5xx, and JSON that is the send answer (or, for a GET that landed on the Page
    /// node, that node) or has an error object.
    /// </summary>
    private static string? Problem(HttpMethod method, HttpStatusCode status, string text)
    {
        if ((int)status >= 500)
            return "server error";
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }

        if (root.ValueKind != JsonValueKind.Object)
            return "body is not a JSON object";
        if ((int)status == 200)
        {
            if (method == HttpMethod.Get && root.TryGetProperty("id", out _))
                return null;
            return root.TryGetProperty("recipient_id", out _) ? null : "200 without recipient_id";
        }

        if (!root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            return "no error object";
        if (!error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.Number)
            return "error without numeric code";
        if (!error.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
            return "error without message";
        return null;
    }

    private sealed class Fuzz(Random random, string pageId, string token, string psid)
    {
        private static readonly string[] ContentTypes =
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=latin1",
            "text/json",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "multipart/form-data; boundary=XyZ",
            "text/plain",
            "application/octet-stream",
            "application/xml",
            "garbage",
            ";;;",
            "application/",
            "*/*",
            "application/vnd.api+json",
        ];

        private static readonly string[] Fragments =
        [
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"",
            "'",
            "\\",
            "\\u",
            "\\ud800",
            "\\uDFFF",
            "null",
            "true",
            "false",
            "0",
            "-0",
            "1e999",
            "-1e-999",
            "12345678901234567890123456789",
            "NaN",
            "Infinity",
            "\"recipient\"",
            "\"message\"",
            "\"text\"",
            "\"id\"",
            "\"sender_action\"",
            "\"messaging_type\"",
            "\"RESPONSE\"",
            "\"typing_on\"",
            "\u0000",
            "\u001f",
            "é",
            "😀",
            "\uFEFF",
            "recipient",
            "message",
            "=",
            "&",
            "%",
            "%zz",
            "%00",
            "+",
            "[]",
            "[0]",
            "[id]",
            "\r\n",
            " ",
            "--XyZ",
            "--XyZ--",
        ];

        private static readonly string[] Enums =
        [
            "RESPONSE",
            "UPDATE",
            "MESSAGE_TAG",
            "UTILITY",
            "response",
            "typing_on",
            "MARK_SEEN",
            "",
            "FOO",
            "react",
        ];

        public (HttpMethod Method, string Path, string? ContentType, byte[]? Body, string? Authorization) Next()
        {
            var method = random.Next(10) switch
            {
                0 => HttpMethod.Get,
                1 => HttpMethod.Put,
                2 => HttpMethod.Delete,
                3 => HttpMethod.Patch,
                _ => HttpMethod.Post,
            };
            var path = Path();
            string? bearer = null;
            switch (random.Next(6))
            {
                case 0:
                    break;
                case 1:
                    bearer = "Bearer " + token;
                    break;
                case 2:
                    bearer = "Bearer " + Garbage(20);
                    break;
                case 3:
                    path +=
                        (path.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                        + "access_token="
                        + Uri.EscapeDataString(Garbage(10));
                    break;
                default:
                    path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "access_token=" + token;
                    break;
            }

            if (random.Next(5) == 0)
                path += "&appsecret_proof=" + Uri.EscapeDataString(Garbage(8));
            var contentType = random.Next(8) == 0 ? null : ContentTypes[random.Next(ContentTypes.Length)];
            var body = random.Next(12) == 0 ? null : Body(contentType);
            return (method, path, contentType, body, bearer);
        }

        private string Path()
        {
            var versions = new[] { "", "v25.0/", "v2.6/", "v24.0/", "v99.99/", "v1/", "vX.Y/" };
            // No NUL (%00) in paths: Kestrel refuses those request lines itself, before any Pagebox code runs.
            var nodes = new[] { "me", pageId, "123", "me%2F", "..", "%2e%2e", "%E2%9C%93" };
            var edges = new[]
            {
                "messages",
                "messages/",
                "messages/extra",
                "Messages",
                "messages%20",
                "messages.json",
                "",
            };
            var path =
                versions[random.Next(versions.Length)]
                + nodes[random.Next(nodes.Length)]
                + "/"
                + edges[random.Next(edges.Length)];
            if (random.Next(4) == 0)
            {
                path +=
                    "?recipient="
                    + Uri.EscapeDataString(random.Next(2) == 0 ? $$"""{"id":"{{psid}}"}""" : Garbage(12))
                    + "&message="
                    + Uri.EscapeDataString(random.Next(2) == 0 ? """{"text":"q"}""" : Garbage(12));
            }

            return path.Replace("//", "/", StringComparison.Ordinal);
        }

        private byte[] Body(string? contentType)
        {
            switch (random.Next(9))
            {
                case 0:
                    var bytes = new byte[random.Next(0, 400)];
                    random.NextBytes(bytes);
                    return bytes;
                case 1:
                    return Encoding.UTF8.GetBytes(Mutate(ValidJson()));
                case 2:
                    return Encoding.UTF8.GetBytes(RandomParameters());
                case 3:
                    var depth = random.Next(30, 3000);
                    return Encoding.UTF8.GetBytes(
                        "{\"recipient\":"
                            + new string('[', depth)
                            + new string(']', random.Next(2) == 0 ? depth : 0)
                            + "}"
                    );
                case 4:
                    return Encoding.UTF8.GetBytes(
                        string.Concat(
                            Enumerable
                                .Range(0, random.Next(1, 60))
                                .Select(_ => Fragments[random.Next(Fragments.Length)])
                        )
                    );
                case 5:
                    return Encoding.UTF8.GetBytes(FormBody());
                case 6:
                    return Encoding.UTF8.GetBytes(
                        $"--XyZ\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\n{{\"id\":\""
                            + $"{psid}\"}}\r\n--XyZ\r\n"
                            + (
                                random.Next(2) == 0
                                    ? "Content-Disposition: form-data; "
                                        + "name=\"message\"\r\n\r\n{\"text\":\"mp\"}\r\n--XyZ--\r\n"
                                    : Garbage(30)
                            )
                    );
                case 7:
                    return Encoding.UTF8.GetBytes(ValidJson());
                default:
                    return random.Next(2) == 0 ? [] : "   \r\n "u8.ToArray();
            }
        }

        private string ValidJson() =>
            random.Next(3) switch
            {
                0 => $$$"""{"recipient":{"id":"{{{psid}}}"},"messaging_type":"RESPONSE","message":{"text":"fuzz """
                    + $$$"""{{{random.Next()}}}"}}""",
                1 => $$"""{"recipient":{"id":"{{psid}}"},"sender_action":"typing_on"}""",
                _ => $$$"""{"recipient":{"id":"{{{psid}}}"},"message":{"text":"qr","quick_replies":["""
                    + $$$"""{"content_type":"text","title":"a","payload":"b"}],"metadata":"m"}}""",
            };

        private string Mutate(string json)
        {
            var chars = new StringBuilder(json);
            for (var n = random.Next(1, 4); n > 0 && chars.Length > 0; n--)
            {
                var at = random.Next(chars.Length);
                switch (random.Next(3))
                {
                    case 0:
                        chars.Remove(at, 1);
                        break;
                    case 1:
                        chars.Insert(at, Fragments[random.Next(Fragments.Length)]);
                        break;
                    default:
                        chars.Length = at;
                        break;
                }
            }

            return chars.ToString();
        }

        /// <summary>Known parameter names with values of random JSON types.</summary>
        private string RandomParameters()
        {
            var names = new[]
            {
                "recipient",
                "message",
                "messaging_type",
                "notification_type",
                "sender_action",
                "tag",
                "reply_to",
                "persona_id",
                "payload",
                "id",
            };
            var members = names.Where(_ => random.Next(2) == 0).Select(n => $"\"{n}\":{RandomValue(3)}");
            return "{" + string.Join(',', members) + "}";
        }

        private string RandomValue(int depth) =>
            random.Next(depth <= 0 ? 5 : 8) switch
            {
                0 => "null",
                1 => random.Next(2) == 0 ? "true" : "false",
                2 => random.Next(3) switch
                {
                    0 => "42",
                    1 => "-1.5e300",
                    _ => "12345678901234567890",
                },
                3 => JsonSerializer.Serialize(Enums[random.Next(Enums.Length)]),
                4 => JsonSerializer.Serialize(psid),
                5 => "["
                    + string.Join(',', Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(depth - 1)))
                    + "]",
                6 => "{\"id\":" + RandomValue(depth - 1) + ",\"text\":" + RandomValue(depth - 1) + "}",
                _ => "{\"text\":"
                    + RandomValue(depth - 1)
                    + ",\"quick_replies\":"
                    + RandomValue(depth - 1)
                    + ",\"attachment\":"
                    + RandomValue(depth - 1)
                    + "}",
            };

        private string FormBody()
        {
            var keys = new[]
            {
                "recipient",
                "recipient[id]",
                "message",
                "message[text]",
                "message[quick_replies][0][title]",
                "messaging_type",
                "sender_action",
                "a[b",
                "[x]",
                "fields[]",
                "access_token",
            };
            var values = new[]
            {
                $"{{'id':'{psid}'}}",
                "{'text':'hi'}",
                "RESPONSE",
                psid,
                Garbage(6),
                "",
                "%zz",
                "{",
                "[1,2",
                "typing_on",
            };
            return string.Join(
                '&',
                Enumerable
                    .Range(0, random.Next(1, 8))
                    .Select(_ => $"{keys[random.Next(keys.Length)]}={values[random.Next(values.Length)]}")
            );
        }

        private string Garbage(int max)
        {
            var length = random.Next(0, max + 1);
            var chars = new char[length];
            for (var i = 0; i < length; i++)
                chars[i] = (char)random.Next(0x20, 0x7F);
            return new string(chars);
        }
    }
}
