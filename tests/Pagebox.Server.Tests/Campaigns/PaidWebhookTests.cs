using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;
using static Pagebox.Server.Tests.Campaigns.PaidScenario;

namespace Pagebox.Server.Tests.Campaigns;

/// <summary>The successor API's webhooks and the person's side of its messages.</summary>
public sealed class PaidWebhookTests(PageboxServer server)
{
    [Fact]
    public async Task Undeliverable_AcceptedButDeliveryFailed_NothingCharged()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync(new() { ["price_per_message_cents"] = 3 });
        var id = await s.WarmCampaignAsync();
        var off = await s.WorldAsync(
            HttpMethod.Put,
            $"_pagebox/persons/{s.PersonId}/marketing/delivery",
            new { fails = true, error_message = "Device out of service" }
        );
        Assert.True(off.IsSuccess, off.RawBody);

        await s.SendOkAsync(id, token);

        var failed = await s.WaitForChangeAsync("marketing_message_delivery_failed");
        Assert.Equal(
            [
                "app_id",
                "business_id",
                "error_message",
                "message_id",
                "messenger_subscription_token",
                "page_id",
                "timestamp",
            ],
            GraphAssert.Names(failed)
        );
        Assert.Equal("Device out of service", failed.GetProperty("error_message").GetString());
        Assert.Equal(id, failed.GetProperty("message_id").GetString());
        Assert.Equal(JsonValueKind.Number, failed.GetProperty("business_id").ValueKind);
        Assert.DoesNotContain(
            (await s.ConversationAsync()).GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("kind").GetString() == "paid_marketing"
        );
        Assert.Equal(0, (await s.AccountAsync()).GetProperty("amount_spent_cents").GetInt64());
        Assert.DoesNotContain(
            s.Receiver.Changes(),
            c => c.Field is "marketing_message_echoes" or "marketing_message_deliveries"
        );
        var insights = await s.GetAsync(
            $"{s.Act}/insights?date_preset=today&fields=marketing_messages_sent,marketing_messages_delivered,"
                + $"marketing_messages_delivery_rate"
        );
        var row = Assert.Single(insights.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("1", row.String("marketing_messages_sent"));
        Assert.Equal("0", row.String("marketing_messages_delivered"));
        Assert.Equal("0", row.String("marketing_messages_delivery_rate"));
    }

