using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Rules;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.World;

/// <summary>What a person sends: the text and attachments as the webhook shows them.</summary>
public sealed record PersonMessage(
    string? Text,
    string? AttachmentsJson,
    string? QuickReplyPayload,
    string? ReplyToMid,
    string Json
);

public sealed record PersonWriteResult(string Psid, string Mid);

public sealed record ConversationView(
    Conversation Conversation,
    DateTimeOffset? WindowOpenUntil,
    IReadOnlyList<StoredMessage> Messages
)
{
    /// <summary>Older messages exist than the oldest shown (ask again with it as the cursor).</summary>
    public bool HasMore { get; init; }
}

/// <summary>The Page switches to change; null leaves one as it is.</summary>
public sealed record PagePatch(
    bool? MessagingEnabled,
    bool? CommerceEnabled,
    bool? Restricted,
    bool? PagesMessagingPermission,
    bool? OptInRequestsAllowed,
    int? SendRatePerSecond,
    string? TimeZone
)
{
    /// <summary>Blocked for policy violations (368).</summary>
    public bool? Abusive { get; init; }
}

/// <summary>How to move an app's clock: by an amount, or to an instant.</summary>
public abstract record ClockMove
{
    public sealed record Advance(TimeSpan By) : ClockMove;

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Naming",
        "CA1716",
        Justification = "Reads as the world face's verb (clock to a time); no Visual Basic caller."
    )]
    public sealed record To(DateTimeOffset Target) : ClockMove;
}

/// <summary>
/// The world: apps, Pages and persons, and what persons do. Acts through the same store and rules as the Graph
/// face, so a person's message opens the window the Send API then checks.
/// </summary>
public sealed class WorldCommands(IdGenerator ids)
{
    /// <summary>The latest instant an app's clock may reach: far enough for any test, far from overflowing date
    /// arithmetic.</summary>
    public static readonly DateTimeOffset LatestClock = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Moves the app's clock forward from its stored offset (the clock is real time plus that offset) and returns the
    /// new offset. Never back (409), never past <see cref="LatestClock"/> (400).
    /// </summary>
    public static Result<long> MoveClock(IStoreSession s, string appId, ClockMove move, DateTimeOffset realNow)
    {
        if (s.GetApp(appId) is not { } app)
            return DomainError.NotFound("app", appId);
        var appNow = realNow.AddMilliseconds(app.ClockOffsetMs);
        var target = move switch
        {
            ClockMove.Advance a when a.By > LatestClock - appNow => (DateTimeOffset?)null,
            ClockMove.Advance a => appNow + a.By,
            ClockMove.To t => t.Target,
            _ => null,
        };
        if (target is null || target > LatestClock)
            return DomainError.InvalidRequest($"The clock cannot go past {LatestClock:yyyy-MM-dd}");
        if (target < appNow)
            return DomainError.Conflict($"The clock only moves forward: it reads {appNow:O}");
        // Round up: a clock set to an instant never reads earlier than that instant.
        var offset = app.ClockOffsetMs + (long)Math.Ceiling((target.Value - appNow).TotalMilliseconds);
        s.Apply(new SetClockOffset(appId, offset));
        return offset;
    }

    /// <summary>Flips the platform's switches on a Page (docs/spec/control-api.md, "Page settings"); null when there is
    /// no such Page.</summary>
    public static PageRecord? PatchPage(IStoreSession s, string pageId, PagePatch patch)
    {
        if (s.GetPage(pageId) is not { } page)
            return null;
        var st = page.Settings;
        var next = page with
        {
            TimeZone = patch.TimeZone ?? page.TimeZone,
            Settings = new PageSettings(
                patch.MessagingEnabled ?? st.MessagingEnabled,
                patch.CommerceEnabled ?? st.CommerceEnabled,
                patch.Restricted ?? st.Restricted,
                patch.PagesMessagingPermission ?? st.PagesMessagingPermission,
                patch.OptInRequestsAllowed ?? st.OptInRequestsAllowed,
                patch.SendRatePerSecond ?? st.SendRatePerSecond,
                patch.Abusive ?? st.Abusive
            ),
        };
        s.Apply(new SavePage(next));
        return next;
    }

    public AppRecord CreateApp(
        IStoreSession s,
        string? name,
        DateTimeOffset now,
        bool requireAppSecretProof = false,
        bool humanAgentPermission = false
    )
    {
        var app = new AppRecord(
            ids.AppId(),
            name ?? "Pagebox app",
            ids.AppSecret(),
            requireAppSecretProof,
            0,
            now,
            humanAgentPermission
        );
        s.Apply(new SaveApp(app));
        return app;
    }

