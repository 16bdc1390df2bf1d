using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.World;

/// <summary>Where an m.me link led: the PSID, the webhook it caused (<c>referral</c>, <c>postback</c>, <c>optin</c> or
/// none) and a token.</summary>
public sealed record LinkResult(string? Psid, string? Event, NotificationToken? Token);

/// <summary>A question of a customer feedback template, as the Server read it from the message: id, score type,
/// follow-up.</summary>
public sealed record FeedbackQuestion(string Id, string Type, bool HasFollowUp);

/// <summary>A customer feedback template's questions (first screen) and its <c>expires_in_days</c>, if any.</summary>
public sealed record FeedbackTemplateFacts(IReadOnlyList<FeedbackQuestion> Questions, int? ExpiresInDays);

/// <summary>The person's answer to one question: a score and, where the question asks for it, free text.</summary>
public sealed record FeedbackReply(string QuestionId, string Payload, string? FollowUp);

/// <summary>
/// What a person does beyond writing (docs/spec/control-api.md, README "world face"): reactions, edits, thumbs up/down,
/// customer feedback answers, Instagram unsends and story mentions, m.me and recurring-notification links, the Send to
/// Messenger plugin, click-to-Messenger ads; and the platform's policy enforcement on a Page. Each records its webhook
/// in the same transaction; each says whether it opens the 24-hour window (docs/fidelity.md, "Person actions").
/// </summary>
public sealed class PersonActionCommands(IdGenerator ids, WorldCommands world)
{
    /// <summary>Messenger and Instagram let a message be edited for 15 minutes after it was sent.</summary>
    public static readonly TimeSpan EditWindow = TimeSpan.FromMinutes(15);

    /// <summary>"The user cannot edit a message more than five times" (message_edits reference).</summary>
    public const int MaxEdits = 5;

    /// <summary>The Send to Messenger plugin's <c>data-ref</c> is at most 250 characters.</summary>
    public const int MaxPluginRefLength = 250;

    /// <summary>Meta's sample reason of a policy warning or block.</summary>
    public const string DefaultPolicyReason =
        "The bot violated our Platform Policies (https://developers.facebook.com/devpolicy/#messengerplatform). "
        + "Common violations include sending out excessive spammy messages or being non-functional.";

    /// <summary>The Page, the person's existing conversation with it and a message of it sent by one side (the Page,
    /// or the person), else 404; <paramref name="onlyOn"/> names the one platform the act exists on (refused
    /// elsewhere before the message is looked up).</summary>
    private static Result<(PageRecord Page, Conversation Conversation, StoredMessage Message)> MessageIn(
        IStoreReader s,
        string personId,
        string pageId,
        string mid,
        MessageDirection from,
        (Platform Platform, string Elsewhere)? onlyOn = null
    )
    {
        var found = WorldCommands.PageAndConversation(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation) = found.Value;
        if (onlyOn is { } only && page.Platform != only.Platform)
            return DomainError.InvalidRequest(only.Elsewhere);
        var message = MessageOf(s, conversation, mid, from);
        return message.IsAccepted ? (page, conversation, message.Value) : message.Error;
    }

    /// <summary>The person's conversation with the Page, made on first contact; refused when the person has blocked the
    /// Page.</summary>
    private Result<Conversation> Unblocked(IStoreSession s, PersonRecord person, PageRecord page, DateTimeOffset now)
    {
        var existing = s.GetConversation(page.Id, person.Id);
        if (existing is { Blocked: true })
            return WorldCommands.BlockedByPerson();
        return existing ?? world.Contact(s, person, page, now);
    }

    /// <summary>A message of the conversation sent by one side (the Page, or the person), else 404.</summary>
    private static Result<StoredMessage> MessageOf(IStoreReader s, Conversation c, string mid, MessageDirection from)
    {
        var m = s.GetMessage(mid);
        if (m is null || m.Psid != c.Psid || m.Direction != from || m.Kind == MessageKind.SenderAction)
            return DomainError.NotFound(
                from == MessageDirection.FromPage
                    ? $"The person received no message {mid} from page {c.PageId}"
                    : $"The person sent no message {mid} to page {c.PageId}"
            );
        return m;
    }

