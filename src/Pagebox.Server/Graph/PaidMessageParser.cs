using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Server.Graph;

/// <summary>
/// Reads the <c>message</c> of <c>POST /act_{id}/messages</c>: the templates the API reference lists (generic with
/// image
/// grid and video, button, text, media, product, receipt, coupon/LTO) and quick replies (at most 13). Shape errors are
/// code 100 naming the parameter; what the API's own codes judge (buttons, media, macros) goes to the Domain's
/// <see cref="PaidCreativeRule"/> as facts. The message is kept as sent, its macros filled in per recipient.
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

    public static (PaidCreative? Creative, Func<string, string>? Render, DomainError? Error) Parse(
        JsonElement message,
        string json
    )
    {
        if (message.ValueKind != JsonValueKind.Object)
            return Fail(DomainError.Invalid(M, "Param message must be a JSON object"));
        var personalized = new List<string>();
        var hasText = message.TryGetProperty("text", out var text) && text.ValueKind != JsonValueKind.Null;
        var hasAttachment =
            message.TryGetProperty("attachment", out var attachment) && attachment.ValueKind != JsonValueKind.Null;
        if (hasText == hasAttachment)
            return Fail(DomainError.Invalid(M, "Param message must contain exactly one of text and attachment"));
        if (QuickReplies(message) is { } qrError)
            return Fail(qrError);

        PaidCreative creative;
        if (hasText)
        {
            if (Text(message, "text", M, MaxText, required: true, personalized) is { } e)
                return Fail(e);
            creative = new PaidCreative(null, [], [], personalized);
        }
        else
        {
            if (attachment.ValueKind != JsonValueKind.Object)
                return Fail(DomainError.Invalid($"{M}[attachment]", $"Param {M}[attachment] must be an object"));
            if (!attachment.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return Fail(DomainError.Missing($"{M}[attachment][type]"));
            if (type.GetString() != "template")
                return Fail(
                    DomainError.Invalid(
                        $"{M}[attachment][type]",
                        $"Param {M}[attachment][type] must be template (marketing messages are templates or text) - "
                            + $"got \"{type.GetString()}\""
                    )
                );
            if (!attachment.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
                return Fail(DomainError.Invalid(P, $"Param {P} must be an object"));
            if (!payload.TryGetProperty("template_type", out var tt) || tt.ValueKind != JsonValueKind.String)
                return Fail(DomainError.Missing($"{P}[template_type]"));
            var template = tt.GetString()!;
            if (!Templates.Contains(template))
                return Fail(
                    DomainError.Invalid(
                        $"{P}[template_type]",
                        $"Param {P}[template_type] must be one of {{{string.Join(", ", Templates)}}} - got \""
                            + $"{template}\""
                    )
                );
            var (parsed, error) = template switch
            {
                "generic" => Generic(payload, personalized),
                "button" => ButtonTemplate(payload, personalized),
                "media" => Media(payload),
                "product" => Product(payload),
                "receipt" => Receipt(payload),
                _ => Coupon(payload, personalized),
            };
            if (error is not null)
                return Fail(error);
            creative = parsed! with { Personalized = personalized };
        }
        return (creative, name => Render(json, name), null);
    }

    private static (PaidCreative?, Func<string, string>?, DomainError?) Fail(DomainError e) => (null, null, e);

    // :: Templates

    private static (PaidCreative?, DomainError?) Generic(JsonElement payload, List<string> personalized)
    {
        if (Text(payload, "text", P, MaxText, required: false, personalized) is { } greeting)
            return (null, greeting);
        if (Array(payload, "elements", $"{P}[elements]", 1, 10, out var elements) is { } error)
            return (null, error);
        var list = new List<CreativeElement>();
        var i = 0;
        foreach (var e in elements.EnumerateArray())
        {
            var at = $"{P}[elements][{i++}]";
            if (e.ValueKind != JsonValueKind.Object)
                return (null, DomainError.Invalid(at, $"Param {at} must be an object"));
            if (
                (
                    Text(e, "title", at, 80, required: true, personalized)
                    ?? Text(e, "subtitle", at, 80, required: false, personalized)
                ) is
                { } t
            )
                return (null, t);
            if (
                (
                    Text(e, "image_url", at, 2000, required: false, null)
                    ?? Text(e, "video_id", at, 100, required: false, null)
                ) is
                { } u
            )
                return (null, u);
            if (MediaType(e, at, required: false, out var mediaType) is { } mt)
                return (null, mt);
            var (grid, hero, gridError) = ImageUrls(e, at);
            if (gridError is not null)
                return (null, gridError);
            if (DefaultAction(e, at) is { } da)
                return (null, da);
            var (buttons, buttonError) = Buttons(e, at, required: false);
            if (buttonError is not null)
                return (null, buttonError);
            list.Add(
                new CreativeElement(
                    mediaType,
                    Has(e, "video_id"),
                    Has(e, "image_url"),
                    Has(e, "image_url"),
                    grid,
                    hero,
                    buttons
                )
            );
        }
        return (new PaidCreative("generic", list, [], []), null);
    }

    private static (PaidCreative?, DomainError?) ButtonTemplate(JsonElement payload, List<string> personalized)
    {
        if (Text(payload, "text", P, MaxText, required: true, personalized) is { } t)
            return (null, t);
        var (buttons, error) = Buttons(payload, P, required: true);
        return error is not null ? (null, error) : (new PaidCreative("button", [], buttons, []), null);
    }

    private static (PaidCreative?, DomainError?) Media(JsonElement payload)
    {
        if (Array(payload, "elements", $"{P}[elements]", 1, 1, out var elements) is { } error)
            return (null, error);
        var e = elements[0];
        const string at = $"{P}[elements][0]";
        if (e.ValueKind != JsonValueKind.Object)
            return (null, DomainError.Invalid(at, $"Param {at} must be an object"));
        if (MediaType(e, at, required: true, out var mediaType) is { } mt)
            return (null, mt);
        if (Text(e, "url", at, 2000, required: false, null) is { } u)
            return (null, u);
        string? attachmentId = null;
        if (e.TryGetProperty("attachment_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            attachmentId = id.ValueKind switch
            {
                JsonValueKind.String => id.GetString(),
                JsonValueKind.Number => id.GetRawText(),
                _ => null,
            };
            if (attachmentId is null)
                return (
                    null,
                    DomainError.Invalid(
                        $"{at}[attachment_id]",
                        $"Param {at}[attachment_id] must be a valid ID string (e.g., \"123\")"
                    )
                );
        }
        var (buttons, buttonError) = Buttons(e, at, required: false);
        if (buttonError is not null)
            return (null, buttonError);
        var hasMedia = Has(e, "url") || attachmentId is not null;
        var element = new CreativeElement(mediaType, hasMedia || Has(e, "video_id"), hasMedia, false, 0, 0, buttons);
        return (
            new PaidCreative(
                "media",
                [element],
                [],
                [],
                attachmentId,
                attachmentId is null ? null : $"{at}[attachment_id]"
            ),
            null
        );
    }

    private static (PaidCreative?, DomainError?) Product(JsonElement payload)
    {
        if (Array(payload, "elements", $"{P}[elements]", 1, 10, out var elements) is { } error)
            return (null, error);
        var i = 0;
        foreach (var e in elements.EnumerateArray())
        {
            var at = $"{P}[elements][{i++}]";
            if (e.ValueKind != JsonValueKind.Object)
                return (null, DomainError.Invalid(at, $"Param {at} must be an object"));
            if (
                !e.TryGetProperty("id", out var id)
                || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
            )
                return (null, DomainError.Missing($"{at}[id]"));
        }
        return (new PaidCreative("product", [], [], []), null);
    }

    private static (PaidCreative?, DomainError?) Receipt(JsonElement payload)
    {
        foreach (var field in (string[])["recipient_name", "order_number", "currency", "payment_method"])
            if (Text(payload, field, P, 640, required: true, null) is { } e)
                return (null, e);
        if (!payload.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.Object)
            return (null, DomainError.Missing($"{P}[summary]"));
        if (!summary.TryGetProperty("total_cost", out var total) || total.ValueKind != JsonValueKind.Number)
            return (null, DomainError.Missing($"{P}[summary][total_cost]"));
        if (
            payload.TryGetProperty("elements", out var elements)
            && elements.ValueKind != JsonValueKind.Null
            && Array(payload, "elements", $"{P}[elements]", 0, 100, out _) is { } elementsError
        )
            return (null, elementsError);
        return (new PaidCreative("receipt", [], [], []), null);
    }

    private static (PaidCreative?, DomainError?) Coupon(JsonElement payload, List<string> personalized)
    {
        var error =
            Text(payload, "title", P, 80, required: true, personalized)
            ?? Text(payload, "subtitle", P, 80, required: false, personalized)
            ?? Text(payload, "coupon_code", P, 100, required: true, null)
            ?? Text(payload, "coupon_url", P, 2000, required: true, null)
            ?? Text(payload, "coupon_url_button_title", P, 20, required: false, null)
            ?? Text(payload, "coupon_pre_message", P, MaxText, required: false, personalized)
            ?? Text(payload, "image_url", P, 2000, required: false, null)
            ?? Text(payload, "payload", P, 1000, required: false, null)
            ?? Text(payload, "expire_time", P, 100, required: false, null);
        return error is not null ? (null, error) : (new PaidCreative("coupon", [], [], []), null);
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
            var q = $"{at}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(q, $"Param {q} must be an object");
            var contentType =
                item.TryGetProperty("content_type", out var ct) && ct.ValueKind == JsonValueKind.String
                    ? ct.GetString()
                    : null;
            if (contentType is null)
                return DomainError.Missing($"{q}[content_type]");
            if (contentType is not ("text" or "user_phone_number" or "user_email"))
                return DomainError.Invalid(
                    $"{q}[content_type]",
                    $"Param {q}[content_type] must be one of {{text, user_phone_number, user_email}} - got \""
                        + $"{contentType}\""
                );
            if (
                contentType == "text"
                && (
                    Text(item, "title", q, 20, required: true, null)
                    ?? Text(item, "payload", q, 1000, required: true, null)
                )
                    is { } e
            )
                return e;
        }
        return null;
    }

    private static (IReadOnlyList<CreativeButton>, DomainError?) Buttons(JsonElement owner, string at, bool required)
    {
        if (!owner.TryGetProperty("buttons", out var buttons) || buttons.ValueKind == JsonValueKind.Null)
            return required ? ([], DomainError.Missing($"{at}[buttons]")) : ([], null);
        if (buttons.ValueKind != JsonValueKind.Array)
            return ([], DomainError.Invalid($"{at}[buttons]", $"Param {at}[buttons] must be an array"));
        if (required && buttons.GetArrayLength() == 0)
            return ([], DomainError.Missing($"{at}[buttons]"));
        var list = new List<CreativeButton>();
        var i = 0;
        foreach (var b in buttons.EnumerateArray())
        {
            var bt = $"{at}[buttons][{i++}]";
            if (b.ValueKind != JsonValueKind.Object)
                return ([], DomainError.Invalid(bt, $"Param {bt} must be an object"));
            if (
                (
                    Text(b, "title", bt, 20, required: false, null)
                    ?? Text(b, "url", bt, 2000, required: false, null)
                    ?? Text(b, "type", bt, 64, required: false, null)
                ) is
                { } e
            )
                return ([], e);
            if (
                b.TryGetProperty("type", out var t)
                && t.ValueKind == JsonValueKind.String
                && t.GetString() == "postback"
                && Text(b, "payload", bt, 1000, required: true, null) is { } p
            )
                return ([], p);
            list.Add(new CreativeButton(String(b, "type"), String(b, "title"), String(b, "url")));
        }
        return (list, null);
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

    private static (int Count, int Heroes, DomainError? Error) ImageUrls(JsonElement e, string at)
    {
        if (!e.TryGetProperty("image_urls", out var urls) || urls.ValueKind == JsonValueKind.Null)
            return (0, 0, null);
        var param = $"{at}[image_urls]";
        if (urls.ValueKind != JsonValueKind.Array)
            return (0, 0, DomainError.Invalid(param, $"Param {param} must be an array"));
        if (urls.GetArrayLength() is 0 or > PaidCreativeRule.MaxGridImages)
            return (
                0,
                0,
                DomainError.Invalid(
                    param,
                    $"Param {param} must have between 1 and {PaidCreativeRule.MaxGridImages} elements"
                )
            );
        var heroes = 0;
        var i = 0;
        foreach (var u in urls.EnumerateArray())
        {
            var item = $"{param}[{i++}]";
            if (u.ValueKind != JsonValueKind.Object)
                return (0, 0, DomainError.Invalid(item, $"Param {item} must be an object"));
            if (Text(u, "url", item, 2000, required: true, null) is { } urlError)
                return (0, 0, urlError);
            if (
                u.TryGetProperty("is_hero_image", out var hero)
                && (
                    hero.ValueKind == JsonValueKind.True
                    || (hero.ValueKind == JsonValueKind.String && hero.GetString() == "true")
                )
            )
                heroes++;
        }
        return (urls.GetArrayLength(), heroes, null);
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

    private static DomainError? Array(
        JsonElement owner,
        string name,
        string at,
        int min,
        int max,
        out JsonElement array
    )
    {
        if (!owner.TryGetProperty(name, out array) || array.ValueKind == JsonValueKind.Null)
            return DomainError.Missing(at);
        if (array.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid(at, $"Param {at} must be an array");
        var count = array.GetArrayLength();
        if (count < min || count > max)
            return DomainError.Invalid(
                at,
                min == max
                    ? $"Param {at} must have exactly {min} element"
                    : $"Param {at} must have between {min} and {max} elements"
            );
        return null;
    }

    /// <summary>A string member: type, required, length; kept in <paramref name="personalized"/> when macros apply to
    /// it.</summary>
    private static DomainError? Text(
        JsonElement owner,
        string name,
        string at,
        int max,
        bool required,
        List<string>? personalized
    )
    {
        var param = $"{at}[{name}]";
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? DomainError.Missing(param) : null;
        if (v.ValueKind != JsonValueKind.String)
            return DomainError.Invalid(param, $"Param {param} must be a string");
        var text = v.GetString()!;
        if (required && text.Length == 0)
            return DomainError.Missing(param);
        if (MessageContentRule.Length(text) > max)
            return DomainError.Invalid(param, $"Length of param {param} must be less than or equal to {max}");
        personalized?.Add(text);
        return null;
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
