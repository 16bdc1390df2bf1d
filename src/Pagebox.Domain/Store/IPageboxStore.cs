using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Store;

/// <summary>
/// The facts a command reads. Inside <see cref="IPageboxStore.WriteAsync{T}"/> they reflect every earlier
/// command of the same batch; implementations that share the database lock what they return
/// (SELECT … FOR UPDATE) so the decision stays true until commit (DESIGN-NOTES §1).
/// </summary>
public interface IStoreReader
{
    AppRecord? GetApp(string appId);
    PageRecord? GetPage(string pageId);
    PageToken? GetPageToken(string token);
    PageToken? GetPageTokenFor(string pageId, string appId);
    PersonRecord? GetPerson(string personId);
    Conversation? GetConversationByPsid(string psid);
    Conversation? GetConversation(string pageId, string personId);
    StoredMessage? GetMessage(string mid);
    IReadOnlyList<StoredMessage> GetConversationMessages(string pageId, string psid, int limit);

    /// <summary>The Page's conversations holding a message (one person's with <paramref name="psid"/>), newest last message first, after a keyset cursor.</summary>
    IReadOnlyList<ConversationSummary> ListConversations(string pageId, string? psid, ConversationCursor? after, int limit);

    /// <summary>One conversation's messages without sender actions, newest first, after the message <paramref name="afterMid"/>.</summary>
    IReadOnlyList<StoredMessage> ListConversationMessages(string pageId, string psid, string? afterMid, int limit);
    IReadOnlyList<PageRecord> GetPagesOfApp(string appId);
    AppSubscription? GetAppSubscription(string appId, string obj);
    IReadOnlyList<AppSubscription> GetAppSubscriptions(string appId);
    IReadOnlyList<PageSubscription> GetPageSubscriptions(string pageId);

    /// <summary>
    /// The apps that receive the Page's events for <paramref name="obj"/>, each with the fields named by both its Page
    /// subscription and its app subscription (<see cref="Webhooks.WebhookFanout.Subscribers"/>). A store may cache it.
    /// </summary>
    IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> GetSubscribers(string pageId, string obj);
    string? GetSetting(string key);

    // Marketing messages.
    NotificationToken? GetToken(string token);
    IReadOnlyList<NotificationToken> GetTokensOf(string pageId, string psid);

    /// <summary>A Page's valid tokens (active, person not blocking), newest update first, after a keyset cursor.</summary>
    IReadOnlyList<NotificationToken> ListTokens(string pageId, TokenCursor? after, int limit, DateTimeOffset? unexpiredAt = null);

    IReadOnlyList<OptInRequestRecord> GetOptInRequestsSince(string pageId, string psid, DateTimeOffset since);
    IReadOnlyList<OptInRequestRecord> GetOptInRequest(string mid);

    // Entry points.
    PostRecord? GetPost(string postId);
    CommentRecord? GetComment(string commentId);
    UserRefRecord? GetUserRef(string pageId, string userRef);
    PersonaRecord? GetPersona(string personaId);

    /// <summary>The Page's live personas in id order, after <paramref name="afterId"/>.</summary>
    IReadOnlyList<PersonaRecord> ListPersonas(string pageId, string? afterId, int limit);

    /// <summary>A saved attachment (upload or reusable send) by id, whatever its Page or age.</summary>
    Attachments.AttachmentRecord? GetAttachment(string attachmentId);

    /// <summary>Handover: the app id that owns the conversation's thread, or null when no app does.</summary>
    string? GetThreadOwner(string pageId, string psid);

    /// <summary>The Page's Messenger Profile: field name → the value as sent (JSON text).</summary>
    IReadOnlyDictionary<string, string> GetMessengerProfile(string pageId);

    // Marketing Messages API for Messenger (the successor; Domain/Campaigns). Spend sums cover [from, until).
    Campaigns.AdAccountRecord? GetAdAccount(string adAccountId);
    IReadOnlyList<Campaigns.AdAccountRecord> GetAdAccountsOfApp(string appId);
    Campaigns.MessageCampaignRecord? GetMessageCampaign(string campaignId);