    public Result<(PageRecord Page, PageToken Token)> CreatePage(
        IStoreSession s,
        string appId,
        string? name,
        Platform platform,
        string timeZone
    )
    {
        if (s.GetApp(appId) is null)
            return DomainError.NotFound("app", appId);
        var page = new PageRecord(ids.PageId(), appId, name ?? "Pagebox Page", platform, timeZone, new PageSettings());
        var token = new PageToken(ids.PageAccessToken(), page.Id, appId);
        s.Apply(new SavePage(page));
        s.Apply(new SavePageToken(token));
        return (page, token);
    }

    /// <summary>Gives another app access to an existing Page: a Page token of that app (several apps on one
    /// Page).</summary>
    public Result<(PageRecord Page, PageToken Token)> LinkPage(IStoreSession s, string appId, string pageId)
    {
        if (s.GetApp(appId) is null)
            return DomainError.NotFound("app", appId);
        if (s.GetPage(pageId) is not { } page)
            return DomainError.NotFound("page", pageId);
        var token = s.GetPageTokenFor(pageId, appId) ?? new PageToken(ids.PageAccessToken(), pageId, appId);
        s.Apply(new SavePageToken(token));
        return (page, token);
    }

    public PersonRecord CreatePerson(IStoreSession s, string? name, string? timeZone, string? locale)
    {
        var person = new PersonRecord(ids.PersonId(), name ?? "Pagebox Person", timeZone ?? "UTC", locale ?? "en_US");
        s.Apply(new SavePerson(person));
        return person;
    }

    /// <summary>The person's conversation with the Page, created with a new PSID on first contact.</summary>
    public Conversation Contact(IStoreSession s, PersonRecord person, PageRecord page, DateTimeOffset now)
    {
        if (s.GetConversation(page.Id, person.Id) is { } existing)
            return existing;
        var conversation = new Conversation(page.Id, person.Id, ids.Psid(), null, false, now);
        s.Apply(new SaveConversation(conversation));
        return conversation;
    }

    /// <summary>The person writes: the message is stored, the window opens or renews, <c>messages</c> is
    /// emitted.</summary>
    public Result<PersonWriteResult> Write(
        IStoreSession s,
        string personId,
        string pageId,
        PersonMessage message,
        DateTimeOffset now
    )
    {
        var found = PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        if (message.Text is null && message.AttachmentsJson is null)
            return DomainError.InvalidRequest("A message needs text or attachments");
        // Check before any write: a refused message must leave no conversation behind.
        var existing = s.GetConversation(page.Id, person.Id);
        if (message.ReplyToMid is { } replyTo && (existing is null || s.GetMessage(replyTo)?.Psid != existing.Psid))
            return DomainError.InvalidRequest($"reply_to {message.ReplyToMid} is not a message of this conversation");
        var conversation = existing ?? Contact(s, person, page, now);
        OpenWindow(s, conversation, now);
        return new PersonWriteResult(conversation.Psid, SavePersonMessage(s, page, conversation.Psid, message, now));
    }

    /// <summary>Saves the person's message in the conversation and records the <c>messages</c> webhook that tells the
    /// Page, with the ad the message answers when there is one; returns the message's mid.</summary>
    internal string SavePersonMessage(
        IStoreSession s,
        PageRecord page,
        string psid,
        PersonMessage message,
        DateTimeOffset now,
        ReferralInfo? referral = null
    )
    {
        var mid = ids.Mid();
        s.Apply(
            new SaveMessage(
                new StoredMessage(
                    mid,
                    page.Id,
                    psid,
                    MessageDirection.FromPerson,
                    MessageKind.Standard,
                    now,
                    message.Json,
                    null
                )
            )
        );
        WebhookFanout.Record(
            s,
            page,
            new PersonMessageEvent(
                page.Id,
                psid,
                now,
                mid,
                message.Text,
                message.AttachmentsJson,
                message.QuickReplyPayload,
                message.ReplyToMid
            )
            {
                Referral = referral,
            }
        );
        return mid;
    }

    /// <summary>
    /// The person taps a postback (a button of a message the Page sent, or Get Started / the persistent menu / an ice
    /// breaker when <paramref name="mid"/> is null). A tap is the person acting, so it opens or renews the window.
    /// </summary>
    public Result<string> Postback(
        IStoreSession s,
        string personId,
        string pageId,
        string title,
        string payload,
        string? mid,
        DateTimeOffset now
    )
    {
        // Check the tapped message before any write: a refused tap must leave no conversation behind.
        var found = PersonAndPage(s, personId, pageId, mid);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        var conversation = Contact(s, person, page, now);
        OpenWindow(s, conversation, now);
        WebhookFanout.Record(s, page, new PostbackEvent(page.Id, conversation.Psid, now, title, payload, mid));
        return conversation.Psid;
    }

