using Pagebox.Domain.Model;

namespace Pagebox.Domain.Store;

/// <summary>
/// A conversation as the Conversations API lists it: <see cref="Updated"/> is the time of its last message in either
/// direction and <see cref="MessageCount"/> counts its messages (sender actions are not messages).
/// </summary>
public sealed record ConversationSummary(Conversation Conversation, DateTimeOffset Updated, int MessageCount);

/// <summary>Position in a conversation list ordered by (Updated desc, Psid desc).</summary>
public sealed record ConversationCursor(DateTimeOffset Updated, string Psid);

/// <summary>
/// What the Conversations API's <c>unread_count</c>, <c>snippet</c> and <c>senders</c> read: the person's messages the
/// Page has not read yet (those after the Page's last message or <c>mark_seen</c>), the newest message (sender actions
/// are not messages) as stored, and who wrote at all.
/// </summary>
public sealed record ConversationActivity(int Unread, string? LastMessageJson, bool PersonSent, bool PageSent);
