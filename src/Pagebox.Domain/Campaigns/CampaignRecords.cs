namespace Pagebox.Domain.Campaigns;

/// <summary>
/// An ad account of the Marketing Messages API for Messenger: the business's wallet, linked to one Page of an app.
/// Amounts are in the currency's smallest unit (cents for USD), as Meta's budgets are.
/// </summary>
/// <param name="Id">The numeric account id; the Graph path uses <c>act_</c> + this.</param>
/// <param name="AppId">The app whose Page token reaches the account (the tech provider).</param>
/// <param name="PageId">The linked Page: campaigns send from it.</param>
/// <param name="BusinessId">The end business's id, as webhooks report it.</param>
/// <param name="Country">ISO 3166 alpha-2 country of the business (the region rules).</param>
/// <param name="TimeZone">IANA time zone: days and weeks of daily budgets and insights.</param>
/// <param name="BalanceCents">Prepaid balance; null for a postpaid account (no balance limit).</param>
/// <param name="SpendCapCents">The account's total spending limit; null for none.</param>
/// <param name="PricePerMessageCents">What one delivered message costs.</param>
/// <param name="Permissions">The permissions the app was granted (ads_management, pages_messaging,
/// paid_marketing_messages).</param>
/// <param name="Currency">ISO 4217 currency of the account's amounts.</param>
/// <param name="Created">When the account was made, on the app's clock.</param>
public sealed record AdAccountRecord(
    string Id,
    string AppId,
    string PageId,
    string BusinessId,
    string Currency,
    string Country,
    string TimeZone,
    long? BalanceCents,
    long? SpendCapCents,
    long PricePerMessageCents,
    IReadOnlyList<string> Permissions,
    DateTimeOffset Created
)
{
    public const string Prefix = "act_";

    public string ActId => Prefix + Id;
}

/// <summary>
/// A marketing messages campaign (<c>POST /act_{id}/message_campaign</c>). Meta creates a campaign, an ad set and a
/// message (an ad) in one call and answers the message's id, which sends name as <c>message_id</c>; Pagebox keeps the
/// three ids so the ads listing looks the same.
/// </summary>
/// <param name="Id">The message (ad) id: what the create call answers and sends name.</param>
/// <param name="EstimatedDailyCap">Set when the campaign was created without a budget: Meta's estimated daily
/// cap.</param>
/// <param name="EndTime">Null: runs until deleted (daily budgets).</param>
/// <param name="CampaignGroupId">The campaign's own id (Meta's campaign group).</param>
/// <param name="AdSetId">The ad set made with the campaign.</param>
/// <param name="AdAccountId">The ad account that pays for it.</param>
/// <param name="PageId">The Page it sends from (the account's linked Page).</param>
/// <param name="Name">The campaign's name.</param>
/// <param name="DailyBudget">Daily budget in the currency's smallest unit; null for none.</param>
/// <param name="LifetimeBudget">Lifetime budget in the currency's smallest unit; null for none.</param>
/// <param name="BidAmount">The bid per message; null for Meta's automatic bidding.</param>
/// <param name="PixelId">The conversion pixel named at creation; null for none.</param>
/// <param name="StartTime">When the campaign starts sending.</param>
/// <param name="Created">When the campaign was made, on the app's clock.</param>
/// <param name="Deleted">When the campaign was deleted; null while it lives.</param>
public sealed record MessageCampaignRecord(
    string Id,
    string CampaignGroupId,
    string AdSetId,
    string AdAccountId,
    string PageId,
    string Name,
    long? DailyBudget,
    long? LifetimeBudget,
    long? EstimatedDailyCap,
    long? BidAmount,
    string? PixelId,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    DateTimeOffset Created,
    DateTimeOffset? Deleted
);

/// <summary>What happened to an accepted send. Stored: the numbers never change.</summary>
public enum PaidMessageStatus
{
    Delivered = 1,
    Failed = 2,
}

/// <summary>One accepted <c>POST /act_{id}/messages</c>: delivered (and charged), or failed after acceptance.</summary>
/// <param name="TrackingId">The <c>marketing_message_tracking_id</c> (a UUID).</param>
/// <param name="Mid">The conversation message; null when the delivery failed.</param>
/// <param name="ChargedCents">What the delivery cost the campaign and the account; 0 when it failed.</param>
/// <param name="Error">Why the delivery failed.</param>
/// <param name="CampaignId">The campaign's message id the send named.</param>
/// <param name="AdAccountId">The ad account charged.</param>
/// <param name="PageId">The Page that sent it.</param>
/// <param name="Token">The <c>notification_messages_token</c> it was sent on.</param>
/// <param name="Psid">The recipient's page-scoped id.</param>
/// <param name="PersonId">The recipient person.</param>
/// <param name="SentAt">When the send was accepted, on the app's clock.</param>
/// <param name="Status">Delivered, or failed after acceptance.</param>
/// <param name="ReadAt">When the person read it; null while unread.</param>
/// <param name="Clicks">How many times the person tapped a link in it.</param>
public sealed record PaidMessageRecord(
    string TrackingId,
    string CampaignId,
    string AdAccountId,
    string PageId,
    string Token,
    string Psid,
    string PersonId,
    string? Mid,
    DateTimeOffset SentAt,
    PaidMessageStatus Status,
    long ChargedCents,
    DateTimeOffset? ReadAt,
    int Clicks,
    string? Error
);

/// <summary>A moment the person was active in a conversation thread: a Page's (by Page id) or a friend's.</summary>
public sealed record OrganicActivity(string Thread, DateTimeOffset At);

/// <summary>Counts over a period: what insights report.</summary>
public sealed record PaidStats(
    long Sent,
    long Delivered,
    long Read,
    long Clicks,
    long SpendCents,
    DateTimeOffset? FirstSend
);

/// <summary>A Marketing Messages custom audience (<c>POST /act_{id}/customaudiences</c>).</summary>
public sealed record CustomAudienceRecord(
    string Id,
    string AdAccountId,
    string PageId,
    string Name,
    string? Description,
    DateTimeOffset Created
);
