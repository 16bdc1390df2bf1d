using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>
/// The migration the seeds ask partners to make, end to end over HTTP with a real webhook receiver: a person opts in
/// through the legacy opt-in template, the bot sends on the same token through the Marketing Messages API for Messenger
/// (a campaign on an ad account), meets the 12-hour cap, receives the echo, delivery, read and click webhooks, and
/// finds the spend in the insights and on the ad account.
/// </summary>
public sealed class MigrationScenarioTests(PageboxServer server)
{
    [Fact]
    public async Task LegacyOptIn_ThenCampaignSend_CapWebhooksAndSpend()
    {
        await using var s = await StartAsync(server);

        // :: Step 1: the legacy opt-in gives the subscription token, and the token list shows it.
        var token = await s.OptInAsync("Weekly deals");
        var tokens = await s.GetAsync($"{s.Page.Id}/notification_message_tokens");
        Assert.Contains(
            tokens.Body.GetProperty("data").EnumerateArray(),
            t => t.GetProperty("notification_messages_token").GetString() == token
        );

        // :: Step 2: an ad account (prepaid, 2 cents a message) and a campaign; sends wait for the warm-up.
        await s.AdAccountAsync(new() { ["balance_cents"] = 1000, ["price_per_message_cents"] = 2 });
        var campaign = await s.CampaignAsync(daily: 500);
        var early = await s.SendAsync(campaign, token, GenericMessage());
        Assert.InRange(RefusedWithRemaining(early, 2300041), 3590, 3600);
        await s.AdvanceAsync(TimeSpan.FromHours(1));

        // :: Step 3: the send: tracking id, the message in the conversation as a paid marketing message, personalized.
        var tracking = await s.SendOkAsync(campaign, token, GenericMessage());
        var conversation = await s.ConversationAsync();
        var paid = conversation
            .GetProperty("messages")
            .EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "paid_marketing");
        var mid = paid.GetProperty("mid").GetString()!;
        var sentAt = paid.GetProperty("time").GetDateTimeOffset();
        Assert.Equal("page", paid.GetProperty("from").GetString());
        Assert.Equal(
            "New sale for you, Ada!",
            paid.GetProperty("message")
                .GetProperty("attachment")
                .GetProperty("payload")
                .GetProperty("elements")[0]
                .GetProperty("title")
                .GetString()
        );

        // :: Step 4: echo and delivery webhooks, as Page changes.
        var echo = await s.WaitForChangeAsync(
            "marketing_message_echoes",
            v => v.String("marketing_message_tracking_id") == tracking
        );
        Assert.Equal(
            [
                "app_id",
                "field",
                "marketing_message_tracking_id",
                "message_id",
                "messenger_subscription_token",
                "mid",
                "page_id",
                "recipient_id",
                "timestamp",
            ],
            GraphAssert.Names(echo)
        );
        Assert.Equal(
            long.Parse(s.Psid, System.Globalization.CultureInfo.InvariantCulture),
            echo.GetProperty("recipient_id").GetInt64()
        );
        Assert.Equal(
            long.Parse(s.Page.Id, System.Globalization.CultureInfo.InvariantCulture),
            echo.GetProperty("page_id").GetInt64()
        );
        Assert.Equal(
            long.Parse(s.App.Id, System.Globalization.CultureInfo.InvariantCulture),
            echo.GetProperty("app_id").GetInt64()
        );
        Assert.Equal(mid, echo.GetProperty("mid").GetString());
        Assert.Equal(token, echo.GetProperty("messenger_subscription_token").GetString());
        Assert.Equal(campaign, echo.GetProperty("message_id").GetString());
        Assert.Equal(sentAt.ToUnixTimeMilliseconds(), echo.GetProperty("timestamp").GetInt64());
        var delivery = await s.WaitForChangeAsync(
            "marketing_message_deliveries",
            v => v.String("marketing_message_tracking_id") == tracking
        );
        Assert.Equal(mid, delivery.GetProperty("mid").GetString());

        // :: Step 5: the 12-hour cap.
        Refused(await s.SendAsync(campaign, token), 2300035);
        await s.FriendChatsAsync(4); // organic threads, so the F-caps let a second message through
        await s.SetClockAsync(sentAt + TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1));
        Refused(await s.SendAsync(campaign, token), 2300035);
        await s.SetClockAsync(sentAt + TimeSpan.FromHours(12));
        var second = await s.SendOkAsync(campaign, token, TextMessage("Last day of the sale, {{first_name}}"));

        // :: Step 6: the person reads and taps the link: read and click webhooks.
        await s.World.ReadAsync(s.PersonId, s.Page.Id, Ct);
        var reads = await s.WaitForChangesAsync("marketing_message_reads", count: 2);
        Assert.Equal(
            new[] { tracking, second }.Order(StringComparer.Ordinal),
            reads.Select(r => r.Value.String("marketing_message_tracking_id")!).Order(StringComparer.Ordinal)
        );
        Assert.DoesNotContain(reads, r => r.Value.HasProperty("mid") || r.Value.HasProperty("app_id"));
        var click = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/clicks",
            new
            {
                page_id = s.Page.Id,
                mid,
                button = 0,
            }
        );
        Assert.True(click.IsSuccess, click.RawBody);
        Assert.Equal("https://shop.example/sale", click.Body.GetProperty("url").GetString());
        var clicked = await s.WaitForChangeAsync("marketing_message_clicks", v => v.String("mid") == mid);
        Assert.Equal(
            ["field", "message_id", "messenger_subscription_token", "mid", "page_id", "recipient_id", "timestamp"],
            GraphAssert.Names(clicked)
        );

        // :: Step 7: the spend: 2 deliveries at 2 cents, in the insights and on the ad account.
        var insights = await s.GetAsync(
            $"{campaign}/insights?date_preset=maximum&fields=marketing_messages_sent,marketing_messages_delivered,"
                + $"marketing_messages_read,marketing_messages_link_btn_click,marketing_messages_spend"
        );
        Assert.True(insights.IsSuccess, insights.ToString());
        var row = Assert.Single(insights.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("2", row.String("marketing_messages_sent"));
        Assert.Equal("2", row.String("marketing_messages_delivered"));
        Assert.Equal("2", row.String("marketing_messages_read"));
        Assert.Equal("1", row.String("marketing_messages_link_btn_click"));
        Assert.Equal("0.04", row.String("marketing_messages_spend"));
        var account = await s.AccountAsync();
        Assert.Equal(4, account.GetProperty("amount_spent_cents").GetInt64());
        Assert.Equal(996, account.GetProperty("balance_cents").GetInt64());
        Assert.Equal(4, account.GetProperty("campaigns")[0].GetProperty("spend_cents").GetInt64());
    }
}

internal static class JsonValueExtensions
{
    public static string? String(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    public static bool HasProperty(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _);
}
