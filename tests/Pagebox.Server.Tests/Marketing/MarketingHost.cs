using Pagebox.Server.Hosting;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// A real Pagebox on a free loopback port, its own data directory, started under one policy profile
/// (<c>--policy</c>). Used as a class fixture: the tests of a class share it, and each test makes its own app (with its
/// own clock), Page and person, so they do not disturb each other.
/// </summary>
/// <param name="time">The server's real time (null: the system clock); see <see cref="FrozenPolicy2025Host"/>.</param>
/// <param name="policy">The marketing policy profile the server runs.</param>
public abstract class MarketingHost(string policy, TimeProvider? time = null) : IAsyncLifetime
{
    private PageboxServer _server = null!;

    /// <summary>The <c>--policy</c> value: 2023, 2024, 2025-09 or retired.</summary>
    public string Policy => policy;

    public PageboxHost Host => _server.Host;

    /// <summary>Its base address is the server root.</summary>
    public HttpClient Http => _server.Http;

    public WorldClient World => _server.World;

    /// <summary>Paths without a version get <see cref="GraphClient.DefaultVersion"/>; the token goes in the
    /// query.</summary>
    public GraphClient Graph => _server.Graph;

    public Uri BaseUrl => _server.BaseUrl;

    public async ValueTask InitializeAsync() => _server = await PageboxServer.StartAsync(o => o.Policy = policy, time);

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary><c>--policy 2025-09</c> (the default): one marketing message per token per 48 h.</summary>
public sealed class Policy2025Host() : MarketingHost("2025-09");

/// <summary>
/// <c>--policy 2025-09</c> on a frozen real time (2026-11-30T10:00:00Z, moved only by the app clocks): every instant a
/// test sets is exactly the instant of the next request, so boundaries such as 1:59 / 2:00 / 2:01 are exact.
/// </summary>
public sealed class FrozenPolicy2025Host()
    : MarketingHost("2025-09", new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero)));

/// <summary><c>--policy 2024</c>: one marketing message per token per 24 h, tokens never expire.</summary>
public sealed class Policy2024Host() : MarketingHost("2024");

/// <summary><c>--policy 2023</c>: per-token DAILY/WEEKLY/MONTHLY in the Page's time zone, expiry, re-opt-in.</summary>
public sealed class Policy2023Host() : MarketingHost("2023");

/// <summary><c>--policy retired</c>: marketing messages are gone.</summary>
public sealed class RetiredPolicyHost() : MarketingHost("retired");
