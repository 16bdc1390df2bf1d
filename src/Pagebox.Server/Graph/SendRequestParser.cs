using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Graph;

/// <summary>
/// Maps the Send API's wire parameters to a <see cref="SendCommand"/>: types, enums and shapes are checked here
/// (every refusal names the parameter in Graph's bracket form); the platform's rules are the Domain's.
/// </summary>
internal static class SendRequestParser
{
    private static readonly string[] RecipientFields =
    [
        "id",
        "notification_messages_token",
        "user_ref",
        "post_id",
        "comment_id",
        "phone_number",
        "one_time_notif_token",
        "login_id",
    ];

    public static (SendCommand? Command, DomainError? Error) Parse(GraphParameters p, string appId, string pageId)
    {
        // :: Step 1: recipient, exactly one identifier.
        if (!p.TryGetObject("recipient", out var recipientElement, out var error))
            return (null, error ?? DomainError.Missing("recipient"));
        var (recipient, recipientError) = ParseRecipient(recipientElement);
        if (recipientError is not null)
            return (null, recipientError);

        // :: Step 2: the enums.
        MessagingType? messagingType = null;
        if (p.TryGetString("messaging_type", out var mt, out error))
        {
            messagingType = mt.ToUpperInvariant() switch
            {
                "RESPONSE" => MessagingType.Response,
                "UPDATE" => MessagingType.Update,
                "MESSAGE_TAG" => MessagingType.MessageTag,
                "UTILITY" => MessagingType.Utility,
                _ => null,
            };
            if (messagingType is null)
                return (null, EnumError("messaging_type", mt, "RESPONSE, UPDATE, MESSAGE_TAG, UTILITY"));
        }
        else if (error is not null)
            return (null, error);

        string? tag = null;
        if (p.TryGetString("tag", out var tagText, out error))
            tag = tagText.ToUpperInvariant();
        else if (error is not null)
            return (null, error);

        if (p.TryGetString("notification_type", out var nt, out error))
        {
            if (nt.ToUpperInvariant() is not ("REGULAR" or "SILENT_PUSH" or "NO_PUSH"))
                return (null, EnumError("notification_type", nt, "REGULAR, SILENT_PUSH, NO_PUSH"));
        }
        else if (error is not null)
            return (null, error);

        SenderAction? action = null;
        if (p.TryGetString("sender_action", out var sa, out error))
        {
            action = sa.ToUpperInvariant() switch
            {
                "MARK_SEEN" => SenderAction.MarkSeen,
                "TYPING_ON" => SenderAction.TypingOn,
                "TYPING_OFF" => SenderAction.TypingOff,
                "REACT" => SenderAction.React,
                "UNREACT" => SenderAction.Unreact,
                _ => null,
            };
            if (action is null)
                return (null, EnumError("sender_action", sa, "MARK_SEEN, TYPING_ON, TYPING_OFF, REACT, UNREACT"));
        }
        else if (error is not null)
            return (null, error);

        // react / unreact name the message in payload (message_id, and the emoji for react), per the sender-actions
        // page.
        string? actionJson = action is null ? null : $"{{\"sender_action\":\"{sa!.ToLowerInvariant()}\"}}";
        if (action is SenderAction.React or SenderAction.Unreact)
        {
            (actionJson, error) = ReactionAction(p, action.Value);
            if (error is not null)
                return (null, error);
        }

        string? personaId = null;
        if (p.TryGetString("persona_id", out var persona, out error))
        {
            if (!IsNumericId(persona))
                return (
                    null,
                    DomainError.Invalid("persona_id", "Param persona_id must be a valid ID string (e.g., \"123\")")
                );
            personaId = persona;
        }
        else if (error is not null)
            return (null, error);

        // :: Step 3: the message object.
        OutgoingMessage? message = null;
        if (p.TryGetObject("message", out var messageElement, out error))
        {
            (message, error) = MessageParser.Parse(
                messageElement,
                p.GetRawJson("message") ?? messageElement.GetRawText()
            );
            if (error is not null)
                return (null, error);
        }
        else if (error is not null)
            return (null, error);

        string? replyTo = null;
        if (p.TryGetObject("reply_to", out var replyElement, out error))
        {
            if (
                !replyElement.TryGetProperty("mid", out var mid)
                || mid.ValueKind != JsonValueKind.String
                || mid.GetString() is not { Length: > 0 } midText
            )
                return (null, DomainError.Invalid("reply_to[mid]", "Param reply_to[mid] must be a message id string"));
            replyTo = midText;
        }
        else if (error is not null)
            return (null, error);

        ThreadControlRequest? threadControl = null;
        if (p.TryGetObject("thread_control", out var tcElement, out error))
        {
            (threadControl, error) = ParseThreadControl(tcElement);
            if (error is not null)
                return (null, error);
        }
        else if (error is not null)
            return (null, error);

        return (
            new SendCommand(appId, pageId, recipient!, message, action, messagingType, tag, replyTo)
            {
                PersonaId = personaId,
                ThreadControl = threadControl,
                ActionJson = actionJson,
            },
            null
        );
    }

