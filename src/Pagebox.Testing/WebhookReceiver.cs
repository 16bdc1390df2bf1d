using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pagebox.Server.Hosting;

namespace Pagebox.Testing;

/// <summary>
/// A bot's webhook endpoint on a real loopback HTTP server: answers Meta's verification handshake, checks both
/// signature headers of every POST against <see cref="AppSecret"/>, records everything, and can be told to fail or
/// stall. Waiting is event-driven: every request wakes <see cref="WaitUntilAsync"/>; nothing polls.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>The path the receiver answers on.</summary>
    public const string CallbackPath = "/webhook";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<WebhookHandshake> _handshakes = [];
    private readonly List<string> _unmatched = [];
    private TaskCompletionSource _changed = NewSignal();
    private int _failRemaining;
    private int _failStatus = 500;
    private int _delayRemaining;
    private TimeSpan _delay;
    private volatile string _appSecret;
    private volatile string _verifyToken;
    private volatile bool _echoWrongChallenge;
    private volatile bool _alwaysFail;
    private volatile bool _rejectInvalidSignatures;
    private int _disposed;

    private WebhookReceiver(string appSecret, string verifyToken)
    {
        _appSecret = appSecret;
        _verifyToken = verifyToken;

        // Port 0: the OS picks a free port; read back from IServerAddressesFeature after start.
        var builder = SlimHost.CreateBuilder("127.0.0.1", 0);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The callback URL to subscribe with, e.g. <c>http://127.0.0.1:41234/webhook</c>.</summary>
    public Uri CallbackUrl { get; private set; } = null!;

    /// <summary>The server's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The key the POST signatures are checked with. May be changed at any time (secret rotation).</summary>
    public string AppSecret
    {
        get => _appSecret;
        set => _appSecret = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The <c>hub.verify_token</c> the handshake expects.</summary>
    public string VerifyToken
    {
        get => _verifyToken;
        set => _verifyToken = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Answer every handshake with 200 and a body that is not the challenge.</summary>
    public bool EchoWrongChallenge
    {
        get => _echoWrongChallenge;
        set => _echoWrongChallenge = value;
    }

    /// <summary>Answer every POST with 500 (recorded like any other attempt).</summary>
    public bool AlwaysFail
    {
        get => _alwaysFail;
        set => _alwaysFail = value;
    }

    /// <summary>Answer 403 to POSTs whose sha256 or sha1 signature is wrong, as a careful bot would. Off by default:
    /// bad signatures are recorded (<see cref="ReceivedWebhook.Sha256Valid"/>) and answered 200.</summary>
    public bool RejectInvalidSignatures
    {
        get => _rejectInvalidSignatures;
        set => _rejectInvalidSignatures = value;
    }

    /// <summary>Every POST so far (attempts, including failed ones), in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>The POSTs answered 200 (and read by the caller), in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Delivered => [.. Received.Where(w => w.Succeeded)];

    /// <summary>Every verification GET so far.</summary>
    public IReadOnlyList<WebhookHandshake> Handshakes
    {
        get
        {
            lock (_gate)
            {
                return [.. _handshakes];
            }
        }
    }

    /// <summary>Requests to any other path or method ("METHOD path"), answered 404.</summary>
    public IReadOnlyList<string> Unmatched
    {
        get
        {
            lock (_gate)
            {
                return [.. _unmatched];
            }
        }
    }

    /// <summary>Starts a receiver on a free loopback port that checks signatures with <paramref name="appSecret"/> and
    /// answers the handshake for <paramref name="verifyToken"/>.</summary>
    public static async Task<WebhookReceiver> StartAsync(
        string appSecret,
        string verifyToken = "verify-me",
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(appSecret);
        ArgumentNullException.ThrowIfNull(verifyToken);
        var receiver = new WebhookReceiver(appSecret, verifyToken);
        try
        {
            await receiver._app.StartAsync(cancellationToken);
            var address = receiver
                ._app.Services.GetRequiredService<IServer>()
                .Features.GetRequiredFeature<IServerAddressesFeature>()
                .Addresses.Single();
            receiver.BaseUrl = new Uri(address.TrimEnd('/') + "/");
            receiver.CallbackUrl = new Uri(receiver.BaseUrl, CallbackPath.TrimStart('/'));
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>Answer the next <paramref name="count"/> POSTs with <paramref name="status"/> (replaces a pending
    /// FailNext).</summary>
    public void FailNext(int count, int status = 500)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _failRemaining = count;
            _failStatus = status;
        }
    }

    /// <summary>Wait <paramref name="delay"/> before answering the next <paramref name="count"/> POSTs (a slow
    /// bot).</summary>
    public void DelayNext(int count, TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        lock (_gate)
        {
            _delayRemaining = count;
            _delay = delay;
        }
    }

    /// <summary>Forget everything recorded and every pending fault switch (the secret and token stay).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _received.Clear();
            _handshakes.Clear();
            _unmatched.Clear();
            _failRemaining = 0;
            _delayRemaining = 0;
        }

        _alwaysFail = false;
        _echoWrongChallenge = false;
        Signal();
    }

    /// <summary>
    /// Every <c>entry[].messaging[]</c> element of every successfully answered POST, in arrival order, with its entry
    /// id.
    /// </summary>
    public IReadOnlyList<MessagingEvent> MessagingEvents() => Flatten("messaging", standby: false);

    /// <summary>Like <see cref="MessagingEvents"/> for <c>entry[].standby[]</c> (handover: the app is not thread
    /// owner).</summary>
    public IReadOnlyList<MessagingEvent> StandbyEvents() => Flatten("standby", standby: true);

    /// <summary>Messaging events carrying <paramref name="key"/> (<c>message</c>, <c>delivery</c>, <c>read</c>,
    /// <c>optin</c>, <c>postback</c>, …).</summary>
    public IReadOnlyList<MessagingEvent> Events(string key) => [.. MessagingEvents().Where(e => e.Has(key))];

    /// <summary>Inbound messages: <c>message</c> events that are not echoes.</summary>
    public IReadOnlyList<MessagingEvent> Messages() => [.. MessagingEvents().Where(e => e.Has("message") && !e.IsEcho)];

    /// <summary>The Page's own messages coming back (<c>message.is_echo == true</c>).</summary>
    public IReadOnlyList<MessagingEvent> Echoes() => [.. MessagingEvents().Where(e => e.IsEcho)];

    /// <summary><c>delivery</c> events.</summary>
    public IReadOnlyList<MessagingEvent> Deliveries() => Events("delivery");

    /// <summary><c>read</c> events.</summary>
    public IReadOnlyList<MessagingEvent> Reads() => Events("read");

    /// <summary><c>optin</c> events (marketing opt-ins carry <c>notification_messages_token</c>).</summary>
    public IReadOnlyList<MessagingEvent> OptIns() => Events("optin");

    /// <summary><c>postback</c> events.</summary>
    public IReadOnlyList<MessagingEvent> Postbacks() => Events("postback");

    /// <summary><c>referral</c> events.</summary>
    public IReadOnlyList<MessagingEvent> Referrals() => Events("referral");

    /// <summary>Every <c>entry[].changes[]</c> element of every successfully answered POST.</summary>
    public IReadOnlyList<ChangeEvent> Changes()
    {
        var result = new List<ChangeEvent>();
        foreach (var webhook in Delivered)
        {
            foreach (var (entryId, entry) in Entries(webhook))
            {
                if (entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
                {
                    foreach (var change in changes.EnumerateArray())
                    {
                        var field =
                            change.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String
                                ? f.GetString()!
                                : "";
                        var value = change.TryGetProperty("value", out var v) ? v : default;
                        result.Add(new ChangeEvent(entryId, field, value, webhook));
                    }
                }
            }
        }

        return result;
    }

    // RS0026: the two WaitForAsync overloads differ only by their class/struct constraint (a nullable reference or a
    // nullable value from the probe); callers never pick one by leaving an optional parameter out.
#pragma warning disable RS0026
    /// <summary>
    /// Wait until <paramref name="probe"/> returns non-null, re-checking after every request the receiver sees.
    /// Throws <see cref="TimeoutException"/> listing what was received (default timeout 10 s).
    /// </summary>
    public Task<T> WaitForAsync<T>(
        Func<WebhookReceiver, T?> probe,
        TimeSpan? timeout = null,
        string? because = null,
        CancellationToken cancellationToken = default
    )
        where T : class =>
        WaitCoreAsync(
            () => probe(this) is { } value ? (true, value) : (false, null!),
            timeout,
            because,
            cancellationToken
        );

    /// <inheritdoc cref="WaitForAsync{T}(Func{WebhookReceiver, T}, TimeSpan?, string?, CancellationToken)"/>
    public Task<T> WaitForAsync<T>(
        Func<WebhookReceiver, T?> probe,
        TimeSpan? timeout = null,
        string? because = null,
        CancellationToken cancellationToken = default
    )
        where T : struct =>
        WaitCoreAsync(
            () => probe(this) is { } value ? (true, value) : (false, default),
            timeout,
            because,
            cancellationToken
        );
#pragma warning restore RS0026

    /// <summary>Wait until <paramref name="condition"/> holds; see <see cref="WaitForAsync{T}(Func{WebhookReceiver, T},
    /// TimeSpan?, string?, CancellationToken)"/>.</summary>
    public Task WaitUntilAsync(
        Func<WebhookReceiver, bool> condition,
        TimeSpan? timeout = null,
        string? because = null,
        CancellationToken cancellationToken = default
    ) => WaitCoreAsync(() => (condition(this), true), timeout, because, cancellationToken);

    /// <summary>Wait until at least <paramref name="count"/> messaging events match <paramref name="predicate"/>;
    /// returns them all.</summary>
    public Task<IReadOnlyList<MessagingEvent>> WaitForEventsAsync(
        Func<MessagingEvent, bool> predicate,
        int count = 1,
        TimeSpan? timeout = null,
        string? because = null,
        CancellationToken cancellationToken = default
    ) =>
        WaitForAsync<IReadOnlyList<MessagingEvent>>(
            r => r.MessagingEvents().Where(predicate).ToList() is { } hits && hits.Count >= count ? hits : null,
            timeout,
            because ?? $"{count} matching messaging event(s)",
            cancellationToken
        );

    /// <summary>A multi-line account of everything received so far, for failure messages.</summary>
    public string Describe(int maxItems = 20)
    {
        List<ReceivedWebhook> received;
        List<WebhookHandshake> handshakes;
        List<string> unmatched;
        lock (_gate)
        {
            received = [.. _received];
            handshakes = [.. _handshakes];
            unmatched = [.. _unmatched];
        }

        var text = new StringBuilder();
        text.Append("Receiver ")
            .Append(CallbackUrl)
            .Append(" saw ")
            .Append(handshakes.Count)
            .Append(" handshake(s), ")
            .Append(received.Count)
            .Append(" POST(s) (")
            .Append(received.Count(r => r.Succeeded))
            .Append(" answered 200), ")
            .Append(unmatched.Count)
            .Append(" other request(s).");
        Append("Handshakes", handshakes);
        Append("POSTs", received);
        Append("Other requests", unmatched);
        return text.ToString();

        void Append<TItem>(string title, List<TItem> items)
        {
            if (items.Count == 0)
            {
                return;
            }

            text.AppendLine().Append(title).Append(':');
            if (items.Count > maxItems)
            {
                text.AppendLine().Append("  … ").Append(items.Count - maxItems).Append(" earlier");
            }

            foreach (var item in items.Skip(Math.Max(0, items.Count - maxItems)))
            {
                text.AppendLine().Append("  ").Append(item);
            }
        }
    }

    /// <summary>Stops the server, releasing requests held by <see cref="DelayNext"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Release requests parked in DelayNext first, or StopAsync would wait for them.
        await _stopping.CancelAsync();
        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(stopTimeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Shutdown took too long; DisposeAsync below tears the connections down anyway.
            }
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task<T> WaitCoreAsync<T>(
        Func<(bool Done, T Value)> check,
        TimeSpan? timeout,
        string? because,
        CancellationToken cancellationToken
    )
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Take the signal before checking, so a request landing between the check and the wait is not missed.
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            var (done, value) = check();
            if (done)
            {
                return value;
            }

            var remaining = limit - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Timed out after {limit.TotalSeconds:0.###} s waiting for {because ?? "the condition"}."
                        + $"{Environment.NewLine}{Describe()}"
                );
            }

            try
            {
                await changed.WaitAsync(remaining, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Loop once more: the final check above decides, then the clock throws with the full account.
            }
        }
    }

    private List<MessagingEvent> Flatten(string arrayName, bool standby)
    {
        var result = new List<MessagingEvent>();
        foreach (var webhook in Delivered)
        {
            foreach (var (entryId, entry) in Entries(webhook))
            {
                if (entry.TryGetProperty(arrayName, out var events) && events.ValueKind == JsonValueKind.Array)
                {
                    foreach (var e in events.EnumerateArray())
                    {
                        result.Add(new MessagingEvent(entryId, e, webhook, standby));
                    }
                }
            }
        }

        return result;
    }

    private static IEnumerable<(string EntryId, JsonElement Entry)> Entries(ReceivedWebhook webhook)
    {
        if (
            webhook.Envelope is not { ValueKind: JsonValueKind.Object } envelope
            || !envelope.TryGetProperty("entry", out var entries)
            || entries.ValueKind != JsonValueKind.Array
        )
        {
            yield break;
        }

        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var id = entry.TryGetProperty("id", out var idElement)
                ? idElement.ValueKind == JsonValueKind.String
                    ? idElement.GetString()!
                    : idElement.GetRawText()
                : "";
            yield return (id, entry);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.Equals(CallbackPath, StringComparison.Ordinal))
        {
            if (HttpMethods.IsGet(request.Method))
            {
                await HandshakeAsync(context);
                return;
            }

            if (HttpMethods.IsPost(request.Method))
            {
                await ReceiveAsync(context);
                return;
            }
        }

        lock (_gate)
        {
            _unmatched.Add($"{request.Method} {request.Path}{request.QueryString}");
        }

        Signal();
        context.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    private async Task HandshakeAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? mode = query["hub.mode"];
        string? token = query["hub.verify_token"];
        string? challenge = query["hub.challenge"];

        int status;
        string body;
        if (_echoWrongChallenge)
        {
            status = StatusCodes.Status200OK;
            body = "not-the-challenge-" + challenge;
        }
        else if (mode == "subscribe" && token == _verifyToken)
        {
            status = StatusCodes.Status200OK;
            body = challenge ?? "";
        }
        else
        {
            status = StatusCodes.Status403Forbidden;
            body = "Forbidden";
        }

        var record = new WebhookHandshake(
            DateTimeOffset.UtcNow,
            mode,
            token,
            challenge,
            query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
            status,
            body
        );
        lock (_gate)
        {
            _handshakes.Add(record);
        }

        Signal();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        var receivedAt = DateTimeOffset.UtcNow;

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }

        var secret = _appSecret;
        var headers = request.Headers.ToDictionary(
            h => h.Key,
            h => h.Value.ToString(),
            StringComparer.OrdinalIgnoreCase
        );
        var sha256Valid = WebhookSignature.VerifySha256(
            body,
            secret,
            headers.GetValueOrDefault(WebhookSignature.Sha256HeaderName)
        );
        var sha1Valid = WebhookSignature.VerifySha1(
            body,
            secret,
            headers.GetValueOrDefault(WebhookSignature.Sha1HeaderName)
        );

        // :: Decide the answer and record the attempt in one step, so arrival order and fault counts agree.
        int index;
        int status;
        TimeSpan delay;
        ReceivedWebhook record;
        lock (_gate)
        {
            delay = TimeSpan.Zero;
            if (_delayRemaining > 0)
            {
                _delayRemaining--;
                delay = _delay;
            }

            status = StatusCodes.Status200OK;
            if (_failRemaining > 0)
            {
                _failRemaining--;
                status = _failStatus;
            }
            else if (_alwaysFail)
            {
                status = StatusCodes.Status500InternalServerError;
            }
            else if (_rejectInvalidSignatures && !(sha256Valid && sha1Valid))
            {
                status = StatusCodes.Status403Forbidden;
            }

            index = _received.Count;
            record = new ReceivedWebhook
            {
                Sequence = index + 1,
                ReceivedAt = receivedAt,
                Path = request.Path.Value ?? "",
                Headers = headers,
                ContentType = request.ContentType,
                Body = body,
                Envelope = TryParse(body),
                Sha256Valid = sha256Valid,
                Sha1Valid = sha1Valid,
                Delay = delay,
            };
            _received.Add(record);
        }

        Signal();

        var aborted = false;
        try
        {
            if (delay > TimeSpan.Zero)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(
                    context.RequestAborted,
                    _stopping.Token
                );
                await Task.Delay(delay, linked.Token);
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(
                status == StatusCodes.Status200OK ? "EVENT_RECEIVED" : "SIMULATED_FAILURE",
                context.RequestAborted
            );
            await context.Response.CompleteAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Caller gone, or the receiver is being disposed mid-delay: drop the connection rather than let Kestrel
            // complete the request with a default 200 the sender would count as delivered.
            aborted = true;
            context.Abort();
        }
        finally
        {
            aborted |= context.RequestAborted.IsCancellationRequested;
            lock (_gate)
            {
                // Reset() may have cleared the list while this request was in flight.
                if (index < _received.Count && ReferenceEquals(_received[index], record))
                {
                    _received[index] = record with
                    {
                        ResponseStatus = status,
                        ClientAborted = aborted,
                        AnsweredAt = DateTimeOffset.UtcNow,
                    };
                }
            }

            Signal();
        }
    }

    private static JsonElement? TryParse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = NewSignal();
        }

        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
