using Microsoft.Data.Sqlite;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>
/// The migrations due run in one transaction: a fresh store and a store at an older version end at the same schema,
/// and a migration that fails leaves none of the due ones applied.
/// </summary>
public sealed class SqliteMigratorTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-migr-" + Guid.NewGuid().ToString("N"));

    public SqliteMigratorTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        { /* best effort */
        }
    }

    private SqliteConnection Open(string name)
    {
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, name), Pooling = false }.ToString()
        );
        connection.Open();
        return connection;
    }

    /// <summary>Every table, index and trigger as SQLite keeps its definition, and the migrations recorded.</summary>
    private static List<string> Schema(SqliteConnection connection)
    {
        var rows = new List<string>();
        using var cmd = connection.CreateCommand();
        cmd.CommandText =
            "SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name";
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                rows.Add(r.GetString(0));
        }
        cmd.CommandText = "SELECT version || ' ' || name FROM schema_migrations ORDER BY version";
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
                rows.Add("migration " + r.GetString(0));
        }
        return rows;
    }

    private static int Newest(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task InitializeAsync_StoreAtAnOlderVersion_EndsAtTheFreshStoresSchema()
    {
        Assert.True(Migrator.All.Count >= 10);
        using var fresh = Open("fresh.db");
        Migrator.Run(fresh);
        var older = Migrator.All.Take(Migrator.All.Count / 2).ToList();
        using (var old = Open("old.db"))
        {
            Migrator.Run(old, older, Migrator.Read);
            Assert.Equal(older[^1].Version, Newest(old));
        }

        // The older database opened by a store of this build, as a user upgrading would.
        var store = new SqliteStore(Path.Combine(_dir, "old.db"), new NameEncoder(), TimeProvider.System);
        await store.InitializeAsync(TestContext.Current.CancellationToken);
        await store.DisposeAsync();

        using var upgraded = Open("old.db");
        Assert.Equal(Migrator.Expected, Newest(upgraded));
        Assert.Equal(Schema(fresh), Schema(upgraded));
    }

    [Fact]
    public void Run_FailingMigrationAfterOthersDue_LeavesTheStoreAsItWas()
    {
        var older = Migrator.All.Take(3).ToList();
        using var connection = Open("failing.db");
        Migrator.Run(connection, older, Migrator.Read);
        var before = Schema(connection);
        var broken = ("broken", "999_broken.sql", 999);
        var scripts = Migrator.All.Append(broken).ToList();

        Assert.ThrowsAny<SqliteException>(() =>
            Migrator.Run(
                connection,
                scripts,
                name =>
                    name == "broken"
                        ? "CREATE TABLE half_done (id TEXT); SELECT * FROM no_such_table;"
                        : Migrator.Read(name)
            )
        );

        Assert.Equal(older[^1].Version, Newest(connection));
        Assert.Equal(before, Schema(connection));

        // The fault removed, the same store migrates to the end.
        Migrator.Run(connection);
        Assert.Equal(Migrator.Expected, Newest(connection));
    }

    [Fact]
    public void Run_NothingDue_ChangesNothing()
    {
        using var connection = Open("twice.db");
        Migrator.Run(connection);
        var once = Schema(connection);

        Migrator.Run(connection);

        Assert.Equal(once, Schema(connection));
    }
}
