using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Campaigns;

/// <summary>
/// How the successor API's webhook events are enveloped. Meta documents only flat payloads (each with a <c>field</c>)
/// and says they go to apps subscribed to the field "for that page"; integrators read them as Page <c>changes</c>
/// (<c>{"field","value"}</c>). <see cref="Changes"/> is the default; <see cref="Messaging"/> puts the flat payload in
/// <c>entry[].messaging[]</c>. Chosen once per server (<c>--mm-webhook-envelope</c>).
/// </summary>
public enum PaidWebhookEnvelope
{
    Changes = 1,
    Messaging = 2,
}

/// <summary>The successor API's webhook fields, as Page subscriptions name them.</summary>
public static class PaidMarketingFields
{
    public const string Echoes = "marketing_message_echoes";
    public const string Deliveries = "marketing_message_deliveries";
    public const string Reads = "marketing_message_reads";
    public const string Clicks = "marketing_message_clicks";
    public const string DeliveryFailed = "marketing_message_delivery_failed";
    public const string UploadStatus = "marketing_messages_subscriber_upload_status";

    public static bool IsPaidField(string field) =>
        field is Echoes or Deliveries or Reads or Clicks or DeliveryFailed or UploadStatus;
}

/// <summary>An event of the successor API. The order key is the subscription token, so one subscriber's events stay in
/// order.</summary>
public abstract record PaidMarketingEvent(
    string PageId,
    string OrderKey,
    DateTimeOffset Timestamp,
    PaidWebhookEnvelope Envelope
) : WebhookEvent(PageId, OrderKey, Timestamp);

public enum PaidMessageEventKind
{
    Echo = 1,
    Delivery = 2,
    Read = 3,
    Click = 4,
}

/// <summary>marketing_message_echoes / _deliveries / _reads / _clicks for one message.</summary>
/// <param name="AppId">The sending app (echoes and deliveries carry it).</param>
/// <param name="CampaignId">Sent as <c>message_id</c>: the campaign's message id.</param>
/// <param name="PageId">The Page that sent the message.</param>
/// <param name="Timestamp">When it happened, on the app's clock.</param>
/// <param name="Envelope">The webhook's envelope of the successor API.</param>
/// <param name="Kind">Echo, delivery, read or click.</param>
/// <param name="RecipientPsid">The recipient's page-scoped id.</param>
/// <param name="Mid">The message's id.</param>
/// <param name="TrackingId">The <c>marketing_message_tracking_id</c> of the send.</param>
/// <param name="Token">The <c>notification_messages_token</c> it was sent on.</param>
public sealed record PaidMessageEvent(
    string PageId,
    DateTimeOffset Timestamp,
    PaidWebhookEnvelope Envelope,
    PaidMessageEventKind Kind,
    string AppId,
    string RecipientPsid,
    string Mid,
    string TrackingId,
    string Token,
    string CampaignId
) : PaidMarketingEvent(PageId, "mm:" + Token, Timestamp, Envelope)
{
    public override string Field =>
        Kind switch
        {
            PaidMessageEventKind.Echo => PaidMarketingFields.Echoes,
            PaidMessageEventKind.Delivery => PaidMarketingFields.Deliveries,
            PaidMessageEventKind.Read => PaidMarketingFields.Reads,
            _ => PaidMarketingFields.Clicks,
        };
}

/// <summary>marketing_message_delivery_failed: an accepted message that could not be delivered.</summary>
public sealed record PaidDeliveryFailedEvent(
    string PageId,
    DateTimeOffset Timestamp,
    PaidWebhookEnvelope Envelope,
    string AppId,
    string BusinessId,
    string Token,
    string ErrorMessage,
    string CampaignId
) : PaidMarketingEvent(PageId, "mm:" + Token, Timestamp, Envelope)
{
    public override string Field => PaidMarketingFields.DeliveryFailed;
}

/// <summary>marketing_messages_subscriber_upload_status: a custom audience upload was matched.</summary>
public sealed record SubscriberUploadStatusEvent(
    string PageId,
    DateTimeOffset Timestamp,
    PaidWebhookEnvelope Envelope,
    string AppId,
    string CustomAudienceId,
    string AdAccountId,
    string BusinessId,
    int NumRows,
    int LowerBound,
    int UpperBound,
    string Status
) : PaidMarketingEvent(PageId, "ca:" + CustomAudienceId, Timestamp, Envelope)
{
    public override string Field => PaidMarketingFields.UploadStatus;
}
