using System.Net;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>POST /act_{id}/message_campaign, the ads listing, the campaign and account nodes, DELETE, and the
/// permissions.</summary>
public sealed class CampaignApiTests(PageboxServer server)
{
    [Fact]
    public async Task Create_ListedInAds_WithTheDocumentedFields()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var id = await s.CampaignAsync(daily: 2500, name: "Winter sale");

        var ads = await s.GetAsync(
            $"{s.Act}/ads?fields=id,adset{{name,daily_budget,lifetime_budget,start_time,end_time}},campaign{{name,"
                + $"is_direct_send_campaign,is_message_campaign}}"
        );

        Assert.True(ads.IsSuccess, ads.ToString());
        var ad = Assert.Single(ads.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(id, ad.GetProperty("id").GetString());
        Assert.Matches("^120[0-9]{15}$", id);
        var adset = ad.GetProperty("adset");
        Assert.Equal(["daily_budget", "id", "lifetime_budget", "name", "start_time"], GraphAssert.Names(adset));
        Assert.Equal("2500", adset.GetProperty("daily_budget").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", adset.GetProperty("start_time").GetString());
        var campaign = ad.GetProperty("campaign");
        Assert.Equal("Winter sale", campaign.GetProperty("name").GetString());
        Assert.True(campaign.GetProperty("is_message_campaign").GetBoolean());
        Assert.True(campaign.GetProperty("is_direct_send_campaign").GetBoolean());
        Assert.NotEqual(id, campaign.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Node_DefaultIsTheId_FieldsAsDocumented()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var id = await s.CampaignAsync();

        var plain = await s.GetAsync(id);
        var full = await s.GetAsync(
            $"{id}?fields=id,campaign{{name}},creative{{actor_id}},adset{{name,lifetime_budget,daily_budget,"
                + $"start_time,end_time,promoted_object{{pixel_id}}}}"
        );

        Assert.Equal(["id"], GraphAssert.Names(plain.Body));
        Assert.Equal(s.Page.Id, full.Body.GetProperty("creative").GetProperty("actor_id").GetString());
        Assert.Equal(
            s.Page.Id,
            full.Body.GetProperty("adset").GetProperty("promoted_object").GetProperty("page_id").GetString()
        );
    }

    [Fact]
    public async Task Node_UnknownField_100()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var id = await s.CampaignAsync();

        var message = GraphAssert.InvalidParameter(
            await s.GetAsync($"{id}?fields=id,adset{{bid_strategy}}"),
            "bid_strategy"
        );

        Assert.Equal("(#100) Tried accessing nonexisting field (bid_strategy) on node type (AdSet)", message);
    }

    [Fact]
    public async Task Delete_SuccessThenGone_SendsRefused2300001()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        var deleted = await s.Graph.DeleteAsync(id, s.Page.AccessToken, cancellationToken: Ct);

        Assert.True(deleted.IsSuccess, deleted.ToString());
        Assert.Equal("{\"success\":true}", deleted.RawBody);
        GraphAssert.Error(await s.GetAsync(id), HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
        GraphAssert.Error(
            await s.Graph.DeleteAsync(id, s.Page.AccessToken, cancellationToken: Ct),
            HttpStatusCode.BadRequest,
            "GraphMethodException",
            100,
            33
        );
        Assert.Empty((await s.GetAsync($"{s.Act}/ads")).Body.GetProperty("data").EnumerateArray());
        Refused(await s.SendAsync(id, token), 2300001);
    }

    [Fact]
    public async Task AccountNode_Fields()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync(new() { ["balance_cents"] = 700 });

        var node = await s.GetAsync(s.Act);

        Assert.Equal(
            ["account_id", "amount_spent", "balance", "currency", "id", "timezone_name"],
            GraphAssert.Names(node.Body)
        );
        Assert.Equal("700", node.Body.GetProperty("balance").GetString());
    }

