using System.Diagnostics;
using System.Text;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Testing;

namespace Pagebox.Storage.Postgres.Tests;

/// <summary>What only a shared store has: other processes (other stores on the same schema), and outages.</summary>
public sealed class PostgresStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<PostgresStore> _stores = [];
    private PostgresDatabase _database = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _database = await PostgresDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _stores)
            await s.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    private async Task<PostgresStore> OpenAsync(string? connectionString = null, PostgresStoreOptions? options = null)
    {
        var store = new PostgresStore(
            connectionString ?? _database.ConnectionString,
            new Encoder(),
            _time,
            options ?? new PostgresStoreOptions { Workers = 4 }
        );
        _stores.Add(store);
        await store.InitializeAsync(Ct);
        return store;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1859",
        Justification = "The test reaches the store through its port, as the server does."
    )]
    private static Task Seed(IPageboxStore store) =>
        store.WriteAsync(
            s =>
            {
                s.Apply(new SaveApp(new AppRecord("app", "app", "secret", false, 0, T0)));
                s.Apply(
                    new SavePage(new PageRecord("page", "app", "page", Platform.Messenger, "UTC", new PageSettings()))
                );
                s.Apply(
                    new SaveAppSubscription(
                        new AppSubscription("app", "page", "http://127.0.0.1:1/hook", "v", ["message_reads"])
                    )
                );
                return true;
            },
            Ct
        );

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1859",
        Justification = "The test reaches the store through its port, as the server does."
    )]
    private Task Record(IPageboxStore store) =>
        store.WriteAsync(
            s =>
            {
                s.Apply(
                    new RecordWebhook(
                        "app",
                        "page",
                        new ReadEvent("page", "psid", _time.GetUtcNow(), _time.GetUtcNow(), Platform.Messenger)
                    )
                );
                return true;
            },
            Ct
        );

    /// <summary><see cref="Claim"/> until it claims something or <paramref name="timeout"/> (real time) has
    /// passed.</summary>
    private static async Task<IReadOnlyList<DeliveryWork>> ClaimWithinAsync(IPageboxStore store, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var claimed = await Claim(store);
            if (claimed.Count > 0 || DateTime.UtcNow >= deadline)
            {
                return claimed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1859",
        Justification = "The test reaches the store through its port, as the server does."
    )]
    private static Task<IReadOnlyList<DeliveryWork>> Claim(IPageboxStore store) =>
        store.Outbox.ClaimDueAsync(
            e => Encoding.UTF8.GetBytes(string.Join('|', e.Select(x => x.EventJson))),
            100,
            TimeSpan.FromMinutes(10),
            cancellationToken: Ct
        );

    [Fact]
    public async Task InitializeAsync_SeveralStoresStartingAtOnceOnAFreshSchema_MigrateOnce()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));
        var migrations = typeof(PostgresStore)
            .Assembly.GetManifestResourceNames()
            .LongCount(n => n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.True(migrations >= 7);
        Assert.Equal(migrations, await _database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task EventsCommitted_EventsRecordedByAnotherProcess_WakeThisOne()
    {
        var a = await OpenAsync();
        var b = await OpenAsync();
        await Seed(a);
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.EventsCommitted += () => woken.TrySetResult();

        await Record(a);

        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task ClaimDue_LeaseOfALiveProcess_IsKept_LeaseOfADeadOne_IsTakenAtOnce()
    {
        var a = await OpenAsync();
        var b = await OpenAsync();
        await Seed(a);
        await Record(a);
        var claimed = Assert.Single(await Claim(a));

        Assert.Empty(await Claim(b));

        // The process dies (its connections close, its advisory lock goes): its lease is void now, not in 10 minutes
        // of the clock. PostgreSQL drops the lock once its backend has seen the connection close, a moment after the
        // close returns, so the claim is asked again until then (the clock does not move).
        await a.DisposeAsync();
        _stores.Remove(a);
        var taken = Assert.Single(await ClaimWithinAsync(b, TimeSpan.FromSeconds(10)));
        Assert.Equal(claimed.Id, taken.Id);

        await b.Outbox.RecordAttemptAsync(taken.Id, true, 200, null, null, cancellationToken: Ct);
        Assert.Equal(DeliveryStatus.Delivered, Assert.Single(await b.Outbox.ListAsync("app", 10, Ct)).Status);
    }

    [Fact]
    public async Task RecordAttempt_ByAProcessWhoseLeaseWasTakenOver_IsIgnored()
    {
        var a = await OpenAsync();
        var b = await OpenAsync();
        await Seed(a);
        await Record(a);
        var claimed = Assert.Single(await Claim(a));
        _time.Advance(TimeSpan.FromMinutes(11));
        Assert.Single(await Claim(b));

        await a.Outbox.RecordAttemptAsync(
            claimed.Id,
            false,
            500,
            "late",
            _time.GetUtcNow().AddHours(1),
            cancellationToken: Ct
        );
        await b.Outbox.RecordAttemptAsync(claimed.Id, true, 200, null, null, cancellationToken: Ct);

        var entry = Assert.Single(await b.Outbox.ListAsync("app", 10, Ct));
        Assert.Equal((DeliveryStatus.Delivered, 1, (int?)200), (entry.Status, entry.Attempts, entry.LastStatus));
    }

    [Fact]
    public async Task WriteAsync_DatabaseLost_FailsWithStoreUnavailableInBoundedTime_AndWorksOnceItIsBack()
    {
        var (host, port) = TestPostgres.Endpoint(_database.ConnectionString);
        await using var proxy = new TcpProxy(host, port);
        var store = await OpenAsync(
            TestPostgres.Through(_database.ConnectionString, "127.0.0.1", proxy.Port),
            new PostgresStoreOptions { Workers = 2, OutageRetry = TimeSpan.FromSeconds(1) }
        );
        await Seed(store);

        proxy.Cut();
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.ReadAsync(s => s.GetApp("app"), Ct)
        );
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.ProbeAsync(Ct));

        proxy.Restore();
        Assert.Null(await store.ProbeAsync(Ct));
        Assert.Equal("app", (await store.ReadAsync(s => s.GetApp("app"), Ct))!.Id);
    }

    private sealed class Encoder : IWebhookEventEncoder
    {
        public string Encode(WebhookEvent e) => e.GetType().Name;
    }
}
