using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Domain.World;

namespace Pagebox.Domain.Campaigns;

/// <summary>The world face's <c>POST /_pagebox/apps/{app}/ad_accounts</c> (validated for shape by the
/// Server).</summary>
public sealed record AdAccountRequest(
    string? PageId,
    string Currency,
    long? BalanceCents,
    long? SpendCapCents,
    long PricePerMessageCents,
    string Country,
    string? TimeZone,
    IReadOnlyList<string> Permissions
);

/// <summary>The world face's <c>PATCH /_pagebox/ad_accounts/{id}</c>; null leaves a value as it is.</summary>
/// <param name="AddBalanceCents">Funds added to the prepaid balance (a top-up).</param>
/// <param name="BalanceCents">The prepaid balance, set outright.</param>
/// <param name="SpendCapCents">The account's total spending limit.</param>
/// <param name="PricePerMessageCents">What one delivered message costs.</param>
/// <param name="Country">ISO 3166 alpha-2 country of the business.</param>
/// <param name="Permissions">The permissions the app is granted, replacing the list.</param>
public sealed record AdAccountPatch(
    long? BalanceCents,
    long? AddBalanceCents,
    long? SpendCapCents,
    long? PricePerMessageCents,
    string? Country,
    IReadOnlyList<string>? Permissions
);

/// <summary>A send on <c>POST /act_{id}/messages</c>.</summary>
/// <param name="Render">The message object as JSON for a recipient's full name: the personalization macros filled
/// in.</param>
/// <param name="AppId">The app whose Page token made the call.</param>
/// <param name="AdAccountId">The ad account of the path (<c>act_{id}</c>).</param>
/// <param name="CampaignId">The campaign's message id the send names (<c>message_id</c>).</param>
/// <param name="Token">The recipient's <c>notification_messages_token</c>.</param>
/// <param name="Creative">The facts of the message's creative that the API judges.</param>
/// <param name="MinConversationGapSeconds"><c>min_conversation_gap_seconds</c>; null when not given.</param>
public sealed record PaidSendCommand(
    string AppId,
    string AdAccountId,
    string CampaignId,
    string Token,
    PaidCreative Creative,
    Func<string, string> Render,
    int? MinConversationGapSeconds
);

/// <summary>What the custom audience upload matched.</summary>
public sealed record AudienceUploadResult(string AudienceId, string SessionId, int Received, int Invalid, int Matched);

/// <summary>
/// The Marketing Messages API for Messenger as store commands: ad accounts, campaigns, sends with their limits and
/// billing, and what the person does with the messages (reads, clicks). The rules are the pure classes beside this one;
/// this class reads their facts and applies what they decide, with the webhook events, in one transaction.
/// The subscription tokens are the legacy product's notification message tokens (Marketing), so a person's stop or
/// block reaches both APIs.
/// </summary>
public sealed class CampaignCommands(IdGenerator ids, PolicyProfile profile, PaidWebhookEnvelope envelope)
{
    public PaidWebhookEnvelope Envelope => envelope;

    // :: Ad accounts (world face)

    public Result<AdAccountRecord> CreateAdAccount(
        IStoreSession s,
        string appId,
        AdAccountRequest r,
        DateTimeOffset now
    )
    {
        if (s.GetApp(appId) is null)
            return DomainError.NotFound("app", appId);
        if (r.PageId is not { } pageId)
            return DomainError.InvalidRequest("page_id is required");
        if (s.GetPage(pageId) is not { } page)
            return DomainError.NotFound("page", pageId);
        if (s.GetPageTokenFor(pageId, appId) is null)
            return DomainError.InvalidRequest($"App {appId} has no access to page {pageId} (link it first)");
        var account = new AdAccountRecord(
            ids.PageId(),
            appId,
            pageId,
            ids.PersonId(),
            r.Currency,
            r.Country,
            r.TimeZone ?? page.TimeZone,
            r.BalanceCents,
            r.SpendCapCents,
            r.PricePerMessageCents,
            r.Permissions,
            now
        );
        s.Apply(new SaveAdAccount(account));
        return account;
    }