    /// <summary>
    /// <c>{"sender_action":"react","payload":{"message_id","reaction"}}</c> (unreact: message_id only), kept as the
    /// action's JSON so the inbox page draws the Page's reaction on that message.
    /// </summary>
    private static (string? Json, DomainError? Error) ReactionAction(GraphParameters p, SenderAction action)
    {
        if (!p.TryGetObject("payload", out var payload, out var error))
            return (null, error ?? DomainError.Missing("payload"));
        if (
            !payload.TryGetProperty("message_id", out var mid)
            || mid.ValueKind != JsonValueKind.String
            || mid.GetString() is not { Length: > 0 } midText
        )
            return (
                null,
                DomainError.Invalid("payload[message_id]", "Param payload[message_id] must be a message id string")
            );
        string? reaction = null;
        if (action == SenderAction.React)
        {
            if (
                !payload.TryGetProperty("reaction", out var r)
                || r.ValueKind != JsonValueKind.String
                || r.GetString() is not { Length: > 0 and <= 32 } text
            )
                return (null, DomainError.Invalid("payload[reaction]", "Param payload[reaction] must be an emoji"));
            reaction = text;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("sender_action", action == SenderAction.React ? "react" : "unreact");
            w.WriteStartObject("payload");
            w.WriteString("message_id", midText);
            if (reaction is not null)
                w.WriteString("reaction", reaction);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return (System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), null);
    }

    private static (Recipient?, DomainError?) ParseRecipient(JsonElement element)
    {
        string? found = null;
        foreach (var field in RecipientFields)
        {
            if (element.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                if (found is not null)
                    return (
                        null,
                        DomainError.Invalid(
                            "recipient",
                            $"Param recipient must name exactly one of id, notification_messages_token, user_ref, "
                                + $"post_id, comment_id, phone_number; got {found} and {field}"
                        )
                    );
                found = field;
            }
        }
        if (found is null)
            return (
                null,
                DomainError.Invalid(
                    "recipient",
                    "Param recipient must name one of id, notification_messages_token, user_ref, post_id, "
                        + "comment_id, phone_number"
                )
            );
        var value = element.GetProperty(found);
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        switch (found)
        {
            case "id":
                if (text is null || !IsNumericId(text))
                    return (
                        null,
                        DomainError.Invalid(
                            "recipient[id]",
                            "Param recipient[id] must be a valid ID string (e.g., \"123\")"
                        )
                    );
                return (new PsidRecipient(text), null);
            case "comment_id":
                if (string.IsNullOrEmpty(text))
                    return (
                        null,
                        DomainError.Invalid(
                            "recipient[comment_id]",
                            "Param recipient[comment_id] must be a non-empty string"
                        )
                    );
                return (new CommentRecipient(text), null);
            case "user_ref":
                if (string.IsNullOrEmpty(text))
                    return (
                        null,
                        DomainError.Invalid(
                            "recipient[user_ref]",
                            "Param recipient[user_ref] must be a non-empty string"
                        )
                    );
                return (new UserRefRecipient(text), null);
            case "notification_messages_token":
                if (string.IsNullOrEmpty(text))
                    return (
                        null,
                        DomainError.Invalid(
                            "recipient[notification_messages_token]",
                            "Param recipient[notification_messages_token] must be a non-empty string"
                        )
                    );
                return (new TokenRecipient(text), null);
            default:
                return (new UnsupportedRecipient(found), null);
        }
    }

