using Pagebox.Testing;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>The durability a store is opened with is the one its writer commits with.</summary>
public sealed class SqliteDurabilityTests
{
    [Theory]
    [InlineData(SqliteDurability.Disk, 2L)] // synchronous=FULL: every commit fsynced
    [InlineData(SqliteDurability.Process, 1L)] // synchronous=NORMAL: no fsync per commit in WAL mode
    public async Task Writer_CommitsWithTheDurabilityAskedFor(SqliteDurability durability, long synchronous)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pagebox-durability-" + Guid.NewGuid().ToString("N"));
        var store = new SqliteStore(
            Path.Combine(dir, "pagebox.db"),
            new NameEncoder(),
            new FakeTimeProvider(DateTimeOffset.UnixEpoch),
            durability
        );
        try
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);

            var actual = await store.WriteRawAsync(s =>
            {
                using var cmd = s.Connection.CreateCommand();
                cmd.CommandText = "PRAGMA synchronous";
                return (long)cmd.ExecuteScalar()!;
            });

            Assert.Equal(synchronous, actual);
        }
        finally
        {
            await store.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
