using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Store;

/// <summary>
/// The facts a command reads. Inside <see cref="IPageboxStore.WriteAsync{T}"/> they reflect every earlier
/// command of the same batch; implementations that share the database lock what they return
/// (SELECT … FOR UPDATE) so the decision stays true until commit (docs/design-notes.md §1).
/// </summary>
public partial interface IStoreReader
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

    /// <summary>
    /// The world face's conversation view, a page at a time: the newest <paramref name="limit"/> messages (sender
    /// actions included) sent before the message <paramref name="beforeMid"/> (before none: the newest), oldest first.
    /// </summary>
    IReadOnlyList<StoredMessage> GetConversationMessagesBefore(
        string pageId,
        string psid,
        string? beforeMid,
        int limit
    );

    /// <summary>The Page's conversations holding a message (one person's with <paramref name="psid"/>), newest last
    /// message first, after a keyset cursor.</summary>
    IReadOnlyList<ConversationSummary> ListConversations(
        string pageId,
        string? psid,
        ConversationCursor? after,
        int limit
    );

    /// <summary>One conversation's messages without sender actions, newest first, after the message <paramref
    /// name="afterMid"/>.</summary>
    IReadOnlyList<StoredMessage> ListConversationMessages(string pageId, string psid, string? afterMid, int limit);

    /// <summary>Conversations API: unread count, newest message and who wrote (<see
    /// cref="ConversationActivity"/>).</summary>
    ConversationActivity GetConversationActivity(string pageId, string psid);
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

    /// <summary>Whether a webhook delivery that fails for an hour unsubscribes the app from the Page (<see
    /// cref="SetWebhooksDisableOnFailure"/>).</summary>
    bool DisablesWebhooksOnFailure(string appId);

    // Marketing messages.
    NotificationToken? GetToken(string token);
    IReadOnlyList<NotificationToken> GetTokensOf(string pageId, string psid);

    /// <summary>
    /// A Page's valid tokens (active, person not blocking), newest update first, after a keyset cursor.
    /// <paramref name="onePerRecipient"/>: only each person's newest valid token (<c>do_not_return_duplicates</c>).
    /// </summary>
    IReadOnlyList<NotificationToken> ListTokens(
        string pageId,
        TokenCursor? after,
        int limit,
        DateTimeOffset? unexpiredAt = null,
        bool onePerRecipient = false
    );

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

    // What a person does beyond writing, and policy enforcement (Domain/World/PersonActionCommands.cs).

    /// <summary>The person's current reaction (emoji) to a message, or null.</summary>
    string? GetReaction(string mid, string psid);

    /// <summary>How many times the person edited the message (0: never).</summary>
    int GetEditCount(string mid);

    /// <summary>Whether the customer feedback template <paramref name="mid"/> was answered already.</summary>
    bool IsFeedbackAnswered(string mid);

    /// <summary>Whether the platform blocked the app from messaging on the Page
    /// (messaging_policy_enforcement).</summary>
    bool IsBlockedByPolicy(string pageId, string appId);

    /// <summary>Whether the Page ever sent an opt-in request with this topic (title): a recurring-notification link
    /// needs one.</summary>
    bool HasOptInTopic(string pageId, string title);

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

    /// <summary>Messages the person wrote in any thread (a Page's, by Page id) and their friend chats, since <paramref
    /// name="since"/>.</summary>
    IReadOnlyList<Campaigns.OrganicActivity> GetOrganicActivity(string personId, DateTimeOffset since);
    DateTimeOffset? GetLastOrganicActivity(string personId);

    /// <summary>The last message of the conversation that is not marketing or a sender action, from either
    /// side.</summary>
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
/// <remarks>
/// <para><b>The locking contract of commands</b> (docs/design-notes.md §1). A command is a pure function of the facts
/// it reads through the session and of the values it captured (the app's <c>now</c> among them); the rules inside it
/// are the same on every store. What a store guarantees, and a command may rely on:</para>
/// <list type="number">
/// <item>Serializable outcome: a command's decision holds at its commit, as if commands ran one at a time. SQLite
/// gets this from its single writer loop; PostgreSQL from row locks taken by the readers below, from guarded writes and
/// from unique keys, each conflict retried.</item>
/// <item>The rows a command decides on are locked by the reader that returns them, inside
/// <see cref="WriteAsync{T}"/> only: <see cref="IStoreReader.GetApp"/> (its clock and settings),
/// <see cref="IStoreReader.GetConversationByPsid"/> and <see cref="IStoreReader.GetConversation"/> (the window, the
/// PSID, the opt-in requests and thread owner of that conversation), <see cref="IStoreReader.GetToken"/> (the
/// token, after its conversation), <see cref="IStoreReader.GetComment"/> and <see cref="IStoreReader.GetUserRef"/>.
/// Lock order is app, then conversation, then what hangs off it (token, comment, user_ref).</item>
/// <item>Rows read without a lock (a Page, an app subscription, a setting, a persona) are written back only if no
/// other command changed them in between; a row read as absent is inserted only if still absent. Otherwise the
/// command runs again.</item>
/// <item>Hence a command may run more than once before it commits (a retried conflict, a SQLite batch replayed):
/// it must have no effect outside the session. Only its last run's value is returned.</item>
/// <item>Nothing a command read may be cached across commands by the caller when
/// <see cref="SharedAcrossProcesses"/> is true: another process may change it at any moment.</item>
/// </list>
/// </remarks>
public interface IPageboxStore : IStateTransfer
{
    /// <summary>Runs a command; a <see cref="Errors.DomainException"/> thrown inside rolls back only that
    /// command.</summary>
    Task<T> WriteAsync<T>(Func<IStoreSession, T> command, CancellationToken cancellationToken = default);

