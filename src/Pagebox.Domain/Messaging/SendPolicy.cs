using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Rules;

namespace Pagebox.Domain.Messaging;

/// <summary>The facts a standard (PSID-addressed) send is decided on.</summary>
public sealed record StandardSendFacts(PageRecord Page, Conversation? Conversation, StoredMessage? ReplyTo);

/// <summary>
/// Runs the standard-messaging rules in order: the Page's switches, the request's shape, the recipient, the
/// block, the window. The first refusal wins, as on the platform (a bad token is refused before a bad PSID).
/// </summary>
public static class SendPolicy
{
    /// <summary>Deprecated tags refused with code 100 from this date (<see cref="MessageTagRule"/>).</summary>
    public static readonly DateTimeOffset TagDeprecation = MessageTagRule.Retirement;

    private static readonly HashSet<string> KnownTags = new(StringComparer.Ordinal)
    {
        "HUMAN_AGENT",
        "CUSTOMER_FEEDBACK",
        "CONFIRMED_EVENT_UPDATE",
        "ACCOUNT_UPDATE",
        "POST_PURCHASE_UPDATE",
    };

    /// <summary>
    /// Switches the platform flips on its own, checked before anything about the recipient, in this order: messaging
    /// off (10904), no pages_messaging (200), blocked for abuse (368), temporarily restricted (10/1893063).
    /// </summary>
    public static DomainError? CheckPage(PageSettings settings)
    {
        if (!settings.MessagingEnabled)
            return DomainError.Of(DomainErrorKind.MessagingDisabled) with
            {
                Hint = "the Page's switch messaging_enabled is off",
            };
        if (!settings.PagesMessagingPermission)
            return DomainError.Of(DomainErrorKind.NoMessagingPermission) with
            {
                Hint = "the Page's switch pages_messaging_permission is off",
            };
        if (settings.Abusive)
            return DomainError.Of(DomainErrorKind.PageBlockedForAbuse) with
            {
                Hint = "the Page's switch abusive is on (blocked for policy violations)",
            };
        if (settings.Restricted)
            return DomainError.Of(DomainErrorKind.PageRestricted) with
            {
                Hint = "the Page's switch restricted is on (temporarily restricted from sending)",
            };
        return null;
    }

    /// <summary>Commerce messages (product and receipt templates) while the Page's commerce feature is limited:
    /// 2022.</summary>
    public static DomainError? CheckCommerce(PageSettings settings, OutgoingMessage? message) =>
        !settings.CommerceEnabled && message?.TemplateType is "product" or "receipt"
            ? DomainError.Of(DomainErrorKind.CommerceDisabled)
            : null;

    /// <summary>
    /// At most <paramref name="limit"/> sends per second per Page (the platform's is 300/s for text): the count of
    /// sends already made in the current second decides; 613 when full.
    /// </summary>
    public static DomainError? CheckRate(int? limit, int sentThisSecond, string pageId) =>
        limit is { } max && sentThisSecond >= max ? new DomainError(DomainErrorKind.RateLimited, pageId) : null;

    /// <summary>The request's shape: exactly one of message or sender_action, a valid message, a tag when
    /// tagged.</summary>
    public static DomainError? CheckShape(SendCommand cmd)
    {
        if (cmd.Message is not null && cmd.Action is not null)
            return DomainError.Of(DomainErrorKind.MessageAndSenderAction);
        if (cmd.Message is null && cmd.Action is null)
            return DomainError.Missing("message");
        if (cmd.MessagingType == MessagingType.MessageTag)
        {
            if (cmd.Tag is null)
                return DomainError.Missing("tag");
            if (!KnownTags.Contains(cmd.Tag))
                return DomainError.Invalid(
                    "tag",
                    $"Param tag must be one of {{HUMAN_AGENT, CUSTOMER_FEEDBACK}} - got \"{cmd.Tag}\""
                );
        }
        if (cmd.MessagingType == MessagingType.Utility && cmd.Message is { HasUtilityTemplate: false })
            return DomainError.Invalid("message[template]", "UTILITY messages need message[template]");
        return cmd.Message is null ? null : MessageContentRule.Validate(cmd.Message);
    }

    /// <summary>Decides a send addressed by PSID. Returns null when it may go out.</summary>
    public static DomainError? Decide(StandardSendFacts facts, SendCommand cmd, DateTimeOffset now) =>
        CheckPage(facts.Page.Settings) ?? CheckShape(cmd) ?? DecideRecipient(facts, cmd, now);

    /// <summary>
    /// The part of <see cref="Decide"/> after the Page's switches and the request's shape (which SendRouter checks once
    /// for every kind of send): the recipient, the block, the quoted message, the window.
    /// </summary>
    public static DomainError? DecideRecipient(StandardSendFacts facts, SendCommand cmd, DateTimeOffset now)
    {
        var conversation = facts.Conversation;
        if (conversation is null || conversation.PageId != facts.Page.Id)
            return DomainError.Of(DomainErrorKind.UnknownRecipient);
        if (conversation.Blocked)
            return DomainError.Of(DomainErrorKind.PersonBlockedPage);
        if (cmd.ReplyToMid is not null && (facts.ReplyTo is null || facts.ReplyTo.Psid != conversation.Psid))
            return DomainError.Invalid("reply_to[mid]", "Param reply_to[mid] must be a message of this conversation");
        return CheckWindow(cmd, conversation.LastInboundAt, now);
    }

    /// <summary>
    /// RESPONSE, UPDATE (and an absent messaging_type, which Meta's samples omit) and sender actions need the 24 h
    /// window; HUMAN_AGENT extends it to 7 days; UTILITY templates go out at any time.
    /// </summary>
    public static DomainError? CheckWindow(SendCommand cmd, DateTimeOffset? lastInbound, DateTimeOffset now)
    {
        switch (cmd.MessagingType)
        {
            case MessagingType.Utility:
                return null;
            case MessagingType.MessageTag when MessageTagRule.IsRetired(cmd.Tag, now):
                return MessageTagRule.Retired(cmd.Tag!);
            case MessagingType.MessageTag when cmd.Tag is "HUMAN_AGENT" or "CUSTOMER_FEEDBACK":
                return MessagingWindowRule.IsOpenForHumanAgent(lastInbound, now)
                    ? null
                    : DomainError.Of(DomainErrorKind.OutsideWindow);
            case MessagingType.MessageTag when MessageTagRule.RetiredTags.Contains(cmd.Tag!):
                return null;
            default:
                return MessagingWindowRule.IsOpen(lastInbound, now)
                    ? null
                    : DomainError.Of(DomainErrorKind.OutsideWindow);
        }
    }
}
