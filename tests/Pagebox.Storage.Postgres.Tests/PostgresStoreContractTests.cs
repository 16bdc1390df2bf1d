using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Storage.Contract;

namespace Pagebox.Storage.Postgres.Tests;

/// <summary>
/// The store port's contract on PostgreSQL: a schema per test. The concurrency facts run on two stores sharing the
/// schema, as two Pagebox processes share a database.
/// </summary>
public sealed class PostgresStoreContractTests : StoreContract
{
    private PostgresDatabase? _database;
    private PostgresStore? _second;

    public override async ValueTask InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        await base.InitializeAsync();
    }

    protected override async Task<IPageboxStore> OpenStoreAsync(TimeProvider time, IWebhookEventEncoder encoder)
    {
        var store = new PostgresStore(
            _database!.ConnectionString,
            encoder,
            time,
            new PostgresStoreOptions { Workers = 8 }
        );
        await store.InitializeAsync();
        return store;
    }

    protected override async Task<IReadOnlyList<IPageboxStore>> SharingStoresAsync()
    {
        _second ??= (PostgresStore)await OpenStoreAsync(Time, new TestEncoder());
        return [Store, _second];
    }

    public override async ValueTask DisposeAsync()
    {
        if (_second is not null)
            await _second.DisposeAsync();
        if (_database is null)
            return;
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
