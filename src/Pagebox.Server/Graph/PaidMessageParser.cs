using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using static Pagebox.Server.Graph.PayloadMembers;

namespace Pagebox.Server.Graph;

/// <summary>A marketing message read: the creative's facts for the Domain's rules, and the message as sent with the
/// macros filled in for one recipient's full name.</summary>
internal sealed record PaidMessage(PaidCreative Creative, Func<string, string> Render);

/// <summary>
/// Reads the <c>message</c> of <c>POST /act_{id}/messages</c>: the templates the API reference lists (generic with
/// image grid and video, button, text, media, product, receipt, coupon/LTO) and quick replies (at most 13). Shape
/// errors are code 100 naming the parameter; what the API's own codes judge (buttons, media, macros) goes to the
/// Domain's <see cref="PaidCreativeRule"/> as facts. The message is kept as sent, its macros filled in per recipient.
/// </summary>
internal static class PaidMessageParser
{
    private const string M = "message";
    private const string P = "message[attachment][payload]";
    public const int MaxText = 640;
    public const int MaxQuickReplies = 13;
    private static readonly JsonSerializerOptions Relaxed = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private static readonly string[] Templates = ["generic", "button", "media", "product", "receipt", "coupon"];

    /// <summary>
    /// Checks in this order: the message is an object with exactly one of text and attachment; quick replies; the
    /// text, or the attachment (a template of a known type, then that template's members).
    /// </summary>
    public static Result<PaidMessage> Parse(JsonElement message, string json)
    {
        if (message.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid(M, "Param message must be a JSON object");
        var hasText = message.TryGetProperty("text", out var text) && text.ValueKind != JsonValueKind.Null;
        var hasAttachment =
            message.TryGetProperty("attachment", out var attachment) && attachment.ValueKind != JsonValueKind.Null;
        if (hasText == hasAttachment)
            return DomainError.Invalid(M, "Param message must contain exactly one of text and attachment");
        if (QuickReplies(message) is { } qrError)
            return qrError;
        var personalized = new List<string>();
        var creative = hasText ? TextMessage(message, personalized) : Template(attachment, personalized);
        return creative.IsAccepted
            ? new PaidMessage(creative.Value with { Personalized = personalized }, name => Render(json, name))
            : creative.Error;
    }

    private static Result<PaidCreative> TextMessage(JsonElement message, List<string> personalized) =>
        Text(message, "text", M, MaxText, required: true, personalized) is { } e
            ? e
            : new PaidCreative(null, [], [], []);

    /// <summary>A template of a known type, then what that type carries.</summary>
    private static Result<PaidCreative> Template(JsonElement attachment, List<string> personalized)
    {
        var read = TemplatePayload.Read(attachment);
        if (!read.IsAccepted)
            return read.Error;
        var payload = read.Value.Payload;
        return read.Value.Type switch
        {
            "generic" => Generic(payload, personalized),
            "button" => ButtonTemplate(payload, personalized),
            "media" => Media(payload),
            "product" => Product(payload),
            "receipt" => Receipt(payload),
            _ => Coupon(payload, personalized),
        };
    }

    /// <summary>The attachment's template type and payload, both checked.</summary>
    private sealed record TemplatePayload(string Type, JsonElement Payload)
    {
        public static Result<TemplatePayload> Read(JsonElement attachment)
        {
            if (Object(attachment, $"{M}[attachment]") is { } notObject)
                return notObject;
            if (!attachment.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return DomainError.Missing($"{M}[attachment][type]");
            if (type.GetString() != "template")
                return DomainError.Invalid(
                    $"{M}[attachment][type]",
                    $"Param {M}[attachment][type] must be template (marketing messages are templates or text) - "
                        + $"got \"{type.GetString()}\""
                );
            if (!attachment.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(P, $"Param {P} must be an object");
            if (!payload.TryGetProperty("template_type", out var tt) || tt.ValueKind != JsonValueKind.String)
                return DomainError.Missing($"{P}[template_type]");
            var template = tt.GetString()!;
            if (!Templates.Contains(template))
                return WireEnum.Error($"{P}[template_type]", template, string.Join(", ", Templates));
            return new TemplatePayload(template, payload);
        }
    }

    // :: Templates

    private static Result<PaidCreative> Generic(JsonElement payload, List<string> personalized)
    {
        if (Text(payload, "text", P, MaxText, required: false, personalized) is { } greeting)
            return greeting;
        if (Items(payload, "elements", $"{P}[elements]", 1, 10, out var elements) is { } error)
            return error;
        var list = new List<CreativeElement>();
        foreach (var e in elements.EnumerateArray())
        {
            var element = GenericElement(e, $"{P}[elements][{list.Count}]", personalized);
            if (!element.IsAccepted)
                return element.Error;
            list.Add(element.Value);
        }
        return new PaidCreative("generic", list, [], []);
    }

    private static Result<CreativeElement> GenericElement(JsonElement e, string at, List<string> personalized)
    {
        var error =
            Object(e, at)
            ?? Text(e, "title", at, 80, required: true, personalized)
            ?? Text(e, "subtitle", at, 80, required: false, personalized)
            ?? Text(e, "image_url", at, 2000, required: false)
            ?? Text(e, "video_id", at, 100, required: false);
        if (error is not null)
            return error;
        if (MediaType(e, at, required: false, out var mediaType) is { } mt)
            return mt;
        var grid = ImageGrid.Read(e, at);
        if (!grid.IsAccepted)
            return grid.Error;
        if (DefaultAction(e, at) is { } da)
            return da;
        var buttons = Buttons(e, at, required: false);
        if (!buttons.IsAccepted)
            return buttons.Error;
        var image = Has(e, "image_url");
        return new CreativeElement(
            mediaType,
            Has(e, "video_id"),
            image,
            image,
            grid.Value.Count,
            grid.Value.Heroes,
            buttons.Value
        );
    }

    private static Result<PaidCreative> ButtonTemplate(JsonElement payload, List<string> personalized)
    {
        if (Text(payload, "text", P, MaxText, required: true, personalized) is { } t)
            return t;
        return Buttons(payload, P, required: true).Map(buttons => new PaidCreative("button", [], buttons, []));
    }

    private static Result<PaidCreative> Media(JsonElement payload)
    {
        const string at = $"{P}[elements][0]";
        const string idParameter = $"{at}[attachment_id]";
        if (Single(payload, "elements", P, out var e) is { } error)
            return error;
        if (MediaType(e, at, required: true, out var mediaType) is { } mt)
            return mt;
        if (Text(e, "url", at, 2000, required: false) is { } url)
            return url;
        if (AttachmentId(e, idParameter, out var attachmentId) is { } id)
            return id;
        var buttons = Buttons(e, at, required: false);
        if (!buttons.IsAccepted)
            return buttons.Error;
        var hasMedia = Has(e, "url") || attachmentId is not null;
        var element = new CreativeElement(
            mediaType,
            hasMedia || Has(e, "video_id"),
            hasMedia,
            false,
            0,
            0,
            buttons.Value
        );
        return new PaidCreative("media", [element], [], [], attachmentId, attachmentId is null ? null : idParameter);
    }

    private static Result<PaidCreative> Product(JsonElement payload)
    {
        if (Items(payload, "elements", $"{P}[elements]", 1, 10, out var elements) is { } error)
            return error;
        var i = 0;
        foreach (var e in elements.EnumerateArray())
        {
            var at = $"{P}[elements][{i++}]";
            if (Object(e, at) is { } notObject)
                return notObject;
            if (
                !e.TryGetProperty("id", out var id)
                || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
            )
                return DomainError.Missing($"{at}[id]");
        }
        return new PaidCreative("product", [], [], []);
    }

    private static Result<PaidCreative> Receipt(JsonElement payload)
    {
        foreach (var field in (string[])["recipient_name", "order_number", "currency", "payment_method"])
        {
            if (Text(payload, field, P, 640, required: true) is { } e)
                return e;
        }
        if (!payload.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Object)
            return DomainError.Missing($"{P}[summary]");
        if (!summary.TryGetProperty("total_cost", out var total) || total.ValueKind != JsonValueKind.Number)
            return DomainError.Missing($"{P}[summary][total_cost]");
        if (
            payload.TryGetProperty("elements", out var elements)
            && elements.ValueKind != JsonValueKind.Null
            && Items(payload, "elements", $"{P}[elements]", 0, 100, out _) is { } elementsError
        )
            return elementsError;
        return new PaidCreative("receipt", [], [], []);
    }

    private static Result<PaidCreative> Coupon(JsonElement payload, List<string> personalized)
    {
        var error =
            Text(payload, "title", P, 80, required: true, personalized)
            ?? Text(payload, "subtitle", P, 80, required: false, personalized)
            ?? Text(payload, "coupon_code", P, 100, required: true)
            ?? Text(payload, "coupon_url", P, 2000, required: true)
            ?? Text(payload, "coupon_url_button_title", P, 20, required: false)
            ?? Text(payload, "coupon_pre_message", P, MaxText, required: false, personalized)
            ?? Text(payload, "image_url", P, 2000, required: false)
            ?? Text(payload, "payload", P, 1000, required: false)
            ?? Text(payload, "expire_time", P, 100, required: false);
        return error is not null ? error : new PaidCreative("coupon", [], [], []);
    }

    // :: Parts

    private static DomainError? QuickReplies(JsonElement message)
    {
        if (!message.TryGetProperty("quick_replies", out var qr) || qr.ValueKind == JsonValueKind.Null)
            return null;
        const string at = $"{M}[quick_replies]";
        if (qr.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid(at, $"Param {at} must be an array");
        if (qr.GetArrayLength() > MaxQuickReplies)
            return DomainError.Invalid(at, $"Param {at} must have at most {MaxQuickReplies} elements");
        var i = 0;
        foreach (var item in qr.EnumerateArray())
        {
            if (QuickReply(item, $"{at}[{i++}]") is { } error)
                return error;
        }
        return null;
    }

    private static DomainError? QuickReply(JsonElement item, string q)
    {
        if (Object(item, q) is { } notObject)
            return notObject;
        var contentType = String(item, "content_type");
        if (contentType is null)
            return DomainError.Missing($"{q}[content_type]");
        if (contentType is not ("text" or "user_phone_number" or "user_email"))
            return DomainError.Invalid(
                $"{q}[content_type]",
                $"Param {q}[content_type] must be one of {{text, user_phone_number, user_email}} - got \""
                    + $"{contentType}\""
            );
        return contentType == "text"
            ? Text(item, "title", q, 20, required: true) ?? Text(item, "payload", q, 1000, required: true)
            : null;
    }

    private static Result<IReadOnlyList<CreativeButton>> Buttons(JsonElement owner, string at, bool required)
    {
        if (!owner.TryGetProperty("buttons", out var buttons) || buttons.ValueKind == JsonValueKind.Null)
            return required ? DomainError.Missing($"{at}[buttons]") : Result<IReadOnlyList<CreativeButton>>.Accept([]);
        if (buttons.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid($"{at}[buttons]", $"Param {at}[buttons] must be an array");
        if (required && buttons.GetArrayLength() == 0)
            return DomainError.Missing($"{at}[buttons]");
        var list = new List<CreativeButton>();
        foreach (var b in buttons.EnumerateArray())
        {
            if (Button(b, $"{at}[buttons][{list.Count}]") is { } error)
                return error;
            list.Add(new CreativeButton(String(b, "type"), String(b, "title"), String(b, "url")));
        }
        return Result<IReadOnlyList<CreativeButton>>.Accept(list);
    }

    /// <summary>A button's shape: its strings; a postback's payload. What each type may be is the Domain's
    /// rule.</summary>
    private static DomainError? Button(JsonElement b, string bt) =>
        Object(b, bt)
        ?? Text(b, "title", bt, 20, required: false)
        ?? Text(b, "url", bt, 2000, required: false)
        ?? Text(b, "type", bt, 64, required: false)
        ?? (String(b, "type") == "postback" ? Text(b, "payload", bt, 1000, required: true) : null);

    /// <summary>An element's <c>image_urls</c> (the image grid): how many, and how many say
    /// <c>is_hero_image</c>.</summary>
    private sealed record ImageGrid(int Count, int Heroes)
    {
        public static readonly ImageGrid None = new(0, 0);

        public static Result<ImageGrid> Read(JsonElement e, string at)
        {
            if (!e.TryGetProperty("image_urls", out var urls) || urls.ValueKind == JsonValueKind.Null)
                return None;
            var param = $"{at}[image_urls]";
            if (urls.ValueKind != JsonValueKind.Array)
                return DomainError.Invalid(param, $"Param {param} must be an array");
            if (urls.GetArrayLength() is 0 or > PaidCreativeRule.MaxGridImages)
                return DomainError.Invalid(
                    param,
                    $"Param {param} must have between 1 and {PaidCreativeRule.MaxGridImages} elements"
                );
            var heroes = 0;
            var i = 0;
            foreach (var u in urls.EnumerateArray())
            {
                var item = $"{param}[{i++}]";
                if ((Object(u, item) ?? Text(u, "url", item, 2000, required: true)) is { } error)
                    return error;
                heroes += IsHero(u) ? 1 : 0;
            }
            return new ImageGrid(urls.GetArrayLength(), heroes);
        }

        private static bool IsHero(JsonElement url) =>
            url.TryGetProperty("is_hero_image", out var hero)
            && (
                hero.ValueKind == JsonValueKind.True
                || (hero.ValueKind == JsonValueKind.String && hero.GetString() == "true")
            );
    }

    /// <summary>A media element's <c>attachment_id</c>, a string or a number.</summary>
    private static DomainError? AttachmentId(JsonElement e, string parameter, out string? id)
    {
        id = null;
        if (!e.TryGetProperty("attachment_id", out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        id = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };
        return id is null
            ? DomainError.Invalid(parameter, $"Param {parameter} must be a valid ID string (e.g., \"123\")")
            : null;
    }

    private static DomainError? MediaType(JsonElement e, string at, bool required, out string? mediaType)
    {
        mediaType = String(e, "media_type");
        if (mediaType is null)
            return required ? DomainError.Missing($"{at}[media_type]") : null;
        return mediaType is "image" or "video"
            ? null
            : DomainError.Invalid(
                $"{at}[media_type]",
                $"Param {at}[media_type] must be one of {{image, video}} - got \"{mediaType}\""
            );
    }

    private static DomainError? DefaultAction(JsonElement e, string at)
    {
        if (!e.TryGetProperty("default_action", out var da) || da.ValueKind == JsonValueKind.Null)
            return null;
        var param = $"{at}[default_action]";
        if (da.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid(param, $"Param {param} must be an object");
        if (String(da, "type") != "web_url")
            return DomainError.Invalid($"{param}[type]", $"Param {param}[type] must be web_url");
        return Text(da, "url", param, 2000, required: true, null);
    }

    private static bool Has(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
        && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
        && v.ToString().Length > 0;

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // :: Personalization

    /// <summary>The message with <c>{{first_name}}</c> … filled in where Meta fills them: texts, titles, subtitles, the
    /// coupon's pre-message; never buttons.</summary>
    public static string Render(string json, string fullName)
    {
        if (!json.Contains("{{", StringComparison.Ordinal))
            return json;
        var root = JsonNode.Parse(json)!.AsObject();
        void Fill(JsonObject? o, params string[] names)
        {
            if (o is null)
                return;
            foreach (var name in names)
                if (o[name] is JsonValue v && v.TryGetValue<string>(out var s))
                    o[name] = PersonalizationMacros.Render(s, fullName);
        }
        Fill(root, "text");
        if (root["attachment"]?["payload"] is JsonObject payload)
        {
            Fill(payload, "text", "coupon_pre_message");
            if (String(payload, "template_type") == "coupon")
                Fill(payload, "title", "subtitle");
            if (payload["elements"] is JsonArray elements)
                foreach (var e in elements)
                    Fill(e as JsonObject, "title", "subtitle");
        }
        return root.ToJsonString(Relaxed);
    }

    private static string? String(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
