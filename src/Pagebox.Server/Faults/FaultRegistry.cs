using Microsoft.Extensions.Options;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Faults;

/// <summary>
/// The faults of every app, in memory: they are test set-up, not world state, so they do not survive a restart
/// (docs/fidelity.md). One lock guards everything; the hot paths first read a count without it, so a server with no
/// faults pays one volatile read per Graph call and per webhook attempt.
/// </summary>
internal sealed class FaultRegistry(IOptions<PageboxOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Fault>> _byApp = new(StringComparer.Ordinal);

    // Seeded like the rest of Pagebox (--seed), so a probabilistic fault fires on the same calls run after run.
    private readonly Random _random = options.Value.Seed is { } seed ? new Random(seed) : new Random();
    private long _lastId;
    private int _graphFaults;
    private int _webhookFaults;

    /// <summary>Whether any app has a Graph fault: when not, the Graph filter does nothing at all.</summary>
    public bool AnyGraph => Volatile.Read(ref _graphFaults) > 0;

    public Fault Add(string appId, FaultSpec spec)
    {
        lock (_gate)
        {
            var fault = new Fault(++_lastId, spec, spec.Times);
            if (!_byApp.TryGetValue(appId, out var list))
                _byApp[appId] = list = [];
            list.Add(fault);
            Count(spec.Target, +1);
            return fault;
        }
    }

    /// <summary>The app's faults that are still live, oldest first.</summary>
    public IReadOnlyList<Fault> List(string appId)
    {
        lock (_gate)
            return _byApp.TryGetValue(appId, out var list) ? [.. list] : [];
    }

    public void Clear(string appId)
    {
        lock (_gate)
        {
            if (!_byApp.Remove(appId, out var list))
                return;
            foreach (var fault in list)
                Count(fault.Spec.Target, -1);
        }
    }

    /// <summary>The fault that fires for this Graph call of the app, used up by one; null when none does.</summary>
    public FaultSpec? TakeGraph(string appId, string method, string path) =>
        AnyGraph ? Take(appId, FaultTarget.Graph, method, path) : null;

    /// <summary>The fault that fires for this webhook attempt to the app, used up by one; null when none
    /// does.</summary>
    public FaultSpec? TakeWebhook(string appId) =>
        Volatile.Read(ref _webhookFaults) > 0 ? Take(appId, FaultTarget.Webhooks, "POST", "") : null;

    private FaultSpec? Take(string appId, FaultTarget target, string method, string path)
    {
        lock (_gate)
        {
            if (!_byApp.TryGetValue(appId, out var list))
                return null;
            var i = FaultMatcher.Pick(list, target, method, path, _random.NextDouble);
            if (i < 0)
                return null;
            var fired = list[i];
            if (FaultMatcher.AfterFiring(fired) is { } left)
                list[i] = left;
            else
            {
                list.RemoveAt(i);
                Count(target, -1);
                if (list.Count == 0)
                    _byApp.Remove(appId);
            }
            return fired.Spec;
        }
    }

    private void Count(FaultTarget target, int delta)
    {
        if (target == FaultTarget.Graph)
            Interlocked.Add(ref _graphFaults, delta);
        else
            Interlocked.Add(ref _webhookFaults, delta);
    }
}
