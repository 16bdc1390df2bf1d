using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Campaigns;

/// <summary>Everything a send on <c>POST /act_{id}/messages</c> is decided on, read by <see
/// cref="CampaignCommands.Send"/>.</summary>
/// <param name="Token">The subscription token, or null when unknown.</param>
/// <param name="LastOnToken">The last accepted send on the token through this API.</param>
/// <param name="LastOrganicInThread">The last organic message (either side) of the token's conversation, for
/// min_conversation_gap_seconds.</param>
/// <param name="Budget">Null while the campaign is not usable (the campaign checks refuse first).</param>
/// <param name="Account">The ad account of the path.</param>
/// <param name="Page">The account's linked Page, which sends.</param>
/// <param name="Creative">The facts of the message's creative.</param>
/// <param name="Campaign">The campaign named by <c>message_id</c>; null when unknown.</param>
/// <param name="Profile">The marketing policy profile in force.</param>
/// <param name="Person">The token's person; null when the token is unknown.</param>
/// <param name="Conversation">The token's conversation; null when the token is unknown.</param>
/// <param name="MinConversationGapSeconds"><c>min_conversation_gap_seconds</c>; null when not given.</param>
/// <param name="ThreadRatio">The person's paid and organic activity, for the thread-ratio limit.</param>
public sealed record PaidSendFacts(
    AdAccountRecord Account,
    PageRecord Page,
    PaidCreative Creative,
    MessageCampaignRecord? Campaign,
    NotificationToken? Token,
    PolicyProfile Profile,
    PersonRecord? Person,
    Conversation? Conversation,
    PaidMessageRecord? LastOnToken,
    DateTimeOffset? LastOrganicInThread,
    int? MinConversationGapSeconds,
    ThreadRatioFacts ThreadRatio,
    BudgetFacts? Budget
);

/// <summary>
/// Decides a send of the Marketing Messages API for Messenger. Checks, in this order (first failure wins):
/// 1. the app's permissions (<see cref="PermissionRule"/>) → (#200);
/// 2. the Page's switches (messaging off 10904, no pages_messaging 200, restricted 368);
/// 3. the creative (<see cref="PaidCreativeRule"/>: 2300021–27, 2300038, 2300046–48);
/// 4. the business's region → 2300030;
/// 5. the campaign (<see cref="CampaignStateRule"/>: 2300001, 2300014, 2300000, 2300033, warm-up 2300041);
/// 6. the token: unknown → 2300004; another Page's → 2300005; expired (2023 rules) → 2300037; stopped by the person →
///    2300034; the person's region → 2300032; the person blocked the Page → 2300052;
/// 7. 12 hours per token (<see cref="TokenCapRule"/>) → 2300035;
/// 8. min_conversation_gap_seconds: organic activity in the thread less than that long ago → 2300052;
/// 9. the F-caps (<see cref="ThreadRatioRule"/>) → 2300042, 2300043, 2300044;
/// 10. budget, pacing and account limits (<see cref="BudgetRule"/>) → 2300016, 2300053–56, 2300058.
/// </summary>
public static class PaidSendPolicy
{
    public static DomainError? Decide(PaidSendFacts f, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (PermissionRule.Check(f.Account.Permissions, sending: true) is { } permission)
            return permission;
        if (SendPolicy.CheckPage(f.Page.Settings) is { } page)
            return page;
        if (PaidCreativeRule.Check(f.Creative, f.Page.Id) is { } creative)
            return creative;
        if (RegionRule.CheckBusiness(f.Account) is { } region)
            return region;
        if (CampaignStateRule.Check(f.Campaign, f.Account.Id, now) is { } campaign)
            return campaign;

        if (f.Token is not { } token)
            return PaidRefusal.Of(PaidMarketingReason.InvalidSubscriptionToken);
        if (token.PageId != f.Campaign!.PageId)
            return PaidRefusal.Of(PaidMarketingReason.PageIdMismatch);
        if (TokenLifetime.IsExpired(token, f.Profile, now))
            return PaidRefusal.Of(PaidMarketingReason.TokenExpired);
        if (token.Status == TokenStatus.Stopped)
            return PaidRefusal.Of(PaidMarketingReason.SubscriberStopped);
        if (f.Person is not { } person || f.Conversation is not { } conversation)
            return PaidRefusal.Of(PaidMarketingReason.InvalidSubscriptionToken);
        if (RegionRule.CheckRecipient(person.Locale) is { } recipientRegion)
            return recipientRegion;
        if (conversation.Blocked)
            return PaidRefusal.Of(PaidMarketingReason.RecipientUnavailable);

        if (TokenCapRule.Check(f.LastOnToken, now) is { } tooSoon)
            return tooSoon;
        if (
            f.MinConversationGapSeconds is { } gap
            && f.LastOrganicInThread is { } last
            && now - last < TimeSpan.FromSeconds(gap)
        )
            return PaidRefusal.Of(PaidMarketingReason.RecipientUnavailable);
        if (ThreadRatioRule.Check(f.ThreadRatio, now) is { } cap)
            return cap;
        return f.Budget is { } budget ? BudgetRule.Check(budget, now) : null;
    }
}
