using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pagebox.Contracts;
using Pagebox.Server.Hosting;
using Pagebox.Server.Webhooks;

namespace Pagebox.Server.Cli;

/// <summary>
/// <c>pagebox receive --port 3000 --verify-token TOKEN --secret APP-SECRET [--host 127.0.0.1]</c>: a bot's webhook
/// endpoint for the README's walkthrough on a bare machine. It answers the <c>hub.challenge</c> handshake when
/// <c>hub.verify_token</c> matches (403 otherwise), refuses a POST whose <c>X-Hub-Signature-256</c> or
/// <c>X-Hub-Signature</c> does not match the body and the app secret (403), and prints one line per event.
/// Any path is the callback (<c>/webhook</c> in the README).
/// </summary>
internal static class ReceiveCommand
{
    public const string Usage = """
        Usage: pagebox receive --verify-token TOKEN --secret APP-SECRET [options]
          --port PORT            port, 0 = any free port (default 3000)
          --host HOST            address to bind: an IP address or localhost (default 127.0.0.1)
          --verify-token TOKEN   the hub.verify_token of your subscription (PAGEBOX_VERIFY_TOKEN)
          --secret SECRET        the app secret: both signatures of every POST are checked with it (PAGEBOX_APP_SECRET)
          -h, --help             this help

        Answers the hub.challenge handshake, checks X-Hub-Signature-256 and X-Hub-Signature, and prints one line per
        event: the Page, the sender, the kind and its text or payload.
        """;

    private static readonly string[] KnownKinds =
    [
        .. MessagingEventKinds.Standard,
        "marketing_message_delivery",
        "marketing_message_read",
        "marketing_message_click",
    ];

    private static readonly Lock OutputGate = new();

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        if (args.Span.IndexOfAny("-h", "--help") >= 0)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var (options, error) = Parse(args.Span, Environment.GetEnvironmentVariable);
        if (options is null)
        {
            Console.Error.WriteLine($"pagebox: {error} (see 'pagebox receive --help')");
            return ServeCommand.ExitUsage;
        }

