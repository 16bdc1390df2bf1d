using Microsoft.Playwright;
using Pagebox.Server.Hosting;
using Pagebox.Ui.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(BrowserHost))]

namespace Pagebox.Ui.Tests.Infrastructure;

/// <summary>
/// One real Pagebox on a free loopback port and one headless Debian chromium, shared by the assembly; every test makes
/// its own app (own clock), Page, person and bot receiver, and its own browser context. There is no skip: without
/// /usr/bin/chromium the fixture fails and so does every test (scripts/test installs the package).
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string AdminKey = "ui-key";

    /// <summary>DEVELOPERS.md lists these: no sandbox (root in CI), no GPU, and nothing that calls home.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PAGEBOX_CHROMIUM") ?? "/usr/bin/chromium";

    private string _dataDirectory = "";
    private IPlaywright? _playwright;

    public PageboxHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public WorldClient World { get; private set; } = null!;

    public GraphClient Graph { get; private set; } = null!;

    public Uri BaseUrl => Host.BaseUrl;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException(
                $"The browser tests need Debian's chromium at {ChromiumPath} (apt-get install chromium; "
                    + $"./scripts/test installs it)."
            );
        _dataDirectory = Path.Combine(Path.GetTempPath(), "pagebox-ui-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dataDirectory);
        Host = await PageboxHost.StartAsync(
            new PageboxOptions
            {
                Port = 0,
                DataDirectory = _dataDirectory,
                Demo = false,
                AdminKey = AdminKey,
            }
        );
        Http = new HttpClient { BaseAddress = Host.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        World = new WorldClient(Http, AdminKey);
        Graph = new GraphClient(Http);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
                Timeout = 60_000,
            }
        );
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
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