    [Fact]
    public async Task PostbackButtonTap_ArrivesAsMessagingPostbacks()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token, GenericMessage());
        var mid = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "paid_marketing")
            .GetProperty("mid")
            .GetString()!;

        await server.World.PostbackAsync(s.PersonId, s.Page.Id, mid, 1, null, Ct);

        var postback = (await s.Receiver.WaitForEventsAsync(e => e.Has("postback"), cancellationToken: Ct))[0];
        Assert.Equal("START", postback["postback"].GetProperty("payload").GetString());
        Assert.Equal(mid, postback["postback"].GetProperty("mid").GetString());
    }

    [Fact]
    public async Task Click_PostbackButton_RefusedPointsToPostbacks_CardTapUsesDefaultAction()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token, GenericMessage());
        var mid = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Single(m => m.GetProperty("kind").GetString() == "paid_marketing")
            .GetProperty("mid")
            .GetString()!;

        var postbackButton = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/clicks",
            new
            {
                page_id = s.Page.Id,
                mid,
                button = 1,
            }
        );
        var card = await s.WorldAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/clicks",
            new { page_id = s.Page.Id, mid }
        );

        Assert.Equal(HttpStatusCode.BadRequest, postbackButton.Status);
        Assert.Contains("postback", postbackButton.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("https://shop.example/hats", card.Body.GetProperty("url").GetString());
        Assert.True(card.Body.GetProperty("paid_marketing").GetBoolean());
        await s.WaitForChangeAsync("marketing_message_clicks", v => v.String("mid") == mid);
    }

    [Fact]
    public async Task Read_OnlyUnreadPaidMessages_OnlyOnce()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        await s.SendOkAsync(id, token);

        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);
        await server.World.ReadAsync(s.PersonId, s.Page.Id, Ct);
        // A Page's events are delivered in order: once this message arrives, both reads have been dealt with.
        var done = await server.World.WriteAsync(s.PersonId, s.Page.Id, "done", cancellationToken: Ct);
        await s.Receiver.WaitForEventsAsync(e => e.Mid == done.Mid, cancellationToken: Ct);

        Assert.Single(s.Receiver.Changes(), c => c.Field == "marketing_message_reads");
    }

    [Fact]
    public async Task OnlySubscribedFields_AreSent()
    {
        await using var s = await StartAsync(server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();
        var installed = await s.Graph.SubscribePageAsync(
            s.Page.Id,
            s.Page.AccessToken,
            ["messages", "marketing_message_deliveries"],
            Ct
        );
        Assert.True(installed.IsSuccess, installed.ToString());

        var tracking = await s.SendOkAsync(id, token);

        await s.WaitForChangeAsync(
            "marketing_message_deliveries",
            v => v.String("marketing_message_tracking_id") == tracking
        );
        var done = await server.World.WriteAsync(s.PersonId, s.Page.Id, "done", cancellationToken: Ct);
        await s.Receiver.WaitForEventsAsync(e => e.Mid == done.Mid, cancellationToken: Ct);
        Assert.DoesNotContain(s.Receiver.Changes(), c => c.Field == "marketing_message_echoes");
    }

    [Fact]
    public async Task CustomAudienceUpload_ResponseAndUploadStatusWebhook()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();
        await s.WorldAsync(
            HttpMethod.Put,
            $"_pagebox/persons/{s.PersonId}/identifiers",
            new { email = " Ada@Example.com " }
        );
        var created = await s.Graph.PostAsync(
            $"{s.Act}/customaudiences",
            new
            {
                subtype = "CUSTOM",
                customer_file_source = "USER_PROVIDED_ONLY",
                name = "VIP",
                description = "Best customers",
                use_for_products = new[] { "MARKETING_MESSAGES" },
                subscription_info = new[] { "MESSENGER" },
                marketing_message_channels = new Dictionary<string, string> { ["MESSENGER"] = s.Page.Id },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(created.IsSuccess, created.ToString());
        var audience = Assert.Single(created.Body.GetProperty("data").EnumerateArray()).GetProperty("id").GetString()!;
        var ada = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ada@example.com"u8));
        var nobody = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("nobody@example.com"u8));

        var upload = await s.Graph.PostAsync(
            $"{audience}/users",
            new
            {
                payload = new
                {
                    schema = new[] { "EMAIL" },
                    data = new[] { new[] { ada }, new[] { nobody }, new[] { "not-a-hash" } },
                },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.True(upload.IsSuccess, upload.ToString());
        Assert.Equal(
            ["audience_id", "invalid_entry_samples", "num_invalid_entries", "num_received", "session_id"],
            GraphAssert.Names(upload.Body)
        );
        Assert.Equal(3, upload.Body.GetProperty("num_received").GetInt32());
        Assert.Equal(1, upload.Body.GetProperty("num_invalid_entries").GetInt32());
        var status = await s.WaitForChangeAsync("marketing_messages_subscriber_upload_status");
        Assert.Equal(
            [
                "ad_account_id",
                "app_id",
                "approximate_count_lower_bound",
                "approximate_count_upper_bound",
                "batch_uploading_status",
                "business_id",
                "custom_audience_id",
                "field",
                "num_rows",
                "page_id",
                "timestamp",
            ],
            GraphAssert.Names(status)
        );
        Assert.Equal(1, status.GetProperty("approximate_count_lower_bound").GetInt32());
        Assert.Equal(3, status.GetProperty("num_rows").GetInt32());
        Assert.Equal("SUCCESS", status.GetProperty("batch_uploading_status").GetString());
    }

    [Fact]
    public async Task CustomAudience_WrongProduct_100()
    {
        await using var s = await StartAsync(server);
        await s.AdAccountAsync();

        var r = await s.Graph.PostAsync(
            $"{s.Act}/customaudiences",
            new
            {
                subtype = "CUSTOM",
                customer_file_source = "USER_PROVIDED_ONLY",
                name = "x",
                use_for_products = new[] { "ADS" },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(r, "use_for_products");
    }
}

/// <summary><c>--mm-webhook-envelope messaging</c>: the flat payloads in entry[].messaging[].</summary>
public sealed class PaidWebhookMessagingEnvelopeTests : IAsyncLifetime
{
    private PageboxServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await PageboxServer.StartAsync(o => o.PaidMarketingWebhookEnvelope = "messaging");

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Echo_InTheMessagingArray_WithItsField()
    {
        await using var s = await StartAsync(_server);
        var token = await s.OptInAsync();
        await s.AdAccountAsync();
        var id = await s.WarmCampaignAsync();

        var tracking = await s.SendOkAsync(id, token);

        var echo = (
            await s.Receiver.WaitForEventsAsync(
                e => e.Event.String("field") == "marketing_message_echoes",
                cancellationToken: Ct
            )
        )[0];
        Assert.Equal(tracking, echo.Event.String("marketing_message_tracking_id"));
        Assert.Equal(s.Page.Id, echo.EntryId);
        Assert.Empty(s.Receiver.Changes());
    }
}