    // :: Reactions, edits, feedback

    /// <summary>
    /// The person reacts to a message the Page sent (<c>message_reactions</c>), or takes the reaction back. A reaction
    /// is the person acting in the thread: it opens or renews the window; taking it back does not.
    /// </summary>
    public static Result<string> React(
        IStoreSession s,
        string personId,
        string pageId,
        string mid,
        string? emoji,
        bool unreact,
        DateTimeOffset now
    )
    {
        var found = MessageIn(s, personId, pageId, mid, MessageDirection.FromPage);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation, message) = found.Value;
        if (conversation.Blocked)
            return WorldCommands.BlockedByPerson();
        if (!unreact)
        {
            if (string.IsNullOrEmpty(emoji))
                return DomainError.InvalidRequest("emoji is required to react");
            s.Apply(new SaveReaction(page.Id, mid, conversation.Psid, emoji));
            WorldCommands.OpenWindow(s, conversation, now);
            WebhookFanout.Record(
                s,
                page,
                new ReactionEvent(page.Id, conversation.Psid, now, mid, "react", ReactionCategory.Of(emoji), emoji)
            );
            return conversation.Psid;
        }
        if (s.GetReaction(mid, conversation.Psid) is not { } previous)
            return DomainError.Conflict($"The person has no reaction on message {mid} to take back");
        s.Apply(new SaveReaction(page.Id, mid, conversation.Psid, null));
        // Instagram leaves reaction and emoji out of an unreact; Messenger names the reaction taken back.
        var instagram = page.Platform == Platform.Instagram;
        WebhookFanout.Record(
            s,
            page,
            new ReactionEvent(
                page.Id,
                conversation.Psid,
                now,
                mid,
                "unreact",
                instagram ? null : ReactionCategory.Of(previous),
                instagram ? null : previous
            )
        );
        return conversation.Psid;
    }

    /// <summary>
    /// The person edits a text message of theirs (<c>message_edits</c>; Instagram <c>message_edit</c>): within 15
    /// minutes of sending it and at most 5 times. <paramref name="rewrite"/> gives the message object with the new
    /// text, or null when the message is not a text message. An edit is no new message: the window stays as it was.
    /// </summary>
    public static Result<int> Edit(
        IStoreSession s,
        string personId,
        string pageId,
        string mid,
        string text,
        Func<string, string?> rewrite,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var found = MessageIn(s, personId, pageId, mid, MessageDirection.FromPerson);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation, message) = found.Value;
        if (now - message.Time >= EditWindow)
            return DomainError.Conflict(
                $"A message can be edited only within {EditWindow.TotalMinutes:0} minutes of sending it"
            );
        var count = s.GetEditCount(mid);
        if (count >= MaxEdits)
            return DomainError.Conflict($"A message can be edited at most {MaxEdits} times");
        if (rewrite(message.MessageJson) is not { } json)
            return DomainError.InvalidRequest("Only text messages can be edited");
        s.Apply(new EditMessage(page.Id, mid, json, count + 1));
        WebhookFanout.Record(
            s,
            page,
            new MessageEditEvent(page.Id, conversation.Psid, now, mid, text, count + 1, page.Platform)
        );
        return count + 1;
    }

    /// <summary>
    /// Thumbs up or down on a message an app sent (<c>response_feedback</c>, Messenger). The buttons show only on
    /// messages of an app subscribed to <c>response_feedback</c>, and only that app is told. The window stays as it
    /// was.
    /// </summary>
    public static Result<string> ResponseFeedback(
        IStoreSession s,
        string personId,
        string pageId,
        string mid,
        bool good,
        DateTimeOffset now
    )
    {
        var found = MessageIn(
            s,
            personId,
            pageId,
            mid,
            MessageDirection.FromPage,
            (Platform.Messenger, "response_feedback is a Messenger feature; Instagram shows no feedback buttons")
        );
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation, message) = found.Value;
        var appId = message.AppId;
        var subscribed =
            appId is not null
            && s.GetSubscribers(page.Id, WebhookFanout.ObjectOf(page.Platform))
                .Any(x => x.AppId == appId && x.Fields.Contains(WebhookFields.ResponseFeedback));
        if (!subscribed)
            return DomainError.Conflict(
                $"Message {mid} shows no feedback buttons: the app that sent it is not subscribed to response_feedback"
            );
        WebhookFanout.RecordFor(
            s,
            page,
            appId!,
            new ResponseFeedbackEvent(
                page.Id,
                conversation.Psid,
                now,
                mid,
                good ? ResponseFeedbackEvent.Good : ResponseFeedbackEvent.Bad
            )
        );
        return conversation.Psid;
    }

    /// <summary>
    /// The person submits a customer feedback template (<c>messaging_feedback</c>, to the app that sent it): every
    /// question scored once in its range, free text only where asked, once per template, before <c>expires_in_days</c>.
    /// The window stays as it was.
    /// </summary>
    public static Result<string> AnswerFeedback(
        IStoreSession s,
        string personId,
        string pageId,
        string mid,
        Func<string, FeedbackTemplateFacts?> readTemplate,
        IReadOnlyList<FeedbackReply> replies,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(readTemplate);
        var found = MessageIn(s, personId, pageId, mid, MessageDirection.FromPage);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation, message) = found.Value;
        if (readTemplate(message.MessageJson) is not { } template)
            return DomainError.InvalidRequest($"Message {mid} is not a customer feedback template");
        if (s.IsFeedbackAnswered(mid))
            return DomainError.Conflict($"The customer feedback template {mid} was answered already");
        if (template.ExpiresInDays is { } days && now >= message.Time + TimeSpan.FromDays(days))
            return DomainError.Conflict($"The customer feedback template {mid} expired {days} days after it was sent");
        var (answers, error) = FeedbackAnswerRule.Check(template, replies);
        if (error is not null)
            return DomainError.InvalidRequest(error);
        s.Apply(new SaveFeedbackAnswer(page.Id, mid, now));
        if (message.AppId is { } appId)
            WebhookFanout.RecordFor(
                s,
                page,
                appId,
                new MessagingFeedbackEvent(page.Id, conversation.Psid, now, answers!)
            );
        return conversation.Psid;
    }

    // :: Instagram

    /// <summary>Instagram: the person unsends a message of theirs; <c>messages</c> with <c>is_deleted</c>, and it
    /// leaves the conversation.</summary>
    public static Result<string> Unsend(IStoreSession s, string personId, string pageId, string mid, DateTimeOffset now)
    {
        var found = MessageIn(
            s,
            personId,
            pageId,
            mid,
            MessageDirection.FromPerson,
            (Platform.Instagram, "Unsending is reported on Instagram only; Messenger sends no webhook for it")
        );
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation, message) = found.Value;
        s.Apply(new DeleteMessage(mid));
        WebhookFanout.Record(s, page, new UnsendEvent(page.Id, conversation.Psid, now, mid));
        return conversation.Psid;
    }

    /// <summary>
    /// Instagram: the person mentions the business in their story. It arrives as the person's message with a
    /// <c>story_mention</c> attachment (<paramref name="message"/>, built by the Server), so it opens the window.
    /// </summary>
    public Result<PersonWriteResult> StoryMention(
        IStoreSession s,
        string personId,
        string pageId,
        PersonMessage message,
        DateTimeOffset now
    )
    {
        if (s.GetPage(pageId) is { Platform: not Platform.Instagram })
            return DomainError.InvalidRequest("Story mentions are an Instagram feature");
        return world.Write(s, personId, pageId, message, now);
    }

    // :: Links, plugins, ads

    /// <summary>
    /// The person opens <c>m.me/{page}?ref=…</c>. In an existing thread: <c>messaging_referrals</c>. In a new thread
    /// the person sees the Get Started button and taps it: <c>messaging_postbacks</c> with the referral; a Page without
    /// Get Started gets <c>messaging_referrals</c>. Either way the window opens. Without a ref an existing thread just
    /// opens (no webhook), and a new one shows Get Started (its postback, without referral) or nothing.
    /// </summary>
    public Result<LinkResult> FollowLink(
        IStoreSession s,
        string personId,
        string pageId,
        string? reference,
        (string Title, string Payload)? getStarted,
        DateTimeOffset now
    )
    {
        var found = WorldCommands.PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        var existing = s.GetConversation(pageId, personId);
        if (existing is { Blocked: true })
            return WorldCommands.BlockedByPerson();
        if (reference is null && (existing is not null || getStarted is null))
            return new LinkResult(existing?.Psid, null, null);
        var conversation = existing ?? world.Contact(s, person, page, now);
        WorldCommands.OpenWindow(s, conversation, now);
        var referral = reference is null ? null : new ReferralInfo(reference, "SHORTLINK", "OPEN_THREAD");
        if (existing is null && getStarted is { } gs)
        {
            WebhookFanout.Record(
                s,
                page,
                new PostbackEvent(page.Id, conversation.Psid, now, gs.Title, gs.Payload, null) { Referral = referral }
            );
            return new LinkResult(conversation.Psid, "postback", null);
        }
        // A ref is given here: without one the link returned above (no webhook) or led to the Get Started postback.
        WebhookFanout.Record(s, page, new ReferralEvent(page.Id, conversation.Psid, now, referral!, page.Platform));
        return new LinkResult(conversation.Psid, "referral", null);
    }

    /// <summary>
    /// The person opens a recurring-notification link (<c>m.me/rn/{page}?topic=…&amp;cadence=…</c>) and opts in on the
    /// request the platform shows: a token for the topic and <c>messaging_optins</c> with <c>source: SHORTLINK</c>. The
    /// topic must be one the Page registered by sending an opt-in request with that title; otherwise the link only
    /// opens <c>m.me/rn/{page}</c> (409). An opt-in does not open the window.
    /// </summary>
    public Result<LinkResult> FollowRecurringLink(
        IStoreSession s,
        string personId,
        string pageId,
        string topic,
        TokenFrequency cadence,
        string? reference,
        PolicyProfile profile,
        DateTimeOffset now
    )
    {
        var found = WorldCommands.PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        if (profile == PolicyProfile.Retired)
            return DomainError.Conflict("Marketing messages are retired under this policy profile");
        if (!s.HasOptInTopic(pageId, topic))
            return DomainError.Conflict(
                $"Topic \"{topic}\" is not registered on page {pageId}: the link opens m.me/rn/{pageId} instead"
            );
        var reached = Unblocked(s, person, page, now);
        if (!reached.IsAccepted)
            return reached.Error;
        var conversation = reached.Value;
        var frequency = profile == PolicyProfile.P2023 ? cadence : (TokenFrequency?)null;
        var held = s.GetTokensOf(pageId, conversation.Psid)
            .FirstOrDefault(t =>
                t.Title == topic && t.Frequency == frequency && !TokenLifetime.IsExpired(t, profile, now)
            );
        var token = held is not null
            ? held with
            {
                Status = TokenStatus.Active,
                Updated = now,
            }
            : OptInTokens.Create(
                ids.NotificationToken(),
                pageId,
                conversation.Psid,
                personId,
                new OptInOffer(topic, "", null, cadence, ReOptIn.Enabled),
                person.TimeZone,
                profile,
                now
            );
        s.Apply(new SaveToken(token));
        WebhookFanout.Record(
            s,
            page,
            new LinkOptInEvent(
                page.Id,
                conversation.Psid,
                now,
                topic,
                reference,
                token.Token,
                cadence,
                token.TimeZone,
                MarketingCommands.ReportedExpiry(token),
                token.UserTokenStatus
            )
        );
        return new LinkResult(conversation.Psid, "optin", token);
    }

    /// <summary>
    /// The person taps the Send to Messenger plugin on the business's site: <c>messaging_optins</c> with the sender and
    /// the plugin's <c>data-ref</c>. The person asked to be messaged, so the window opens (inferred,
    /// docs/spec/webhooks.md §6).
    /// </summary>
    public Result<string> SendToMessenger(
        IStoreSession s,
        string personId,
        string pageId,
        string? reference,
        DateTimeOffset now
    )
    {
        var found = WorldCommands.PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        if (page.Platform == Platform.Instagram)
            return DomainError.InvalidRequest("The Send to Messenger plugin is a Messenger feature");
        if (reference is not null && Characters.Count(reference) > MaxPluginRefLength)
            return DomainError.InvalidRequest(
                $"ref (the plugin's data-ref) may be at most {MaxPluginRefLength} characters"
            );
        var reached = Unblocked(s, person, page, now);
        if (!reached.IsAccepted)
            return reached.Error;
        var conversation = reached.Value;
        WorldCommands.OpenWindow(s, conversation, now);
        WebhookFanout.Record(s, page, new PluginOptInEvent(page.Id, conversation.Psid, now, reference));
        return conversation.Psid;
    }

    /// <summary>
    /// The person taps a click-to-Messenger ad. With a message: <c>messages</c> whose message carries the ad's
    /// <c>referral</c>; without: <c>messaging_referrals</c> with <c>source: ADS</c>, <c>ad_id</c> and
    /// <c>ads_context_data</c>. Both open the window.
    /// </summary>
    public Result<PersonWriteResult> AdClick(
        IStoreSession s,
        string personId,
        string pageId,
        ReferralInfo ad,
        PersonMessage? message,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(ad);
        var found = WorldCommands.PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (person, page) = found.Value;
        var reached = Unblocked(s, person, page, now);
        if (!reached.IsAccepted)
            return reached.Error;
        var conversation = reached.Value;
        WorldCommands.OpenWindow(s, conversation, now);
        if (message is null)
        {
            WebhookFanout.Record(s, page, new ReferralEvent(page.Id, conversation.Psid, now, ad, page.Platform));
            return new PersonWriteResult(conversation.Psid, "");
        }
        var mid = world.SavePersonMessage(s, page, conversation.Psid, message, now, ad);
        return new PersonWriteResult(conversation.Psid, mid);
    }

    // :: The platform

    /// <summary>
    /// The platform's policy enforcement on an app of the Page (<c>messaging_policy_enforcement</c>, to that app):
    /// <c>warning</c> only tells; <c>block</c> also refuses the app's sends to the Page (368) until <c>unblock</c>.
    /// </summary>
    public static Result<string> EnforcePolicy(
        IStoreSession s,
        string pageId,
        string appId,
        string action,
        string? reason,
        DateTimeOffset now
    )
    {
        if (s.GetPage(pageId) is not { } page)
            return DomainError.NotFound("page", pageId);
        if (s.GetPageTokenFor(pageId, appId) is null)
            return DomainError.NotFound($"App {appId} has no access to page {pageId}");
        switch (action)
        {
            case "warning":
                break;
            case "block":
                s.Apply(new SavePolicyBlock(pageId, appId, true));
                break;
            case "unblock":
                if (reason is not null)
                    return DomainError.InvalidRequest("reason is absent on unblock");
                s.Apply(new SavePolicyBlock(pageId, appId, false));
                break;
            default:
                return DomainError.InvalidRequest($"action must be warning, block or unblock, got \"{action}\"");
        }
        WebhookFanout.RecordFor(
            s,
            page,
            appId,
            new PolicyEnforcementEvent(
                pageId,
                now,
                appId,
                action,
                action == "unblock" ? null : reason ?? DefaultPolicyReason
            )
        );
        return action;
    }
}

