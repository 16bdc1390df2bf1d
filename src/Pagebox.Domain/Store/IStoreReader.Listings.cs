using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Store;

/// <summary>Listings the inbox page and the developer's view read (the world face's GET calls): who exists, who talks
/// to whom.</summary>
public partial interface IStoreReader
{
    /// <summary>Every app, oldest first.</summary>
    IReadOnlyList<AppRecord> ListApps(int limit);

    /// <summary>Every person, oldest first.</summary>
    IReadOnlyList<PersonRecord> ListPersons(int limit);

    /// <summary>The person's conversations, one per Page they have met.</summary>
    IReadOnlyList<Conversation> GetConversationsOfPerson(string personId);

    /// <summary>The Page's conversations (whether or not they hold a message), oldest first.</summary>
    IReadOnlyList<Conversation> GetConversationsOfPage(string pageId, int limit);

    /// <summary>Every token of the Page, whatever its status, newest update first.</summary>
    IReadOnlyList<NotificationToken> GetTokensOfPage(string pageId, int limit);

    /// <summary>For the conversation's messages sent as a persona: mid → persona id.</summary>
    IReadOnlyDictionary<string, string> GetMessagePersonas(string pageId, string psid);

    /// <summary>The person's reactions in the conversation: mid → emoji (one per message, as <see cref="GetReaction"/>
    /// reads it).</summary>
    IReadOnlyDictionary<string, string> GetReactionsOfConversation(string pageId, string psid);
}
