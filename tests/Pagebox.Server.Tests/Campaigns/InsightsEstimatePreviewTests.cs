using System.Net;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>Insights, the delivery estimate and previews (measure-performance; send-messages "Delivery estimation",
/// "Preview").</summary>
public sealed class InsightsEstimatePreviewTests(PageboxServer server)
{
    [Fact]
    public async Task Insights_DefaultLast30dExcludesToday_TodayAndMaximumInclude()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync(new() { ["price_per_message_cents"] = 7 });
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token);

        var byDefault = await s.GetAsync($"{id}/insights");
        var today = await s.GetAsync(
            $"{id}/insights?date_preset=today&fields=marketing_messages_spend,marketing_messages_cost_per_delivered,"
                + $"marketing_messages_read_rate,marketing_messages_spend_currency"
        );

        Assert.True(byDefault.IsSuccess, byDefault.ToString());
        Assert.Empty(byDefault.Body.GetProperty("data").EnumerateArray());
        var row = Assert.Single(today.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(
            [
                "date_start",
                "date_stop",
                "marketing_messages_cost_per_delivered",
                "marketing_messages_read_rate",
                "marketing_messages_spend",
                "marketing_messages_spend_currency",
            ],
            GraphAssert.Names(row)
        );
        Assert.Equal("0.07", row.String("marketing_messages_spend"));
        Assert.Equal("0.07", row.String("marketing_messages_cost_per_delivered"));
        Assert.Equal("0", row.String("marketing_messages_read_rate"));
        Assert.Equal(row.String("date_start"), row.String("date_stop"));
        Assert.Equal(
            "MAZDZD",
            today.Body.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString()
        );
    }

    [Fact]
    public async Task Insights_Account_AddsUpItsCampaigns_TimeRange()
    {
        await using var s = await StartAsync(server);
        var t1 = await s.OptInAsync();
        var second = await s.AddPersonAsync();
        var t2 = await s.OptInAsync("Weekly deals", second.PersonId, second.Psid);
        await s.AdAccountAsync(new() { ["price_per_message_cents"] = 5 });
        var c1 = await s.CampaignAsync();
        var c2 = await s.CampaignAsync(name: "Other");
        await s.AdvanceAsync(TimeSpan.FromHours(1));
        await s.SendOkAsync(c1, t1);
        await s.SendOkAsync(c2, t2);
        var day = (await s.NowAsync()).UtcDateTime.ToString(
            "yyyy-MM-dd",
            System.Globalization.CultureInfo.InvariantCulture
        );

        var account = await s.GetAsync(
            $"{s.Act}/insights?fields=marketing_messages_sent,marketing_messages_spend&time_range={{'since':'"
                + $"{day}','until':'{day}'}}"
        );

        var row = Assert.Single(account.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("2", row.String("marketing_messages_sent"));
        Assert.Equal("0.10", row.String("marketing_messages_spend"));
    }

    [Theory]
    [InlineData("fields=marketing_messages_impressions", "fields")]
    [InlineData("date_preset=last_2d", "date_preset")]
    [InlineData("time_range={'since':'2026-13-01','until':'2026-01-01'}", "time_range")]
    [InlineData("level=adset_group", "level")]
    public async Task Insights_BadParameter_100(string query, string parameter)
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var id = await s.CampaignAsync();

        GraphAssert.InvalidParameter(await s.GetAsync($"{id}/insights?{query}"), parameter);
    }

    [Fact]
    public async Task Estimate_FromSubscribersBudgetAndPrice()
    {
        await using var s = await StartAsync(server);
        await s.OptInAsync();
        for (var i = 0; i < 2; i++)
        {
            var p = await s.AddPersonAsync($"P {i}");
            await s.OptInAsync("Weekly deals", p.PersonId, p.Psid);
        }
        await s.AdAccountAsync(new() { ["price_per_message_cents"] = 2 });

        var r = await s.GetAsync(
            $"{s.Act}/message_delivery_estimate?daily_budget=10&lifetime_in_days=2&pacing_type=no_pacing&"
                + $"is_direct_send_campaign=true"
                + $"&promoted_object={{page_id:"
                + $"{s.Page.Id}}}&targeting_spec={{messenger_positions:[\"marketing_messages\"],"
                + $"publisher_platforms:[\"messenger\"]}}"
                + "&fields=estimate_delivery_upper_bound,estimate_delivery_lower_bound,estimate_cost_upper_bound,"
                + "estimate_cost_lower_bound"
        );

        Assert.True(r.IsSuccess, r.ToString());
        var e = Assert.Single(r.Body.GetProperty("data").EnumerateArray());
        // 3 subscribers × 2 a day × 2 days = 12 possible; 10 × 2 days at 2 each buys 10.
        Assert.Equal(10, e.GetProperty("estimate_delivery_upper_bound").GetInt64());
        Assert.Equal(3, e.GetProperty("estimate_delivery_lower_bound").GetInt64());
        Assert.Equal(20, e.GetProperty("estimate_cost_upper_bound").GetInt64());
        Assert.Equal(6, e.GetProperty("estimate_cost_lower_bound").GetInt64());
    }

    [Theory]
    [InlineData("pacing_type=sometimes", "pacing_type")]
    [InlineData("promoted_object={page_id:1}", "promoted_object[page_id]")]
    [InlineData("daily_budget=0", "daily_budget")]
    [InlineData("lifetime_in_days=0", "lifetime_in_days")]
    [InlineData("fields=estimate_reach", "estimate_reach")]
    public async Task Estimate_BadParameter_100(string query, string parameter)
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        GraphAssert.InvalidParameter(await s.GetAsync($"{s.Act}/message_delivery_estimate?{query}"), parameter);
    }

    [Fact]
    public async Task Preview_AnIframeWhoseSourceRendersTheMessage()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var message = Uri.EscapeDataString(GenericMessage("Summer hats").ToJsonString());
        var creative = Uri.EscapeDataString(
            $"{{\"marketing_message_structured_spec\":{{}},\"object_story_spec\":{{\"page_id\":"
                + $"{s.Page.Id},\"link_data\":{{}}}}}}"
        );

        var r = await s.GetAsync(
            $"{s.Act}/generatepreviews?ad_format=MESSENGER_MARKETING_MESSAGES_MEDIA&creative={creative}&message="
                + $"{message}"
        );

        Assert.True(r.IsSuccess, r.ToString());
        var body = Assert.Single(r.Body.GetProperty("data").EnumerateArray()).GetProperty("body").GetString()!;
        Assert.StartsWith("<iframe src=\"", body, StringComparison.Ordinal);
        var src = System.Net.WebUtility.HtmlDecode(body.Split('"')[1]);
        using var html = await server.Http.GetAsync(new Uri(src), Ct);
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Contains("Summer hats", await html.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_WrongFormat_100_BadCreative_2300026()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var tooMany = new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = "template",
                ["payload"] = new JsonObject
                {
                    ["template_type"] = "button",
                    ["text"] = "Hi",
                    ["buttons"] = Buttons(4),
                },
            },
        };

        GraphAssert.InvalidParameter(
            await s.GetAsync($"{s.Act}/generatepreviews?ad_format=DESKTOP_FEED_STANDARD&message={{\"text\":\"hi\"}}"),
            "ad_format"
        );
        Refused(
            await s.GetAsync(
                $"{s.Act}/generatepreviews?ad_format=MESSENGER_MARKETING_MESSAGES_MEDIA&message="
                    + $"{Uri.EscapeDataString(tooMany.ToJsonString())}"
            ),
            2300026
        );
    }

    public static JsonArray Buttons(int n) =>
        [
            .. Enumerable
                .Range(0, n)
                .Select(i =>
                    (JsonNode)
                        new JsonObject
                        {
                            ["type"] = "web_url",
                            ["url"] = $"https://shop.example/{i}",
                            ["title"] = $"B{i}",
                        }
                ),
        ];
}