/// <summary>Messenger's reaction names for an emoji (message_reactions reference); any other emoji is
/// <c>other</c>.</summary>
public static class ReactionCategory
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["\u2764"] = "love",
        ["\U0001F60D"] = "love",
        ["\U0001F970"] = "love",
        ["\U0001F606"] = "smile",
        ["\U0001F602"] = "smile",
        ["\U0001F604"] = "smile",
        ["\U0001F600"] = "smile",
        ["\U0001F642"] = "smile",
        ["\U0001F60A"] = "smile",
        ["\U0001F62E"] = "wow",
        ["\U0001F62F"] = "wow",
        ["\U0001F632"] = "wow",
        ["\U0001F622"] = "sad",
        ["\U0001F62D"] = "sad",
        ["\U0001F620"] = "angry",
        ["\U0001F621"] = "angry",
        ["\U0001F44D"] = "like",
        ["\U0001F44E"] = "dislike",
    };

    public static string Of(string emoji)
    {
        // Compare without the emoji presentation selector (U+FE0F) and skin-tone modifiers (U+1F3FB–U+1F3FF).
        var bare = new System.Text.StringBuilder(emoji.Length);
        foreach (var rune in emoji.EnumerateRunes())
        {
            if (rune.Value == 0xFE0F || rune.Value is >= 0x1F3FB and <= 0x1F3FF)
                continue;
            bare.Append(rune.ToString());
        }
        return Names.TryGetValue(bare.ToString(), out var name) ? name : "other";
    }
}