    Task<T> ReadAsync<T>(Func<IStoreReader, T> query, CancellationToken cancellationToken = default);

    /// <summary>The webhook outbox (claimed by the dispatcher).</summary>
    IWebhookOutbox Outbox { get; }

    /// <summary>
    /// Raised after a commit that recorded webhook events, in this process or (PostgreSQL, through LISTEN/NOTIFY) in
    /// another one sharing the database, which also tells of its clock moves and replays: wakes the dispatcher.
    /// </summary>
    event Action? EventsCommitted;

    /// <summary>Whether other processes write to the same database (then no fact may be cached between
    /// commands).</summary>
    bool SharedAcrossProcesses => false;

    /// <summary>Null when the database answers now; otherwise why not (for health and readiness).</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
}

/// <summary>The database cannot be reached (or kept failing) within the store's time limit: retry later.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

public enum DeliveryStatus
{
    Pending = 1,
    Delivered = 2,
    Failed = 3,
}

public enum ReplayOutcome
{
    Replayed = 1,
    NoSuchFailedDelivery = 2,
    PageBusy = 3,

    /// <summary>The app is not subscribed to the Page (webhooks disabled after an hour of failures): subscribe it
    /// again.</summary>
    NotSubscribed = 4,

    /// <summary>Later deliveries of that Page went out after this one: replaying it would break the order.</summary>
    Superseded = 5,
}

/// <summary>An outbox event waiting to be put into a delivery.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720",
    Justification = "Object is the platform's own field name (page, instagram)."
)]
public sealed record PendingEvent(
    long Id,
    string AppId,
    string PageId,
    string Object,
    string Field,
    string EventJson,
    DateTimeOffset Created
);

/// <summary>A POST to make: the exact bytes, to whom, and how many times it was tried already.</summary>
/// <param name="DisableOnFailure">Giving up on it unsubscribes the app from the Page (<see
/// cref="SetWebhooksDisableOnFailure"/>).</param>
/// <param name="Id">The delivery's id.</param>
/// <param name="AppId">The app the webhook goes to.</param>
/// <param name="PageId">The Page the events are of.</param>
/// <param name="CallbackUrl">The app's callback URL; empty when it has no subscription.</param>
/// <param name="AppSecret">The app secret that signs the body.</param>
/// <param name="Body">The exact bytes to POST.</param>
/// <param name="Attempts">How many attempts were made already.</param>
/// <param name="Created">The start of its give-up horizon (the oldest event), on the app's clock.</param>
public sealed record DeliveryWork(
    long Id,
    string AppId,
    string PageId,
    string CallbackUrl,
    string AppSecret,
    byte[] Body,
    int Attempts,
    DateTimeOffset Created,
    bool DisableOnFailure = false
);

