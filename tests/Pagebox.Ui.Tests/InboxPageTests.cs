using Microsoft.Playwright;
using Pagebox.Ui.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pagebox.Ui.Tests;

/// <summary>The person's view, in a real browser: what the bot sends appears as Messenger shows it, and taps reach the
/// bot.</summary>
public sealed class InboxPageTests(BrowserHost host) : UiTest(host)
{
    [Fact]
    public async Task OptInRequest_TapCallToAction_TokenListedAndBotGetsMessagingOptins()
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
                            title = "Weekly deals",
                            payload = "DEALS",
                            image_url = "https://example.com/deals.png",
                            image_aspect_ratio = "SQUARE",
                            notification_messages_cta_text = "SIGN_UP",
                            notification_messages_timezone = "UTC",
                        },
                    },
                },
            }
        );
        await OpenAsync(s.ConversationPath);

        // :: The card as Meta renders it: the image at its aspect ratio, the title, the chosen call-to-action.
        var card = Page.Locator($"[data-mid='{mid}'] .tcard.optin");
        await Expect(card.Locator(".title")).ToHaveTextAsync("Weekly deals");
        await Expect(card.Locator(".pic.square")).ToHaveCountAsync(1);
        await KeepScreenshotAsync("before-tap");
        await card.GetByRole(AriaRole.Button, new() { Name = "Sign up for messages" }).ClickAsync();

        // :: The bot got messaging_optins with the token, and the token list has it.
        var optins = await s.Receiver.WaitForEventsAsync(
            e => e.Has("optin"),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        var optin = optins[0]["optin"];
        Assert.Equal("notification_messages", optin.GetProperty("type").GetString());
        Assert.Equal("DEALS", optin.GetProperty("payload").GetString());
        var token = optin.GetProperty("notification_messages_token").GetString();
        var listed = await s.Graph.GetAsync(
            $"{s.PageInfo.Id}/notification_message_tokens",
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(listed.IsSuccess, listed.ToString());
        var tokens = listed.Body.GetProperty("data").EnumerateArray().ToList();
        var row = Assert.Single(tokens);
        Assert.Equal(token, row.GetProperty("notification_messages_token").GetString());
        Assert.Equal("Weekly deals", row.GetProperty("topic_title").GetString());
        Assert.Equal(s.Psid, row.GetProperty("recipient_id").GetString());

        // :: And the card says so.
        await Expect(card.GetByRole(AriaRole.Button, new() { Name = "Subscribed to Weekly deals" })).ToBeVisibleAsync();
        await KeepScreenshotAsync("subscribed");
    }

    [Fact]
    public async Task Carousel_TapPostbackOfSecondCard_BotGetsThatPostback()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        var mid = await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
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
                                    title = "Trail Runner",
                                    subtitle = "For muddy paths",
                                    image_url = "https://example.com/trail.png",
                                    buttons = new object[]
                                    {
                                        new
                                        {
                                            type = "postback",
                                            title = "Buy",
                                            payload = "BUY_TRAIL",
                                        },
                                        new
                                        {
                                            type = "web_url",
                                            title = "Details",
                                            url = "https://example.com/trail",
                                        },
                                    },
                                },
                                new
                                {
                                    title = "Road Racer",
                                    subtitle = "Light and fast",
                                    image_url = "https://example.com/road.png",
                                    buttons = new object[]
                                    {
                                        new
                                        {
                                            type = "postback",
                                            title = "Buy",
                                            payload = "BUY_ROAD",
                                        },
                                    },
                                },
                                new
                                {
                                    title = "City Walker",
                                    subtitle = "All day",
                                    buttons = new object[]
                                    {
                                        new
                                        {
                                            type = "postback",
                                            title = "Buy",
                                            payload = "BUY_CITY",
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            }
        );
        await OpenAsync(s.ConversationPath);

        var carousel = Page.Locator($"[data-mid='{mid}'] [aria-roledescription='carousel']");
        await Expect(carousel.Locator("[aria-roledescription='slide']")).ToHaveCountAsync(3);
        await Expect(carousel.GetByRole(AriaRole.Group, new() { Name = "Road Racer, 2 of 3" })).ToBeVisibleAsync();
        await carousel.GetByRole(AriaRole.Button, new() { Name = "Next card" }).ClickAsync();
        await KeepScreenshotAsync("carousel");
        await carousel
            .GetByRole(AriaRole.Group, new() { Name = "Road Racer, 2 of 3" })
            .GetByRole(AriaRole.Button, new() { Name = "Buy" })
            .ClickAsync();

        var postbacks = await s.Receiver.WaitForEventsAsync(
            e => e.Has("postback"),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        var postback = Assert.Single(postbacks)["postback"];
        Assert.Equal("BUY_ROAD", postback.GetProperty("payload").GetString());
        Assert.Equal("Buy", postback.GetProperty("title").GetString());
        Assert.Equal(mid, postback.GetProperty("mid").GetString());
    }

    [Fact]
    public async Task BotMessage_SentWhileThePageIsOpen_AppearsWithoutReload()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        await OpenAsync(s.ConversationPath);
        await Expect(Page.Locator(".msg.out .bubble")).ToHaveTextAsync("Hello shop");
        await Page.EvaluateAsync("() => { window.__sameDocument = true; }");

        // :: The typing indicator, then the message, each pushed by the server.
        var typing = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new { recipient = new { id = s.Psid }, sender_action = "typing_on" },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(typing.IsSuccess, typing.ToString());
        await Expect(Page.GetByRole(AriaRole.Status, new() { Name = "Shoe Shop is typing" }))
            .ToBeVisibleAsync(new() { Timeout = 10_000 });
        await s.SendTextAsync("Your order has shipped 📦");
        await Expect(Page.Locator(".msg.in .bubble").Filter(new() { HasText = "Your order has shipped" }))
            .ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(Page.GetByRole(AriaRole.Status, new() { Name = "Shoe Shop is typing" })).ToHaveCountAsync(0);
        Assert.True(await Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");

        // :: Looking at it reads it: the bot gets message_reads.
        await s.Receiver.WaitForEventsAsync(
            e => e.Has("read"),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        await KeepScreenshotAsync("live");
    }

    [Fact]
    public async Task QuickReplyMenuAndGetStarted_Taps_ReachTheBotAsThePlatformSendsThem()
    {
        await using var s = await BotScenario.StartAsync(Host, cancellationToken: Ct);
        var profile = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messenger_profile",
            new
            {
                get_started = new { payload = "GET_STARTED" },
                persistent_menu = new object[]
                {
                    new
                    {
                        locale = "default",
                        composer_input_disabled = false,
                        call_to_actions = new object[]
                        {
                            new
                            {
                                type = "postback",
                                title = "My orders",
                                payload = "ORDERS",
                            },
                        },
                    },
                },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(profile.IsSuccess, profile.ToString());
        await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
                message = new
                {
                    text = "Which size?",
                    quick_replies = new object[]
                    {
                        new
                        {
                            content_type = "text",
                            title = "42",
                            payload = "SIZE_42",
                        },
                        new
                        {
                            content_type = "text",
                            title = "43",
                            payload = "SIZE_43",
                        },
                    },
                },
            }
        );
        await OpenAsync(s.ConversationPath);

        await Page.GetByRole(AriaRole.Group, new() { Name = "Quick replies" })
            .GetByRole(AriaRole.Button, new() { Name = "43" })
            .ClickAsync();
        var replies = await s.Receiver.WaitForEventsAsync(
            e => e.Has("message") && !e.IsEcho && e["message"].TryGetProperty("quick_reply", out _),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.Equal("SIZE_43", replies[0]["message"].GetProperty("quick_reply").GetProperty("payload").GetString());
        Assert.Equal("43", replies[0]["message"].GetProperty("text").GetString());
        await Expect(Page.GetByRole(AriaRole.Group, new() { Name = "Quick replies" })).ToBeHiddenAsync();

        // :: The persistent menu, by keyboard.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Menuitem, new() { Name = "My orders" })).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        var menu = await s.Receiver.WaitForEventsAsync(
            e => e.Has("postback") && e["postback"].GetProperty("payload").GetString() == "ORDERS",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.Equal("My orders", menu[0]["postback"].GetProperty("title").GetString());

        // :: Get Started, in a new person's first conversation with the Page.
        var newcomer = await s.World.CreatePersonAsync("Grace Hopper", cancellationToken: Ct);
        await Page.GotoAsync($"/_pagebox/ui/persons/{newcomer}/pages/{s.PageInfo.Id}");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Get Started" }).ClickAsync();
        var started = await s.Receiver.WaitForEventsAsync(
            e => e.Has("postback") && e["postback"].GetProperty("payload").GetString() == "GET_STARTED",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.NotEqual(s.Psid, started[0].SenderId);
    }

    [Fact]
    public async Task StopResumeAndBlock_FromTheDetails_TellTheBot()
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
                            title = "Restocks",
                            payload = "RESTOCK",
                        },
                    },
                },
            }
        );
        var tap = await s.World.OptInAsync(s.PersonId, s.PageInfo.Id, mid, cancellationToken: Ct);
        await OpenAsync(s.ConversationPath);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Conversation details" }).ClickAsync();
        var details = Page.GetByRole(AriaRole.Complementary, new() { Name = "Conversation details" });
        await details.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await s.Receiver.WaitForEventsAsync(
            e =>
                e.Has("optin")
                && e["optin"].TryGetProperty("notification_messages_status", out var st)
                && st.GetString() == "STOP_NOTIFICATIONS",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        await details.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await s.Receiver.WaitForEventsAsync(
            e =>
                e.Has("optin")
                && e["optin"].TryGetProperty("notification_messages_status", out var st)
                && st.GetString() == "RESUME_NOTIFICATIONS",
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );

        await details.GetByLabel("ref").FillAsync("summer-sale");
        await details.GetByRole(AriaRole.Button, new() { Name = "Follow link" }).ClickAsync();
        var referral = await s.Receiver.WaitForEventsAsync(
            e => e.Has("referral"),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.Equal("summer-sale", referral[0]["referral"].GetProperty("ref").GetString());

        Page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await details.GetByRole(AriaRole.Button, new() { Name = "Block" }).ClickAsync();
        await Expect(Page.GetByText("You blocked messages from Shoe Shop")).ToBeVisibleAsync();
        var refused = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
                message = new { text = "hi" },
            },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.False(refused.IsSuccess, refused.ToString());
        Assert.NotNull(tap.GetProperty("notification_messages_token").GetString());
    }
}

