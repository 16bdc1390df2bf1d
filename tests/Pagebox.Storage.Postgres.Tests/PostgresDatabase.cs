using Npgsql;
using Pagebox.Testing;

namespace Pagebox.Storage.Postgres.Tests;

/// <summary>A schema of its own on the test database (PAGEBOX_TEST_PG), dropped at the end; the test is skipped without
/// one.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string connectionString, string schema)
    {
        ConnectionString = connectionString;
        Schema = schema;
    }

    /// <summary>Points at the schema (Search Path).</summary>
    public string ConnectionString { get; }

    public string Schema { get; }

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var cs = TestPostgres.NewSchemaConnectionString(out var schema);
        Assert.SkipWhen(cs is null, TestPostgres.SkipReason);
        await using (var c = new NpgsqlConnection(TestPostgres.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {schema}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        return new PostgresDatabase(cs!, schema);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return (T?)await cmd.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(TestPostgres.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", c);
        await cmd.ExecuteNonQueryAsync();
    }
}
