using Pagebox.Server.Hosting;
using Pagebox.Testing;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// A real Pagebox on a free loopback port, its own data directory, started under one policy profile
/// (<c>--policy</c>). Used as a class fixture: the tests of a class share it, and each test makes its own app (with its
/// own clock), Page and person, so they do not disturb each other.
/// </summary>
public abstract class MarketingHost : IAsyncLifetime
{
    public const string AdminKey = "k";

    private string _dataDirectory = "";

    protected MarketingHost(string policy) => Policy = policy;

    /// <summary>The <c>--policy</c> value: 2023, 2024, 2025-09 or retired.</summary>
    public string Policy { get; }

    public PageboxHost Host { get; private set; } = null!;

    /// <summary>Its base address is the server root.</summary>
    public HttpClient Http { get; private set; } = null!;

    public WorldClient World { get; private set; } = null!;

    /// <summary>Paths without a version get <see cref="GraphClient.DefaultVersion"/>; the token goes in the query.</summary>
    public GraphClient Graph { get; private set; } = null!;

    public Uri BaseUrl => Host.BaseUrl;

    public async ValueTask InitializeAsync()
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "pagebox-marketing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        Host = await PageboxHost.StartAsync(new PageboxOptions
        {
            Port = 0,
            DataDirectory = _dataDirectory,
            Demo = false,
            AdminKey = AdminKey,
            Policy = Policy,
        });
        Http = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        World = new WorldClient(Http, AdminKey);
        Graph = new GraphClient(Http);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary><c>--policy 2025-09</c> (the default): one marketing message per token per 48 h.</summary>
public sealed class Policy2025Host() : MarketingHost("2025-09");

/// <summary><c>--policy 2024</c>: one marketing message per token per 24 h, tokens never expire.</summary>
public sealed class Policy2024Host() : MarketingHost("2024");

/// <summary><c>--policy 2023</c>: per-token DAILY/WEEKLY/MONTHLY in the Page's time zone, expiry, re-opt-in.</summary>
public sealed class Policy2023Host() : MarketingHost("2023");

/// <summary><c>--policy retired</c>: marketing messages are gone.</summary>
public sealed class RetiredPolicyHost() : MarketingHost("retired");
