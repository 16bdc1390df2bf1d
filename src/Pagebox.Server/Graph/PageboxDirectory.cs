using System.Collections.Concurrent;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Time;

namespace Pagebox.Server.Graph;

/// <summary>
/// Cached look-ups for the hot path (docs/design-notes.md §6: "cached token → Page"): tokens never change, apps and
/// Pages change only through this process's world face, which refreshes the cache after its write commits. Each app's
/// clock lives here too, its offset loaded from the store.
/// </summary>
/// <remarks>
/// A store shared by several processes (PostgreSQL) may change under this one at any moment: then apps, Pages and
/// clocks are read from the store on every call (a Page token, once issued, never changes, so it is still cached; its
/// app and Page are read fresh, so a deleted app's token fails at once).
/// </remarks>
internal sealed class PageboxDirectory(IPageboxStore store, TimeProvider real)
{
    private readonly bool _cache = !store.SharedAcrossProcesses;

    private readonly ConcurrentDictionary<string, AppRecord> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PageRecord> _pages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PageToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AppClock> _clocks = new(StringComparer.Ordinal);

    public TimeProvider Real => real;

    public ValueTask<AppRecord?> GetAppAsync(string appId) =>
        ReadThroughAsync(_apps, appId, s => s.GetApp(appId), _cache);

    public ValueTask<PageRecord?> GetPageAsync(string pageId) =>
        ReadThroughAsync(_pages, pageId, s => s.GetPage(pageId), _cache);

    public ValueTask<PageToken?> GetTokenAsync(string token) =>
        ReadThroughAsync(_tokens, token, s => s.GetPageToken(token), keep: true);

    /// <summary>The cached record, else the store's, kept in the cache when <paramref name="keep"/> says so.</summary>
    private async ValueTask<T?> ReadThroughAsync<T>(
        ConcurrentDictionary<string, T> cache,
        string key,
        Func<IStoreReader, T?> read,
        bool keep
    )
        where T : class
    {
        if (cache.TryGetValue(key, out var found))
            return found;
        found = await store.ReadAsync(read);
        if (found is not null && keep)
            cache[key] = found;
        return found;
    }

    /// <summary>The app's clock. A Page's rules read the clock of the app that owns the Page.</summary>
    public AppClock Clock(AppRecord app) =>
        _cache
            ? _clocks.GetOrAdd(app.Id, _ => new AppClock(real, app.ClockOffsetMs))
            : new AppClock(real, app.ClockOffsetMs);

    public async ValueTask<AppClock?> ClockAsync(string appId) =>
        await GetAppAsync(appId) is { } app ? Clock(app) : null;

    public void Remember(AppRecord app)
    {
        if (_cache)
            _apps[app.Id] = app;
    }

    public void Remember(PageRecord page)
    {
        if (_cache)
            _pages[page.Id] = page;
    }

    /// <summary>After an import replaced the whole state: nothing cached is true any more.</summary>
    public void ForgetAll()
    {
        _apps.Clear();
        _clocks.Clear();
        _pages.Clear();
        _tokens.Clear();
    }

    public void Forget(string appId)
    {
        _apps.TryRemove(appId, out _);
        _clocks.TryRemove(appId, out _);
        foreach (var (id, page) in _pages)
            if (page.AppId == appId)
                _pages.TryRemove(id, out _);
        foreach (var (token, t) in _tokens)
            if (t.AppId == appId || !_pages.ContainsKey(t.PageId))
                _tokens.TryRemove(token, out _);
    }
}
