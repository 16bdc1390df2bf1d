using System.Collections.Concurrent;

namespace Pagebox.Server.Ui;

/// <summary>One Graph call as the journal keeps it. The parameters are rendered (and redacted) only when
/// read.</summary>
internal sealed record JournalEntry(
    long Id,
    DateTimeOffset Time,
    string Method,
    string Path,
    Graph.Binding.GraphParameters? Parameters,
    string? QueryWhenUnbound,
    int Status,
    double DurationMs,
    string? Response
);

/// <summary>
/// The journal of the Graph calls each app's bot made, with Pagebox's answers (the developer's view). In memory: a ring
/// of the newest <see cref="Capacity"/> calls per app, lost on restart (docs/fidelity.md, "Journal"). Calls whose
/// token names no app Pagebox knows are kept in a ring of their own.
/// </summary>
internal sealed class GraphJournal(int capacity)
{
    /// <summary>The key of the ring of calls no app could be found for.</summary>
    public const string Unattributed = "";

    private readonly ConcurrentDictionary<string, Ring> _rings = new(StringComparer.Ordinal);
    private long _ids;

    public int Capacity => capacity;

    public bool Enabled => capacity > 0;

    public long NextId() => Interlocked.Increment(ref _ids);

    public void Add(string appId, JournalEntry entry)
    {
        if (!Enabled)
            return;
        _rings.GetOrAdd(appId, _ => new Ring(capacity)).Add(entry);
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<JournalEntry> List(string appId) =>
        _rings.TryGetValue(appId, out var ring) ? ring.NewestFirst() : [];

    public void Forget(string appId) => _rings.TryRemove(appId, out _);

    public void ForgetAll() => _rings.Clear();

    private sealed class Ring(int capacity)
    {
        private readonly JournalEntry[] _items = new JournalEntry[capacity];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(JournalEntry entry)
        {
            lock (_gate)
            {
                _items[_next] = entry;
                _next = (_next + 1) % _items.Length;
                _count = Math.Min(_count + 1, _items.Length);
            }
        }

        public List<JournalEntry> NewestFirst()
        {
            lock (_gate)
            {
                var list = new List<JournalEntry>(_count);
                for (var i = 1; i <= _count; i++)
                    list.Add(_items[(_next - i + _items.Length) % _items.Length]);
                return list;
            }
        }
    }
}