    /// <summary>The person and the Page a person's act names, else 404.</summary>
    internal static Result<(PersonRecord Person, PageRecord Page)> PersonAndPage(
        IStoreReader s,
        string personId,
        string pageId
    )
    {
        if (s.GetPerson(personId) is not { } person)
            return DomainError.NotFound("person", personId);
        if (s.GetPage(pageId) is not { } page)
            return DomainError.NotFound("page", pageId);
        return (person, page);
    }

    /// <summary>The person, the Page and their conversation (made on first contact), else 404.</summary>
    private Result<(PersonRecord Person, PageRecord Page, Conversation Conversation)> Contacted(
        IStoreSession s,
        string personId,
        string pageId,
        DateTimeOffset now
    ) => PersonAndPage(s, personId, pageId).Map(f => (f.Person, f.Page, Contact(s, f.Person, f.Page, now)));

    /// <summary>The Page and the person's existing conversation with it, else 404.</summary>
    internal static Result<(PageRecord Page, Conversation Conversation)> PageAndConversation(
        IStoreReader s,
        string personId,
        string pageId
    )
    {
        if (s.GetPerson(personId) is null)
            return DomainError.NotFound("person", personId);
        if (s.GetPage(pageId) is not { } page)
            return DomainError.NotFound("page", pageId);
        if (s.GetConversation(pageId, personId) is not { } conversation)
            return DomainError.NotFound("conversation with page", pageId);
        return (page, conversation);
    }

    /// <summary>The world face's refusal (409) of an act of a person towards a Page they have blocked.</summary>
    internal static DomainError BlockedByPerson() => DomainError.Conflict("The person has blocked the Page");

    /// <summary>The person acts towards the Page (writes, taps, follows a link): the standard window opens or renews
    /// from <paramref name="now"/>.</summary>
    internal static Conversation OpenWindow(IStoreSession s, Conversation conversation, DateTimeOffset now)
    {
        var opened = conversation with { LastInboundAt = now };
        s.Apply(new SaveConversation(opened));
        return opened;
    }

