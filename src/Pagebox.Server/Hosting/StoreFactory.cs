using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Storage.Postgres;
using Pagebox.Storage.Sqlite;

namespace Pagebox.Server.Hosting;

/// <summary>
/// Opens the store <c>--store</c> names (PAGEBOX_STORE): the embedded SQLite store in the data directory, or the
/// PostgreSQL store several processes share (<c>--postgres</c>, PAGEBOX_POSTGRES). Either is migrated before it
/// returns.
/// </summary>
internal static class StoreFactory
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>How long a start waits for PostgreSQL to answer.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IPageboxStore> OpenAsync(
        PageboxOptions options,
        IWebhookEventEncoder encoder,
        TimeProvider time,
        CancellationToken cancellationToken = default
    )
    {
        switch (options.Store)
        {
            case Sqlite:
                var sqlite = new SqliteStore(
                    Path.Combine(options.DataDirectory, "pagebox.db"),
                    encoder,
                    time,
                    options.EffectiveDurability == "process" ? SqliteDurability.Process : SqliteDurability.Disk
                );
                try
                {
                    await sqlite.InitializeAsync(cancellationToken);
                }
                catch
                {
                    await sqlite.DisposeAsync(); // a start that fails holds no lock on the data directory
                    throw;
                }
                return sqlite;
            case Postgres when !string.IsNullOrWhiteSpace(options.PostgresConnectionString):
                // A database that starts with us (compose, CI) may not answer yet: wait for it a while.
                var deadline = DateTime.UtcNow + StartTimeout;
                while (true)
                {
                    var postgres = new PostgresStore(
                        options.PostgresConnectionString,
                        encoder,
                        time,
                        new PostgresStoreOptions { Workers = options.PostgresPoolSize }
                    );
                    try
                    {
                        await postgres.InitializeAsync(cancellationToken);
                        return postgres;
                    }
                    catch (Exception ex) when (PostgresStore.IsTransient(ex) && DateTime.UtcNow < deadline)
                    {
                        await postgres.DisposeAsync();
                        await Task.Delay(500, cancellationToken);
                    }
                    catch (Exception ex)
                    {
                        await postgres.DisposeAsync();
                        if (PostgresStore.IsTransient(ex))
                            throw new StoreUnavailableException(
                                $"PostgreSQL did not answer within {StartTimeout.TotalSeconds:0} s: {ex.Message}",
                                ex
                            );
                        throw;
                    }
                }
            case Postgres:
                throw new ArgumentException(
                    "--store postgres needs --postgres CONNECTION-STRING (or PAGEBOX_POSTGRES)"
                );
            default:
                throw new ArgumentException($"Unknown store '{options.Store}': sqlite or postgres");
        }
    }
}