        var builder = SlimHost.CreateBuilder(options.Host, options.Port);
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(context => HandleAsync(context, options));
        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine(
                $"pagebox: cannot listen on {options.Host}:{options.Port.ToString(CultureInfo.InvariantCulture)}: "
                    + $"{ex.Message}"
            );
            return ServeCommand.ExitFailure;
        }

        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        Console.WriteLine(
            $"pagebox receive: listening on {address.TrimEnd('/')}/webhook (any path); signatures checked with the "
                + $"app secret"
        );
        Console.Out.Flush();
        await app.WaitForShutdownAsync();
        return 0;
    }

    internal sealed record Options(string Host, int Port, string VerifyToken, string Secret);

    internal static (Options? Options, string? Error) Parse(ReadOnlySpan<string> args, Func<string, string?> env)
    {
        string host = "127.0.0.1";
        var port = 3000;
        var verifyToken = env("PAGEBOX_VERIFY_TOKEN");
        var secret = env("PAGEBOX_APP_SECRET");
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag is not ("--port" or "--host" or "--verify-token" or "--secret"))
                return (null, flag.StartsWith('-') ? $"unknown option {flag}" : $"unexpected argument '{flag}'");
            if (i + 1 >= args.Length)
                return (null, $"{flag} needs a value");
            var value = args[++i];
            switch (flag)
            {
                case "--port"
                    when int.TryParse(value, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 65535:
                    port = p;
                    break;
                case "--port":
                    return (null, $"--port must be 0..65535, got '{value}'");
                case "--host":
                    host = value;
                    break;
                case "--verify-token":
                    verifyToken = value;
                    break;
                case "--secret":
                    secret = value;
                    break;
            }
        }

        if (host != "localhost" && !IPAddress.TryParse(host, out _))
            return (null, $"--host must be an IP address or localhost, got '{host}'");
        if (string.IsNullOrEmpty(verifyToken))
            return (null, "--verify-token is required (the hub.verify_token of your subscription)");
        if (string.IsNullOrEmpty(secret))
            return (null, "--secret is required (the app secret that signs every webhook)");
        return (new Options(host, port, verifyToken, secret), null);
    }

    private static async Task HandleAsync(HttpContext context, Options options)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method))
        {
            string? mode = request.Query["hub.mode"];
            string? token = request.Query["hub.verify_token"];
            string? challenge = request.Query["hub.challenge"];
            if (mode == "subscribe" && token is not null && FixedTimeEquals(token, options.VerifyToken))
            {
                Print($"handshake accepted: answered hub.challenge {challenge}");
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(challenge ?? "");
                return;
            }

            Print(
                mode == "subscribe"
                    ? "handshake refused (403): hub.verify_token does not match --verify-token"
                    : $"GET {request.Path} refused (403): not a hub.mode=subscribe handshake"
            );
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }

        string? sha256 = request.Headers["X-Hub-Signature-256"];
        string? sha1 = request.Headers["X-Hub-Signature"];
        var sha256Ok = sha256 is not null && FixedTimeEquals(sha256, WebhookSigner.Sha256(body, options.Secret));
        var sha1Ok = sha1 is not null && FixedTimeEquals(sha1, WebhookSigner.Sha1(body, options.Secret));
        if (!sha256Ok || !sha1Ok)
        {
            var bad = string.Join(
                " and ",
                new[]
                {
                    sha256Ok ? null : Describe("X-Hub-Signature-256", sha256),
                    sha1Ok ? null : Describe("X-Hub-Signature", sha1),
                }.OfType<string>()
            );
            Print($"POST rejected (403): {bad} (is --secret the app secret?)");
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var lines = EventLines(body);
        Print(
            lines.Count == 0
                ? $"POST with no messaging event: {Truncate(Encoding.UTF8.GetString(body), 200)}"
                : string.Join(Environment.NewLine, lines)
        );
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync("EVENT_RECEIVED");

        static string Describe(string header, string? value) => value is null ? $"{header} missing" : $"{header} wrong";
    }

    /// <summary>One line per <c>entry[].messaging[]</c>, <c>standby[]</c> and <c>changes[]</c> element.</summary>
    internal static List<string> EventLines(byte[] body)
    {
        var lines = new List<string>();
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return lines;
        }

        if (
            root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("entry", out var entries)
            || entries.ValueKind != JsonValueKind.Array
        )
            return lines;
        var objectType = Text(root, "object") ?? "page";
        foreach (var entry in entries.EnumerateArray())
        {
            var entryId = Text(entry, "id") ?? "?";
            var place = objectType == "instagram" ? "instagram" : "page";
            foreach (var (array, standby) in new[] { ("messaging", false), ("standby", true) })
            {
                if (!entry.TryGetProperty(array, out var events) || events.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var e in events.EnumerateArray())
                {
                    var sender = e.TryGetProperty("sender", out var s)
                        ? Text(s, "id") ?? Text(s, "user_ref") ?? "?"
                        : "?";
                    var kind = KnownKinds.FirstOrDefault(k => e.TryGetProperty(k, out _)) ?? "event";
                    var detail = kind == "event" ? Truncate(e.GetRawText(), 160) : Detail(kind, e.GetProperty(kind));
                    if (
                        kind == "message"
                        && e.GetProperty("message").TryGetProperty("is_echo", out var echo)
                        && echo.ValueKind == JsonValueKind.True
                    )
                        kind = "echo";
                    lines.Add(
                        $"{place} {entryId} sender {sender} {kind}{(standby ? " (standby)" : "")}"
                            + $"{(detail.Length > 0 ? " " + detail : "")}"
                    );
                }
            }

            if (entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
            {
                foreach (var change in changes.EnumerateArray())
                {
                    var value = change.TryGetProperty("value", out var v) ? Truncate(v.GetRawText(), 200) : "";
                    lines.Add($"{place} {entryId} change {Text(change, "field") ?? "?"} {value}".TrimEnd());
                }
            }
        }

        return lines;
    }

    private static string Detail(string kind, JsonElement value)
    {
        var parts = new List<string>();
        switch (kind)
        {
            case "message" or "message_edit":
                Add("text", "", quoted: true);
                if (value.TryGetProperty("quick_reply", out var quick))
                    parts.Add("quick_reply " + Quote(Text(quick, "payload") ?? ""));
                if (
                    value.TryGetProperty("attachments", out var attachments)
                    && attachments.ValueKind == JsonValueKind.Array
                )
                    parts.Add(
                        "attachments "
                            + string.Join(",", attachments.EnumerateArray().Select(a => Text(a, "type") ?? "?"))
                    );
                if (kind == "message_edit" && Text(value, "mid") is { } edited)
                    parts.Add("mid " + edited);
                if (value.TryGetProperty("sticker_id", out var sticker))
                    parts.Add("sticker " + sticker.GetRawText());
                break;
            case "postback":
                parts.Add("payload " + Quote(Text(value, "payload") ?? ""));
                Add("title", "title ", quoted: true);
                break;
            case "optin":
                Add("type", "");
                Add("payload", "payload ", quoted: true);
                Add("notification_messages_token", "token ");
                Add("notification_messages_status", "status ");
                Add("title", "title ", quoted: true);
                Add("ref", "ref ", quoted: true);
                Add("user_ref", "user_ref ");
                break;
            case "delivery":
                if (value.TryGetProperty("mids", out var mids) && mids.ValueKind == JsonValueKind.Array)
                    parts.Add("mids " + string.Join(",", mids.EnumerateArray().Select(m => m.GetString())));
                Add("watermark", "watermark ");
                break;
            case "read":
                Add("watermark", "watermark ");
                break;
            case "referral":
                Add("ref", "ref ", quoted: true);
                Add("source", "source ");
                break;
            case "reaction":
                parts.Add(
                    (
                        $"{Text(value, "action") ?? "react"} "
                        + $"{Text(value, "reaction") ?? Text(value, "emoji") ?? ""}"
                    ).TrimEnd()
                );
                break;
            default:
                parts.Add(Truncate(value.GetRawText(), 160));
                break;
        }

        return string.Join(' ', parts);

        // The field, after its label, when the event has it.
        void Add(string name, string label, bool quoted = false)
        {
            if (Text(value, name) is { } text)
            {
                parts.Add(label + (quoted ? Quote(text) : text));
            }
        }
    }

    private static string? Text(JsonElement element, string name) => PageboxJson.MemberText(element, name);

    private static string Quote(string text) =>
        "\""
        + JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
        + "\"";

    private static string Truncate(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static void Print(string text)
    {
        lock (OutputGate)
        {
            Console.WriteLine(text);
            Console.Out.Flush();
        }
    }
}
