using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Campaigns;

/// <summary>
/// May a campaign carry a message now? Checks, in this order (first failure wins):
/// 1. unknown or deleted → InvalidMessageId (2300001);
/// 2. another ad account's → AdAccountMismatch (2300014);
/// 3. past its end time (exactly at the end counts as ended) → InactiveCampaign (2300000);
/// 4. before its start time → CampaignNotStarted (2300033), with the seconds left;
/// 5. within the warm-up after creation → CampaignNotReady (2300041), with the seconds left.
/// </summary>
public static class CampaignStateRule
{
    /// <summary>"All advertisers now observe the standard 1-hour warm-up period before sending" (changelog
    /// 2026-05-05).</summary>
    public static readonly TimeSpan WarmUp = TimeSpan.FromHours(1);

    public static DomainError? Check(MessageCampaignRecord? campaign, string adAccountId, DateTimeOffset now)
    {
        if (campaign is null || campaign.Deleted is not null)
            return PaidRefusal.Of(PaidMarketingReason.InvalidMessageId);
        if (campaign.AdAccountId != adAccountId)
            return PaidRefusal.Of(PaidMarketingReason.AdAccountMismatch);
        if (campaign.EndTime is { } end && now >= end)
            return PaidRefusal.Of(PaidMarketingReason.InactiveCampaign);
        if (now < campaign.StartTime)
            return PaidRefusal.Of(
                PaidMarketingReason.CampaignNotStarted,
                remainingSeconds: PaidRefusal.SecondsUntil(campaign.StartTime, now)
            );
        var ready = campaign.Created + WarmUp;
        return now < ready
            ? PaidRefusal.Of(
                PaidMarketingReason.CampaignNotReady,
                remainingSeconds: PaidRefusal.SecondsUntil(ready, now)
            )
            : null;
    }
}

/// <summary>
/// One message per subscription token per 12 hours (changelog 2025-08-11: "from 24 hours to 12 hours"), counted from
/// the last accepted send on the token through this API, whatever campaign or ad account carried it. Exactly 12 h later
/// is allowed. The legacy API's own cooldown is separate (the token list reports the two as next_eligible_time and
/// next_eligible_time_for_paid_messaging).
/// </summary>
public static class TokenCapRule
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromHours(12);

    public static DateTimeOffset? NextEligible(PaidMessageRecord? last) => last is null ? null : last.SentAt + Cooldown;

    public static DomainError? Check(PaidMessageRecord? last, DateTimeOffset now) =>
        NextEligible(last) is { } next && now < next ? PaidRefusal.Of(PaidMarketingReason.TooSoon) : null;
}

/// <summary>The permissions the API requires (App Review): ads_management, pages_messaging, and paid_marketing_messages
/// or marketing_messages_messenger.</summary>
public static class PermissionRule
{
    public const string AdsManagement = "ads_management";
    public const string PagesMessaging = "pages_messaging";
    public const string PaidMarketingMessages = "paid_marketing_messages";
    public const string MarketingMessagesMessenger = "marketing_messages_messenger";

    public static readonly IReadOnlyList<string> All = [AdsManagement, PagesMessaging, PaidMarketingMessages];

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        AdsManagement,
        PagesMessaging,
        PaidMarketingMessages,
        MarketingMessagesMessenger,
        "ads_read",
        "business_management",
    };

    /// <summary>The first permission missing for sending (all three) or creating campaigns (without
    /// pages_messaging).</summary>
    public static DomainError? Check(IReadOnlyList<string> granted, bool sending)
    {
        if (!granted.Contains(AdsManagement))
            return Required(AdsManagement);
        if (sending && !granted.Contains(PagesMessaging))
            return Required(PagesMessaging);
        if (!granted.Contains(PaidMarketingMessages) && !granted.Contains(MarketingMessagesMessenger))
            return Required(PaidMarketingMessages);
        return null;
    }

    private static DomainError Required(string permission) => new(DomainErrorKind.PermissionRequired, permission);
}

/// <summary>
/// Where the API works (its "Before you start"): businesses (the ad account) in 20 countries, recipients anywhere but
/// the EU, Japan, South Korea, Australia and the United Kingdom. A person's country is the region of their locale
/// (en_GB → GB); a locale without a region is not refused.
/// </summary>
public static class RegionRule
{
    public static readonly IReadOnlySet<string> BusinessCountries = new HashSet<string>(StringComparer.Ordinal)
    {
        "AU",
        "BR",
        "CL",
        "CO",
        "HK",
        "IN",
        "ID",
        "IL",
        "MY",
        "MX",
        "NZ",
        "PE",
        "PH",
        "SA",
        "SG",
        "TW",
        "TH",
        "AE",
        "US",
        "VN",
    };

    public static readonly IReadOnlySet<string> ExcludedRecipientCountries = new HashSet<string>(StringComparer.Ordinal)
    {
        // The European Union's 27 members.
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "JP",
        "KR",
        "AU",
        "GB",
    };

    public static string? CountryOfLocale(string locale)
    {
        var cut = locale.IndexOfAny(['_', '-']);
        return cut > 0 && cut < locale.Length - 1 ? locale[(cut + 1)..].ToUpperInvariant() : null;
    }

    public static DomainError? CheckBusiness(AdAccountRecord account) =>
        BusinessCountries.Contains(account.Country) ? null : PaidRefusal.Of(PaidMarketingReason.AdAccountRegion);

    public static DomainError? CheckRecipient(string locale) =>
        CountryOfLocale(locale) is { } country && ExcludedRecipientCountries.Contains(country)
            ? PaidRefusal.Of(PaidMarketingReason.SubscriberRegion)
            : null;
}
