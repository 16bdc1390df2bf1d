using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Storage;

/// <summary>The listings of the inbox page and the developer's view (IStoreReader.Listings.cs).</summary>
internal abstract partial class StoreSession<TDialect>
{
    private static readonly string AppsInOrder =
        $"SELECT {AppColumns} FROM apps ORDER BY created_ms, {TDialect.InsertOrder} LIMIT $1";

    private static readonly string PersonsInOrder =
        $"SELECT {PersonColumns} FROM persons ORDER BY {TDialect.InsertOrder} LIMIT $1";

    private static readonly string ConversationsOfPerson =
        $"SELECT {ConversationColumns} FROM conversations WHERE person_id = $1 ORDER BY created_ms, "
        + TDialect.InsertOrder;

    private static readonly string ConversationsOfPage =
        $"SELECT {ConversationColumns} FROM conversations WHERE page_id = $1 ORDER BY created_ms, "
        + $"{TDialect.InsertOrder} LIMIT $2";

    public IReadOnlyList<AppRecord> ListApps(int limit) => Many(AppsInOrder, ReadApp, limit);

    public IReadOnlyList<PersonRecord> ListPersons(int limit) => Many(PersonsInOrder, ReadPerson, limit);

    public IReadOnlyList<Conversation> GetConversationsOfPerson(string personId) =>
        Many(ConversationsOfPerson, ReadConversation, personId);

    public IReadOnlyList<Conversation> GetConversationsOfPage(string pageId, int limit) =>
        Many(ConversationsOfPage, ReadConversation, pageId, limit);

    public IReadOnlyList<NotificationToken> GetTokensOfPage(string pageId, int limit) =>
        Many(
            $"SELECT {TokenColumns} FROM notification_tokens WHERE page_id = $1 ORDER BY updated_ms DESC, token DESC "
                + "LIMIT $2",
            ReadToken,
            pageId,
            limit
        );

    public IReadOnlyDictionary<string, string> GetMessagePersonas(string pageId, string psid) =>
        Pairs(
            "SELECT p.mid, p.persona_id FROM message_personas p JOIN messages m ON m.mid = p.mid WHERE m.psid = $1 "
                + "AND m.page_id = $2",
            psid,
            pageId
        );

    public IReadOnlyDictionary<string, string> GetReactionsOfConversation(string pageId, string psid) =>
        Pairs("SELECT mid, emoji FROM message_reactions WHERE page_id = $1 AND psid = $2", pageId, psid);
}
