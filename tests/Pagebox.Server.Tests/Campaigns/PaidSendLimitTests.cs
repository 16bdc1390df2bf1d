using System.Net;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>
/// Every limit of POST /act_{id}/messages over HTTP, at its boundary on the app's clock (to the second: the clock runs
/// on between calls; the millisecond boundaries are the rules' unit tests).
/// </summary>
public sealed class PaidSendLimitTests(PageboxServer server)
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static async Task<(PaidScenario S, string Token)> ReadyAsync(
        PageboxServer server,
        JsonObject? account = null,
        string? locale = null
    )
    {
        var s = await StartAsync(server, locale: locale);
        var token = await s.OptInAsync();
        await s.AdAccountAsync(account);
        return (s, token);
    }

    private static async Task<DateTimeOffset> LastPaidTimeAsync(PaidScenario s, string? personId = null)
    {
        var conversation = await s.ConversationAsync(personId);
        return conversation
            .GetProperty("messages")
            .EnumerateArray()
            .Last(m => m.GetProperty("kind").GetString() == "paid_marketing")
            .GetProperty("time")
            .GetDateTimeOffset();
    }

    [Fact]
    public async Task WarmUp_ASecondBeforeTheHour_2300041_AtTheHour_Accepted()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var before = await s.NowAsync();
        var id = await s.CampaignAsync();
        var after = await s.NowAsync();

        await s.SetClockAsync(before + TimeSpan.FromHours(1) - Second);
        var early = await s.SendAsync(id, token);
        await s.SetClockAsync(after + TimeSpan.FromHours(1));
        var onTime = await s.SendAsync(id, token);

        Assert.InRange(RefusedWithRemaining(early, 2300041), 1, 2);
        Sent(onTime);
    }

    [Fact]
    public async Task TwelveHours_ASecondShort_2300035_Exactly_Accepted()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token);
        var sent = await LastPaidTimeAsync(s);
        await s.FriendChatsAsync(4);

        await s.SetClockAsync(sent + TimeSpan.FromHours(12) - Second);
        var early = await s.SendAsync(id, token);
        await s.SetClockAsync(sent + TimeSpan.FromHours(12));
        var onTime = await s.SendAsync(id, token);

        var error = Refused(early, 2300035);
        Assert.Equal(
            "(#2300035) The minimum delay between messages has not been reached. Please wait until the minimum delay "
                + "has passed before sending the next message.",
            error.GetProperty("message").GetString()
        );
        Sent(onTime);
    }

    [Fact]
    public async Task TwelveHours_AcrossCampaignsAndAccounts_OnePerToken()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var first = await s.CampaignAsync();
        var firstAct = s.Act;
        await s.AdAccountAsync();
        var second = await s.CampaignAsync();
        await s.AdvanceAsync(TimeSpan.FromHours(1));
        Sent(await s.SendAsync(first, token, act: firstAct));

        Refused(await s.SendAsync(second, token), 2300035);
        Refused(await s.SendAsync(first, token, act: firstAct), 2300035);
    }

    [Fact]
    public async Task ScheduledCampaign_BeforeStart_2300033WithSeconds_ThenAccepted()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var now = await s.NowAsync();
        var start = now + TimeSpan.FromHours(3);
        var created = await s.CreateCampaignAsync(
            new
            {
                name = "later",
                page_id = s.Page.Id,
                daily_budget = 1000,
                start_time = start.ToUnixTimeSeconds(),
            }
        );
        var id = created.Body.GetProperty("id").GetString()!;

        await s.SetClockAsync(start - TimeSpan.FromHours(1));
        var early = await s.SendAsync(id, token);
        await s.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds()));
        var onTime = await s.SendAsync(id, token);

        Assert.InRange(RefusedWithRemaining(early, 2300033), 3595, 3600);
        Sent(onTime);
    }

    [Fact]
    public async Task EndedCampaign_2300000()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var now = await s.NowAsync();
        var end = now + TimeSpan.FromHours(2);
        var created = await s.CreateCampaignAsync(
            new
            {
                name = "short",
                page_id = s.Page.Id,
                lifetime_budget = 1000,
                end_time = end.ToUnixTimeSeconds(),
            }
        );

        await s.SetClockAsync(DateTimeOffset.FromUnixTimeSeconds(end.ToUnixTimeSeconds()));

        Refused(await s.SendAsync(created.Body.GetProperty("id").GetString()!, token), 2300000);
    }

    [Fact]
    public async Task UnknownCampaign_2300001_OtherAccountsCampaign_2300014()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        var first = s.Act;
        await s.AdAccountAsync();

        Refused(await s.SendAsync("120999999999999999", token), 2300001);
        Refused(await s.SendAsync(id, token), 2300014);
        Sent(await s.SendAsync(id, token, act: first));
    }

    [Fact]
    public async Task UnknownToken_2300004_AnotherPagesToken_2300005()
    {
        var (s, _) = await ReadyAsync(server);
        await using var __ = s;
        var id = await s.WarmCampaignAsync();
        await using var other = await StartAsync(server);
        var foreign = await other.OptInAsync();

        Refused(await s.SendAsync(id, "1234567890123456789"), 2300004);
        Refused(await s.SendAsync(id, foreign), 2300005);
    }

    [Fact]
    public async Task Stop_ReachesBothApis_ResumeToo()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();

        await server.World.StopMarketingAsync(s.PersonId, s.Page.Id, null, Ct);
        var paid = await s.SendAsync(id, token);
        var legacy = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new { recipient = new { notification_messages_token = token }, message = new { text = "Hi" } },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        await server.World.ResumeMarketingAsync(s.PersonId, s.Page.Id, null, Ct);
        var resumed = await s.SendAsync(id, token);

        Assert.Equal(
            "(#2300034) The subscriber has stopped marketing messages subscription.",
            Refused(paid, 2300034).GetProperty("message").GetString()
        );
        GraphAssert.Error(legacy, HttpStatusCode.BadRequest, "OAuthException", 10, 1893015);
        Sent(resumed);
    }

    [Fact]
    public async Task Blocked_2300052()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();

        await server.World.BlockAsync(s.PersonId, s.Page.Id, Ct);

        Refused(await s.SendAsync(id, token), 2300052);
    }

    [Theory]
    [InlineData("en_GB")]
    [InlineData("fr_FR")]
    [InlineData("ja_JP")]
    public async Task RecipientOutsideTheRegions_2300032(string locale)
    {
        var (s, token) = await ReadyAsync(server, locale: locale);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();

        Refused(await s.SendAsync(id, token), 2300032);
    }

    [Fact]
    public async Task MinConversationGap_OrganicMessageInsideTheGap_2300052_Outside_Accepted()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        var before = await s.NowAsync();
        await server.World.WriteAsync(s.PersonId, s.Page.Id, "Any news?", cancellationToken: Ct);

        var inside = await s.SendAsync(id, token, gap: 600);
        await s.SetClockAsync(before + TimeSpan.FromSeconds(600) + Second);
        var outside = await s.SendAsync(id, token, gap: 600);

        Refused(inside, 2300052);
        Sent(outside);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task MinConversationGap_NotPositive_100(int gap)
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();

        GraphAssert.InvalidParameter(await s.SendAsync(id, token, gap: gap), "min_conversation_gap_seconds");
    }

    [Fact]
    public async Task FCaps_Weekly_SecondMessageWithOneThread_2300042()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token);
        await s.AdvanceAsync(TimeSpan.FromHours(12));
        await server.World.WriteAsync(s.PersonId, s.Page.Id, "Thanks!", cancellationToken: Ct);

        var error = Refused(await s.SendAsync(id, token), 2300042);

        Assert.EndsWith(
            "WEEKLY_MM_LOAD_CAP_REACHED",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task FCaps_Daily_ThreadsOnlyEarlierInTheWeek_2300043()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        await s.FriendChatsAsync(5);
        await s.AdvanceAsync(TimeSpan.FromDays(2));
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token);
        await s.AdvanceAsync(TimeSpan.FromHours(12));

        var error = Refused(await s.SendAsync(id, token), 2300043);

        Assert.EndsWith(
            "DAILY_MM_LOAD_CAP_REACHED",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
    }

    [Fact]
    public async Task FCaps_MinOrganicThreads_NothingSinceTheLastMessage_2300044_OneThreadLater_Accepted()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        await s.FriendChatsAsync(5);
        await s.SendOkAsync(id, token);
        await s.AdvanceAsync(TimeSpan.FromHours(12));

        var error = Refused(await s.SendAsync(id, token), 2300044);
        await s.FriendChatsAsync(1);
        var after = await s.SendAsync(id, token);

        Assert.EndsWith(
            "MIN_ORGANIC_THREAD_NOT_REACHED",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Sent(after);
    }

    [Fact]
    public async Task FCaps_CountMessagesFromEveryPage()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        var id = await s.WarmCampaignAsync();
        // The same person subscribed to a second Page of the same app: its message counts for the first Page's caps.
        var page2 = await server.World.CreatePageAsync(s.App.Id, "Second", cancellationToken: Ct);
        var write2 = await server.World.WriteAsync(s.PersonId, page2.Id, "Hi", cancellationToken: Ct);
        var request = await s.Graph.PostAsync(
            $"{page2.Id}/messages",
            new
            {
                recipient = new { id = write2.Psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "notification_messages",
                            title = "News",
                            payload = "N",
                        },
                    },
                },
            },
            page2.AccessToken,
            cancellationToken: Ct
        );
        var token2 = (
            await server.World.OptInAsync(
                s.PersonId,
                page2.Id,
                request.Body.GetProperty("message_id").GetString()!,
                null,
                Ct
            )
        )
            .GetProperty("notification_messages_token")
            .GetString()!;
        var account2 = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/ad_accounts",
            new { page_id = page2.Id }
        );
        var act2 = account2.Body.GetProperty("id").GetString()!;
        var campaign2 = (
            await s.Graph.PostAsync(
                $"{act2}/message_campaign",
                new
                {
                    name = "b",
                    page_id = page2.Id,
                    daily_budget = 1000,
                },
                page2.AccessToken,
                cancellationToken: Ct
            )
        ).Body.GetProperty("id").GetString()!;
        await s.AdvanceAsync(TimeSpan.FromHours(1));
        Sent(
            await s.Graph.PostAsync(
                $"{act2}/messages",
                new
                {
                    message_id = campaign2,
                    messenger_delivery_data = new { subscription_token = token2 },
                    message = new { text = "Page two" },
                },
                page2.AccessToken,
                cancellationToken: Ct
            )
        );

        // Two threads this week (the two Pages), one message already: 50 % > 20 %.
        Refused(await s.SendAsync(id, token), 2300042);
    }

    // :: Budgets and billing

    [Fact]
    public async Task DailyBudget_Beyond175Percent_2300054_RemainingSecondsToLocalMidnight()
    {
        var (s, token) = await ReadyAsync(server, new() { ["price_per_message_cents"] = 100 });
        await using var _ = s;
        var second = await s.AddPersonAsync();
        var token2 = await s.OptInAsync("Weekly deals", second.PersonId, second.Psid);
        var id = await s.WarmCampaignAsync(daily: 100);
        await s.SendOkAsync(id, token);

        var refused = await s.SendAsync(id, token2);

        var now = await s.NowAsync();
        var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        Assert.InRange(
            RefusedWithRemaining(refused, 2300054),
            (long)(midnight - now).TotalSeconds - 2,
            (long)(midnight - now).TotalSeconds + 1
        );
    }

    [Fact]
    public async Task LifetimeBudget_Reached_2300053()
    {
        var (s, token) = await ReadyAsync(server, new() { ["price_per_message_cents"] = 100 });
        await using var _ = s;
        var second = await s.AddPersonAsync();
        var token2 = await s.OptInAsync("Weekly deals", second.PersonId, second.Psid);
        var now = await s.NowAsync();
        // A 90-minute flight: three pacing slots; after the warm-up the whole budget is released.
        var created = await s.CreateCampaignAsync(
            new
            {
                name = "flash",
                page_id = s.Page.Id,
                lifetime_budget = 100,
                end_time = (now + TimeSpan.FromMinutes(90)).ToUnixTimeSeconds(),
            }
        );
        var id = created.Body.GetProperty("id").GetString()!;
        await s.AdvanceAsync(TimeSpan.FromHours(1) + Second);

        Sent(await s.SendAsync(id, token));
        Refused(await s.SendAsync(id, token2), 2300053);
    }

    [Fact]
    public async Task Pacing_LifetimeReleasedPerHalfHour_2300055_WithRemainingSeconds()
    {
        var (s, token) = await ReadyAsync(server, new() { ["price_per_message_cents"] = 100 });
        await using var _ = s;
        var now = await s.NowAsync();
        var created = await s.CreateCampaignAsync(
            new
            {
                name = "paced",
                page_id = s.Page.Id,
                lifetime_budget = 300,
                end_time = (now + TimeSpan.FromDays(3)).ToUnixTimeSeconds(),
            }
        );
        await s.AdvanceAsync(TimeSpan.FromHours(1));

        var refused = await s.SendAsync(created.Body.GetProperty("id").GetString()!, token);

        Assert.InRange(RefusedWithRemaining(refused, 2300055), 1, 1800);
    }

    [Fact]
    public async Task SpendCap_2300056_PrepaidBalance_2300058_TopUpSendsAgain()
    {
        var (s, token) = await ReadyAsync(
            server,
            new()
            {
                ["price_per_message_cents"] = 100,
                ["balance_cents"] = 150,
                ["spend_cap_cents"] = 250,
            }
        );
        await using var _ = s;
        var p2 = await s.AddPersonAsync("Bo Li");
        var p3 = await s.AddPersonAsync("Cy Ng");
        var t2 = await s.OptInAsync("Weekly deals", p2.PersonId, p2.Psid);
        var t3 = await s.OptInAsync("Weekly deals", p3.PersonId, p3.Psid);
        var id = await s.WarmCampaignAsync(daily: 10_000);
        await s.SendOkAsync(id, token);

        Refused(await s.SendAsync(id, t2), 2300058);
        await s.PatchAccountAsync(new { add_balance_cents = 1000 });
        Sent(await s.SendAsync(id, t2));
        Refused(await s.SendAsync(id, t3), 2300056);
        var account = await s.AccountAsync();
        Assert.Equal(200, account.GetProperty("amount_spent_cents").GetInt64());
        Assert.Equal(950, account.GetProperty("balance_cents").GetInt64());
    }

    [Fact]
    public async Task BidBelowThePrice_2300016()
    {
        var (s, token) = await ReadyAsync(server, new() { ["price_per_message_cents"] = 5 });
        await using var _ = s;
        var created = await s.CreateCampaignAsync(
            new
            {
                name = "cheap",
                page_id = s.Page.Id,
                daily_budget = 1000,
                bid_amount = 4,
            }
        );
        await s.AdvanceAsync(TimeSpan.FromHours(1));

        Refused(await s.SendAsync(created.Body.GetProperty("id").GetString()!, token), 2300016);
    }

    [Fact]
    public async Task PageMessagingOff_10904_BeforeTheCampaign()
    {
        var (s, token) = await ReadyAsync(server);
        await using var _ = s;
        await server.World.PatchPageAsync(s.Page.Id, new { messaging_enabled = false }, Ct);

        Assert.Equal(10904, (await s.SendAsync("120999999999999999", token)).ErrorCode);
    }
}
