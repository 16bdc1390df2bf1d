using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Webhooks;

/// <summary>
/// Turns domain events into the platform's <c>messaging[]</c> elements and batches them into the envelope
/// (docs/spec/webhooks.md §4–5). Strings are written raw here; <see cref="MetaEscape"/> gives the body Meta's escaping.
/// </summary>
internal sealed class WebhookEncoder : IWebhookEventEncoder
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Encode(WebhookEvent e) =>
        e switch
        {
            StandbyEvent standby => Encode(standby.Inner, standby: true),
            Domain.Campaigns.PaidMarketingEvent paid => PaidMarketingWebhooks.Encode(paid),
            _ => Encode(e, standby: false),
        };

    /// <param name="standby">For an app that does not own the thread: the same element, postbacks without
    /// payload.</param>
    /// <param name="e">The event to encode.</param>
    private static string Encode(WebhookEvent e, bool standby) =>
        e is FeedCommentEvent feed ? Json(w => WriteFeedComment(w, feed)) : Json(w => WriteMessaging(w, e, standby));

    /// <summary>An event's JSON as the writer writes it (strings raw, see <see cref="MetaEscape"/>).</summary>
    internal static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
            write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A numeric id as a JSON number, as Meta's samples show app ids (a non-numeric id stays a
    /// string).</summary>
    internal static void WriteId(Utf8JsonWriter w, string name, string id)
    {
        if (long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            w.WriteNumber(name, n);
        else
            w.WriteString(name, id);
    }

    /// <summary>One <c>messaging[]</c> element: sender, recipient, timestamp and the event's own object.</summary>
    private static void WriteMessaging(Utf8JsonWriter w, WebhookEvent e, bool standby)
    {
        w.WriteStartObject();
        var fromPage = e is EchoEvent;
        // A Checkbox-plugin opt-in has no sender: there is no PSID until the person answers. Policy enforcement is the
        // platform's, about the Page: no sender either.
        if (e is not (CheckboxOptInEvent or PolicyEnforcementEvent))
        {
            WriteFields(w, "sender", ("id", fromPage ? e.PageId : e.Psid));
        }
        WriteFields(w, "recipient", ("id", fromPage ? e.Psid : e.PageId));
        w.WriteNumber("timestamp", e.Timestamp.ToUnixTimeMilliseconds());
        switch (e)
        {
            case PersonMessageEvent m:
                WriteMessage(w, m);
                break;
            case EchoEvent echo:
                WriteEcho(w, echo);
                break;
            case DeliveryEvent d:
                w.WriteStartObject("delivery");
                w.WriteStartArray("mids");
                foreach (var mid in d.Mids)
                    w.WriteStringValue(mid);
                w.WriteEndArray();
                w.WriteNumber("watermark", d.Watermark.ToUnixTimeMilliseconds());
                w.WriteEndObject();
                break;
            case ReadEvent r:
                // Instagram's messaging_seen names the message read; Messenger's message_reads gives a watermark.
                WriteFields(
                    w,
                    "read",
                    ("mid", r.Mid),
                    ("watermark", r.Mid is null ? r.Watermark.ToUnixTimeMilliseconds() : null)
                );
                break;
            case OptInEvent o:
                WriteOptIn(w, o);
                break;
            case CheckboxOptInEvent c:
                WriteFields(w, "optin", ("ref", c.Ref), ("user_ref", c.UserRef));
                break;
            case PostbackEvent pb:
                w.WriteStartObject("postback");
                if (pb.Mid is not null)
                    w.WriteString("mid", pb.Mid);
                w.WriteString("title", pb.Title);
                if (!standby)
                    w.WriteString("payload", pb.Payload);
                if (pb.Referral is { } postbackReferral)
                    WriteReferral(w, postbackReferral);
                w.WriteEndObject();
                break;
            case ReferralEvent rf:
                WriteReferral(w, rf.Referral);
                break;
            case HandoverEvent h:
                WriteHandover(w, h);
                break;
            case ReactionEvent
            or MessageEditEvent
            or ResponseFeedbackEvent
            or MessagingFeedbackEvent
            or UnsendEvent
            or LinkOptInEvent
            or PluginOptInEvent
            or PolicyEnforcementEvent:
                WritePersonAction(w, e);
                break;
            default:
                throw new NotSupportedException($"No webhook encoding for {e.GetType().Name}");
        }
        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, PersonMessageEvent m)
    {
        w.WriteStartObject("message");
        w.WriteString("mid", m.Mid);
        if (m.Text is not null)
            w.WriteString("text", m.Text);
        if (m.QuickReplyPayload is not null)
            WriteFields(w, "quick_reply", ("payload", m.QuickReplyPayload));
        if (m.ReplyToMid is not null)
            WriteFields(w, "reply_to", ("mid", m.ReplyToMid), ("is_self_reply", false));
        if (m.AttachmentsJson is not null)
        {
            w.WritePropertyName("attachments");
            w.WriteRawValue(m.AttachmentsJson, skipInputValidation: false);
        }
        if (m.Referral is { } referral)
            WriteReferral(w, referral);
        w.WriteEndObject();
    }

    /// <summary><c>referral</c>: an m.me link's ref, or a click-to-Messenger ad (<c>ad_id</c>, <c>ads_context_data</c>
    /// as given).</summary>
    private static void WriteReferral(Utf8JsonWriter w, ReferralInfo r)
    {
        w.WriteStartObject("referral");
        if (r.Ref is not null)
            w.WriteString("ref", r.Ref);
        if (r.AdId is not null)
            w.WriteString("ad_id", r.AdId);
        w.WriteString("source", r.Source);
        w.WriteString("type", r.Type);
        if (r.AdsContextJson is not null)
        {
            w.WritePropertyName("ads_context_data");
            w.WriteRawValue(r.AdsContextJson, skipInputValidation: false);
        }
        w.WriteEndObject();
    }

    /// <summary>The events of what a person does beyond writing, and policy enforcement (Meta's webhook reference
    /// samples).</summary>
    private static void WritePersonAction(Utf8JsonWriter w, WebhookEvent e)
    {
        switch (e)
        {
            case ReactionEvent r:
                WriteFields(
                    w,
                    "reaction",
                    ("reaction", r.Reaction),
                    ("emoji", r.Emoji),
                    ("action", r.Action),
                    ("mid", r.Mid)
                );
                break;
            case MessageEditEvent edit:
                WriteFields(w, "message_edit", ("mid", edit.Mid), ("text", edit.Text), ("num_edit", edit.NumEdit));
                break;
            case ResponseFeedbackEvent f:
                WriteFields(w, "response_feedback", ("feedback", f.Feedback), ("mid", f.Mid));
                break;
            case MessagingFeedbackEvent mf:
                w.WriteStartObject("messaging_feedback");
                w.WriteStartArray("feedback_screens");
                w.WriteStartObject();
                w.WriteNumber("screen_id", 0);
                w.WriteStartObject("questions");
                foreach (var a in mf.Answers)
                {
                    w.WriteStartObject(a.QuestionId);
                    w.WriteString("type", a.Type);
                    w.WriteString("payload", a.Payload);
                    if (a.FollowUp is not null)
                        WriteFields(w, "follow_up", ("type", "free_form"), ("payload", a.FollowUp));
                    w.WriteEndObject();
                }
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case UnsendEvent u:
                WriteFields(w, "message", ("mid", u.Mid), ("is_deleted", true));
                break;
            case LinkOptInEvent o:
                WriteFields(
                    w,
                    "optin",
                    ("type", "notification_messages"),
                    ("title", o.Topic),
                    ("ref", o.Ref),
                    ("payload", ""),
                    ("source", "SHORTLINK"),
                    ("notification_messages_token", o.Token),
                    ("notification_messages_topic", o.Topic),
                    ("notification_messages_frequency", MarketingWire.ToWire(o.Frequency)),
                    ("notification_messages_timezone", o.TimeZone),
                    ("token_expiry_timestamp", o.TokenExpiry.ToUnixTimeMilliseconds()),
                    ("user_token_status", MarketingWire.ToWire(o.UserTokenStatus))
                );
                break;
            case PluginOptInEvent p:
                WriteFields(w, "optin", ("ref", p.Ref));
                break;
            case PolicyEnforcementEvent pe:
                WriteFields(w, "policy_enforcement", ("action", pe.Action), ("reason", pe.Reason));
                break;
        }
    }

    /// <summary>
    /// Writes the object <paramref name="name"/> from a table of its members, in order; a member whose value is null
    /// is left out (Meta omits absent optional fields). Values are strings, booleans and numbers.
    /// </summary>
    private static void WriteFields(
        Utf8JsonWriter w,
        string name,
        params ReadOnlySpan<(string Key, object? Value)> fields
    )
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in fields)
        {
            switch (value)
            {
                case null:
                    break;
                case string text:
                    w.WriteString(key, text);
                    break;
                case bool flag:
                    w.WriteBoolean(key, flag);
                    break;
                case int number:
                    w.WriteNumber(key, number);
                    break;
                case long number:
                    w.WriteNumber(key, number);
                    break;
                default:
                    throw new ArgumentException(
                        $"{key}: a webhook field is a string, a boolean or a number",
                        nameof(fields)
                    );
            }
        }
        w.WriteEndObject();
    }

    /// <summary>The echo shows the bot's own message back, with is_echo, app_id (a number, as in Meta's samples) and
    /// mid.</summary>
    private static void WriteEcho(Utf8JsonWriter w, EchoEvent echo)
    {
        w.WriteStartObject("message");
        w.WriteBoolean("is_echo", true);
        WriteId(w, "app_id", echo.AppId);
        w.WriteString("mid", echo.Mid);
        using var doc = JsonDocument.Parse(echo.MessageJson);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            // quick_replies are shown to the person, not echoed (Meta's echo samples carry none).
            if (property.Name is "is_echo" or "app_id" or "mid" or "quick_replies")
                continue;
            property.WriteTo(w);
        }
        w.WriteEndObject();
    }

    /// <summary>The <c>value</c> of a <c>feed</c> change for a new comment (Graph-wide webhooks: times in
    /// seconds).</summary>
    private static void WriteFeedComment(Utf8JsonWriter w, FeedCommentEvent f)
    {
        w.WriteStartObject();
        WriteFields(w, "from", ("id", f.PersonId), ("name", f.PersonName));
        w.WriteString("post_id", f.PostId);
        w.WriteString("comment_id", f.CommentId);
        w.WriteNumber("created_time", f.Timestamp.ToUnixTimeSeconds());
        w.WriteString("item", "comment");
        w.WriteString("parent_id", f.PostId);
        w.WriteString("verb", "add");
        w.WriteString("message", f.Text);
        w.WriteEndObject();
    }

    /// <summary>messaging_handovers: app ids as strings, as in Meta's samples; metadata only when the caller sent
    /// some.</summary>
    private static void WriteHandover(Utf8JsonWriter w, HandoverEvent h)
    {
        WriteFields(
            w,
            h.Kind,
            ("previous_owner_app_id", h.PreviousOwnerAppId),
            ("new_owner_app_id", h.NewOwnerAppId),
            ("requested_owner_app_id", h.RequestedOwnerAppId),
            ("metadata", h.Metadata)
        );
    }

    private static void WriteOptIn(Utf8JsonWriter w, OptInEvent o)
    {
        WriteFields(
            w,
            "optin",
            ("type", o.Type),
            ("payload", o.Payload),
            ("notification_messages_token", o.Token),
            ("notification_messages_frequency", o.Frequency is { } f ? MarketingWire.ToWire(f) : null),
            ("notification_messages_timezone", o.TimeZone),
            ("token_expiry_timestamp", o.TokenExpiry?.ToUnixTimeMilliseconds()),
            ("user_token_status", o.UserTokenStatus is { } u ? MarketingWire.ToWire(u) : null),
            ("notification_messages_status", o.NotificationMessagesStatus),
            ("title", o.Title)
        );
    }

    /// <summary>
    /// One POST body for several events of one Page: one <c>entry</c> per event, each with exactly one
    /// <c>messaging</c> element, as Messenger documents.
    /// </summary>
    public static byte[] BuildEnvelope(IReadOnlyList<PendingEvent> events)
    {
        var sb = new StringBuilder(256 * events.Count);
        sb.Append("{\"object\":\"").Append(events[0].Object).Append("\",\"entry\":[");
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (i > 0)
                sb.Append(',');
            if (e.Field == WebhookFields.Feed)
            {
                // Page feed changes come in the Graph-wide form: {"id","time" (seconds),"changes":[{"field","value"}]}.
                sb.Append("{\"id\":\"")
                    .Append(e.PageId)
                    .Append("\",\"time\":")
                    .Append(e.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                    .Append(",\"changes\":[{\"field\":\"feed\",\"value\":")
                    .Append(e.EventJson)
                    .Append("}]}");
                continue;
            }
            if (PaidMarketingWebhooks.IsChange(e))
            {
                // The successor API's events as Page changes: the event JSON is the whole change.
                sb.Append("{\"id\":\"")
                    .Append(e.PageId)
                    .Append("\",\"time\":")
                    .Append(e.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
                    .Append(",\"changes\":[")
                    .Append(e.EventJson)
                    .Append("]}");
                continue;
            }
            sb.Append("{\"id\":\"")
                .Append(e.PageId)
                .Append("\",\"time\":")
                .Append(e.Created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture))
                .Append(e.Field == WebhookFields.Standby ? ",\"standby\":[" : ",\"messaging\":[")
                .Append(e.EventJson)
                .Append("]}");
        }
        sb.Append("]}");
        return Encoding.UTF8.GetBytes(MetaEscape(sb.ToString()));
    }

    /// <summary>
    /// Meta signs escaped-unicode JSON: non-ASCII as \uXXXX with lowercase hex, and "/" as "\/" (docs/spec/webhooks.md
    /// §3.1). Both only occur inside JSON strings, so a character pass over the whole document is exact. Escapes
    /// already in the text get lowercase hex too: System.Text.Json writes characters outside the BMP (emoji) as
    /// uppercase surrogate escapes (<c>\uD83D\uDE00</c>) even with the relaxed encoder, and control characters as
    /// <c>\u001F</c>.
    /// </summary>
    public static string MetaEscape(string json)
    {
        var needs = false;
        foreach (var c in json)
            if (c > 0x7E || c == '/' || c == '\\')
            {
                needs = true;
                break;
            }
        if (!needs)
            return json;
        var sb = new StringBuilder(json.Length + 64);
        var inString = false;
        var escaped = false;
        var hexLeft = 0;
        foreach (var c in json)
        {
            if (inString)
            {
                if (hexLeft > 0)
                {
                    hexLeft--;
                    sb.Append(char.ToLowerInvariant(c));
                    continue;
                }
                if (escaped)
                {
                    escaped = false;
                    sb.Append(c);
                    if (c == 'u')
                        hexLeft = 4;
                    continue;
                }
                if (c == '\\')
                {
                    escaped = true;
                    sb.Append(c);
                    continue;
                }
                if (c == '"')
                    inString = false;
                else if (c == '/')
                {
                    sb.Append("\\/");
                    continue;
                }
                else if (c > 0x7E)
                {
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    continue;
                }
            }
            else if (c == '"')
                inString = true;
            sb.Append(c);
        }
        return sb.ToString();
    }
}
