using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Storage.Sqlite;

/// <summary>The listings of the inbox page and the developer's view (IStoreReader.Listings.cs).</summary>
internal sealed partial class SqliteSession
{
    public IReadOnlyList<AppRecord> ListApps(int limit) =>
        Many($"SELECT {AppColumns} FROM apps ORDER BY created_ms, rowid LIMIT $1", ReadApp, limit);

    public IReadOnlyList<PersonRecord> ListPersons(int limit) =>
        Many($"SELECT {PersonColumns} FROM persons ORDER BY rowid LIMIT $1", ReadPerson, limit);

    public IReadOnlyList<Conversation> GetConversationsOfPerson(string personId) =>
        Many(
            $"SELECT {ConversationColumns} FROM conversations WHERE person_id = $1 ORDER BY created_ms, rowid",
            ReadConversation,
            personId
        );

    public IReadOnlyList<Conversation> GetConversationsOfPage(string pageId, int limit) =>
        Many(
            $"SELECT {ConversationColumns} FROM conversations WHERE page_id = $1 ORDER BY created_ms, rowid LIMIT $2",
            ReadConversation,
            pageId,
            limit
        );

    public IReadOnlyList<NotificationToken> GetTokensOfPage(string pageId, int limit) =>
        Many(
            $"SELECT {TokenColumns} FROM notification_tokens WHERE page_id = $1 ORDER BY updated_ms DESC, token DESC "
                + $"LIMIT $2",
            ReadToken,
            pageId,
            limit
        );

    public IReadOnlyDictionary<string, string> GetMessagePersonas(string pageId, string psid) =>
        Many(
                "SELECT p.mid, p.persona_id FROM message_personas p JOIN messages m ON m.mid = p.mid WHERE m.psid = "
                    + "$1 AND m.page_id = $2",
                r => (r.GetString(0), r.GetString(1)),
                psid,
                pageId
            )
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> GetReactionsOfConversation(string pageId, string psid) =>
        Many(
                "SELECT mid, emoji FROM message_reactions WHERE page_id = $1 AND psid = $2",
                r => (r.GetString(0), r.GetString(1)),
                pageId,
                psid
            )
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
}
