using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Storage.Contract;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>The store port's contract on the embedded store: a fresh database file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContract
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-contract-" + Guid.NewGuid().ToString("N"));

    protected override async Task<IPageboxStore> OpenStoreAsync(TimeProvider time, IWebhookEventEncoder encoder)
    {
        var store = new SqliteStore(Path.Combine(_dir, "pagebox.db"), encoder, time);
        await store.InitializeAsync();
        return store;
    }

    protected override ValueTask DropDatabaseAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        { /* best effort */
        }
        return ValueTask.CompletedTask;
    }
}