    private static (ThreadControlRequest?, DomainError?) ParseThreadControl(JsonElement tc)
    {
        if (!tc.TryGetProperty("control_type", out var type) || type.ValueKind == JsonValueKind.Null)
            return (null, DomainError.Missing("thread_control[control_type]"));
        if (type.ValueKind != JsonValueKind.String || type.GetString() != "pass")
            return (
                null,
                DomainError.Invalid(
                    "thread_control[control_type]",
                    $"Param thread_control[control_type] must be one of {{pass}} - got {type.GetRawText()}"
                )
            );
        if (!tc.TryGetProperty("app_id", out var app) || app.ValueKind == JsonValueKind.Null)
            return (new ThreadControlRequest(null), null);
        var id = app.ValueKind switch
        {
            JsonValueKind.String => app.GetString(),
            JsonValueKind.Number => app.GetRawText(),
            _ => null,
        };
        return id is null || !IsNumericId(id)
            ? (
                null,
                DomainError.Invalid(
                    "thread_control[app_id]",
                    "Param thread_control[app_id] must be a valid ID string (e.g., \"123\")"
                )
            )
            : (new ThreadControlRequest(id), null);
    }

    public static bool IsNumericId(string text)
    {
        if (text.Length is 0 or > 32)
            return false;
        foreach (var c in text)
            if (c is < '0' or > '9')
                return false;
        return true;
    }

