using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Webhooks;

/// <summary>
/// A bot slower than the platform's answer limit (docs/spec/webhooks.md §3.2: 5 s; here the host's WebhookTimeout is 1
/// s) has failed that attempt; the event is retried and delivered. Needs its own host for the short timeout.
/// </summary>
public sealed class WebhookTimeoutTests : IAsyncLifetime
{
    private PageboxServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await PageboxServer.StartAsync(o => o.WebhookTimeout = TimeSpan.FromSeconds(1));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Delivery_ReceiverSlowerThanTimeout_CountsAsFailureAndRetried()
    {
        await using var s = await Scenario.StartAsync(_server);
        s.Receiver.DelayNext(1, TimeSpan.FromSeconds(5));

        var written = await s.PersonWritesAsync("slow bot");

        Assert.Single(
            await s.WaitForEventsAsync(e => e.Mid == written.Mid, because: "the retry after the slow attempt")
        );
        var attempts = s
            .Receiver.Received.Where(r => r.BodyText.Contains(written.Mid, StringComparison.Ordinal))
            .ToList();
        Assert.True(attempts.Count >= 2, s.Receiver.Describe());
        Assert.False(attempts[0].Succeeded);
        Assert.True(attempts[0].ClientAborted, "Pagebox should have given up on the slow attempt: " + attempts[0]);
        Assert.True(attempts[^1].Succeeded);
        var entry = await s.WaitForLogEntryAsync(
            e =>
                e.GetProperty("body").GetRawText().Contains(written.Mid, StringComparison.Ordinal)
                && e.GetProperty("status").GetString() == "delivered",
            "the log to show the delivery"
        );
        Assert.True(entry.GetProperty("attempts").GetInt32() >= 2, entry.GetRawText());
    }
}
