using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;
using Pagebox.Domain.Rules;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Domain.World;

namespace Pagebox.Domain.Marketing;

/// <summary>The result of a person tapping an opt-in (or "Continue messages").</summary>
public sealed record OptInResult(NotificationToken Token, bool Created);

/// <summary>
/// Marketing messages as store commands: opt-in requests, sends on tokens, the person's tap, stop and resume,
/// and the test endpoint. The rules are the pure classes beside this one; this class reads their facts and
/// applies what they decide, with the <c>messaging_optins</c> events, in one transaction.
/// </summary>
/// <param name="reOptInPrompt">The message object of the platform's "Continue messages" prompt for a token, as JSON
/// (the Server renders it: the Domain keeps message bodies opaque).</param>
/// <param name="ids">Makes the ids of tokens and messages.</param>
/// <param name="messaging">Sends the messages the marketing commands write (opt-in requests, marketing
/// messages).</param>
/// <param name="profile">The marketing policy profile in force.</param>
public sealed class MarketingCommands(
    IdGenerator ids,
    MessagingCommands messaging,
    PolicyProfile profile,
    Func<NotificationToken, string> reOptInPrompt
)
{
    public const string OptInType = "notification_messages";
    public const string Stopped = "STOP_NOTIFICATIONS";
    public const string Resumed = "RESUME_NOTIFICATIONS";

    public PolicyProfile Profile => profile;

    /// <summary>
    /// What <c>token_expiry_timestamp</c> says for a token that never expires (every rule set but 2023): Meta still
    /// lists the field, bots store it and re-opt-in when it passes, so it must be present and far away.
    /// </summary>
    public static readonly DateTimeOffset NeverExpires = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset ReportedExpiry(NotificationToken token) => token.ExpiresAt ?? NeverExpires;

    public static TimeZoneInfo PageZone(PageRecord page) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(page.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>POST /{PAGE-ID}/messages with a notification_messages template, to a PSID.</summary>
    public Result<SendResult> SendOptInRequest(
        IStoreSession s,
        PageRecord page,
        SendCommand cmd,
        OptInTemplate template,
        DateTimeOffset now
    )
    {
        var validated = OptInTemplateRule.Validate(template, profile);
        if (!validated.IsAccepted)
            return validated.Error;
        var conversation = cmd.Recipient is PsidRecipient r ? s.GetConversationByPsid(r.Psid) : null;
        if (conversation is null || conversation.PageId != page.Id)
            return DomainError.Of(DomainErrorKind.UnknownRecipient);
        if (conversation.Blocked)
            return DomainError.Of(DomainErrorKind.PersonBlockedPage);

        var earlier = s.GetOptInRequestsSince(page.Id, conversation.Psid, now - OptInRequestRule.DuplicateWindow)
            .Where(x => x.ReOptInToken is null)
            .Select(x => x.AsSent)
            .Distinct()
            .ToList();
        var facts = new OptInRequestFacts(
            page.Platform,
            profile,
            page.Settings.OptInRequestsAllowed,
            MessagingWindowRule.IsOpen(conversation.LastInboundAt, now),
            earlier,
            [.. validated.Value.Offers.Select(o => o.Topic)]
        );
        if (OptInRequestRule.Check(facts, now) is { } error)
            return error;

        var result = messaging.Deliver(s, page, conversation, cmd, MessageKind.OptInRequest, now);
        var element = 0;
        foreach (var offer in validated.Value.Offers)
        {
            s.Apply(
                new SaveOptInRequest(
                    new OptInRequestRecord(
                        result.MessageId!,
                        element++,
                        page.Id,
                        conversation.Psid,
                        offer.Title,
                        offer.Payload,
                        offer.ImageUrl,
                        offer.Frequency,
                        offer.ReOptIn,
                        validated.Value.TimeZone,
                        now
                    )
                )
            );
        }
        return Result<SendResult>.Accept(result);
    }

    /// <summary>POST /{PAGE-ID}/messages to <c>recipient.notification_messages_token</c>: a marketing message or a
    /// follow-up.</summary>
    public Result<SendResult> SendToToken(IStoreSession s, PageRecord page, SendCommand cmd, DateTimeOffset now)
    {
        if (cmd.Action is not null)
            return DomainError.Invalid(
                "sender_action",
                "Param sender_action cannot be sent to a notification_messages_token"
            );
        var tokenText = ((TokenRecipient)cmd.Recipient).Token;
        var token = s.GetToken(tokenText) is { } t && t.PageId == page.Id ? t : null;
        var conversation = token is null ? null : s.GetConversationByPsid(token.Psid);
        var textLength = cmd.Message is { Text: { } text } ? MarketingText.Length(text) : (int?)null;
        var decision = MarketingSendPolicy.Decide(
            new MarketingSendFacts(profile, token, conversation?.Blocked ?? false, PageZone(page), textLength),
            now
        );
        if (!decision.IsAccepted)
            return decision.Error;
        s.Apply(new SaveToken(decision.Value.Token));
        var result = messaging.Deliver(s, page, conversation!, cmd, decision.Value.MessageKind, now);
        return Result<SendResult>.Accept(result);
    }

    /// <summary>
    /// The person taps the call-to-action of an opt-in request (or a "Continue messages" prompt). A token is made per
    /// topic (under the 2023 rules per topic and frequency); tapping a topic the person already holds gives the same
    /// token back, active again. Every app subscribed to the Page gets <c>messaging_optins</c>. The window stays as it
    /// was.
    /// </summary>
    public Result<OptInResult> OptIn(
        IStoreSession s,
        string personId,
        string pageId,
        string mid,
        int element,
        DateTimeOffset now
    )
    {
        var found = WorldCommands.PersonAndPage(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var page = found.Value.Page;
        var conversation = s.GetConversation(pageId, personId);
        var offers = s.GetOptInRequest(mid);
        if (conversation is null || offers.Count == 0 || offers[0].Psid != conversation.Psid)
            return DomainError.NotFound($"Person {personId} received no opt-in request {mid} from page {pageId}");
        if (element < 0 || element >= offers.Count)
            return DomainError.InvalidRequest(
                $"Opt-in request {mid} has elements 0..{offers.Count - 1}; got {element}"
            );
        if (conversation.Blocked)
            return WorldCommands.BlockedByPerson();
        var offer = offers[element];

        if (offer.ReOptInToken is { } refreshing)
        {
            if (s.GetToken(refreshing) is not { } old || !TokenLifetime.CanRefresh(old, profile, now))
                return DomainError.Conflict(
                    "That token can no longer be continued (expired, stopped, or re-opt-in disabled)"
                );
            var refreshed = TokenLifetime.Refresh(old, now);
            s.Apply(new SaveToken(refreshed));
            Emit(s, page, refreshed, now, status: null);
            return new OptInResult(refreshed, false);
        }

        var frequency = profile == PolicyProfile.P2023 ? offer.Frequency : (TokenFrequency?)null;
        var existing = s.GetTokensOf(pageId, conversation.Psid)
            .FirstOrDefault(x =>
                x.Title == offer.Title && x.Frequency == frequency && !TokenLifetime.IsExpired(x, profile, now)
            );
        NotificationToken token;
        if (existing is not null)
        {
            // A tap is an opt-in: a fresh follow-up allowance from now, as for a new token.
            token = FollowUpRule.Open(existing with { Status = TokenStatus.Active, Payload = offer.Payload }, now);
        }
        else
        {
            var sent = new OptInOffer(offer.Title, offer.Payload, offer.ImageUrl, offer.Frequency, offer.ReOptIn);
            token = OptInTokens.Create(
                ids.NotificationToken(),
                pageId,
                conversation.Psid,
                personId,
                sent,
                offer.TimeZone ?? s.GetPerson(personId)!.TimeZone,
                profile,
                now
            );
        }
        s.Apply(new SaveToken(token));
        Emit(s, page, token, now, status: null);
        return new OptInResult(token, existing is null);
    }

    /// <summary>"Stop these messages" / "Resume these messages": one token, or all the Page's tokens of the
    /// person.</summary>
    public Result<IReadOnlyList<NotificationToken>> SetStopped(
        IStoreSession s,
        string personId,
        string pageId,
        string? tokenText,
        bool stop,
        DateTimeOffset now
    )
    {
        var found = WorldCommands.PageAndConversation(s, personId, pageId);
        if (!found.IsAccepted)
            return found.Error;
        var (page, conversation) = found.Value;
        var tokens = s.GetTokensOf(pageId, conversation.Psid);
        if (tokenText is not null)
        {
            tokens = [.. tokens.Where(t => t.Token == tokenText)];
            if (tokens.Count == 0)
                return DomainError.NotFound("token of this person and page", tokenText);
        }
        var changed = new List<NotificationToken>();
        foreach (var token in tokens)
        {
            var next = stop ? OptInTokens.Stop(token, now) : OptInTokens.Resume(token, now);
            if (ReferenceEquals(next, token))
                continue;
            s.Apply(new SaveToken(next));
            Emit(s, page, next, now, stop ? Stopped : Resumed);
            changed.Add(next);
        }
        return changed;
    }

    /// <summary>Block or unblock the Page; a change tells the subscribed apps through <see
    /// cref="OnBlockChanged"/>.</summary>
    public Result<Conversation> SetBlocked(
        IStoreSession s,
        WorldCommands world,
        string personId,
        string pageId,
        bool blocked,
        DateTimeOffset now
    )
    {
        var before = s.GetConversation(pageId, personId);
        var result = world.SetBlocked(s, personId, pageId, blocked, now);
        if (result.Value is { } conversation && (before?.Blocked ?? false) != blocked)
            OnBlockChanged(s, s.GetPage(pageId)!, conversation, blocked, now);
        return result;
    }

    /// <summary>
    /// Blocking the Page stops everything the person receives from it; the bot learns of it through
    /// <c>messaging_optins</c> STOP_NOTIFICATIONS for each active token (RESUME_NOTIFICATIONS on unblock).
    /// The tokens keep their own status, so a token the person stopped stays stopped after an unblock.
    /// </summary>
    public void OnBlockChanged(
        IStoreSession s,
        PageRecord page,
        Conversation conversation,
        bool blocked,
        DateTimeOffset now
    )
    {
        foreach (var token in s.GetTokensOf(page.Id, conversation.Psid))
        {
            if (token.Status != TokenStatus.Active || TokenLifetime.IsExpired(token, profile, now))
                continue;
            var touched = token with { Updated = now };
            s.Apply(new SaveToken(touched));
            Emit(s, page, touched, now, blocked ? Stopped : Resumed);
        }
    }

    /// <summary>POST /{PAGE-ID}/notification_messages_dev_support.</summary>
    public DomainError? DevSupport(
        IStoreSession s,
        PageRecord page,
        string tokenText,
        string action,
        DateTimeOffset now
    )
    {
        if (profile == PolicyProfile.Retired)
            return DomainError.Of(DomainErrorKind.MarketingRetired);
        if (s.GetToken(tokenText) is not { } token || token.PageId != page.Id)
            return DomainError.Of(DomainErrorKind.TokenInvalid);
        switch (action)
        {
            case "ENABLE_FOLLOWUP_MESSAGE":
                s.Apply(new SaveToken(FollowUpRule.Reopen(token, now)));
                return null;
            case "SEND_RE_OPTIN" when profile != PolicyProfile.P2023:
                return DomainError.Invalid(
                    "developer_action",
                    "Param developer_action SEND_RE_OPTIN is no longer supported: tokens do not expire (since "
                        + "2023-08-10)"
                );
            case "SEND_RE_OPTIN":
                if (!TokenLifetime.CanRefresh(token, profile, now))
                    return DomainError.Invalid(
                        "recipient[notification_messages_token]",
                        "Param recipient[notification_messages_token] cannot be re-opted in (expired, stopped, or "
                            + "notification_messages_reoptin DISABLED)"
                    );
                if (s.GetConversationByPsid(token.Psid) is not { } conversation)
                    return DomainError.Of(DomainErrorKind.TokenInvalid);
                // The platform's own "Continue messages" prompt: a message from the Page that the person can tap.
                var prompt = new SendCommand(
                    "platform",
                    page.Id,
                    new PsidRecipient(token.Psid),
                    new OutgoingMessage(reOptInPrompt(token)) { HasAttachment = true },
                    null,
                    null,
                    null,
                    null
                );
                var sent = messaging.Deliver(s, page, conversation, prompt, MessageKind.OptInRequest, now, echo: false);
                s.Apply(
                    new SaveOptInRequest(
                        new OptInRequestRecord(
                            sent.MessageId!,
                            0,
                            page.Id,
                            token.Psid,
                            token.Title,
                            token.Payload,
                            null,
                            token.Frequency ?? TokenFrequency.Daily,
                            token.ReOptIn,
                            token.TimeZone,
                            now,
                            token.Token
                        )
                    )
                );
                return null;
            default:
                return DomainError.Invalid(
                    "developer_action",
                    $"Param developer_action must be one of {{ENABLE_FOLLOWUP_MESSAGE, SEND_RE_OPTIN}} - got \""
                        + $"{action}\""
                );
        }
    }

    /// <summary>
    /// The <c>messaging_optins</c> event for a token, to every app subscribed to the Page.
    /// <c>notification_messages_frequency</c> only under the 2023 rules: Meta stopped returning it "in GET or webhooks"
    /// for tokens made after 2023-02-02.
    /// </summary>
    private void Emit(IStoreSession s, PageRecord page, NotificationToken token, DateTimeOffset now, string? status)
    {
        var frequency =
            profile == PolicyProfile.P2023 ? token.Frequency ?? TokenFrequency.Daily : (TokenFrequency?)null;
        WebhookFanout.Record(
            s,
            page,
            new OptInEvent(
                page.Id,
                token.Psid,
                now,
                OptInType,
                token.Payload,
                token.Token,
                token.Title,
                token.TimeZone,
                ReportedExpiry(token),
                token.UserTokenStatus,
                status,
                frequency
            )
        );
    }
}
