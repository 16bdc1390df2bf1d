using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Server.Graph;

/// <summary>Reads the facts the rules need from a <c>message</c> object, keeping the object itself as sent.</summary>
internal static class MessageParser
{
    private const string ReusableParameter = "message[attachment][payload][is_reusable]";
    private const string MediaIdParameter = "message[attachment][payload][attachment_id]";
    private const string MediaTemplateIdParameter = "message[attachment][payload][elements][0][attachment_id]";

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

    /// <summary>
    /// Checks in this order, each refusal naming its parameter: text, metadata, the attachment (or the list of
    /// attachments), sticker_id, quick replies.
    /// </summary>
    public static Result<OutgoingMessage> Parse(JsonElement m, string json)
    {
        if (OptionalString(m, "text", "must be a UTF-8 encoded string", out var text) is { } textError)
            return textError;
        if (OptionalString(m, "metadata", "must be a string", out var metadata) is { } metadataError)
            return metadataError;
        var attachment = ReadAttachments(m);
        if (!attachment.IsAccepted)
            return attachment.Error;
        if (ReadSticker(m, out var stickerId) is { } stickerError)
            return stickerError;
        if (ReadQuickReplies(m, out var quickReplies) is { } quickReplyError)
            return quickReplyError;

        var facts = attachment.Value;
        return new OutgoingMessage(json)
        {
            Text = text,
            HasText = text is not null,
            HasAttachment = facts.Present,
            AttachmentType = facts.Type,
            TemplateType = facts.TemplateType,
            Metadata = metadata,
            QuickReplyCount = quickReplies,
            HasUtilityTemplate = m.TryGetProperty("template", out var ut) && ut.ValueKind == JsonValueKind.Object,
            OptIn = facts.OptIn,
            IsReusable = facts.IsReusable,
            AttachmentUrl = facts.Url,
            AttachmentId = facts.Id,
            AttachmentIdParameter = facts.Id is null ? null : facts.IdParameter,
            StickerId = stickerId,
        };
    }

    /// <summary>What the rules read from <c>message.attachment</c>; <see cref="Present"/> also for a non-empty
    /// <c>attachments</c> list, which is not looked into.</summary>
    private sealed record AttachmentFacts(bool Present, string? Type = null)
    {
        public static readonly AttachmentFacts None = new(false);
        public static readonly AttachmentFacts Listed = new(true);

        public string? TemplateType { get; init; }
        public Domain.Marketing.OptInTemplate? OptIn { get; init; }
        public bool IsReusable { get; init; }
        public string? Url { get; init; }
        public string? Id { get; init; }
        public string? IdParameter { get; init; }
    }