/// <summary>Every kind of message a bot sends, as the person sees it: personas, media, button templates, read
/// marks.</summary>
public sealed class ConversationLookTests(BrowserHost host) : UiTest(host)
{
    [Fact]
    public async Task RichConversation_PersonaPictureButtonsAndSeen_RenderAsMessengerShowsThem()
    {
        await using var s = await BotScenario.StartAsync(Host, "Grace Hopper", cancellationToken: Ct);
        var persona = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/personas",
            new { name = "Anna from Support", profile_picture_url = "https://example.com/anna.png" },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(persona.IsSuccess, persona.ToString());
        var personaId = persona.Body.GetProperty("id").GetString();
        await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
                persona_id = personaId,
                message = new { text = "Hi Grace, Anna here. Let me check." },
            }
        );
        await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
                message = new
                {
                    attachment = new { type = "image", payload = new { url = "https://example.com/receipt.png" } },
                },
            }
        );
        await s.SendAsync(
            new
            {
                recipient = new { id = s.Psid },
                messaging_type = "RESPONSE",
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "button",
                            text = "Your parcel is on its way. Track it?",
                            buttons = new object[]
                            {
                                new
                                {
                                    type = "postback",
                                    title = "Track",
                                    payload = "TRACK",
                                },
                                new
                                {
                                    type = "web_url",
                                    title = "Open website",
                                    url = "https://example.com/track",
                                },
                            },
                        },
                    },
                },
            }
        );
        await s.World.WriteAsync(s.PersonId, s.PageInfo.Id, "Thanks!", cancellationToken: Ct);
        var seen = await s.Graph.PostAsync(
            $"{s.PageInfo.Id}/messages",
            new { recipient = new { id = s.Psid }, sender_action = "mark_seen" },
            s.PageInfo.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(seen.IsSuccess, seen.ToString());
        await OpenAsync(s.ConversationPath);

        await Expect(Page.Locator(".sender")).ToHaveTextAsync("Anna from Support · Shoe Shop");
        await Expect(Page.Locator(".media")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".buttons-bubble .bubble")).ToHaveTextAsync("Your parcel is on its way. Track it?");
        await Expect(Page.GetByRole(AriaRole.Link, new() { Name = "Open website" }))
            .ToHaveAttributeAsync("target", "_blank");
        await Expect(Page.GetByLabel("Seen by Shoe Shop")).ToBeVisibleAsync();
        await KeepScreenshotAsync("rich");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Track" }).ClickAsync();
        var postback = await s.Receiver.WaitForEventsAsync(
            e => e.Has("postback"),
            timeout: TimeSpan.FromSeconds(15),
            cancellationToken: Ct
        );
        Assert.Equal("TRACK", postback[0]["postback"].GetProperty("payload").GetString());

        // The details drawer, for the look of it and its labels.
        await Page.GetByRole(AriaRole.Button, new() { Name = "Conversation details" }).ClickAsync();
        await Expect(Page.GetByLabel("ref")).ToBeVisibleAsync();
        await KeepScreenshotAsync("details");
        await Page.Keyboard.PressAsync("Escape");
        await Expect(Page.GetByRole(AriaRole.Complementary, new() { Name = "Conversation details" })).ToBeHiddenAsync();
        Assert.Empty(ConsoleErrors());
    }
}
