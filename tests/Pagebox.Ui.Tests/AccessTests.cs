using Microsoft.Playwright;
using Pagebox.Ui.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pagebox.Ui.Tests;

/// <summary>Getting in: the banner's URL, the key prompt, the browser's GET /, and the phone-width conversation by
/// keyboard.</summary>
public sealed class AccessTests(BrowserHost host) : UiTest(host)
{
    [Fact]
    public async Task Root_OpenedByABrowserWithoutKey_AsksForTheKeyThenShowsTheStart()
    {
        await Page.GotoAsync("/");
        Assert.EndsWith("/_pagebox/ui/", Page.Url, StringComparison.Ordinal);
        var key = Page.GetByLabel("Admin key");
        await Expect(key).ToBeFocusedAsync();
        await key.FillAsync("wrong");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not the admin key" })).ToBeVisibleAsync();
        await key.FillAsync(BrowserHost.AdminKey);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Be a person" })).ToBeVisibleAsync();
        var cookie = Assert.Single(await Context.CookiesAsync(), c => c.Name == "pagebox_key");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
    }

    [Fact]
    public async Task BannerUrl_KeyInTheAddress_LeavesTheAddressAndLogsIn()
    {
        await Page.GotoAsync($"/_pagebox/ui/?key={BrowserHost.AdminKey}");
        Assert.DoesNotContain("key=", Page.Url, StringComparison.Ordinal);
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Developer’s view" })).ToBeVisibleAsync();
    }
}

/// <summary>The person's view at phone width, used with the keyboard only.</summary>
public sealed class PhoneTests(BrowserHost host) : UiTest(host)
{
    protected override ViewportSize Viewport => Phone;

    [Fact]
    public async Task Conversation_AtPhoneWidth_FitsAndSendsByKeyboard()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        await s.SendTextAsync("Welcome! How can we help?");
        await OpenAsync(s.ConversationPath);
        await Expect(Page.Locator(".msg.in .bubble").Filter(new() { HasText = "Welcome!" })).ToBeVisibleAsync();
        Assert.True(
            await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways at phone width"
        );
        await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Chats" })).ToBeHiddenAsync();

        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Message" }).FocusAsync();
        await Page.Keyboard.TypeAsync("I need size 43");
        await Page.Keyboard.PressAsync("Enter");
        await s.Receiver.WaitForEventsAsync(
            e => e.Has("message") && !e.IsEcho && e["message"].GetProperty("text").GetString() == "I need size 43",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        await Expect(Page.Locator(".msg.out .bubble").Filter(new() { HasText = "I need size 43" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Textbox, new() { Name = "Message" })).ToBeFocusedAsync();
        await KeepScreenshotAsync("phone");

        // Back to the chat list, where the Page is listed.
        await Page.GetByRole(AriaRole.Link, new() { Name = "Back to chats" }).ClickAsync();
        await Expect(
                Page.GetByRole(AriaRole.Navigation, new() { Name = "Chats" })
                    .Locator($"a[href$='/pages/{s.PageInfo.Id}']")
            )
            .ToContainTextAsync("Active conversation");
        await KeepScreenshotAsync("phone-chats");
    }
}
