using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Server.Faults;
using Pagebox.Server.Graph;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Webhooks;

/// <summary>
/// Delivers the outbox: claims due deliveries, POSTs the exact stored bytes, signed, and records each attempt.
/// A failure (non-2xx, no answer, or slower than the timeout) is retried on <see cref="RetrySchedule"/> until the
/// give-up horizon on the app's clock; then the delivery is failed and visible in the log. Nothing is
/// fire-and-forget: a crash leaves the row pending, and the next start delivers it.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IPageboxStore store,
    PageboxDirectory directory,
    IHttpClientFactory httpClients,
    FaultRegistry faults,
    Ui.ChangeFeed changes,
    IOptions<PageboxOptions> options,
    PageboxMetrics metrics,
    ILogger<WebhookDispatcher> logger
) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    private const int MaxEventsPerDelivery = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private const int MaxPostsInFlight = 64;

    private readonly SemaphoreSlim _wake = new(0, 1);

    // POSTs in flight, at most 64; and claimed deliveries not yet posted, at most 64 more, so that the next claim (a
    // commit) overlaps the POSTs instead of waiting between them. A claimed delivery's lease (1 minute) runs from the
    // claim: a queued one waits at most for one round of POSTs (each at most the answer timeout, 25 s at most).
    private readonly SemaphoreSlim _inFlight = new(MaxPostsInFlight);
    private readonly SemaphoreSlim _claimable = new(2 * MaxPostsInFlight);
    private readonly Random _random = options.Value.Seed is { } seed ? new Random(seed) : new Random();

    /// <summary>Whether the dispatcher's loop runs (readiness): started and neither stopped nor crashed.</summary>
    public bool IsRunning => ExecuteTask is { IsCompleted: false };

    /// <summary>Something became due (a commit recorded events, a clock moved, a delivery finished).</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        { /* already awake */
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _claimable.WaitAsync(stoppingToken);
                var slots = _claimable.CurrentCount + 1;
                IReadOnlyList<DeliveryWork> claimed;
                try
                {
                    claimed = await store.Outbox.ClaimDueAsync(
                        WebhookEncoder.BuildEnvelope,
                        MaxEventsPerDelivery,
                        Lease,
                        slots,
                        stoppingToken
                    );
                }
                catch
                {
                    // The slot taken for this claim is free again (a failed claim must not shrink the dispatcher).
                    _claimable.Release();
                    throw;
                }
                for (var i = 0; i < claimed.Count; i++)
                {
                    if (i > 0)
                        await _claimable.WaitAsync(stoppingToken);
                    var work = claimed[i];
                    _ = Task.Run(() => DeliverAsync(work, stoppingToken), CancellationToken.None);
                }
                if (claimed.Count == 0)
                    _claimable.Release();
                if (claimed.Count > 0)
                    continue;
                var next = await store.Outbox.NextDueInAsync(stoppingToken);
                var wait = next is { } n && n < IdlePoll ? n : IdlePoll;
                if (wait > TimeSpan.Zero)
                    await _wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
                await Task.Delay(IdlePoll, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(DeliveryWork work, CancellationToken stoppingToken)
    {
        var posted = false;
        try
        {
            await _inFlight.WaitAsync(stoppingToken);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            (bool Delivered, int? Status, string? Error, DeliveryAnswer? Answer) result;
            try
            {
                result = await PostAsync(work, stoppingToken);
            }
            finally
            {
                // Recording the attempt waits for a commit; the next POST need not: this delivery keeps its lease (no
                // claim takes it again) and its lane stays unfinished (no later event of its Page goes out) until the
                // attempt is recorded.
                _inFlight.Release();
                _claimable.Release();
                posted = true;
                Wake();
            }
            var (delivered, status, error, answer) = result;
            metrics.WebhookAttempt(delivered, status, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            DateTimeOffset? next = null;
            var unsubscribe = false;
            if (!delivered)
            {
                var now = (await directory.ClockAsync(work.AppId))?.GetUtcNow() ?? directory.Real.GetUtcNow();
                if (!RetrySchedule.ShouldGiveUp(work.Created, now))
                {
                    TimeSpan delay;
                    lock (_random)
                        delay = RetrySchedule.Next(work.Attempts + 1, _random);
                    next = now + delay;
                }
                LogAttemptFailed(logger, work.Id, work.CallbackUrl, status ?? 0, error ?? "", next is null);
                // Given up after an hour: the platform disables the webhook, unsubscribing the app from the Page.
                unsubscribe = next is null && work.DisableOnFailure;
                if (unsubscribe)
                {
                    error = $"{error}; {DisabledNote}";
                    LogWebhooksDisabled(logger, work.AppId, work.PageId);
                }
            }
            await store.Outbox.RecordAttemptAsync(
                work.Id,
                delivered,
                status,
                error,
                next,
                unsubscribe,
                answer,
                CancellationToken.None
            );
            changes.Notify(work.AppId);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The lease runs out and the delivery is claimed again: at least once, never lost.
            LogDeliveryCrashed(logger, work.Id, ex);
        }
        finally
        {
            if (!posted)
                _claimable.Release();
            Wake();
        }
    }

    private async Task<(bool Delivered, int? Status, string? Error, DeliveryAnswer? Answer)> PostAsync(
        DeliveryWork work,
        CancellationToken stoppingToken
    )
    {
        if (string.IsNullOrEmpty(work.CallbackUrl))
            return (false, null, "the app has no webhook subscription for this object", null);
        if (faults.TakeWebhook(work.AppId) is not { } fault)
            return await SendAsync(work, work.Body, stoppingToken);

        // An injected fault (Faults/): the delay comes before the answer timeout starts (the platform is slow, not the
        // bot); an error fails the attempt unsent; a duplicate is the same signed bytes again, its answer ignored.
        if (fault.LatencyMs > 0)
            await Task.Delay(fault.Latency, stoppingToken);
        if (fault.Error is { } error)
            return (false, error.HttpStatus, "injected fault", null);
        var body = fault.Reorder ? WebhookFaults.ReverseEntries(work.Body) : work.Body;
        var result = await SendAsync(work, body, stoppingToken);
        if (fault.Duplicate)
            await SendAsync(work, body, stoppingToken);
        return result;
    }

    private async Task<(bool Delivered, int? Status, string? Error, DeliveryAnswer? Answer)> SendAsync(
        DeliveryWork work,
        byte[] body,
        CancellationToken stoppingToken
    )
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, work.CallbackUrl);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", WebhookSigner.Sha256(body, work.AppSecret));
        request.Headers.TryAddWithoutValidation("X-Hub-Signature", WebhookSigner.Sha1(body, work.AppSecret));
        request.Headers.TryAddWithoutValidation("User-Agent", "facebookexternalua");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(options.Value.WebhookTimeout);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            using var response = await httpClients
                .CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            var answer = new DeliveryAnswer(
                await AnswerAsync(response, timeout.Token),
                (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds
            );
            return response.IsSuccessStatusCode
                ? (true, status, null, answer)
                : (false, status, $"HTTP {status}", answer);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (false, null, $"no answer within {options.Value.WebhookTimeout.TotalSeconds:0.###} s", null);
        }
        catch (HttpRequestException ex)
        {
            return (false, null, ex.Message, null);
        }
    }

    /// <summary>The start of the bot's answer, for the developer's view (the platform ignores it; a bot's error page
    /// helps its developer).</summary>
    private static async Task<string?> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        const int MaxAnswerBytes = 4096;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxAnswerBytes];
            var read = 0;
            while (
                read < buffer.Length
                && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0
            )
                read += n;
            return read == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            // The status is what counts; an answer cut short is shown as missing.
            return null;
        }
    }

    /// <summary>What the delivery log says of a delivery whose failure unsubscribed the app from the Page.</summary>
    public const string DisabledNote =
        "webhooks disabled: the app was unsubscribed from the Page after 1 hour of failures";

    [LoggerMessage(
        EventId = 103,
        Level = LogLevel.Warning,
        Message = "Webhooks disabled: app {AppId} was unsubscribed from Page {PageId} after 1 hour of failed "
            + "deliveries; its events wait until it subscribes again"
    )]
    private static partial void LogWebhooksDisabled(ILogger logger, string appId, string pageId);

    [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Webhook dispatcher loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception ex);

    [LoggerMessage(
        EventId = 101,
        Level = LogLevel.Information,
        Message = "Webhook delivery {Id} to {Url} failed (status {Status}: {Error}); gave up: {GaveUp}"
    )]
    private static partial void LogAttemptFailed(
        ILogger logger,
        long id,
        string url,
        int status,
        string error,
        bool gaveUp
    );

    [LoggerMessage(
        EventId = 102,
        Level = LogLevel.Error,
        Message = "Webhook delivery {Id} crashed; its lease will expire and it will be retried"
    )]
    private static partial void LogDeliveryCrashed(ILogger logger, long id, Exception ex);
}