    /// <summary>The person and the Page a person's act names, and the message it acts on (when it names one) one the
    /// person received from the Page, else 404.</summary>
    internal static Result<(PersonRecord Person, PageRecord Page)> PersonAndPage(
        IStoreReader s,
        string personId,
        string pageId,
        string? mid
    )
    {
        var found = PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted || mid is null || Received(s, found.Value.Person, found.Value.Page, mid))
            return found;
        return DomainError.NotFound($"Person {personId} received no message {mid} from page {pageId}");
    }

    /// <summary>Whether the person received <paramref name="mid"/> from the Page.</summary>
    public static bool Received(IStoreReader s, PersonRecord person, PageRecord page, string mid) =>
        s.GetMessage(mid) is { Direction: MessageDirection.FromPage } m
        && s.GetConversation(page.Id, person.Id)?.Psid == m.Psid;

    /// <summary>The person follows an m.me link with a ref: <c>messaging_referrals</c>, and the window opens (Meta: it
    /// "resets the 24-hour standard messaging window").</summary>
    public Result<string> Referral(
        IStoreSession s,
        string personId,
        string pageId,
        string reference,
        string source,
        DateTimeOffset now
    )
    {
        var found = Contacted(s, personId, pageId, now);
        if (!found.IsAccepted)
            return found.Error;
        var (_, page, conversation) = found.Value;
        OpenWindow(s, conversation, now);
        WebhookFanout.Record(
            s,
            page,
            new ReferralEvent(
                page.Id,
                conversation.Psid,
                now,
                new ReferralInfo(reference, source, "OPEN_THREAD"),
                page.Platform
            )
        );
        return conversation.Psid;
    }

    /// <summary>
    /// The person comments on a post of the Page (a post is made when none is named): the <c>feed</c> webhook, and the
    /// Page may answer with one private reply. No conversation or window yet.
    /// </summary>
    public Result<CommentRecord> Comment(
        IStoreSession s,
        string personId,
        string pageId,
        string? postId,
        string text,
        DateTimeOffset now
    )
    {
        var found = PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        if (postId is null)
        {
            postId = $"{pageId}_{ids.PostId()}";
            s.Apply(new SavePost(new PostRecord(postId, pageId, now)));
        }
        else if (s.GetPost(postId) is not { } post || post.PageId != pageId)
            return DomainError.NotFound("post of this page", postId);
        var comment = new CommentRecord(
            $"{postId.Split('_')[^1]}_{ids.PostId()}",
            postId,
            pageId,
            personId,
            text,
            now,
            null
        );
        s.Apply(new SaveComment(comment));
        WebhookFanout.Record(
            s,
            page,
            new FeedCommentEvent(pageId, now, postId, comment.CommentId, personId, person.Name, text)
        );
        return comment;
    }

    /// <summary>The person ticks the Checkbox plugin on the business's site: <c>messaging_optins</c> with the
    /// user_ref.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1822",
        Justification = "A command of the group, called through the injected instance like its siblings."
    )]
    public Result<UserRefRecord> Checkbox(
        IStoreSession s,
        string personId,
        string pageId,
        string userRef,
        string? reference,
        DateTimeOffset now
    )
    {
        var found = PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var page = found.Value.Page;
        if (s.GetUserRef(pageId, userRef) is not null)
            return DomainError.Conflict($"user_ref {userRef} was already used on page {pageId}");
        var tick = new UserRefRecord(userRef, pageId, personId, now, null);
        s.Apply(new SaveUserRef(tick));
        WebhookFanout.Record(s, page, new CheckboxOptInEvent(pageId, now, userRef, reference));
        return tick;
    }

    /// <summary>
    /// The person opens the conversation: everything the Page sent until now is read. Messenger reports a watermark;
    /// Instagram's <c>messaging_seen</c> names the Page's latest message, so with nothing from the Page there is no
    /// event.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1822",
        Justification = "A command of the group, called through the injected instance like its siblings."
    )]
    public Result<string> Read(IStoreSession s, string personId, string pageId, DateTimeOffset now)
    {
        var found = PageAndConversation(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation) = found.Value;
        if (page.Platform != Platform.Instagram)
        {
            WebhookFanout.Record(s, page, new ReadEvent(page.Id, conversation.Psid, now, now, page.Platform));
        }
        else if (LatestFromPage(s, page.Id, conversation.Psid) is { } mid)
        {
            WebhookFanout.Record(
                s,
                page,
                new ReadEvent(page.Id, conversation.Psid, now, now, page.Platform) { Mid = mid }
            );
        }
        return conversation.Psid;
    }

    /// <summary>The Page's latest message in the conversation (sender actions are not messages), or null.</summary>
    private static string? LatestFromPage(IStoreReader s, string pageId, string psid)
    {
        string? after = null;
        while (true)
        {
            var batch = s.ListConversationMessages(pageId, psid, after, 100);
            if (batch.FirstOrDefault(m => m.Direction == MessageDirection.FromPage) is { } found)
                return found.Mid;
            if (batch.Count < 100)
                return null;
            after = batch[^1].Mid;
        }
    }

    public Result<Conversation> SetBlocked(
        IStoreSession s,
        string personId,
        string pageId,
        bool blocked,
        DateTimeOffset now
    )
    {
        var found = Contacted(s, personId, pageId, now);
        if (!found.IsAccepted)
            return found.Error;
        var updated = found.Value.Conversation with { Blocked = blocked };
        s.Apply(new SaveConversation(updated));
        return updated;
    }

    /// <summary>
    /// One page of the conversation, both sides: the newest <paramref name="limit"/> messages before the message
    /// <paramref name="beforeMid"/> (a cursor from an earlier page; null: the newest), oldest first.
    /// </summary>
    public static Result<ConversationView> View(
        IStoreReader s,
        string personId,
        string pageId,
        int limit,
        string? beforeMid = null
    )
    {
        if (s.GetPerson(personId) is null)
            return DomainError.NotFound("person", personId);
        if (s.GetPage(pageId) is null)
            return DomainError.NotFound("page", pageId);
        if (s.GetConversation(pageId, personId) is not { } conversation)
            return DomainError.NotFound("conversation with page", pageId);
        if (
            beforeMid is not null
            && (
                s.GetMessage(beforeMid) is not { } cursor || cursor.PageId != pageId || cursor.Psid != conversation.Psid
            )
        )
            return DomainError.InvalidRequest(
                $"before must be the mid of a message of this conversation, got \"{beforeMid}\""
            );
        // One more than asked for says whether there are older ones.
        var messages = s.GetConversationMessagesBefore(pageId, conversation.Psid, beforeMid, limit + 1);
        var hasMore = messages.Count > limit;
        return new ConversationView(
            conversation,
            MessagingWindowRule.OpenUntil(conversation.LastInboundAt),
            hasMore ? [.. messages.Skip(1)] : messages
        )
        {
            HasMore = hasMore,
        };
    }
}
