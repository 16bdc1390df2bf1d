using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using static Pagebox.Server.Graph.PayloadMembers;

namespace Pagebox.Server.Graph;

/// <summary>
/// Reads a template's JSON against <see cref="TemplateRules"/> (the limits live in Domain). Each refusal is code 100
/// naming the parameter in Graph's bracket form.
/// </summary>
internal static class TemplateLimits
{
    private const string P = "message[attachment][payload]";

    public static DomainError? Check(string templateType, JsonElement payload) =>
        templateType switch
        {
            "generic" => Generic(payload),
            "button" => ButtonTemplate(payload),
            "media" => Media(payload),
            "image_grid" => ImageGrid(payload),
            "customer_feedback" => CustomerFeedback(payload),
            _ => null,
        };

    /// <summary>
    /// The image grid template (Meta, 2026-06-30): exactly one element with 2–6 images (each a <c>url</c>, at most one
    /// <c>is_hero_image</c>, an optional tap <c>action</c> that opens a URL or posts back), an optional title (45) and
    /// subtitle (80), and at most 3 URL or postback buttons.
    /// </summary>
    private static DomainError? ImageGrid(JsonElement payload)
    {
        if (Single(payload, "elements", P, out var e) is { } error)
            return error;
        const string at = $"{P}[elements][0]";
        if (
            Items(
                e,
                "images",
                $"{at}[images]",
                TemplateRules.MinGridImages,
                TemplateRules.MaxGridImages,
                out var images
            ) is
            { } imagesError
        )
            return imagesError;
        var heroes = 0;
        var i = 0;
        foreach (var image in images.EnumerateArray())
        {
            var it = $"{at}[images][{i++}]";
            if (image.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(it, $"Param {it} must be an object");
            if (Text(image, "url", it, TemplateRules.MaxUrlLength, required: true) is { } url)
                return url;
            if (image.TryGetProperty("is_hero_image", out var hero) && hero.ValueKind != JsonValueKind.Null)
            {
                if (hero.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return DomainError.Invalid($"{it}[is_hero_image]", $"Param {it}[is_hero_image] must be a boolean");
                if (hero.ValueKind == JsonValueKind.True && ++heroes > 1)
                    return DomainError.Invalid(
                        $"{it}[is_hero_image]",
                        $"Param {it}[is_hero_image]: at most one image of {at}[images] may set is_hero_image to true"
                    );
            }
            if (
                image.TryGetProperty("action", out var action)
                && action.ValueKind != JsonValueKind.Null
                && GridAction(action, $"{it}[action]") is { } actionError
            )
                return actionError;
        }
        return Text(e, "title", at, TemplateRules.MaxGridTitleLength, required: false)
            ?? Text(e, "subtitle", at, TemplateRules.MaxGridSubtitleLength, required: false)
            ?? Buttons(e, at, 0, TemplateRules.MaxButtons, allowed: TemplateRules.GridButtonTypes);
    }

    private static DomainError? GridAction(JsonElement action, string at)
    {
        if (action.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid(at, $"Param {at} must be an object");
        if (!action.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return DomainError.Missing($"{at}[type]");
        return type.GetString() switch
        {
            "web_url" => Text(action, "url", at, TemplateRules.MaxUrlLength, required: true),
            "postback" => Text(action, "payload", at, TemplateRules.MaxPayloadLength, required: true),
            var other => DomainError.Invalid(
                $"{at}[type]",
                $"Param {at}[type] must be one of {{web_url, postback}} - got \"{other}\""
            ),
        };
    }

    /// <summary>
    /// The customer feedback template (Meta's customer-feedback-template page): title ≤ 65, subtitle ≤ 80, button_title
    /// ≤ 20, all required; exactly one screen with exactly one question ("we only support one page and one question per
    /// page right now. If multiple pages or multiple questions per page are set, we will throw an error back"); the
    /// question's id (letters, digits, underscores, ≤ 80), type (csat, nps, ces, free_form), optional title (5–85),
    /// score_label, score_option (by type) and free-form follow_up (placeholder ≤ 65); business_privacy.url required;
    /// expires_in_days 1–7.
    /// </summary>
    private static DomainError? CustomerFeedback(JsonElement payload)
    {
        if (Text(payload, "title", P, TemplateRules.MaxFeedbackTitleLength, required: true) is { } title)
            return title;
        if (Text(payload, "subtitle", P, TemplateRules.MaxFeedbackSubtitleLength, required: true) is { } subtitle)
            return subtitle;
        if (Text(payload, "button_title", P, TemplateRules.MaxFeedbackButtonTitleLength, required: true) is { } button)
            return button;
        if (Single(payload, "feedback_screens", P, out var screen) is { } screensError)
            return screensError;
        const string screenAt = $"{P}[feedback_screens][0]";
        if (Single(screen, "questions", screenAt, out var q) is { } questionsError)
            return questionsError;
        const string at = $"{screenAt}[questions][0]";
        if (Text(q, "id", at, TemplateRules.MaxQuestionIdLength, required: true) is { } id)
            return id;
        if (!TemplateRules.IsQuestionId(q.GetProperty("id").GetString()!))
            return DomainError.Invalid($"{at}[id]", $"Param {at}[id] must be alphanumeric (underscores allowed)");
        if (!q.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            return DomainError.Missing($"{at}[type]");
        if (!TemplateRules.ScoreOptions.TryGetValue(type.GetString()!, out var options))
            return DomainError.Invalid(
                $"{at}[type]",
                $"Param {at}[type] must be one of {{csat, nps, ces, free_form}} - got \"{type.GetString()}\""
            );
        if (Text(q, "title", at, TemplateRules.MaxQuestionTitleLength, required: false) is { } qTitle)
            return qTitle;
        if (
            q.TryGetProperty("title", out var t)
            && t.ValueKind == JsonValueKind.String
            && MessageContentRule.Length(t.GetString()!) < TemplateRules.MinQuestionTitleLength
        )
            return DomainError.Invalid(
                $"{at}[title]",
                $"Length of param {at}[title] must be at least {TemplateRules.MinQuestionTitleLength}"
            );
        if (Choice(q, "score_label", at, TemplateRules.ScoreLabels) is { } label)
            return label;
        if (Choice(q, "score_option", at, options) is { } option)
            return option;
        if (q.TryGetProperty("follow_up", out var followUp) && followUp.ValueKind != JsonValueKind.Null)
        {
            var fu = $"{at}[follow_up]";
            if (followUp.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(fu, $"Param {fu} must be an object");
            if (Choice(followUp, "type", fu, TemplateRules.FollowUpTypes, required: true) is { } fuType)
                return fuType;
            if (
                Text(followUp, "placeholder", fu, TemplateRules.MaxFollowUpPlaceholderLength, required: false) is
                { } placeholder
            )
                return placeholder;
        }
        if (!payload.TryGetProperty("business_privacy", out var privacy) || privacy.ValueKind != JsonValueKind.Object)
            return DomainError.Missing($"{P}[business_privacy]");
        if (Text(privacy, "url", $"{P}[business_privacy]", TemplateRules.MaxUrlLength, required: true) is { } url)
            return url;
        if (
            payload.TryGetProperty("expires_in_days", out var days)
            && days.ValueKind != JsonValueKind.Null
            && !(
                days.ValueKind == JsonValueKind.Number
                && days.TryGetInt32(out var n)
                && TemplateRules.IsExpiresInDays(n)
            )
        )
            return DomainError.Invalid(
                $"{P}[expires_in_days]",
                $"Param {P}[expires_in_days] must be an integer from {TemplateRules.MinExpiresInDays} to "
                    + $"{TemplateRules.MaxExpiresInDays}"
            );
        return null;
    }

    private static DomainError? Choice(
        JsonElement owner,
        string name,
        string at,
        IReadOnlyList<string> allowed,
        bool required = false
    )
    {
        var param = $"{at}[{name}]";
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? DomainError.Missing(param) : null;
        return v.ValueKind == JsonValueKind.String && allowed.Contains(v.GetString())
            ? null
            : DomainError.Invalid(param, $"Param {param} must be one of {{{string.Join(", ", allowed)}}}");
    }

    private static DomainError? Generic(JsonElement payload)
    {
        if (
            Items(payload, "elements", $"{P}[elements]", 1, TemplateRules.MaxGenericElements, out var elements) is
            { } error
        )
            return error;
        var i = 0;
        foreach (var e in elements.EnumerateArray())
        {
            var at = $"{P}[elements][{i++}]";
            if (e.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(at, $"Param {at} must be an object");
            if (Text(e, "title", at, TemplateRules.MaxElementTitleLength, required: true) is { } t)
                return t;
            if (Text(e, "subtitle", at, TemplateRules.MaxElementSubtitleLength, required: false) is { } st)
                return st;
            if (Buttons(e, at, 0, TemplateRules.MaxButtons) is { } b)
                return b;
        }
        return null;
    }

    private static DomainError? ButtonTemplate(JsonElement payload) =>
        Text(payload, "text", P, TemplateRules.MaxButtonTemplateTextLength, required: true)
        ?? Buttons(payload, P, 1, TemplateRules.MaxButtons, required: true);

    private static DomainError? Media(JsonElement payload)
    {
        if (Single(payload, "elements", P, out var e) is { } error)
            return error;
        const string at = $"{P}[elements][0]";
        if (!e.TryGetProperty("media_type", out var mt) || mt.ValueKind != JsonValueKind.String)
            return DomainError.Missing($"{at}[media_type]");
        if (!TemplateRules.MediaTypes.Contains(mt.GetString()!))
            return WireEnum.Error($"{at}[media_type]", mt.GetString()!, string.Join(", ", TemplateRules.MediaTypes));
        return Buttons(e, at, 0, TemplateRules.MaxButtons);
    }

    private static DomainError? Buttons(
        JsonElement owner,
        string at,
        int min,
        int max,
        bool required = false,
        IReadOnlyList<string>? allowed = null
    )
    {
        allowed ??= TemplateRules.ButtonTypes;
        if (!owner.TryGetProperty("buttons", out var buttons) || buttons.ValueKind == JsonValueKind.Null)
            return required ? DomainError.Missing($"{at}[buttons]") : null;
        if (Items(owner, "buttons", $"{at}[buttons]", min, max, out buttons) is { } error)
            return error;
        var i = 0;
        foreach (var b in buttons.EnumerateArray())
        {
            var bt = $"{at}[buttons][{i++}]";
            if (b.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(bt, $"Param {bt} must be an object");
            if (!b.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return DomainError.Missing($"{bt}[type]");
            var kind = type.GetString()!;
            if (!allowed.Contains(kind))
                return WireEnum.Error($"{bt}[type]", kind, string.Join(", ", allowed));
            if (
                kind is "web_url" or "postback" or "phone_number"
                && Text(b, "title", bt, TemplateRules.MaxButtonTitleLength, required: true) is { } title
            )
                return title;
            if (kind == "web_url" && Text(b, "url", bt, TemplateRules.MaxUrlLength, required: true) is { } url)
                return url;
            if (
                kind is "postback" or "phone_number"
                && Text(b, "payload", bt, TemplateRules.MaxPayloadLength, required: true) is { } payload
            )
                return payload;
        }
        return null;
    }
}