    public static Result<AdAccountRecord> PatchAdAccount(IStoreSession s, string adAccountId, AdAccountPatch p)
    {
        if (s.GetAdAccount(adAccountId) is not { } a)
            return DomainError.NotFound("ad account", adAccountId);
        var balance = p.BalanceCents ?? a.BalanceCents;
        if (p.AddBalanceCents is { } add)
            balance = (balance ?? 0) + add;
        var next = a with
        {
            BalanceCents = balance,
            SpendCapCents = p.SpendCapCents ?? a.SpendCapCents,
            PricePerMessageCents = p.PricePerMessageCents ?? a.PricePerMessageCents,
            Country = p.Country ?? a.Country,
            Permissions = p.Permissions ?? a.Permissions,
        };
        s.Apply(new SaveAdAccount(next));
        return next;
    }

    /// <summary>The account the caller's app may use: the same app, else Graph's "does not exist" (100/33).</summary>
    public static Result<AdAccountRecord> AccountOf(IStoreReader s, string appId, string adAccountId, string verb) =>
        s.GetAdAccount(adAccountId) is { } a && a.AppId == appId
            ? Result<AdAccountRecord>.Accept(a)
            : DomainError.Unsupported(verb, AdAccountRecord.Prefix + adAccountId);

    /// <summary>The account the caller's app may use (<see cref="AccountOf"/>) when it may also manage campaigns and
    /// audiences on it (<see cref="PermissionRule"/>, not sending).</summary>
    private static Result<AdAccountRecord> ManagedAccountOf(IStoreReader s, string appId, string adAccountId)
    {
        var found = AccountOf(s, appId, adAccountId, "post");
        return found.IsAccepted && PermissionRule.Check(found.Value.Permissions, sending: false) is { } permission
            ? permission
            : found;
    }

    // :: Campaigns

    public Result<MessageCampaignRecord> CreateCampaign(
        IStoreSession s,
        string appId,
        string adAccountId,
        CampaignRequest request,
        DateTimeOffset now
    )
    {
        var found = ManagedAccountOf(s, appId, adAccountId);
        if (!found.IsAccepted)
            return found.Error;
        var account = found.Value;
        if (RegionRule.CheckBusiness(account) is { } region)
            return region;
        var valid = CampaignRequestRule.Check(request, account, now);
        if (!valid.IsAccepted)
            return valid.Error;
        var v = valid.Value;
        long? cap =
            v.DailyBudget is null && v.LifetimeBudget is null
                ? CampaignRequestRule.EstimatedDailyCap(
                    s.ListTokens(v.PageId, null, MaxAudience).Count,
                    account.PricePerMessageCents
                )
                : null;
        var campaign = new MessageCampaignRecord(
            AdObjectId(),
            AdObjectId(),
            AdObjectId(),
            account.Id,
            v.PageId,
            v.Name,
            v.DailyBudget,
            v.LifetimeBudget,
            cap,
            v.BidAmount,
            v.PixelId,
            v.Start,
            v.End,
            now,
            null
        );
        s.Apply(new SaveMessageCampaign(campaign));
        return Result<MessageCampaignRecord>.Accept(campaign);
    }

    /// <summary>The campaign the caller's app may see (its ad account's), deleted or not; else 100/33.</summary>
    public static Result<MessageCampaignRecord> CampaignOf(IStoreReader s, string appId, string campaignId, string verb)
    {
        if (s.GetMessageCampaign(campaignId) is { } c && s.GetAdAccount(c.AdAccountId) is { } a && a.AppId == appId)
            return Result<MessageCampaignRecord>.Accept(c);
        return DomainError.Unsupported(verb, campaignId);
    }

    /// <summary>DELETE /{MESSAGE_CAMPAIGN_ID}: "this action cannot be undone"; a second delete finds nothing.</summary>
    public static DomainError? DeleteCampaign(IStoreSession s, string appId, string campaignId, DateTimeOffset now)
    {
        var found = CampaignOf(s, appId, campaignId, "delete");
        if (!found.IsAccepted || found.Value.Deleted is not null)
            return DomainError.Unsupported("delete", campaignId);
        s.Apply(new SaveMessageCampaign(found.Value with { Deleted = now }));
        return null;
    }

