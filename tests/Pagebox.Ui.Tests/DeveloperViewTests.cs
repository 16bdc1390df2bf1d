using System.Text.Json;
using Microsoft.Playwright;
using Pagebox.Ui.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pagebox.Ui.Tests;

/// <summary>The developer's view, in a real browser: the clock buttons, the delivery log's replay, the journal, the
/// tokens.</summary>
public sealed class DeveloperViewTests(BrowserHost host) : UiTest(host)
{
    [Fact]
    public async Task ClockButtons_Clicked_MoveTheAppsClockByTheirAmounts()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        await OpenAsync(s.AppPath);
        var before = await s.World.GetClockAsync(s.App.Id, Ct);

        await Page.GetByRole(AriaRole.Button, new() { Name = "Move the clock forward 24 h" }).ClickAsync();
        var after24 = await WaitForClockAsync(s, before + TimeSpan.FromHours(24));
        Assert.InRange(after24 - before, TimeSpan.FromHours(24), TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await Expect(Page.Locator("#app-clock")).ToContainTextAsync(Day(after24));

        var expected = TimeSpan.FromHours(24);
        foreach (var (label, hours) in new[] { ("1 h", 1), ("48 h", 48), ("7 days", 168) })
        {
            await Page.GetByRole(AriaRole.Button, new() { Name = $"Move the clock forward {label}" }).ClickAsync();
            expected += TimeSpan.FromHours(hours);
            await WaitForClockAsync(s, before + expected);
        }
        var after = await s.World.GetClockAsync(s.App.Id, Ct);
        Assert.InRange(after - before, expected, expected + TimeSpan.FromMinutes(1));
        await Expect(Page.Locator("#app-clock")).ToContainTextAsync(Day(after));
        await Expect(Page.GetByText("Rule set 2025-09")).ToBeVisibleAsync();
        await KeepScreenshotAsync("clock");
    }

