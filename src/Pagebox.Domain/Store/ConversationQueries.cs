using Pagebox.Domain.Model;

namespace Pagebox.Domain.Store;

/// <summary>
/// A conversation as the Conversations API lists it: <see cref="Updated"/> is the time of its last message in either
/// direction and <see cref="MessageCount"/> counts its messages (sender actions are not messages).
/// </summary>
public sealed record ConversationSummary(Conversation Conversation, DateTimeOffset Updated, int MessageCount);

/// <summary>Position in a conversation list ordered by (Updated desc, Psid desc).</summary>
public sealed record ConversationCursor(DateTimeOffset Updated, string Psid);
