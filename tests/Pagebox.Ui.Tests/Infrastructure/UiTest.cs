using Microsoft.Playwright;

namespace Pagebox.Ui.Tests.Infrastructure;

/// <summary>
/// Base of the browser tests: a fresh browser context per test (phone or desktop size), logged in through the URL the
/// startup banner prints (<c>?key=</c>), and a screenshot kept under TestResults/ui-screenshots when the test fails.
/// </summary>
public abstract class UiTest(BrowserHost host) : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 860 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    protected BrowserHost Host { get; } = host;

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    protected virtual ViewportSize Viewport => Desktop;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<string> _console = [];

    public async ValueTask InitializeAsync()
    {
        Context = await Host.Browser.NewContextAsync(
            new BrowserNewContextOptions
            {
                ViewportSize = Viewport,
                BaseURL = Host.BaseUrl.ToString(),
                ReducedMotion = ReducedMotion.Reduce,
            }
        );
        Context.SetDefaultTimeout(15_000);
        Page = await Context.NewPageAsync();
        Page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
                lock (_console)
                    _console.Add($"{m.Type}: {m.Text}");
        };
        Page.PageError += (_, e) =>
        {
            lock (_console)
                _console.Add($"page error: {e}");
        };
    }

    public async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result is TestResult.Failed;
        if (failed)
            await KeepScreenshotAsync("failed");
        await Context.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a page of the inbox as the banner's URL does: the key logs in and leaves the address.</summary>
    protected async Task OpenAsync(string path)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        await Page.GotoAsync($"{path}{separator}key={BrowserHost.AdminKey}");
        await Assertions.Expect(Page.Locator("#live")).ToHaveTextAsync("Live");
    }

    /// <summary>Saves a screenshot under TestResults/ui-screenshots (named after the test) and returns its
    /// path.</summary>
    protected async Task<string> KeepScreenshotAsync(string suffix)
    {
        var dir = ScreenshotDirectory();
        Directory.CreateDirectory(dir);
        var name = TestContext.Current.TestMethod?.MethodName ?? "test";
        var path = Path.Combine(dir, $"{GetType().Name}.{name}.{suffix}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        string[] console;
        lock (_console)
            console = [.. _console];
        if (console.Length > 0)
            await File.WriteAllLinesAsync(Path.ChangeExtension(path, ".console.txt"), console);
        return path;
    }

    /// <summary>The repository's TestResults folder (scripts/test keeps it), or PAGEBOX_UI_SCREENSHOTS.</summary>
    public static string ScreenshotDirectory()
    {
        if (Environment.GetEnvironmentVariable("PAGEBOX_UI_SCREENSHOTS") is { Length: > 0 } chosen)
            return chosen;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pagebox.slnx")))
                return Path.Combine(dir.FullName, "TestResults", "ui-screenshots");
        return Path.Combine(AppContext.BaseDirectory, "ui-screenshots");
    }

    /// <summary>Console errors of the page so far (a broken script shows up here).</summary>
    protected IReadOnlyList<string> ConsoleErrors()
    {
        lock (_console)
            return [.. _console.Where(c => !c.Contains("Failed to load resource", StringComparison.Ordinal))];
    }
}