    [Fact]
    public async Task FailedDelivery_ReplayClicked_BotReceivesItAndTheLogSaysDelivered()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);

        // :: A delivery fails for good: the bot answers 500 until the platform gives up (one hour on the app's clock).
        // The app keeps its subscription after the give-up (the platform's unsubscribe is switched off), so the
        // developer can replay the failed delivery from the page.
        var kept = await s.World.SendAsync(
            HttpMethod.Patch,
            $"/_pagebox/apps/{s.App.Id}",
            new { disable_webhooks_on_failure = false },
            cancellationToken: Ct
        );
        Assert.Equal(System.Net.HttpStatusCode.OK, kept.Status);
        s.Receiver.AlwaysFail = true;
        await s.World.WriteAsync(s.PersonId, s.PageInfo.Id, "Is anyone there?", cancellationToken: Ct);
        var id = await WaitForDeliveryAsync(
            s,
            d => d.GetProperty("attempts").GetInt32() >= 1 && Carries(d, "Is anyone there?"),
            "a first failed attempt"
        );
        await s.World.AdvanceClockAsync(s.App.Id, TimeSpan.FromHours(2), Ct);
        await WaitForDeliveryAsync(
            s,
            d => d.GetProperty("id").GetInt64() == id && d.GetProperty("status").GetString() == "failed",
            "the delivery to give up"
        );
        s.Receiver.AlwaysFail = false;

        // :: The developer opens it, sees both signatures and the bot's answer, and replays it.
        await OpenAsync(s.AppPath + "?tab=webhooks");
        var entry = Page.Locator($"[data-delivery='{id}']");
        await Expect(entry).ToHaveAttributeAsync("data-status", "failed");
        await entry.GetByRole(AriaRole.Button, new() { Name = "failed" }).ClickAsync();
        await Expect(entry.GetByText("X-Hub-Signature-256")).ToBeVisibleAsync();
        await Expect(entry.GetByText("X-Hub-Signature", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(entry.Locator("td .badge.bad").First).ToHaveTextAsync("500");
        await KeepScreenshotAsync("failed");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();

        await s.Receiver.WaitForEventsAsync(
            e =>
                e.Has("message")
                && !e.IsEcho
                && e["message"].GetProperty("text").GetString() == "Is anyone there?"
                && e.Webhook.Succeeded,
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        await WaitForDeliveryAsync(
            s,
            d => d.GetProperty("id").GetInt64() == id && d.GetProperty("status").GetString() == "delivered",
            "the replay to be delivered"
        );
        await Expect(entry).ToHaveAttributeAsync("data-status", "delivered", new() { Timeout = 10_000 });
    }

    [Fact]
    public async Task Journal_RefusedCall_ShownWithItsErrorRedactedAndSearchable()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        await s.SendTextAsync("fine");
        var refused = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new { recipient = new { id = s.Psid }, messaging_type = "RESPONSE" },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.False(refused.IsSuccess);
        await OpenAsync(s.AppPath + "?tab=journal");

        var refusedEntry = Page.Locator(".entry.journal.refused");
        await Expect(refusedEntry).ToHaveCountAsync(1);
        await Expect(refusedEntry.Locator(".summary .badge.bad")).ToContainTextAsync("#100");
        await refusedEntry.Locator("button.summary").ClickAsync();
        var parameters = refusedEntry.Locator("pre.json").First;
        await Expect(parameters).ToContainTextAsync("(redacted)");
        await Expect(parameters).Not.ToContainTextAsync(s.PageInfo.AccessToken);

        await Page.GetByLabel("Refused calls only").CheckAsync();
        await Expect(Page.Locator(".entry.journal")).ToHaveCountAsync(1);
        await Page.GetByLabel("Refused calls only").UncheckAsync();
        // The unfiltered list is back before the search narrows it (else the count of one could still be the
        // refused-only list's).
        await Expect(Page.Locator(".entry.journal:not(.refused)").First).ToBeVisibleAsync();
        await Page.GetByRole(AriaRole.Searchbox).FillAsync("subscribed_apps");
        await Expect(Page.Locator(".entry.journal")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".entry.journal .path")).ToContainTextAsync("subscribed_apps");
        await KeepScreenshotAsync("journal");
    }

    [Fact]
    public async Task Journal_PathMethodStatusAndCodeFilters_NarrowTheListAsTheWorldFaceDoes()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        await s.SendTextAsync("fine");
        var refused = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new { recipient = new { id = s.Psid }, messaging_type = "RESPONSE" },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.False(refused.IsSuccess);
        var read = await s.Graph.GetAsync(
            $"{s.PageInfo.Id}/subscribed_apps",
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(read.IsSuccess, read.ToString());
        await OpenAsync(s.AppPath + "?tab=journal");
        var entries = Page.Locator(".entry.journal");
        await Expect(entries.Locator(".path", new() { HasText = "subscribed_apps" }).First).ToBeVisibleAsync();

        await Page.GetByLabel("Path contains", new() { Exact = true }).FillAsync("/messages");
        await Expect(entries).ToHaveCountAsync(2);
        await Page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("4xx");
        await Expect(entries).ToHaveCountAsync(1);
        await Expect(entries.Locator(".badge.bad")).ToContainTextAsync("#100");
        await Page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("2xx");
        await Expect(entries).ToHaveCountAsync(1);
        await Expect(entries.Locator(".badge.ok")).ToContainTextAsync("200");
        await Page.GetByLabel("Status", new() { Exact = true }).SelectOptionAsync("");
        await Page.GetByLabel("Error code", new() { Exact = true }).FillAsync("100");
        await Expect(entries).ToHaveCountAsync(1);
        await Page.GetByLabel("Error code", new() { Exact = true }).FillAsync("613");
        await Expect(Page.GetByText("No call matches.")).ToBeVisibleAsync();

        await Page.GetByLabel("Error code", new() { Exact = true }).FillAsync("");
        await Page.GetByLabel("Path contains", new() { Exact = true }).FillAsync("");
        await Page.GetByLabel("Method", new() { Exact = true }).SelectOptionAsync("GET");
        await Expect(entries.First).ToBeVisibleAsync();
        for (var i = 0; i < await entries.CountAsync(); i++)
            Assert.Equal("GET", await entries.Nth(i).Locator(".summary .badge").First.TextContentAsync());
        await Expect(entries.Locator(".path", new() { HasText = "subscribed_apps" })).ToHaveCountAsync(1);
        await Expect(entries.Locator(".path", new() { HasText = "/messages" })).ToHaveCountAsync(0);
        await KeepScreenshotAsync("journal-filters");
        Assert.Empty(ConsoleErrors());
    }

    [Fact]
    public async Task TokensTable_AfterAMarketingMessage_ShowsNextEligibleTime()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        var mid = await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "notification_messages",
                            title = "Flash sales",
                            payload = "FLASH",
                        },
                    },
                },
            }
        );
        var tap = await s.World.OptInAsync(s.PersonId, s.PageInfo.Id, mid, cancellationToken: Ct);
        var token = tap.GetProperty("notification_messages_token").GetString()!;
        for (var i = 0; i < 4; i++)
            await s.SendAsync(
                new { recipient = new { notification_messages_token = token }, message = new { text = $"Deal {i}" } }
            );
        await OpenAsync(s.AppPath + "?tab=tokens");

        var row = Page.Locator("tr").Filter(new() { HasText = token });
        await Expect(row).ToContainTextAsync("Flash sales");
        await Expect(row).ToContainTextAsync("active");
        await Expect(row).ToContainTextAsync("in 48 h");
        await Expect(row).ToContainTextAsync("2024: in 24 h");

        // The marketing message and the follow-ups are marked in the person's conversation.
        await Page.GotoAsync(s.ConversationPath);
        await Expect(Page.Locator(".msg[data-kind='followup'] .mark")).ToHaveCountAsync(3);
        await Expect(Page.Locator(".msg[data-kind='marketing'] .mark")).ToHaveTextAsync("◆ Marketing message");
        await KeepScreenshotAsync("marks");
    }

    private static string Day(DateTimeOffset t) =>
        t.UtcDateTime.ToString("ddd d MMM", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<DateTimeOffset> WaitForClockAsync(BotScenario s, DateTimeOffset atLeast)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var now = await s.World.GetClockAsync(s.App.Id, Ct);
            if (now >= atLeast)
                return now;
            if (clock.Elapsed > TimeSpan.FromSeconds(15))
                throw new TimeoutException($"The app's clock reads {now:O}, expected at least {atLeast:O}");
            await Task.Delay(50, Ct);
        }
    }

    private static bool Carries(JsonElement delivery, string text) =>
        delivery.GetProperty("body").GetRawText().Contains(text, StringComparison.Ordinal);

    private static async Task<long> WaitForDeliveryAsync(BotScenario s, Func<JsonElement, bool> match, string because)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var log = await s.DeliveriesAsync();
            foreach (var d in log.EnumerateArray())
                if (match(d))
                    return d.GetProperty("id").GetInt64();
            if (clock.Elapsed > TimeSpan.FromSeconds(20))
                throw new TimeoutException($"Timed out waiting for {because}: {log.GetRawText()}");
            await Task.Delay(50, Ct);
        }
    }
}