public sealed record DeliveryLogEntry(
    long Id,
    string AppId,
    string PageId,
    IReadOnlyList<string> Fields,
    DeliveryStatus Status,
    int Attempts,
    int? LastStatus,
    string? LastError,
    DateTimeOffset Created,
    DateTimeOffset? NextAttempt,
    byte[] Body
);

/// <summary>The bot's answer to one delivery attempt: the start of its body (at most a few KB) and how long it
/// took.</summary>
public sealed record DeliveryAnswer(string? Body, long DurationMs);

/// <summary>One attempt of a delivery, on the app's clock.</summary>
public sealed record DeliveryAttempt(
    long DeliveryId,
    int Attempt,
    DateTimeOffset Time,
    int? Status,
    string? Error,
    string? Answer,
    long? DurationMs
);

/// <summary>The durable webhook outbox (docs/design-notes.md §3).</summary>
public interface IWebhookOutbox
{
    /// <summary>
    /// Groups waiting events into deliveries (one per app and Page, at most one unfinished delivery per app and
    /// Page so order holds; none behind a failed one) and claims the deliveries that are due on their app's clock,
    /// leasing them.
    /// </summary>
    /// <param name="maxDeliveries">Claim no more than can be sent at once: a claimed delivery's lease runs from
    /// now.</param>
    /// <param name="buildBody">Serializes a delivery's events into the body to POST.</param>
    /// <param name="maxEventsPerDelivery">The most events one POST carries.</param>
    /// <param name="lease">How long a claimed delivery is this worker's.</param>
    /// <param name="cancellationToken">Cancels the wait for the store.</param>
    Task<IReadOnlyList<DeliveryWork>> ClaimDueAsync(
        Func<IReadOnlyList<PendingEvent>, byte[]> buildBody,
        int maxEventsPerDelivery,
        TimeSpan lease,
        int maxDeliveries = 256,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Records one attempt. <paramref name="nextAttempt"/> null with failure means: give up; the failed delivery then
    /// holds the later events of its app and Page until it is replayed (order), and with <paramref name="unsubscribe"/>
    /// the app is unsubscribed from the Page in the same transaction (webhooks disabled, as on the platform).
    /// <paramref name="answer"/>: what the bot answered (the inbox page shows it).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Naming",
        "CA1716",
        Justification = "error is what the log calls it; no Visual Basic caller."
    )]
    Task RecordAttemptAsync(
        long deliveryId,
        bool delivered,
        int? httpStatus,
        string? error,
        DateTimeOffset? nextAttempt,
        bool unsubscribe = false,
        DeliveryAnswer? answer = null,
        CancellationToken cancellationToken = default
    );

    /// <summary>One delivery of the app, or null.</summary>
    Task<DeliveryLogEntry?> GetAsync(string appId, long deliveryId, CancellationToken cancellationToken = default);

    /// <summary>The recorded attempts of the app's deliveries <paramref name="deliveryIds"/>, oldest first.</summary>
    Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(
        string appId,
        IReadOnlyCollection<long> deliveryIds,
        CancellationToken cancellationToken = default
    );

    /// <summary>How long, in real time, until the earliest unfinished delivery or waiting event is due; null if
    /// none.</summary>
    Task<TimeSpan?> NextDueInAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeliveryLogEntry>> ListAsync(
        string appId,
        int limit,
        CancellationToken cancellationToken = default
    );

    /// <summary>
    /// Puts a failed delivery back to pending, due now; refused while the Page has an unfinished delivery or a later
    /// one (order), and while the app is not subscribed to the Page.
    /// </summary>
    Task<ReplayOutcome> ReplayAsync(string appId, long deliveryId, CancellationToken cancellationToken = default);
}
