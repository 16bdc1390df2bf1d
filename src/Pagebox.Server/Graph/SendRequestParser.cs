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

    private static readonly (string, MessagingType)[] MessagingTypes =
    [
        ("RESPONSE", MessagingType.Response),
        ("UPDATE", MessagingType.Update),
        ("MESSAGE_TAG", MessagingType.MessageTag),
        ("UTILITY", MessagingType.Utility),
    ];

    /// <summary>notification_type is checked, not kept: Pagebox pushes nothing.</summary>
    private enum NotificationType
    {
        Regular,
        SilentPush,
        NoPush,
    }

    private static readonly (string, NotificationType)[] NotificationTypes =
    [
        ("REGULAR", NotificationType.Regular),
        ("SILENT_PUSH", NotificationType.SilentPush),
        ("NO_PUSH", NotificationType.NoPush),
    ];

    private static readonly (string, SenderAction)[] SenderActions =
    [
        ("MARK_SEEN", SenderAction.MarkSeen),
        ("TYPING_ON", SenderAction.TypingOn),
        ("TYPING_OFF", SenderAction.TypingOff),
        ("REACT", SenderAction.React),
        ("UNREACT", SenderAction.Unreact),
    ];

    public static Result<SendCommand> Parse(GraphParameters p, string appId, string pageId)
    {
        // :: Step 1: recipient, exactly one identifier.
        if (!p.TryGetRequiredObject("recipient", out var recipientElement, out var error))
            return error;
        var recipient = ParseRecipient(recipientElement);
        if (!recipient.IsAccepted)
            return recipient.Error;

        // :: Step 2: the enums, the sender action's payload, the persona.
        if (WireEnum.Read(p, "messaging_type", MessagingTypes, out var messagingType) is { } typeError)
            return typeError;
        if (p.OptionalString("tag", out var tag) is { } tagError)
            return tagError;
        if (WireEnum.Read(p, "notification_type", NotificationTypes, out _) is { } notificationError)
            return notificationError;
        if (WireEnum.Read(p, "sender_action", SenderActions, out var action) is { } actionError)
            return actionError;
        var actionJson = ActionJson(p, action);
        if (!actionJson.IsAccepted)
            return actionJson.Error;
        if (p.OptionalString("persona_id", out var personaId) is { } personaError)
            return personaError;
        if (personaId is not null && !IsNumericId(personaId))
            return DomainError.Invalid("persona_id", "Param persona_id must be a valid ID string (e.g., \"123\")");

        // :: Step 3: the message object, the quoted message, thread_control.
        OutgoingMessage? message = null;
        if (p.TryGetObject("message", out var messageElement, out error))
        {
            var parsed = MessageParser.Parse(messageElement, p.GetRawJson("message") ?? messageElement.GetRawText());
            if (!parsed.IsAccepted)
                return parsed.Error;
            message = parsed.Value;
        }
        else if (error is not null)
            return error;
        if (ReplyTo(p, out var replyTo) is { } replyError)
            return replyError;
        ThreadControlRequest? threadControl = null;
        if (p.TryGetObject("thread_control", out var tcElement, out error))
        {
            var parsed = ParseThreadControl(tcElement);
            if (!parsed.IsAccepted)
                return parsed.Error;
            threadControl = parsed.Value;
        }
        else if (error is not null)
            return error;

        return new SendCommand(
            appId,
            pageId,
            recipient.Value,
            message,
            action,
            messagingType,
            tag?.ToUpperInvariant(),
            replyTo
        )
        {
            PersonaId = personaId,
            ThreadControl = threadControl,
            ActionJson = actionJson.Value.Json,
        };
    }

    /// <summary>A sender action's JSON as the conversation keeps it (none without a sender action).</summary>
    private sealed record ActionText(string? Json);

    private static Result<ActionText> ActionJson(GraphParameters p, SenderAction? action)
    {
        if (action is not { } kind)
            return new ActionText(null);
        // react / unreact name the message in payload (message_id, and the emoji for react), per the sender-actions
        // page.
        if (kind is SenderAction.React or SenderAction.Unreact)
            return ReactionAction(p, kind).Map(json => new ActionText(json));
        var wire = SenderActions.First(a => a.Item2 == kind).Item1.ToLowerInvariant();
        return new ActionText($"{{\"sender_action\":\"{wire}\"}}");
    }

    private static DomainError? ReplyTo(GraphParameters p, out string? replyTo)
    {
        replyTo = null;
        if (!p.TryGetObject("reply_to", out var replyElement, out var error))
            return error;
        if (
            !replyElement.TryGetProperty("mid", out var mid)
            || mid.ValueKind != JsonValueKind.String
            || mid.GetString() is not { Length: > 0 } midText
        )
            return DomainError.Invalid("reply_to[mid]", "Param reply_to[mid] must be a message id string");
        replyTo = midText;
        return null;
    }

    /// <summary>
    /// <c>{"sender_action":"react","payload":{"message_id","reaction"}}</c> (unreact: message_id only), kept as the
    /// action's JSON so the inbox page draws the Page's reaction on that message.
    /// </summary>
    private static Result<string> ReactionAction(GraphParameters p, SenderAction action)
    {
        if (!p.TryGetRequiredObject("payload", out var payload, out var error))
            return error;
        if (
            !payload.TryGetProperty("message_id", out var mid)
            || mid.ValueKind != JsonValueKind.String
            || mid.GetString() is not { Length: > 0 } midText
        )
            return DomainError.Invalid("payload[message_id]", "Param payload[message_id] must be a message id string");
        string? reaction = null;
        if (action == SenderAction.React)
        {
            if (
                !payload.TryGetProperty("reaction", out var r)
                || r.ValueKind != JsonValueKind.String
                || r.GetString() is not { Length: > 0 and <= 32 } text
            )
                return DomainError.Invalid("payload[reaction]", "Param payload[reaction] must be an emoji");
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
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Result<Recipient> ParseRecipient(JsonElement element)
    {
        string? found = null;
        foreach (var field in RecipientFields)
        {
            if (element.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null)
            {
                if (found is not null)
                    return DomainError.Invalid(
                        "recipient",
                        $"Param recipient must name exactly one of id, notification_messages_token, user_ref, "
                            + $"post_id, comment_id, phone_number; got {found} and {field}"
                    );
                found = field;
            }
        }
        if (found is null)
            return DomainError.Invalid(
                "recipient",
                "Param recipient must name one of id, notification_messages_token, user_ref, post_id, "
                    + "comment_id, phone_number"
            );
        var value = element.GetProperty(found);
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (found == "id")
        {
            return text is not null && IsNumericId(text)
                ? new PsidRecipient(text)
                : DomainError.Invalid("recipient[id]", "Param recipient[id] must be a valid ID string (e.g., \"123\")");
        }
        if (found is not ("comment_id" or "user_ref" or "notification_messages_token"))
        {
            return new UnsupportedRecipient(found);
        }
        if (string.IsNullOrEmpty(text))
        {
            return DomainError.Invalid($"recipient[{found}]", $"Param recipient[{found}] must be a non-empty string");
        }
        return found switch
        {
            "comment_id" => new CommentRecipient(text),
            "user_ref" => new UserRefRecipient(text),
            _ => new TokenRecipient(text),
        };
    }

    private static Result<ThreadControlRequest> ParseThreadControl(JsonElement tc)
    {
        if (!tc.TryGetProperty("control_type", out var type) || type.ValueKind == JsonValueKind.Null)
            return DomainError.Missing("thread_control[control_type]");
        if (type.ValueKind != JsonValueKind.String || type.GetString() != "pass")
            return DomainError.Invalid(
                "thread_control[control_type]",
                $"Param thread_control[control_type] must be one of {{pass}} - got {type.GetRawText()}"
            );
        if (!tc.TryGetProperty("app_id", out var app) || app.ValueKind == JsonValueKind.Null)
            return new ThreadControlRequest(null);
        var id = app.ValueKind switch
        {
            JsonValueKind.String => app.GetString(),
            JsonValueKind.Number => app.GetRawText(),
            _ => null,
        };
        return id is null || !IsNumericId(id)
            ? DomainError.Invalid(
                "thread_control[app_id]",
                "Param thread_control[app_id] must be a valid ID string (e.g., \"123\")"
            )
            : new ThreadControlRequest(id);
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
}