/// <summary>
/// A customer feedback template's answer (the template page): every question of the screen scored exactly once — CSAT
/// 1–5, NPS 0–10, CES 1–7 — and free text only for a question with a <c>follow_up</c>.
/// </summary>
public static class FeedbackAnswerRule
{
    public static (IReadOnlyList<FeedbackAnswer>? Answers, string? Error) Check(
        FeedbackTemplateFacts template,
        IReadOnlyList<FeedbackReply> replies
    )
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(replies);
        var answers = new List<FeedbackAnswer>();
        foreach (var reply in replies)
        {
            if (template.Questions.FirstOrDefault(q => q.Id == reply.QuestionId) is not { } question)
                return (null, $"The template has no question \"{reply.QuestionId}\"");
            if (answers.Any(a => a.QuestionId == reply.QuestionId))
                return (null, $"Question \"{reply.QuestionId}\" is answered twice");
            var (min, max) = question.Type switch
            {
                "csat" => (1, 5),
                "nps" => (0, 10),
                "ces" => (1, 7),
                _ => (0, -1),
            };
            if (
                !int.TryParse(
                    reply.Payload,
                    System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture,
                    out var score
                )
                || score < min
                || score > max
            )
                return (
                    null,
                    max < min
                        ? $"Question \"{question.Id}\" has an unknown type \"{question.Type}\""
                        : $"The {question.Type} score of \"{question.Id}\" must be {min} to {max}, got \""
                            + $"{reply.Payload}\""
                );
            if (reply.FollowUp is not null && !question.HasFollowUp)
                return (null, $"Question \"{question.Id}\" asks for no free-form follow-up");
            answers.Add(new FeedbackAnswer(question.Id, question.Type, reply.Payload, reply.FollowUp));
        }
        var missing = template.Questions.FirstOrDefault(q => answers.All(a => a.QuestionId != q.Id));
        return missing is not null
            ? (null, $"Question \"{missing.Id}\" is not answered: every question needs a score before Submit")
            : (answers, null);
    }
}