    private static DomainError EnumError(string param, string got, string allowed) =>
        DomainError.Invalid(param, $"Param {param} must be one of {{{allowed}}} - got \"{got}\"");
}

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

    public static (OutgoingMessage?, DomainError?) Parse(JsonElement m, string json)
    {
        string? text = null;
        var hasText = false;
        if (m.TryGetProperty("text", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.String)
                return (
                    null,
                    DomainError.Invalid("message[text]", "Param message[text] must be a UTF-8 encoded string")
                );
            text = t.GetString();
            hasText = true;
        }

        string? metadata = null;
        if (m.TryGetProperty("metadata", out var md) && md.ValueKind != JsonValueKind.Null)
        {
            if (md.ValueKind != JsonValueKind.String)
                return (null, DomainError.Invalid("message[metadata]", "Param message[metadata] must be a string"));
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
                return (
                    null,
                    DomainError.Invalid("message[attachment]", "Param message[attachment] must be an object")
                );
            if (!a.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                return (null, DomainError.Missing("message[attachment][type]"));
            attachmentType = type.GetString()!.ToLowerInvariant();
            if (!AttachmentTypes.Contains(attachmentType))
                return (
                    null,
                    DomainError.Invalid(
                        "message[attachment][type]",
                        $"Param message[attachment][type] must be one of {{image, audio, video, file, template}} - "
                            + $"got \"{type.GetString()}\""
                    )
                );
            if (!a.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
                return (
                    null,
                    DomainError.Invalid(
                        "message[attachment][payload]",
                        "Param message[attachment][payload] must be an object"
                    )
                );
            if (
                attachmentType is "image" or "audio" or "video" or "file"
                && payload.TryGetProperty("is_reusable", out var reusable)
            )
            {
                if (reusable.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return (
                        null,
                        DomainError.Invalid(
                            "message[attachment][payload][is_reusable]",
                            "Param message[attachment][payload][is_reusable] must be a boolean"
                        )
                    );
                isReusable = reusable.ValueKind == JsonValueKind.True;
            }
            if (attachmentType is "image" or "audio" or "video" or "file")
            {
                if (payload.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String)
                    attachmentUrl = url.GetString();
                attachmentIdParameter = "message[attachment][payload][attachment_id]";
                if (AttachmentIdError(payload, attachmentIdParameter, out attachmentId) is { } idError)
                    return (null, idError);
            }
            if (attachmentType == "template")
            {
                if (!payload.TryGetProperty("template_type", out var tt) || tt.ValueKind != JsonValueKind.String)
                    return (null, DomainError.Missing("message[attachment][payload][template_type]"));
                templateType = tt.GetString();
                if (TemplateLimits.Check(templateType!, payload) is { } limitError)
                    return (null, limitError);
                if (templateType == "notification_messages")
                {
                    var (template, templateError) = OptInTemplateParser.Parse(payload);
                    if (templateError is not null)
                        return (null, templateError);
                    optIn = template;
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
                        return (null, idError);
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
                return (
                    null,
                    DomainError.Invalid(
                        "message[sticker_id]",
                        "Param message[sticker_id] must be a valid ID string (e.g., \"123\")"
                    )
                );
        }

        var quickReplies = 0;
        if (m.TryGetProperty("quick_replies", out var qr) && qr.ValueKind != JsonValueKind.Null)
        {
            if (qr.ValueKind != JsonValueKind.Array)
                return (
                    null,
                    DomainError.Invalid("message[quick_replies]", "Param message[quick_replies] must be an array")
                );
            var i = 0;
            foreach (var item in qr.EnumerateArray())
            {
                if (QuickReplyError(item, i) is { } e)
                    return (null, e);
                i++;
            }
            quickReplies = i;
        }

        var hasTemplate = m.TryGetProperty("template", out var ut) && ut.ValueKind == JsonValueKind.Object;
        return (
            new OutgoingMessage(json)
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
            },
            null
        );
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

/// <summary>The notification_messages template's fields as raw strings; the Domain's OptInTemplateRule judges
/// them.</summary>
internal static class OptInTemplateParser
{
    private const string Prefix = "message[attachment][payload]";

    public static (Domain.Marketing.OptInTemplate?, DomainError?) Parse(JsonElement payload)
    {
        var error = (DomainError?)null;
        string? Text(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.String)
                return v.GetString();
            error ??= DomainError.Invalid($"{path}[{name}]", $"Param {path}[{name}] must be a string");
            return null;
        }

        List<Domain.Marketing.OptInElement>? elements = null;
        if (payload.TryGetProperty("elements", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
                return (null, DomainError.Invalid($"{Prefix}[elements]", $"Param {Prefix}[elements] must be an array"));
            elements = [];
            var i = 0;
            foreach (var e in list.EnumerateArray())
            {
                var path = $"{Prefix}[elements][{i++}]";
                if (e.ValueKind != JsonValueKind.Object)
                    return (null, DomainError.Invalid(path, $"Param {path} must be an object"));
                elements.Add(
                    new Domain.Marketing.OptInElement(
                        Text(e, "title", path),
                        Text(e, "payload", path),
                        Text(e, "image_url", path),
                        Text(e, "notification_messages_frequency", path),
                        Text(e, "notification_messages_reoptin", path)
                    )
                );
            }
        }
        var template = new Domain.Marketing.OptInTemplate(
            Text(payload, "title", Prefix),
            Text(payload, "payload", Prefix),
            Text(payload, "image_url", Prefix),
            Text(payload, "image_aspect_ratio", Prefix),
            Text(payload, "notification_messages_cta_text", Prefix),
            Text(payload, "notification_messages_timezone", Prefix),
            Text(payload, "notification_messages_frequency", Prefix),
            Text(payload, "notification_messages_reoptin", Prefix),
            elements
        );
        return error is null ? (template, null) : (null, error);
    }
}
