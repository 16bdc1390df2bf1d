namespace Pagebox.Server.Webhooks;

/// <summary>
/// The keys Meta puts next to <c>sender</c>, <c>recipient</c> and <c>timestamp</c> in an element of
/// <c>entry[].messaging[]</c>: what names the kind of a Messenger event. The receivers that name events
/// (<c>pagebox receive</c>, Pagebox.Testing's <c>MessagingEvent.Kind</c>) look for these, in this order, and add their
/// own.
/// </summary>
internal static class MessagingEventKinds
{
    public static readonly IReadOnlyList<string> Standard =
    [
        "message",
        "delivery",
        "read",
        "postback",
        "optin",
        "referral",
        "reaction",
        "message_edit",
        "account_linking",
        "policy_enforcement",
        "pass_thread_control",
        "take_thread_control",
        "request_thread_control",
        "app_roles",
        "response_feedback",
    ];
}
