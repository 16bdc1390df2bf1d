using System.Diagnostics;
using System.Diagnostics.Metrics;
using Pagebox.Domain.Store;

namespace Pagebox.Server.Hosting;

/// <summary>A refused Graph call's code, left on the request by the error result for the metrics and the
/// journal.</summary>
internal sealed record GraphRefusal(int Code, int? Subcode);

/// <summary>
/// Pagebox's own instruments (meter <see cref="MeterName"/>), exported as Prometheus text at /_pagebox/metrics by
/// OpenTelemetry: sends by outcome and Graph code, webhook attempts and their latency, the outbox's depth (read from
/// the store when scraped). The hot path adds a counter with two or three tags from cached strings: no allocation.
/// </summary>
internal sealed class PageboxMetrics : IDisposable
{
    public const string MeterName = "Pagebox";

    private static readonly string[] Numbers =
    [
        .. Enumerable.Range(0, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    // One meter per process (as the stores' StoreMetrics): a meter per host, all named Pagebox, were not all exported.
    private static readonly Meter SharedMeter = new(MeterName);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<PageboxMetrics, IPageboxStore> Stores =
        new();
    private static readonly Counter<long> SharedSends;
    private static readonly Counter<long> SharedAttempts;
    private static readonly Histogram<double> SharedAttemptSeconds;

    private readonly Counter<long> _sends = SharedSends;
    private readonly Counter<long> _attempts = SharedAttempts;
    private readonly Histogram<double> _attemptSeconds = SharedAttemptSeconds;

    public PageboxMetrics(IPageboxStore store) => Stores[this] = store;

    static PageboxMetrics()
    {
        var _meter = SharedMeter;
        SharedSends = _meter.CreateCounter<long>(
            "pagebox.sends",
            unit: "{send}",
            description: "Send API calls (POST /{id}/messages, /act_{id}/messages) by api, outcome and Graph error code"
        );
        SharedAttempts = _meter.CreateCounter<long>(
            "pagebox.webhook.attempts",
            unit: "{attempt}",
            description: "Webhook delivery attempts by outcome and HTTP status"
        );
        SharedAttemptSeconds = _meter.CreateHistogram<double>(
            "pagebox.webhook.duration",
            unit: "s",
            description: "How long the bot took to answer a webhook delivery",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
            }
        );
        _meter.CreateObservableGauge(
            "pagebox.webhook.outbox.depth",
            () =>
            {
                // Read when scraped only; a store that does not answer reports nothing rather than failing the scrape.
                // Read when scraped only; a store that does not answer reports nothing rather than failing the scrape.
                // Several hosts in one process (tests) report their sum.
                long waiting = 0,
                    pending = 0,
                    failed = 0;
                foreach (var store in Stores.Values)
                {
                    try
                    {
                        var d = store.OutboxDepthAsync().GetAwaiter().GetResult();
                        waiting += d.WaitingEvents;
                        pending += d.PendingDeliveries;
                        failed += d.FailedDeliveries;
                    }
                    catch (Exception ex)
                        when (ex is StoreUnavailableException or InvalidOperationException or ObjectDisposedException)
                    {
                        // A store closing or unreachable: left out of this scrape.
                    }
                }
                return new[]
                {
                    new Measurement<long>(waiting, new KeyValuePair<string, object?>("state", "waiting_events")),
                    new Measurement<long>(pending, new KeyValuePair<string, object?>("state", "pending_deliveries")),
                    new Measurement<long>(failed, new KeyValuePair<string, object?>("state", "failed_deliveries")),
                };
            },
            unit: "{item}",
            description: "Unfinished webhook work: events not yet in a delivery, deliveries pending, deliveries failed"
        );
    }

    private static string Number(int n) =>
        n is >= 0 and < 1000 ? Numbers[n] : n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One send: accepted, or refused with its Graph code (and subcode, "" when none).</summary>
    public void Send(bool paid, GraphRefusal? refusal)
    {
        var api = new KeyValuePair<string, object?>("api", paid ? "marketing_messages" : "send");
        if (refusal is null)
        {
            _sends.Add(1, api, new("outcome", "accepted"), new("code", "0"));
            return;
        }
        var tags = new TagList
        {
            api,
            { "outcome", "refused" },
            { "code", Number(refusal.Code) },
            {
                "subcode",
                refusal.Subcode is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""
            },
        };
        _sends.Add(1, in tags);
    }

    /// <summary>One webhook delivery attempt: delivered or not, the bot's HTTP status (none: no answer), and how long
    /// it took.</summary>
    public void WebhookAttempt(bool delivered, int? status, TimeSpan took)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", delivered ? "delivered" : "failed");
        var code = new KeyValuePair<string, object?>("status", status is { } s ? Number(s) : "none");
        _attempts.Add(1, outcome, code);
        _attemptSeconds.Record(took.TotalSeconds, outcome);
    }

    public void Dispose() => Stores.TryRemove(this, out _);
}