    [Theory]
    [InlineData("{\"page_id\":\"PAGE\",\"daily_budget\":1000}", "name")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":1000,\"lifetime_budget\":3000}", "daily_budget")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":99}", "daily_budget")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":\"lots\"}", "daily_budget")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"lifetime_budget\":0}", "lifetime_budget")]
    [InlineData(
        "{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":1000,\"start_time\":\"yesterday\"}",
        "start_time"
    )]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":1000,\"start_time\":1}", "start_time")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"123456789012345\",\"daily_budget\":1000}", "page_id")]
    [InlineData("{\"name\":\"x\",\"page_id\":\"PAGE\",\"daily_budget\":1000,\"bid_amount\":0}", "bid_amount")]
    public async Task Create_BadParameter_100NamingIt(string body, string parameter)
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        var r = await s.Graph.PostAsync(
            $"{s.Act}/message_campaign",
            body.Replace("PAGE", s.Page.Id, StringComparison.Ordinal),
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(r, parameter);
    }

    [Fact]
    public async Task Create_NoPageId_2300065()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        Refused(await s.CreateCampaignAsync(new { name = "x", daily_budget = 1000 }), 2300065);
    }

    [Fact]
    public async Task Create_EndTimeAsMetaDatetime_AndNoBudget_Accepted()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var now = await s.NowAsync();
        var end =
            now.AddDays(3)
                .ToUniversalTime()
                .ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "+0000";

        var r = await s.CreateCampaignAsync(
            new
            {
                name = "x",
                page_id = s.Page.Id,
                end_time = end,
            }
        );

        Assert.True(r.IsSuccess, r.ToString());
        var account = await s.AccountAsync();
        Assert.Equal(100, account.GetProperty("campaigns")[0].GetProperty("estimated_daily_cap").GetInt64());
    }

    [Theory]
    [InlineData("pages_messaging,paid_marketing_messages", "ads_management")]
    [InlineData("ads_management,pages_messaging", "paid_marketing_messages")]
    public async Task Create_MissingPermission_403Code200(string permissions, string missing)
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync(
            new()
            {
                ["permissions"] = new System.Text.Json.Nodes.JsonArray([
                    .. permissions.Split(',').Select(p => (System.Text.Json.Nodes.JsonNode)p),
                ]),
            }
        );

        var r = await s.CreateCampaignAsync(
            new
            {
                name = "x",
                page_id = s.Page.Id,
                daily_budget = 1000,
            }
        );

        GraphAssert.Error(
            r,
            HttpStatusCode.Forbidden,
            "OAuthException",
            200,
            null,
            $"(#200) Requires {missing} permission to manage the object"
        );
    }

    [Fact]
    public async Task Send_WithoutPagesMessaging_403Code200()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        await s.PatchAccountAsync(new { permissions = new[] { "ads_management", "marketing_messages_messenger" } });

        GraphAssert.Error(
            await s.SendAsync(id, token),
            HttpStatusCode.Forbidden,
            "OAuthException",
            200,
            null,
            "(#200) Requires pages_messaging permission to manage the object"
        );
    }

    [Fact]
    public async Task AnotherAppsToken_TheAccountDoesNotExist()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var other = await server.World.CreateAppAsync("other", Ct);
        var otherPage = await server.World.CreatePageAsync(other.Id, cancellationToken: Ct);

        var r = await s.Graph.PostAsync(
            $"{s.Act}/message_campaign",
            new
            {
                name = "x",
                page_id = s.Page.Id,
                daily_budget = 1000,
            },
            otherPage.AccessToken,
            cancellationToken: Ct
        );

        var error = GraphAssert.Error(r, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
        Assert.Contains($"'{s.Act}'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoToken_104_BadToken_190()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        Assert.Equal(
            104,
            (
                await s.Graph.PostAsync($"{s.Act}/message_campaign", new { name = "x" }, null, cancellationToken: Ct)
            ).ErrorCode
        );
        Assert.Equal(
            190,
            (
                await s.Graph.PostAsync(
                    $"{s.Act}/message_campaign",
                    new { name = "x" },
                    "EAAnot-a-token",
                    cancellationToken: Ct
                )
            ).ErrorCode
        );
    }

    [Fact]
    public async Task Create_BusinessOutsideTheRegions_2300030()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync(new() { ["country"] = "GB" });

        Refused(
            await s.CreateCampaignAsync(
                new
                {
                    name = "x",
                    page_id = s.Page.Id,
                    daily_budget = 1000,
                }
            ),
            2300030
        );
    }

    [Fact]
    public async Task ViaTheBatchApi_CreateAndList()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        var batch =
            $"[{{\"method\":\"POST\",\"relative_url\":\"{s.Act}/message_campaign\",\"body\":\"name=b&page_id="
            + $"{s.Page.Id}&daily_budget=1000\"}},{{\"method\":\"GET\",\"relative_url\":\"{s.Act}/ads\"}}]";

        var r = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["batch"] = batch },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.True(r.IsSuccess, r.ToString());
        Assert.All(r.Body.EnumerateArray(), item => Assert.Equal(200, item.GetProperty("code").GetInt32()));
    }
}
