using Pagebox.Server.Hosting;

[assembly: AssemblyFixture(typeof(PageboxServer))]

namespace Pagebox.Server.Tests.Infrastructure;

/// <summary>
/// A real Pagebox on a free loopback port with its own data directory. One is shared by the whole assembly: every
/// test makes its own app (with its own clock), Page and person, so tests do not disturb each other. Tests that need
/// other options start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class PageboxServer : IAsyncLifetime
{
    public const string AdminKey = "k";

    private string _dataDirectory = "";

    public PageboxHost Host { get; private set; } = null!;

    /// <summary>Its base address is the server root.</summary>
    public HttpClient Http { get; private set; } = null!;

    public WorldClient World { get; private set; } = null!;

    /// <summary>Paths without a version get <see cref="GraphClient.DefaultVersion"/>; the token goes in the
    /// query.</summary>
    public GraphClient Graph { get; private set; } = null!;

    public Uri BaseUrl => Host.BaseUrl;

    /// <param name="time">The server's real time; a fake one (frozen until moved) makes boundaries exact to the
    /// millisecond.</param>
    /// <param name="configure">Changes the server's options before it starts.</param>
    public static async Task<PageboxServer> StartAsync(
        Action<PageboxOptions>? configure = null,
        TimeProvider? time = null
    )
    {
        var server = new PageboxServer();
        await server.StartCoreAsync(configure, time);
        return server;
    }

    public ValueTask InitializeAsync() => new(StartCoreAsync(null, null));

    /// <summary>A Graph client with another version prefix (null: unversioned paths).</summary>
    public GraphClient GraphWith(string? version, bool bearer = false) =>
        new(Http, version) { TokenAsBearerHeader = bearer };

    private async Task StartCoreAsync(Action<PageboxOptions>? configure, TimeProvider? time)
    {
        _dataDirectory = Path.Combine(Path.GetTempPath(), "pagebox-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        var options = new PageboxOptions
        {
            Port = 0,
            DataDirectory = _dataDirectory,
            Demo = false,
            AdminKey = AdminKey,
        };
        configure?.Invoke(options);
        Host = await PageboxHost.StartAsync(options, time);
        Http = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        World = new WorldClient(Http, AdminKey);
        Graph = new GraphClient(Http);
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Host is not null)
            await Host.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
