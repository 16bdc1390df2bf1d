using System.Text.Json;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Store;

namespace Pagebox.Server.Webhooks;

/// <summary>
/// The successor API's webhook payloads, exactly as its send-messages and grow-audience pages show them: flat objects
/// with <c>field</c>, ids as numbers (page_id, app_id, recipient_id, business_id, ad_account_id, custom_audience_id),
/// the campaign's message id and the token as strings, <c>timestamp</c> in milliseconds like every Messenger timestamp.
/// Enveloped as a Page change (<c>{"field","value"}</c> in <c>entry[].changes[]</c>, the default) or, switched, as the
/// flat object in <c>entry[].messaging[]</c> (see <see cref="PaidWebhookEnvelope"/>).
/// </summary>
internal static class PaidMarketingWebhooks
{
    public static string Encode(PaidMarketingEvent e) =>
        WebhookEncoder.Json(w =>
        {
            if (e.Envelope == PaidWebhookEnvelope.Changes)
            {
                w.WriteStartObject();
                w.WriteString("field", e.Field);
                w.WritePropertyName("value");
            }
            w.WriteStartObject();
            switch (e)
            {
                case PaidMessageEvent m:
                    WriteMessage(w, m);
                    break;
                case PaidDeliveryFailedEvent f:
                    WebhookEncoder.WriteId(w, "app_id", f.AppId);
                    WebhookEncoder.WriteId(w, "business_id", f.BusinessId);
                    WebhookEncoder.WriteId(w, "page_id", f.PageId);
                    w.WriteString("messenger_subscription_token", f.Token);
                    w.WriteNumber("timestamp", f.Timestamp.ToUnixTimeMilliseconds());
                    w.WriteString("error_message", f.ErrorMessage);
                    w.WriteString("message_id", f.CampaignId);
                    break;
                case SubscriberUploadStatusEvent u:
                    w.WriteString("field", u.Field);
                    WebhookEncoder.WriteId(w, "app_id", u.AppId);
                    WebhookEncoder.WriteId(w, "page_id", u.PageId);
                    WebhookEncoder.WriteId(w, "custom_audience_id", u.CustomAudienceId);
                    WebhookEncoder.WriteId(w, "ad_account_id", u.AdAccountId);
                    w.WriteNumber("timestamp", u.Timestamp.ToUnixTimeMilliseconds());
                    w.WriteNumber("num_rows", u.NumRows);
                    WebhookEncoder.WriteId(w, "business_id", u.BusinessId);
                    w.WriteNumber("approximate_count_lower_bound", u.LowerBound);
                    w.WriteNumber("approximate_count_upper_bound", u.UpperBound);
                    w.WriteString("batch_uploading_status", u.Status);
                    break;
                default:
                    throw new NotSupportedException($"No webhook encoding for {e.GetType().Name}");
            }
            w.WriteEndObject();
            if (e.Envelope == PaidWebhookEnvelope.Changes)
                w.WriteEndObject();
        });

    /// <summary>Echoes and deliveries carry app_id and mid; reads carry no mid or app_id; clicks carry mid but no
    /// app_id or tracking id.</summary>
    private static void WriteMessage(Utf8JsonWriter w, PaidMessageEvent m)
    {
        w.WriteString("field", m.Field);
        WebhookEncoder.WriteId(w, "recipient_id", m.RecipientPsid);
        WebhookEncoder.WriteId(w, "page_id", m.PageId);
        if (m.Kind is PaidMessageEventKind.Echo or PaidMessageEventKind.Delivery)
            WebhookEncoder.WriteId(w, "app_id", m.AppId);
        w.WriteNumber("timestamp", m.Timestamp.ToUnixTimeMilliseconds());
        if (m.Kind != PaidMessageEventKind.Read)
            w.WriteString("mid", m.Mid);
        if (m.Kind != PaidMessageEventKind.Click)
            w.WriteString("marketing_message_tracking_id", m.TrackingId);
        w.WriteString("messenger_subscription_token", m.Token);
        w.WriteString("message_id", m.CampaignId);
    }

    /// <summary>Whether an outbox event goes in <c>changes</c> (its JSON is <c>{"field":…,"value":…}</c>, as <see
    /// cref="Encode"/> writes it).</summary>
    public static bool IsChange(PendingEvent e) =>
        PaidMarketingFields.IsPaidField(e.Field)
        && e.EventJson.StartsWith($"{{\"field\":\"{e.Field}\",\"value\":", StringComparison.Ordinal);
}