    // :: Sending

    /// <summary>
    /// POST /act_{id}/messages. An accepted send answers a tracking id. The person's device is always online in
    /// Pagebox, so the message is delivered at once (echo and delivery webhooks, the charge) unless the person was made
    /// undeliverable on the world face: then nothing is charged and marketing_message_delivery_failed follows.
    /// </summary>
    public Result<string> Send(IStoreSession s, PaidSendCommand cmd, DateTimeOffset now)
    {
        var found = AccountOf(s, cmd.AppId, cmd.AdAccountId, "post");
        if (!found.IsAccepted)
            return found.Error;
        var account = found.Value;
        if (s.GetPage(account.PageId) is not { } page)
            return DomainError.Unsupported("post", account.ActId);
        if (cmd.Creative.AttachmentId is { } attachmentId)
        {
            // A saved attachment must exist and be younger than 90 days; whose it is, the creative rule says (2300027).
            var attachment = s.GetAttachment(attachmentId);
            if (
                attachment is null
                || Attachments.AttachmentReuseRule.Check(
                    attachment,
                    attachment.PageId,
                    cmd.Creative.AttachmentParameter ?? "attachment_id",
                    now
                )
                    is not null
            )
                return new DomainError(DomainErrorKind.InvalidAttachmentId, cmd.Creative.AttachmentParameter);
            cmd = cmd with { Creative = cmd.Creative with { AttachmentPageId = attachment.PageId } };
        }
        var facts = Facts(s, account, page, cmd, now);
        if (PaidSendPolicy.Decide(facts, now) is { } refused)
            return refused;

        var token = facts.Token!;
        var person = facts.Person!;
        var campaign = facts.Campaign!;
        var trackingId = TrackingId();
        SavePaidMessage Paid(string? mid, PaidMessageStatus status, long charged, string? error) =>
            new(
                new PaidMessageRecord(
                    trackingId,
                    campaign.Id,
                    account.Id,
                    page.Id,
                    token.Token,
                    token.Psid,
                    person.Id,
                    mid,
                    now,
                    status,
                    charged,
                    null,
                    0,
                    error
                )
            );
        if (s.GetUndeliverableReason(person.Id) is { } reason)
        {
            s.Apply(Paid(null, PaidMessageStatus.Failed, 0, reason));
            WebhookFanout.Record(
                s,
                page,
                new PaidDeliveryFailedEvent(
                    page.Id,
                    now,
                    envelope,
                    account.AppId,
                    account.BusinessId,
                    token.Token,
                    reason,
                    campaign.Id
                )
            );
            return Result<string>.Accept(trackingId);
        }

        var mid = ids.Mid();
        var price = account.PricePerMessageCents;
        s.Apply(
            new SaveMessage(
                new StoredMessage(
                    mid,
                    page.Id,
                    token.Psid,
                    MessageDirection.FromPage,
                    MessageKind.PaidMarketing,
                    now,
                    cmd.Render(person.Name),
                    cmd.AppId
                )
            )
        );
        var delivered = Paid(mid, PaidMessageStatus.Delivered, price, null);
        s.Apply(delivered);
        if (account.BalanceCents is { } balance)
            s.Apply(new SaveAdAccount(account with { BalanceCents = balance - price }));
        WebhookFanout.Record(
            s,
            page,
            PaidEvent(delivered.Message, PaidMessageEventKind.Echo, account.AppId, now),
            PaidEvent(delivered.Message, PaidMessageEventKind.Delivery, account.AppId, now)
        );
        return Result<string>.Accept(trackingId);
    }

    /// <summary>marketing_message_echoes / _deliveries / _reads / _clicks of one delivered paid message, for
    /// <paramref name="appId"/> (the app of its ad account).</summary>
    private PaidMessageEvent PaidEvent(
        PaidMessageRecord m,
        PaidMessageEventKind kind,
        string appId,
        DateTimeOffset now
    ) => new(m.PageId, now, envelope, kind, appId, m.Psid, m.Mid!, m.TrackingId, m.Token, m.CampaignId);

