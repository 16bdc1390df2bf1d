using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The Page switches of the world face that gate commerce messages and the send rate.</summary>
public sealed class PageSwitchTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Receipt(string psid) =>
        new
        {
            recipient = new { id = psid },
            message = new
            {
                attachment = new
                {
                    type = "template",
                    payload = new
                    {
                        template_type = "receipt",
                        recipient_name = "Ada",
                        order_number = "12345",
                        currency = "EUR",
                        payment_method = "Visa 2345",
                        summary = new { total_cost = 25.0 },
                    },
                },
            },
        };

    [Fact]
    public async Task CommerceDisabled_ReceiptTemplate_Returns2022ButTextStillGoes()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("where is my order?")).Psid;
        GraphAssert.Sent(await s.SendAsync(Receipt(psid)), psid);

        await s.World.PatchPageAsync(s.Page.Id, new { CommerceEnabled = false }, Ct);

        GraphAssert.Error(
            await s.SendAsync(Receipt(psid)),
            HttpStatusCode.BadRequest,
            "OAuthException",
            2022,
            null,
            "(#2022) The ability to send commerce messages has been temporarily disabled for this application."
        );
        GraphAssert.Sent(await s.SendTextAsync(psid, "It ships tomorrow"), psid);
    }

    [Fact]
    public async Task SendRate_OverThePagesLimit_Returns613WithTheUsageHeader()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hi")).Psid;
        await s.World.PatchPageAsync(s.Page.Id, new { SendRatePerSecond = 1 }, Ct);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => s.SendTextAsync(psid, $"burst {i}")));

        // Ten sends span at most two one-second windows, so at most two get through.
        Assert.InRange(answers.Count(a => a.Status == HttpStatusCode.OK), 1, 2);
        var refused = answers.First(a => a.Status != HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var error = refused.Body.GetProperty("error");
        Assert.Equal(613, error.GetProperty("code").GetInt32());
        Assert.Equal(
            "(#613) Calls to this api have exceeded the rate limit.",
            error.GetProperty("message").GetString()
        );
        Assert.True(error.GetProperty("is_transient").GetBoolean());
        Assert.Contains(s.Page.Id, refused.Header("X-Business-Use-Case-Usage"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonMessage_WithAForeignReplyTo_IsRefusedAndLeavesNoConversation()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/messages",
            new
            {
                page_id = s.Page.Id,
                text = "hello",
                reply_to = "m_not_here",
            },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var conversation = await s.World.SendAsync(
            HttpMethod.Get,
            $"_pagebox/persons/{s.PersonId}/conversations/{s.Page.Id}",
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.NotFound, conversation.Status);
    }
}
