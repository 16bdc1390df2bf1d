using System.Net;
using System.Text.Json.Nodes;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>Ad accounts on the world face (docs/spec/control-api.md, "Ad accounts").</summary>
public sealed class AdAccountWorldTests(PageboxServer server)
{
    [Fact]
    public async Task Create_Defaults_AnswersTheContractShape()
    {
        await using var s = await StartAsync(server);

        var account = await s.AdAccountAsync();

        Assert.Matches("^act_[0-9]{15}$", account.GetProperty("id").GetString());
        Assert.Equal(account.GetProperty("id").GetString(), "act_" + account.GetProperty("account_id").GetString());
        Assert.Equal("USD", account.GetProperty("currency").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, account.GetProperty("balance_cents").ValueKind);
        Assert.Equal(s.Page.Id, account.GetProperty("page_id").GetString());
        Assert.Equal(
            ["ads_management", "pages_messaging", "paid_marketing_messages"],
            account.GetProperty("permissions").EnumerateArray().Select(p => p.GetString())
        );
        Assert.Equal(1, account.GetProperty("price_per_message_cents").GetInt64());
        Assert.Equal("US", account.GetProperty("country").GetString());
        Assert.Equal("UTC", account.GetProperty("timezone").GetString());
        Assert.Equal(0, account.GetProperty("amount_spent_cents").GetInt64());
    }

    [Fact]
    public async Task Get_ByActIdOrBareId_SameAccount_PatchAddsFunds()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync(new() { ["balance_cents"] = 100, ["currency"] = "BRL" });

        var bare = await s.WorldAsync(HttpMethod.Get, $"_pagebox/ad_accounts/{s.AccountId}");
        var patched = await s.PatchAccountAsync(new { add_balance_cents = 50 });

        Assert.Equal(s.Act, bare.Body.GetProperty("id").GetString());
        Assert.Equal("BRL", bare.Body.GetProperty("currency").GetString());
        Assert.Equal(150, patched.Body.GetProperty("balance_cents").GetInt64());
    }

    [Fact]
    public async Task List_TheAppsAccounts()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        var list = await s.WorldAsync(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/ad_accounts");

        Assert.Equal(s.Act, Assert.Single(list.Body.EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("{}", HttpStatusCode.BadRequest, "page_id")]
    [InlineData("{\"page_id\":\"999999999999999\"}", HttpStatusCode.NotFound, "page")]
    [InlineData("{\"page_id\":\"PAGE\",\"currency\":\"usd\"}", HttpStatusCode.BadRequest, "currency")]
    [InlineData("{\"page_id\":\"PAGE\",\"country\":\"USA\"}", HttpStatusCode.BadRequest, "country")]
    [InlineData("{\"page_id\":\"PAGE\",\"timezone\":\"Mars/Olympus\"}", HttpStatusCode.BadRequest, "time zone")]
    [InlineData(
        "{\"page_id\":\"PAGE\",\"permissions\":[\"manage_everything\"]}",
        HttpStatusCode.BadRequest,
        "permission"
    )]
    [InlineData("{\"page_id\":\"PAGE\",\"balance_cents\":-1}", HttpStatusCode.BadRequest, "balance_cents")]
    [InlineData(
        "{\"page_id\":\"PAGE\",\"price_per_message_cents\":0}",
        HttpStatusCode.BadRequest,
        "price_per_message_cents"
    )]
    public async Task Create_BadBody_RefusedWithTheEnvelope(string body, HttpStatusCode status, string mentions)
    {
        await using var s = await StartAsync(server);

        var r = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/ad_accounts",
            body.Replace("PAGE", s.Page.Id, StringComparison.Ordinal)
        );

        Assert.Equal(status, r.Status);
        Assert.Equal("PageboxError", r.Body.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentions, r.ErrorMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_PageOfAnotherAppNotLinked_Refused()
    {
        await using var s = await StartAsync(server);
        var other = await server.World.CreateAppAsync("other", Ct);

        var r = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{other.Id}/ad_accounts",
            new JsonObject { ["page_id"] = s.Page.Id }.ToJsonString()
        );

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("no access", r.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAccount_404_NoKey_401()
    {
        await using var s = await StartAsync(server);

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await s.WorldAsync(HttpMethod.Get, "_pagebox/ad_accounts/act_1")).Status
        );
        Assert.Equal(
            HttpStatusCode.Unauthorized,
            (
                await server.World.SendAsync(
                    HttpMethod.Get,
                    "_pagebox/ad_accounts/act_1",
                    authenticate: false,
                    cancellationToken: Ct
                )
            ).Status
        );
    }

    [Fact]
    public async Task DeleteApp_TakesItsAdAccounts()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        await server.World.DeleteAppAsync(s.App.Id, Ct);

        Assert.Equal(
            HttpStatusCode.NotFound,
            (await s.WorldAsync(HttpMethod.Get, $"_pagebox/ad_accounts/{s.Act}")).Status
        );
    }
}