    /// <summary>A string member: absent or null → null; another JSON type → "Param message[name] …".</summary>
    private static DomainError? OptionalString(JsonElement m, string name, string mustBe, out string? value)
    {
        value = null;
        if (!m.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        if (v.ValueKind != JsonValueKind.String)
            return DomainError.Invalid($"message[{name}]", $"Param message[{name}] {mustBe}");
        value = v.GetString();
        return null;
    }

    private static Result<AttachmentFacts> ReadAttachments(JsonElement m)
    {
        if (m.TryGetProperty("attachment", out var a) && a.ValueKind != JsonValueKind.Null)
            return ReadAttachment(a);
        var listed =
            m.TryGetProperty("attachments", out var list)
            && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0;
        return listed ? AttachmentFacts.Listed : AttachmentFacts.None;
    }

    /// <summary><c>message.attachment</c>: an object with a known type and an object payload, then what that type
    /// carries.</summary>
    private static Result<AttachmentFacts> ReadAttachment(JsonElement a)
    {
        if (a.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid("message[attachment]", "Param message[attachment] must be an object");
        if (!a.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            return DomainError.Missing("message[attachment][type]");
        var sent = typeElement.GetString()!;
        var type = sent.ToLowerInvariant();
        if (!AttachmentTypes.Contains(type))
            return DomainError.Invalid(
                "message[attachment][type]",
                $"Param message[attachment][type] must be one of {{image, audio, video, file, template}} - "
                    + $"got \"{sent}\""
            );
        if (!a.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            return DomainError.Invalid(
                "message[attachment][payload]",
                "Param message[attachment][payload] must be an object"
            );
        return type switch
        {
            "image" or "audio" or "video" or "file" => ReadMedia(type, payload),
            "template" => ReadTemplate(payload),
            _ => new AttachmentFacts(true, type),
        };
    }

    /// <summary>A media attachment: <c>is_reusable</c> (a boolean), <c>url</c>, <c>attachment_id</c>.</summary>
    private static Result<AttachmentFacts> ReadMedia(string type, JsonElement payload)
    {
        var isReusable = false;
        if (payload.TryGetProperty("is_reusable", out var reusable))
        {
            if (reusable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return DomainError.Invalid(ReusableParameter, $"Param {ReusableParameter} must be a boolean");
            isReusable = reusable.ValueKind == JsonValueKind.True;
        }
        var url =
            payload.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (AttachmentIdError(payload, MediaIdParameter, out var id) is { } idError)
            return idError;
        return new AttachmentFacts(true, type)
        {
            IsReusable = isReusable,
            Url = url,
            Id = id,
            IdParameter = MediaIdParameter,
        };
    }

    /// <summary>A template: its type and limits; an opt-in request's template; a media template's saved
    /// attachment (<c>elements[0].attachment_id</c>).</summary>
    private static Result<AttachmentFacts> ReadTemplate(JsonElement payload)
    {
        if (!payload.TryGetProperty("template_type", out var tt) || tt.ValueKind != JsonValueKind.String)
            return DomainError.Missing("message[attachment][payload][template_type]");
        var templateType = tt.GetString()!;
        if (TemplateLimits.Check(templateType, payload) is { } limitError)
            return limitError;
        var facts = new AttachmentFacts(true, "template") { TemplateType = templateType };
        if (templateType == "notification_messages")
            return OptInTemplateParser.Parse(payload).Map(optIn => facts with { OptIn = optIn });
        if (templateType != "media" || FirstElement(payload) is not { } element)
            return facts;
        if (AttachmentIdError(element, MediaTemplateIdParameter, out var id) is { } idError)
            return idError;
        return facts with { Id = id, IdParameter = MediaTemplateIdParameter };
    }

    private static JsonElement? FirstElement(JsonElement payload) =>
        payload.TryGetProperty("elements", out var elements)
        && elements.ValueKind == JsonValueKind.Array
        && elements.GetArrayLength() > 0
        && elements[0].ValueKind == JsonValueKind.Object
            ? elements[0]
            : null;

    /// <summary>An id as a string or a number (bots send both); null for any other JSON type.</summary>
    private static string? IdText(JsonElement v) =>
        v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        };

    // sticker_id (Sticker API, 2026): a numeric id, as a string or a number; the catalog is not checked.
    private static DomainError? ReadSticker(JsonElement m, out string? stickerId)
    {
        stickerId = null;
        if (!m.TryGetProperty("sticker_id", out var sticker) || sticker.ValueKind == JsonValueKind.Null)
            return null;
        stickerId = IdText(sticker);
        if (stickerId is not null && SendRequestParser.IsNumericId(stickerId) && !stickerId.All(c => c == '0'))
            return null;
        return DomainError.Invalid(
            "message[sticker_id]",
            "Param message[sticker_id] must be a valid ID string (e.g., \"123\")"
        );
    }

    private static DomainError? ReadQuickReplies(JsonElement m, out int count)
    {
        count = 0;
        if (!m.TryGetProperty("quick_replies", out var qr) || qr.ValueKind == JsonValueKind.Null)
            return null;
        if (qr.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid("message[quick_replies]", "Param message[quick_replies] must be an array");
        foreach (var item in qr.EnumerateArray())
        {
            if (QuickReplyError(item, count) is { } e)
                return e;
            count++;
        }
        return null;
    }

    // attachment_id as a string or a number (bots send both); whether it names a saved attachment is the Domain's rule.
    private static DomainError? AttachmentIdError(JsonElement obj, string parameter, out string? id)
    {
        id = null;
        if (!obj.TryGetProperty("attachment_id", out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        id = IdText(v);
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
        return contentType == "text" ? TextQuickReplyError(item, prefix) : null;
    }

    /// <summary>A text quick reply: a non-empty title and a payload (a string or a number), within their
    /// lengths.</summary>
    private static DomainError? TextQuickReplyError(JsonElement item, string prefix)
    {
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
