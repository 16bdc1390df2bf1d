using System.Text;
using System.Text.Json;

namespace Pagebox.Testing;

/// <summary>
/// One POST to the receiver's callback, successful or not. Recorded on arrival (with <see cref="ResponseStatus"/>
/// still null) and replaced by its answered form once the receiver has answered, so the list keeps arrival order.
/// </summary>
public sealed record ReceivedWebhook
{
    /// <summary>1-based arrival number among all POSTs this receiver saw (attempts, not events).</summary>
    public required int Sequence { get; init; }

    /// <summary>Real (wall-clock) time the request arrived.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The request path.</summary>
    public required string Path { get; init; }

    /// <summary>Request headers, case-insensitive names; repeated headers are joined with a comma.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>The request Content-Type.</summary>
    public required string? ContentType { get; init; }

    /// <summary>The exact raw body bytes, as signed.</summary>
    public required byte[] Body { get; init; }

    /// <summary>The parsed envelope, or null when the body was not JSON.</summary>
    public required JsonElement? Envelope { get; init; }

    /// <summary><c>X-Hub-Signature-256</c> matched the body and the app secret.</summary>
    public required bool Sha256Valid { get; init; }

    /// <summary><c>X-Hub-Signature</c> matched the body and the app secret.</summary>
    public required bool Sha1Valid { get; init; }

    /// <summary>The status the receiver answered (or decided to answer, when the caller gave up first); null while
    /// pending.</summary>
    public int? ResponseStatus { get; init; }

    /// <summary>The delay the receiver waited before answering (from <see
    /// cref="WebhookReceiver.DelayNext"/>).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>True when the caller closed the request before the receiver answered (e.g. it timed out during a
    /// delay).</summary>
    public bool ClientAborted { get; init; }

    /// <summary>Real time the receiver answered; null while pending.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Both signatures matched.</summary>
    public bool SignaturesValid => Sha256Valid && Sha1Valid;

    /// <summary>Not answered yet.</summary>
    public bool IsPending => ResponseStatus is null;

    /// <summary>Answered 200 and the caller was still there to read it.</summary>
    public bool Succeeded => ResponseStatus == 200 && !ClientAborted;

    /// <summary>A request header, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <inheritdoc />
    public override string ToString()
    {
        var status = ResponseStatus is { } s
            ? s.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "pending";
        var text = BodyText;
        if (text.Length > 400)
        {
            text = string.Concat(text.AsSpan(0, 400), "…");
        }

        return $"#{Sequence} {ReceivedAt:HH:mm:ss.fff} {Path} -> {status}{(ClientAborted ? " (caller aborted)" : "")}"
            + $" sha256={(Sha256Valid ? "ok" : "BAD")} sha1={(Sha1Valid ? "ok" : "BAD")} {text}";
    }
}

/// <summary>One verification GET (<c>hub.mode</c>, <c>hub.verify_token</c>, <c>hub.challenge</c>) and what was
/// answered.</summary>
/// <param name="ReceivedAt">Real time of arrival.</param>
/// <param name="Mode"><c>hub.mode</c>.</param>
/// <param name="VerifyToken"><c>hub.verify_token</c>.</param>
/// <param name="Challenge"><c>hub.challenge</c>.</param>
/// <param name="Query">The whole query.</param>
/// <param name="ResponseStatus">The status answered.</param>
/// <param name="ResponseBody">The body answered.</param>
public sealed record WebhookHandshake(
    DateTimeOffset ReceivedAt,
    string? Mode,
    string? VerifyToken,
    string? Challenge,
    IReadOnlyDictionary<string, string> Query,
    int ResponseStatus,
    string ResponseBody
)
{
    /// <summary>Answered 200 with the challenge.</summary>
    public bool Accepted => ResponseStatus == 200 && ResponseBody == Challenge;

    /// <inheritdoc />
    public override string ToString() =>
        $"{ReceivedAt:HH:mm:ss.fff} GET mode={Mode} verify_token={VerifyToken} challenge={Challenge} -> "
        + $"{ResponseStatus} \"{ResponseBody}\"";
}

/// <summary>
/// One element of <c>entry[].messaging[]</c> (or <c>entry[].standby[]</c>) with the entry it came in and the POST that
/// carried it.
/// </summary>
/// <param name="EntryId"><c>entry[].id</c>: the Page (or Instagram account).</param>
/// <param name="Event">The event object.</param>
/// <param name="Webhook">The POST that carried it.</param>
/// <param name="IsStandby">It came in <c>standby[]</c>.</param>
public sealed record MessagingEvent(string EntryId, JsonElement Event, ReceivedWebhook Webhook, bool IsStandby = false)
{
    /// <summary>The event keys Meta puts next to sender/recipient/timestamp.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } =
    [.. Pagebox.Server.Webhooks.MessagingEventKinds.Standard, "order", "game_play"];

    /// <summary>The event key (<c>message</c>, <c>delivery</c>, <c>read</c>, <c>optin</c>, <c>postback</c>, …), or
    /// null.</summary>
    public string? Kind
    {
        get
        {
            foreach (var kind in KnownKinds)
            {
                if (Event.TryGetProperty(kind, out _))
                {
                    return kind;
                }
            }

            return null;
        }
    }

    /// <summary>The event has <paramref name="key"/>.</summary>
    public bool Has(string key) => Event.ValueKind == JsonValueKind.Object && Event.TryGetProperty(key, out _);

    /// <summary>The object under <paramref name="key"/> (e.g. <c>message</c>); throws when absent.</summary>
    public JsonElement this[string key] => Event.GetProperty(key);

    /// <summary><c>message.is_echo == true</c>: the Page's own message coming back.</summary>
    public bool IsEcho =>
        Event.TryGetProperty("message", out var message)
        && message.ValueKind == JsonValueKind.Object
        && message.TryGetProperty("is_echo", out var echo)
        && echo.ValueKind == JsonValueKind.True;

    /// <summary><c>sender.id</c> (the PSID for inbound events, the Page for echoes).</summary>
    public string? SenderId => StringAt("sender", "id");

    /// <summary><c>recipient.id</c>.</summary>
    public string? RecipientId => StringAt("recipient", "id");

    /// <summary><c>timestamp</c> in epoch milliseconds, or null.</summary>
    public long? Timestamp =>
        Event.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null;

    /// <summary><c>message.mid</c> when this is a message or echo.</summary>
    public string? Mid => StringAt("message", "mid");

    /// <summary><c>message.text</c> when present.</summary>
    public string? Text => StringAt("message", "text");

    /// <inheritdoc />
    public override string ToString() => $"entry {EntryId}{(IsStandby ? " (standby)" : "")}: {Event.GetRawText()}";

    /// <summary>The string at <c>outer.inner</c> of the event, or null.</summary>
    private string? StringAt(string outer, string inner) =>
        Event.TryGetProperty(outer, out var o)
        && o.ValueKind == JsonValueKind.Object
        && o.TryGetProperty(inner, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>One element of <c>entry[].changes[]</c> (the generic Graph "changes" style).</summary>
/// <param name="EntryId"><c>entry[].id</c>.</param>
/// <param name="Field"><c>field</c>.</param>
/// <param name="Value"><c>value</c>.</param>
/// <param name="Webhook">The POST that carried it.</param>
public sealed record ChangeEvent(string EntryId, string Field, JsonElement Value, ReceivedWebhook Webhook);
