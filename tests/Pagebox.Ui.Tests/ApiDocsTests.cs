using Pagebox.Ui.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pagebox.Ui.Tests;

/// <summary>The API reference at /_pagebox/docs, in a real browser: both OpenAPI documents load and render,
/// offline.</summary>
public sealed class ApiDocsTests(BrowserHost host) : UiTest(host)
{
    [Fact]
    public async Task Docs_OpenedWithoutKey_RendersTheWorldFaceFromPageboxItself()
    {
        var outside = new List<string>();
        Page.Request += (_, r) =>
        {
            if (
                !r.Url.StartsWith(Host.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal)
                && !r.Url.StartsWith("data:", StringComparison.Ordinal)
            )
                outside.Add(r.Url);
        };

        await Page.GotoAsync("/_pagebox/docs");

        await Expect(Page.GetByText("Pagebox world face").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // Operations are grouped by the endpoint class that serves them: the state's, the journal's (UiApi).
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "StateApi" }))
            .ToBeVisibleAsync();
        await Expect(Page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "UiApi" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("docs");
        Assert.Empty(ConsoleErrors());
        Assert.DoesNotContain(
            outside,
            u => u.Contains("openapi", StringComparison.Ordinal) || u.EndsWith(".js", StringComparison.Ordinal)
        );
    }
}
