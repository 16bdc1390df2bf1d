using System.Data.Common;
using System.Globalization;

namespace Pagebox.Testing;

/// <summary>
/// The PostgreSQL the tests use: <c>PAGEBOX_TEST_PG</c> (a connection string; scripts/test starts a private cluster and
/// sets it). Each test gets a schema of its own (<c>Search Path</c>), dropped afterwards. Without the variable the
/// tests are reported skipped, with the reason, and never pass silently.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "PAGEBOX_TEST_PG";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs ? cs : null;

    public static string SkipReason =>
        $"{Variable} is not set: the PostgreSQL tests need a database (./scripts/test starts one)";

    /// <summary>A fresh schema name and the connection string that uses it; null when there is no database (skip
    /// then).</summary>
    public static string? NewSchemaConnectionString(out string schema)
    {
        schema = "pbx_" + Guid.NewGuid().ToString("N")[..16];
        var cs = ConnectionString;
        if (cs is null)
            return null;
        var builder = new DbConnectionStringBuilder { ConnectionString = cs };
        builder["Search Path"] = schema;
        return builder.ConnectionString;
    }

    /// <summary>The same connection string pointed at another host and port (a proxy in front of the
    /// database).</summary>
    public static string Through(string connectionString, string host, int port)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        builder["Host"] = host;
        builder["Port"] = port.ToString(CultureInfo.InvariantCulture);
        return builder.ConnectionString;
    }

    /// <summary>Host and port of the test database.</summary>
    public static (string Host, int Port) Endpoint(string connectionString)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var host = builder.TryGetValue("Host", out var h) ? h.ToString()! : "127.0.0.1";
        var port = builder.TryGetValue("Port", out var p)
            ? int.Parse(p.ToString()!, CultureInfo.InvariantCulture)
            : 5432;
        return (host, port);
    }
}