    /// <summary>The account's campaigns, deleted ones too, oldest first.</summary>
    IReadOnlyList<Campaigns.MessageCampaignRecord> ListMessageCampaigns(string adAccountId);
    Campaigns.PaidMessageRecord? GetPaidMessageByMid(string mid);
    Campaigns.PaidMessageRecord? GetLastPaidMessageOnToken(string token);
    IReadOnlyList<Campaigns.PaidMessageRecord> GetPaidMessagesToPerson(string personId, DateTimeOffset since);
    IReadOnlyList<Campaigns.PaidMessageRecord> GetUnreadPaidMessages(string pageId, string psid);
    long GetPaidSpend(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until);
    Campaigns.PaidStats GetPaidStats(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until);

    /// <summary>Messages the person wrote in any thread (a Page's, by Page id) and their friend chats, since <paramref name="since"/>.</summary>
    IReadOnlyList<Campaigns.OrganicActivity> GetOrganicActivity(string personId, DateTimeOffset since);
    DateTimeOffset? GetLastOrganicActivity(string personId);

    /// <summary>The last message of the conversation that is not marketing or a sender action, from either side.</summary>
    DateTimeOffset? GetLastOrganicMessage(string pageId, string psid);
    string? GetUndeliverableReason(string personId);
    IReadOnlyList<(string PersonId, string? EmailSha256, string? PhoneSha256)> GetPersonIdentifiers();
    Campaigns.CustomAudienceRecord? GetCustomAudience(string audienceId);
}

/// <summary>Position in a token list ordered by (Updated desc, Token desc).</summary>
public sealed record TokenCursor(DateTimeOffset Updated, string Token);

/// <summary>A command's view of the store: the facts, and a place to put the effects decided on.</summary>
public interface IStoreSession : IStoreReader
{
    void Apply(Effect effect);
}

/// <summary>
/// The one store port. Commands run serially or under row locks, each in a transaction that commits with
/// others (group commit); the returned task completes only once the command is durable.
/// </summary>
public interface IPageboxStore
{
    /// <summary>Runs a command; a <see cref="Errors.DomainException"/> thrown inside rolls back only that command.</summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, T> command, CancellationToken cancellationToken = default);

    Task<T> ReadAsync<T>(Func<IStoreReader, T> query, CancellationToken cancellationToken = default);

    /// <summary>The webhook outbox (claimed by the dispatcher).</summary>
    IWebhookOutbox Outbox { get; }
}

public enum DeliveryStatus { Pending = 1, Delivered = 2, Failed = 3 }

public enum ReplayOutcome { Replayed = 1, NoSuchFailedDelivery = 2, PageBusy = 3 }

/// <summary>An outbox event waiting to be put into a delivery.</summary>
public sealed record PendingEvent(long Id, string AppId, string PageId, string Object, string Field, string EventJson, DateTimeOffset Created);

/// <summary>A POST to make: the exact bytes, to whom, and how many times it was tried already.</summary>
public sealed record DeliveryWork(long Id, string AppId, string PageId, string CallbackUrl, string AppSecret, byte[] Body, int Attempts, DateTimeOffset Created);

public sealed record DeliveryLogEntry(long Id, string AppId, string PageId, IReadOnlyList<string> Fields, DeliveryStatus Status, int Attempts, int? LastStatus, string? LastError, DateTimeOffset Created, DateTimeOffset? NextAttempt, byte[] Body);

/// <summary>The durable webhook outbox (DESIGN-NOTES §3).</summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Groups waiting events into deliveries (one per app and Page, at most one unfinished delivery per app and
    /// Page so order holds) and claims the deliveries that are due on their app's clock, leasing them.
    /// </summary>
    /// <param name="maxDeliveries">Claim no more than can be sent at once: a claimed delivery's lease runs from now.</param>
    Task<IReadOnlyList<DeliveryWork>> ClaimDueAsync(Func<IReadOnlyList<PendingEvent>, byte[]> buildBody, int maxEventsPerDelivery, TimeSpan lease, int maxDeliveries = 256, CancellationToken cancellationToken = default);

    /// <summary>Records one attempt. <paramref name="nextAttempt"/> null with failure means: give up.</summary>
    Task RecordAttemptAsync(long deliveryId, bool delivered, int? httpStatus, string? error, DateTimeOffset? nextAttempt, CancellationToken cancellationToken = default);

    /// <summary>How long, in real time, until the earliest unfinished delivery or waiting event is due; null if none.</summary>
    Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryLogEntry>> ListAsync(string appId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Puts a failed delivery back to pending, due now; refused while the Page has an unfinished delivery (order).</summary>
    Task<ReplayOutcome> ReplayAsync(string appId, long deliveryId, CancellationToken cancellationToken = default);
}