    private PaidSendFacts Facts(
        IStoreSession s,
        AdAccountRecord account,
        PageRecord page,
        PaidSendCommand cmd,
        DateTimeOffset now
    )
    {
        var campaign = s.GetMessageCampaign(cmd.CampaignId);
        var token = s.GetToken(cmd.Token);
        var person = token is null ? null : s.GetPerson(token.PersonId);
        var conversation = token is null ? null : s.GetConversationByPsid(token.Psid);
        var weekAgo = now - ThreadRatioRule.Week;
        var ratio = person is null
            ? new ThreadRatioFacts([], [], null)
            : new ThreadRatioFacts(
                [
                    .. s.GetPaidMessagesToPerson(person.Id, weekAgo)
                        .Where(m => m.Status == PaidMessageStatus.Delivered)
                        .Select(m => m.SentAt),
                ],
                s.GetOrganicActivity(person.Id, weekAgo),
                s.GetLastOrganicActivity(person.Id)
            );
        BudgetFacts? budget = null;
        if (campaign is not null && campaign.AdAccountId == account.Id)
        {
            var zone = LocalCalendar.Zone(account.TimeZone);
            budget = new BudgetFacts(
                campaign,
                account,
                s.GetPaidSpend(account.Id, campaign.Id, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
                s.GetPaidSpend(account.Id, campaign.Id, LocalCalendar.DayStart(now, zone), DateTimeOffset.MaxValue),
                s.GetPaidSpend(account.Id, campaign.Id, LocalCalendar.WeekStart(now, zone), DateTimeOffset.MaxValue),
                s.GetPaidSpend(account.Id, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
                LocalCalendar.NextDayStart(now, zone),
                LocalCalendar.NextWeekStart(now, zone)
            );
        }
        return new PaidSendFacts(
            account,
            page,
            cmd.Creative,
            campaign,
            token,
            profile,
            person,
            conversation,
            token is null ? null : s.GetLastPaidMessageOnToken(token.Token),
            token is null ? null : s.GetLastOrganicMessage(page.Id, token.Psid),
            cmd.MinConversationGapSeconds,
            ratio,
            budget
        );
    }

    // :: The person's side

    /// <summary>The person read the conversation: every delivered paid message not read yet gets
    /// marketing_message_reads.</summary>
    public void OnRead(IStoreSession s, string pageId, string personId, DateTimeOffset now)
    {
        if (s.GetPage(pageId) is not { } page || s.GetConversation(pageId, personId) is not { } conversation)
            return;
        foreach (var m in s.GetUnreadPaidMessages(pageId, conversation.Psid))
        {
            s.Apply(new SavePaidMessage(m with { ReadAt = now }));
            var appId = s.GetAdAccount(m.AdAccountId)?.AppId ?? "";
            WebhookFanout.Record(s, page, PaidEvent(m, PaidMessageEventKind.Read, appId, now));
        }
    }

    /// <summary>The person tapped a link (a web_url button or the card's default action) in a message; true when it was
    /// a paid one.</summary>
    public Result<bool> Click(IStoreSession s, string personId, string pageId, string mid, DateTimeOffset now)
    {
        var found = WorldCommands.PersonAndPage(s, personId, pageId, mid);
        if (!found.IsAccepted)
            return found.Error;
        var page = found.Value.Page;
        if (s.GetPaidMessageByMid(mid) is not { } m)
            return false;
        s.Apply(new SavePaidMessage(m with { Clicks = m.Clicks + 1 }));
        var appId = s.GetAdAccount(m.AdAccountId)?.AppId ?? "";
        WebhookFanout.Record(s, page, PaidEvent(m, PaidMessageEventKind.Click, appId, now));
        return true;
    }

    /// <summary>The person chats with friends: <paramref name="threads"/> organic threads active now (the F-caps count
    /// them).</summary>
    public Result<int> FriendChats(IStoreSession s, string personId, int threads, DateTimeOffset now)
    {
        if (s.GetPerson(personId) is null)
            return DomainError.NotFound("person", personId);
        for (var i = 0; i < threads; i++)
            s.Apply(new RecordFriendChat(personId, "friend:" + ids.PersonId(), now));
        return threads;
    }

    public static Result<string?> SetDeliverable(IStoreSession s, string personId, string? failureReason)
    {
        if (s.GetPerson(personId) is null)
            return DomainError.NotFound("person", personId);
        s.Apply(new SetUndeliverable(personId, failureReason));
        return failureReason;
    }

    // :: Custom audiences

    public Result<CustomAudienceRecord> CreateAudience(
        IStoreSession s,
        string appId,
        string adAccountId,
        string name,
        string? description,
        string pageId,
        DateTimeOffset now
    )
    {
        var found = ManagedAccountOf(s, appId, adAccountId);
        if (!found.IsAccepted)
            return found.Error;
        var account = found.Value;
        if (pageId != account.PageId)
            return DomainError.Invalid(
                "marketing_message_channels",
                $"Param marketing_message_channels[MESSENGER] must be the Page linked to ad account {account.ActId} ("
                    + $"{account.PageId})"
            );
        var audience = new CustomAudienceRecord(AdObjectId(), account.Id, pageId, name, description, now);
        s.Apply(new SaveCustomAudience(audience));
        return Result<CustomAudienceRecord>.Accept(audience);
    }

    /// <summary>
    /// POST /{CUSTOM_AUDIENCE_ID}/users: rows of SHA-256 hex identifiers. Matching a row to a person needs their
    /// identifiers on the world face; each completed batch sends marketing_messages_subscriber_upload_status.
    /// </summary>
    public Result<AudienceUploadResult> UploadAudience(
        IStoreSession s,
        string appId,
        string audienceId,
        IReadOnlyList<IReadOnlyList<string>> rows,
        int invalid,
        DateTimeOffset now
    )
    {
        if (
            s.GetCustomAudience(audienceId) is not { } audience
            || AccountOf(s, appId, audience.AdAccountId, "post") is not { IsAccepted: true } found
        )
            return DomainError.Unsupported("post", audienceId);
        var account = found.Value;
        var known = s.GetPersonIdentifiers();
        var matched = known.Count(p => rows.Any(row => row.Any(h => h == p.EmailSha256 || h == p.PhoneSha256)));
        var result = new AudienceUploadResult(
            audience.Id,
            ids.NotificationToken(),
            rows.Count + invalid,
            invalid,
            matched
        );
        if (s.GetPage(audience.PageId) is { } page)
            WebhookFanout.Record(
                s,
                page,
                new SubscriberUploadStatusEvent(
                    page.Id,
                    now,
                    envelope,
                    account.AppId,
                    audience.Id,
                    account.Id,
                    account.BusinessId,
                    rows.Count + invalid,
                    matched,
                    matched,
                    "SUCCESS"
                )
            );
        return Result<AudienceUploadResult>.Accept(result);
    }

    public static Result<bool> SetIdentifiers(
        IStoreSession s,
        string personId,
        string? emailSha256,
        string? phoneSha256
    )
    {
        if (s.GetPerson(personId) is null)
            return DomainError.NotFound("person", personId);
        s.Apply(new SavePersonIdentifiers(personId, emailSha256, phoneSha256));
        return true;
    }

    // :: Ids

    /// <summary>How many tokens an audience count reads at most.</summary>
    public const int MaxAudience = 100_000;

    /// <summary>Meta's ad objects have 18-digit ids starting 120.</summary>
    private string AdObjectId() => "120" + ids.PersonId();

    /// <summary>A UUID (version 4 form) from the id generator, so a seeded run repeats it.</summary>
    private string TrackingId()
    {
        var hex = ids.AppSecret().ToCharArray();
        hex[12] = '4';
        hex[16] = "89ab"[hex[16] % 4];
        var h = new string(hex);
        return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..32]}";
    }
}
