using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// Limits on the message object itself (docs/spec/send-api.md §2.4, §2.9). Lengths count Unicode code points, so an
/// emoji is one character, as a person counts it.
/// </summary>
public static class MessageContentRule
{
    public const int MaxTextLength = 2000;
    public const int MaxMetadataLength = 1000;
    public const int MaxQuickReplies = 13;

    /// <summary>A text quick reply's title: at most 20 characters (docs/spec/send-api.md §2.8).</summary>
    public const int MaxQuickReplyTitleLength = 20;

    /// <summary>A text quick reply's payload: at most 1000 characters (docs/spec/send-api.md §2.8).</summary>
    public const int MaxQuickReplyPayloadLength = 1000;

    /// <summary>The quick reply kinds: a text button, or the person's phone number or e-mail prefilled.</summary>
    public static readonly IReadOnlyList<string> QuickReplyContentTypes = ["text", "user_phone_number", "user_email"];

    public static int Length(string text) => Model.Characters.Count(text);

    public static DomainError? Validate(OutgoingMessage message)
    {
        if (message.HasText && message.HasAttachment)
            return DomainError.Invalid("message", "Only one of text or attachment may be set");
        // A sticker is a message of its own: never with text or an attachment (docs/spec/send-api.md §2.4, the stricter
        // reading).
        if (message.StickerId is not null && (message.HasText || message.HasAttachment))
            return DomainError.Invalid(
                "message[sticker_id]",
                "Param message[sticker_id] cannot be sent with message[text] or message[attachment]"
            );
        if (!message.HasText && !message.HasAttachment && !message.HasUtilityTemplate && message.StickerId is null)
            return DomainError.Of(DomainErrorKind.EmptyMessage);
        if (message.HasText)
        {
            if (string.IsNullOrEmpty(message.Text))
                return DomainError.Of(DomainErrorKind.EmptyMessage);
            if (Length(message.Text) > MaxTextLength)
                return DomainError.Invalid(
                    "message[text]",
                    $"Length of param message[text] must be less than or equal to {MaxTextLength}"
                );
        }
        if (message.Metadata is { } metadata && Length(metadata) > MaxMetadataLength)
            return DomainError.Invalid(
                "message[metadata]",
                $"Length of param message[metadata] must be less than or equal to {MaxMetadataLength}"
            );
        if (message.QuickReplyCount > MaxQuickReplies)
            return DomainError.Invalid(
                "message[quick_replies]",
                $"param message[quick_replies] must have at most {MaxQuickReplies} elements"
            );
        return null;
    }
}
