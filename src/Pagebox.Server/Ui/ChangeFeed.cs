using System.Threading.Channels;

namespace Pagebox.Server.Ui;

/// <summary>
/// Tells the open inbox pages that something changed (a Graph call or world-face command that wrote, a webhook
/// attempt), so they fetch again what they show: server-sent events on /_pagebox/events. A change carries only the app
/// it concerns, when known; the page re-reads through the world face, so what it shows is always what the API says.
/// Costs nothing while no page listens.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<(long Seq, string? AppId)>> _listeners = [];
    private long _seq;

    public long Seq => Interlocked.Read(ref _seq);

    public void Notify(string? appId)
    {
        var seq = Interlocked.Increment(ref _seq);
        lock (_gate)
        {
            foreach (var listener in _listeners)
                listener.Writer.TryWrite((seq, appId));
        }
    }

    /// <summary>A listener's queue; the newest 64 changes are kept (a slow page misses none that matters: any change
    /// means "read again").</summary>
    public ChannelReader<(long Seq, string? AppId)> Listen(CancellationToken until)
    {
        var channel = Channel.CreateBounded<(long, string?)>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }
        );
        lock (_gate)
            _listeners.Add(channel);
        until.Register(() =>
        {
            lock (_gate)
                _listeners.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }
}
