using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Server.Graph;

/// <summary>Reads the facts the rules need from a <c>message</c> object, keeping the object itself as sent.</summary>
internal static class MessageParser
{
    private static readonly HashSet<string> AttachmentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image",
        "audio",
        "video",
        "file",
        "template",
        "fallback",
        "location",
        "sticker",
    };

    public static Result<OutgoingMessage> Parse(JsonElement m, string json)
    {
        string? text = null;
        var hasText = false;
        if (m.TryGetProperty("text", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.String)
                return DomainError.Invalid("message[text]", "Param message[text] must be a UTF-8 encoded string");
            text = t.GetString();
            hasText = true;
        }

        string? metadata = null;
        if (m.TryGetProperty("metadata", out var md) && md.ValueKind != JsonValueKind.Null)
        {
            if (md.ValueKind != JsonValueKind.String)
                return DomainError.Invalid("message[metadata]", "Param message[metadata] must be a string");
            metadata = md.GetString();
        }

        var hasAttachment = false;
        string? attachmentType = null,
            templateType = null;
        Domain.Marketing.OptInTemplate? optIn = null;
        var isReusable = false;
        string? attachmentUrl = null,
            attachmentId = null,
            attachmentIdParameter = null;
        if (m.TryGetProperty("attachment", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            if (a.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid("message[attachment]", "Param message[attachment] must be an object");
            if (!a.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return DomainError.Missing("message[attachment][type]");
            attachmentType = type.GetString()!.ToLowerInvariant();
            if (!AttachmentTypes.Contains(attachmentType))
                return DomainError.Invalid(
                    "message[attachment][type]",
                    $"Param message[attachment][type] must be one of {{image, audio, video, file, template}} - "
                        + $"got \"{type.GetString()}\""
                );
            if (!a.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(
                    "message[attachment][payload]",
                    "Param message[attachment][payload] must be an object"
                );
            if (
                attachmentType is "image" or "audio" or "video" or "file"
                && payload.TryGetProperty("is_reusable", out var reusable)
            )
            {
                if (reusable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return DomainError.Invalid(
                        "message[attachment][payload][is_reusable]",
                        "Param message[attachment][payload][is_reusable] must be a boolean"
                    );
                isReusable = reusable.ValueKind == JsonValueKind.True;
            }
            if (attachmentType is "image" or "audio" or "video" or "file")
            {
                if (payload.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
                    attachmentUrl = url.GetString();
                attachmentIdParameter = "message[attachment][payload][attachment_id]";
                if (AttachmentIdError(payload, attachmentIdParameter, out attachmentId) is { } idError)
                    return idError;
            }
            if (attachmentType == "template")
            {
                if (!payload.TryGetProperty("template_type", out var tt) || tt.ValueKind != JsonValueKind.String)
                    return DomainError.Missing("message[attachment][payload][template_type]");
                templateType = tt.GetString();
                if (TemplateLimits.Check(templateType!, payload) is { } limitError)
                    return limitError;
                if (templateType == "notification_messages")
                {
                    var template = OptInTemplateParser.Parse(payload);
                    if (!template.IsAccepted)
                        return template.Error;
                    optIn = template.Value;
                }
                else if (
                    templateType == "media"
                    && payload.TryGetProperty("elements", out var elements)
                    && elements.ValueKind == JsonValueKind.Array
                    && elements.GetArrayLength() > 0
                    && elements[0].ValueKind == JsonValueKind.Object
                )
                {
                    attachmentIdParameter = "message[attachment][payload][elements][0][attachment_id]";
                    if (AttachmentIdError(elements[0], attachmentIdParameter, out attachmentId) is { } idError)
                        return idError;
                }
            }
            hasAttachment = true;
        }
        else if (
            m.TryGetProperty("attachments", out var list)
            && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0
        )
        {
            hasAttachment = true;
        }

        // sticker_id (Sticker API, 2026): a numeric id, as a string or a number; the catalog is not checked.
        string? stickerId = null;
        if (m.TryGetProperty("sticker_id", out var sticker) && sticker.ValueKind != JsonValueKind.Null)
        {
            stickerId = sticker.ValueKind switch
            {
                JsonValueKind.String => sticker.GetString(),
                JsonValueKind.Number => sticker.GetRawText(),
                _ => null,
            };
            if (stickerId is null || !SendRequestParser.IsNumericId(stickerId) || stickerId.All(c => c == '0'))
                return DomainError.Invalid(
                    "message[sticker_id]",
                    "Param message[sticker_id] must be a valid ID string (e.g., \"123\")"
                );
        }

        var quickReplies = 0;
        if (m.TryGetProperty("quick_replies", out var qr) && qr.ValueKind != JsonValueKind.Null)
        {
            if (qr.ValueKind != JsonValueKind.Array)
                return DomainError.Invalid("message[quick_replies]", "Param message[quick_replies] must be an array");
            var i = 0;
            foreach (var item in qr.EnumerateArray())
            {
                if (QuickReplyError(item, i) is { } e)
                    return e;
                i++;
            }
            quickReplies = i;
        }

        var hasTemplate = m.TryGetProperty("template", out var ut) && ut.ValueKind == JsonValueKind.Object;
        return new OutgoingMessage(json)
        {
            Text = text,
            HasText = hasText,
            HasAttachment = hasAttachment,
            AttachmentType = attachmentType,
            TemplateType = templateType,
            Metadata = metadata,
            QuickReplyCount = quickReplies,
            HasUtilityTemplate = hasTemplate,
            OptIn = optIn,
            IsReusable = isReusable,
            AttachmentUrl = attachmentUrl,
            AttachmentId = attachmentId,
            AttachmentIdParameter = attachmentId is null ? null : attachmentIdParameter,
            StickerId = stickerId,
        };
    }

    // attachment_id as a string or a number (bots send both); whether it names a saved attachment is the Domain's rule.
    private static DomainError? AttachmentIdError(JsonElement obj, string parameter, out string? id)
    {
        id = null;
        if (!obj.TryGetProperty("attachment_id", out var v) || v.ValueKind == JsonValueKind.Null)
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

    private static DomainError? QuickReplyError(JsonElement item, int i)
    {
        var prefix = $"message[quick_replies][{i}]";
        if (item.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid(prefix, $"Param {prefix} must be an object");
        var contentType =
            item.TryGetProperty("content_type", out var ct) && ct.ValueKind == JsonValueKind.String
                ? ct.GetString()!
                : null;
        if (contentType is null)
            return DomainError.Missing($"{prefix}[content_type]");
        if (!MessageContentRule.QuickReplyContentTypes.Contains(contentType))
            return DomainError.Invalid(
                $"{prefix}[content_type]",
                $"Param {prefix}[content_type] must be one of "
                    + $"{{{string.Join(", ", MessageContentRule.QuickReplyContentTypes)}}} - got \"{contentType}\""
            );
        if (contentType != "text")
            return null;
        if (
            !item.TryGetProperty("title", out var title)
            || title.ValueKind != JsonValueKind.String
            || title.GetString()!.Length == 0
        )
            return DomainError.Missing($"{prefix}[title]");
        if (MessageContentRule.Length(title.GetString()!) > MessageContentRule.MaxQuickReplyTitleLength)
            return DomainError.Invalid(
                $"{prefix}[title]",
                $"Length of param {prefix}[title] must be less than or equal to "
                    + $"{MessageContentRule.MaxQuickReplyTitleLength}"
            );
        if (
            !item.TryGetProperty("payload", out var payload)
            || payload.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
        )
            return DomainError.Missing($"{prefix}[payload]");
        if (
            payload.ValueKind == JsonValueKind.String
            && MessageContentRule.Length(payload.GetString()!) > MessageContentRule.MaxQuickReplyPayloadLength
        )
            return DomainError.Invalid(
                $"{prefix}[payload]",
                $"Length of param {prefix}[payload] must be less than or equal to "
                    + $"{MessageContentRule.MaxQuickReplyPayloadLength}"
            );
        return null;
    }
}
