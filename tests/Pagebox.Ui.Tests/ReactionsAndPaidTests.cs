using System.Net;
using Microsoft.Playwright;
using Pagebox.Ui.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pagebox.Ui.Tests;

/// <summary>
/// Reactions and paid marketing messages on the inbox page, in a real browser: the person reacts from the bubble and
/// the bot gets message_reactions; reactions made elsewhere (the world face, the Send API's react) appear live on their
/// message; messages of the Marketing Messages API for Messenger are marked sponsored with their campaign in the
/// person's and the developer's views.
/// </summary>
public sealed class ReactionsAndPaidTests(BrowserHost host) : UiTest(host)
{
    private const string Love = "❤️";
    private const string Like = "👍";
    private const string Wow = "😮";

    [Fact]
    public async Task Reaction_TappedOnTheBubble_BotGetsMessageReactions_TappedAgain_TakesItBack()
    {
        await using var s = await BotScenario.StartAsync(
            Host,
            moreFields: ["message_reactions"],
            cancellationToken: Ct
        );
        var mid = await s.SendTextAsync("Your parcel is on its way");
        await OpenAsync(s.ConversationPath);
        var message = Page.Locator($"[data-mid='{mid}']");
        await Expect(message.Locator(".bubble")).ToHaveTextAsync("Your parcel is on its way");

        // :: React with love from the bubble's reaction bar.
        await message.GetByRole(AriaRole.Button, new() { Name = "React to this message" }).ClickAsync();
        await KeepScreenshotAsync("picker");
        await message.GetByRole(AriaRole.Button, new() { Name = "React with love" }).ClickAsync();
        var reacted = await s.Receiver.WaitForEventsAsync(
            e => e.Has("reaction") && e["reaction"].GetProperty("action").GetString() == "react",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        var reaction = Assert.Single(reacted)["reaction"];
        Assert.Equal(mid, reaction.GetProperty("mid").GetString());
        Assert.Equal(Love, reaction.GetProperty("emoji").GetString());
        Assert.Equal("love", reaction.GetProperty("reaction").GetString());
        Assert.Equal(s.Psid, reacted[0].Event.GetProperty("sender").GetProperty("id").GetString());
        await Expect(message.GetByRole(AriaRole.Img, new() { Name = $"You reacted {Love}" })).ToBeVisibleAsync();
        await Expect(message.GetByRole(AriaRole.Group, new() { Name = "Pick a reaction" })).ToHaveCountAsync(0);
        await KeepScreenshotAsync("reacted");

        // :: By keyboard: Escape closes the bar and gives the focus back to its button.
        await message.GetByRole(AriaRole.Button, new() { Name = "React to this message" }).FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "Remove your love reaction" }))
            .ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Escape");
        await Expect(message.GetByRole(AriaRole.Group, new() { Name = "Pick a reaction" })).ToHaveCountAsync(0);
        await Expect(message.GetByRole(AriaRole.Button, new() { Name = "React to this message" })).ToBeFocusedAsync();

        // :: The same emoji again takes it back: unreact, and the bubble has no reaction left.
        await message.GetByRole(AriaRole.Button, new() { Name = "React to this message" }).ClickAsync();
        await message.GetByRole(AriaRole.Button, new() { Name = "Remove your love reaction" }).ClickAsync();
        var unreacted = await s.Receiver.WaitForEventsAsync(
            e => e.Has("reaction") && e["reaction"].GetProperty("action").GetString() == "unreact",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.Equal(mid, unreacted[0]["reaction"].GetProperty("mid").GetString());
        await Expect(message.Locator(".reactions")).ToHaveCountAsync(0);
        Assert.Empty(ConsoleErrors());
    }

    [Fact]
    public async Task Reactions_ByTheWorldFaceAndBySendApiReact_AppearLiveOnTheirMessages_InBothViews()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        var pageMid = await s.SendTextAsync("Shall we ship today?");
        await OpenAsync(s.ConversationPath);
        await Expect(Page.Locator($"[data-mid='{pageMid}'] .bubble")).ToHaveTextAsync("Shall we ship today?");
        await Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // :: The person's reaction made through the world face (as a test suite makes it) appears without reload.
        var made = await s.World.SendAsync(
            HttpMethod.Post,
            $"/_pagebox/persons/{s.PersonId}/reactions",
            new
            {
                page_id = s.PageInfo.Id,
                mid = pageMid,
                emoji = Like,
            },
            cancellationToken: Ct
        );
        Assert.True(made.IsSuccess, made.RawBody);
        await Expect(
                Page.Locator($"[data-mid='{pageMid}']").GetByRole(AriaRole.Img, new() { Name = $"You reacted {Like}" })
            )
            .ToBeVisibleAsync(new() { Timeout = 10_000 });

        // :: The Page reacts to the person's message with the Send API (sender_action react): drawn on that message.
        var personMid = (await s.World.WriteAsync(s.PersonId, s.PageInfo.Id, "Yes please", cancellationToken: Ct)).Mid;
        var react = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new
            {
                recipient = new { id = s.Psid },
                sender_action = "react",
                payload = new { message_id = personMid, reaction = Wow },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(react.IsSuccess, react.ToString());
        var theirs = Page.Locator($"[data-mid='{personMid}']")
            .GetByRole(AriaRole.Img, new() { Name = $"Shoe Shop reacted {Wow}" });
        await Expect(theirs).ToBeVisibleAsync(new() { Timeout = 10_000 });
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        await KeepScreenshotAsync("both-reactions");

        // :: A react without the message it names is refused with the parameter named, and unreact takes it away.
        var bad = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new
            {
                recipient = new { id = s.Psid },
                sender_action = "react",
                payload = new { reaction = Wow },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.False(bad.IsSuccess);
        Assert.Contains("payload[message_id]", bad.ToString(), StringComparison.Ordinal);
        var unreact = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new
            {
                recipient = new { id = s.Psid },
                sender_action = "unreact",
                payload = new { message_id = personMid },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(unreact.IsSuccess, unreact.ToString());
        await Expect(theirs).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Expect(
                Page.Locator($"[data-mid='{pageMid}']").GetByRole(AriaRole.Img, new() { Name = $"You reacted {Like}" })
            )
            .ToBeVisibleAsync();

        // :: The developer's view shows the person's reaction on the Page's message.
        await OpenAsync(s.AppPath + "?tab=conversations");
        var row = Page.Locator("tr").Filter(new() { Has = Page.Locator($"[data-mid='{pageMid}']") });
        await Expect(row).ToContainTextAsync($"{Like} Ada Lovelace (like)");
        await KeepScreenshotAsync("developer");
    }

    [Fact]
    public async Task PaidMarketingMessage_SentInACampaign_MarkedSponsoredWithItsCampaign_InBothViews_ALinkTapIsAClick()
    {
        await using var s = await BotScenario.StartAsync(
            Host,
            moreFields: ["marketing_message_clicks"],
            cancellationToken: Ct
        );

        // :: The legacy opt-in gives the subscription token; an ad account, a campaign, its hour of warm-up, a send.
        var request = await s.SendAsync(
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
                            title = "Weekly deals",
                            payload = "DEALS",
                        },
                    },
                },
            }
        );
        var tap = await s.World.OptInAsync(s.PersonId, s.PageInfo.Id, request, cancellationToken: Ct);
        var token = tap.GetProperty("notification_messages_token").GetString()!;
        var account = await s.World.SendAsync(
            HttpMethod.Post,
            $"/_pagebox/apps/{s.App.Id}/ad_accounts",
            new { page_id = s.PageInfo.Id, balance_cents = 10_000 },
            cancellationToken: Ct
        );
        Assert.True(account.Status == HttpStatusCode.Created, account.RawBody);
        var act = account.Body.GetProperty("id").GetString()!;
        var campaign = await s.Graph.PostAsync(
            $"{act}/message_campaign",
            new
            {
                name = "Summer sale",
                page_id = s.PageInfo.Id,
                daily_budget = 1000,
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(campaign.IsSuccess, campaign.ToString());
        var campaignId = campaign.Body.GetProperty("id").GetString()!;
        await s.World.AdvanceClockAsync(s.App.Id, TimeSpan.FromHours(1), Ct);

        await OpenAsync(s.ConversationPath);
        await Page.EvaluateAsync("() => { window.__sameDocument = true; }");
        var sent = await s.Graph.PostAsync(
            $"{act}/messages",
            new
            {
                message_id = campaignId,
                messenger_delivery_data = new { subscription_token = token },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "generic",
                            elements = new object[]
                            {
                                new
                                {
                                    title = "Hi {{first_name}}, 20% off today",
                                    subtitle = "Hats for everyone",
                                    buttons = new object[]
                                    {
                                        new
                                        {
                                            type = "web_url",
                                            url = "https://shop.example/hats",
                                            title = "View Website",
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(sent.IsSuccess, sent.ToString());

        // :: The person's view: the message arrives live, marked sponsored with its campaign; an organic one is not.
        var paid = Page.Locator(".msg.in[data-kind='paid_marketing']");
        await Expect(paid.Locator(".tcard .title"))
            .ToHaveTextAsync("Hi Ada, 20% off today", new() { Timeout = 10_000 });
        await Expect(paid.Locator(".mark")).ToHaveTextAsync("◆ Sponsored · Paid · Summer sale");
        await Expect(paid.GetByText("sponsored: paid marketing message", new() { Exact = false })).ToHaveCountAsync(1);
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        await Expect(Page.Locator($"[data-mid='{request}'] .mark")).ToHaveCountAsync(0);
        await KeepScreenshotAsync("person");

        // :: A paid card's link, tapped in the page: the bot gets marketing_message_clicks for that message.
        var cardMid = await paid.GetAttributeAsync("data-mid");
        // no trip outside
        await Context.RouteAsync(
            "https://shop.example/**",
            r => r.FulfillAsync(new() { Body = "the shop", ContentType = "text/plain" })
        );
        var popup = Context.WaitForPageAsync();
        await paid.GetByRole(AriaRole.Link, new() { Name = "View Website" }).ClickAsync();
        var clicks = await s.Receiver.WaitForAsync(
            r =>
                r.Changes()
                    .Where(c =>
                        c.Field == "marketing_message_clicks" && c.Value.GetProperty("mid").GetString() == cardMid
                    )
                    .ToList()
                    is { Count: > 0 } hits
                    ? hits
                    : null,
            TimeSpan.FromSeconds(15),
            "the click webhook",
            Ct
        );
        Assert.Equal(campaignId, clicks[0].Value.GetProperty("message_id").GetString());
        await (await popup).CloseAsync();

        // :: The developer's view: the same messages with the campaign's name.
        await OpenAsync(s.AppPath + "?tab=conversations");
        var row = Page.Locator("tr").Filter(new() { HasText = "Hi Ada, 20% off today" });
        await Expect(row.Locator(".badge.paid")).ToHaveTextAsync("Sponsored · Paid · Summer sale");
        await Expect(Page.Locator(".badge.paid")).ToHaveCountAsync(1);
        await KeepScreenshotAsync("developer");
    }

    [Fact]
    public async Task NewAppAndPage_CreatedByClicking_ThePersonFindsThePageAndTheBotCanAnswer()
    {
        var person = await Host.World.CreatePersonAsync("Katherine Johnson", cancellationToken: Ct);
        var appName = "Clicked bot " + Guid.NewGuid().ToString("N")[..6];
        await OpenAsync("/_pagebox/ui/");

        // :: A new app from the start page opens its developer's view.
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "New app" }).FillAsync(appName);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create app" }).ClickAsync();
        await Expect(Page.Locator(".dev-head h1")).ToHaveTextAsync(appName);
        var appId = Page.Url.Split("/apps/")[1].Split('?')[0];
        var app = await Host.World.GetAppAsync(appId, Ct);
        Assert.Equal(appName, app.GetProperty("name").GetString());
        await Expect(Page.Locator("#app-secret")).ToHaveTextAsync(app.GetProperty("secret").GetString()!);

        // :: A new Page of it, by clicking: listed at once with its access token.
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "New Page" }).FillAsync("Clicked Cafe");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create Page" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Clicked Cafe messenger" }))
            .ToBeVisibleAsync(new() { Timeout = 15_000 });
        var pages = (await Host.World.GetAppAsync(appId, Ct)).GetProperty("pages").EnumerateArray().ToList();
        var created = Assert.Single(pages);
        Assert.Equal("Clicked Cafe", created.GetProperty("name").GetString());
        var pageId = created.GetProperty("id").GetString()!;
        var accessToken = created.GetProperty("access_token").GetString()!;
        await Expect(Page.GetByTitle("Page access token")).ToHaveTextAsync(accessToken);
        await KeepScreenshotAsync("developer");

        // :: The person finds the Page among their chats, writes, and the bot answers with the Page's token.
        await Page.GotoAsync($"/_pagebox/ui/persons/{person}");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Clicked Cafe" }).ClickAsync();
        await Page.GetByLabel("Message", new() { Exact = true }).FillAsync("Open today?");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(Page.Locator(".msg.out .bubble")).ToHaveTextAsync("Open today?");
        var conversation = await Host.World.GetConversationAsync(person, pageId, Ct);
        var psid = conversation.GetProperty("psid").GetString()!;
        var answer = await Host.Graph.PostAsync(
            $"{pageId}/messages",
            new
            {
                recipient = new { id = psid },
                messaging_type = "RESPONSE",
                message = new { text = "Until 6 pm" },
            },
            accessToken,
            cancellationToken: Ct
        );
        Assert.True(answer.IsSuccess, answer.ToString());
        await Expect(Page.Locator(".msg.in .bubble")).ToHaveTextAsync("Until 6 pm", new() { Timeout = 10_000 });
    }
}
