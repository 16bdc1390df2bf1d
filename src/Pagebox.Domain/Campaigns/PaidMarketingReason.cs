namespace Pagebox.Domain.Campaigns;

/// <summary>
/// Why the Marketing Messages API for Messenger refused a send (its API-reference error table). Only
/// Server/Errors/GraphErrors.cs knows the numbers and messages on the wire.
/// </summary>
public enum PaidMarketingReason
{
    InactiveCampaign = 1,
    InvalidMessageId = 2,
    InvalidSubscriptionToken = 3,
    PageIdMismatch = 4,
    AdAccountMismatch = 5,
    BidTooLow = 6,
    VideoWithoutVideoId = 7,
    ImageWithoutImageUrl = 8,
    InvalidButtonType = 9,
    EmptyButtonUrl = 10,
    EmptyButtonTitle = 11,
    TooManyButtons = 12,
    AttachmentOfAnotherPage = 13,
    AdAccountRegion = 14,
    SubscriberRegion = 15,
    CampaignNotStarted = 16,
    SubscriberStopped = 17,
    TooSoon = 18,
    TokenExpired = 19,
    UnresolvedPlaceholder = 20,
    CampaignNotReady = 21,
    WeeklyCap = 22,
    DailyCap = 23,
    MinOrganicThreads = 24,
    ImageUrlsInCarousel = 25,
    SingleAndMultipleImages = 26,
    MultipleHeroImages = 27,
    RecipientUnavailable = 28,
    LifetimeBudgetReached = 29,
    DailyBudgetReached = 30,
    PacingLimit = 31,
    AccountSpendLimit = 32,
    PrepaidBalanceDepleted = 33,
    PageIdRequired = 34,
}

/// <summary>Builds the refusals.</summary>
public static class PaidRefusal
{
    public static Errors.DomainError Of(
        PaidMarketingReason reason,
        string? detail = null,
        long? remainingSeconds = null
    ) =>
        new(Errors.DomainErrorKind.PaidMarketing, null, detail)
        {
            PaidReason = reason,
            RemainingSeconds = remainingSeconds,
        };

    /// <summary>Whole seconds until <paramref name="until"/>, rounded up: retrying after that many seconds
    /// succeeds.</summary>
    public static long SecondsUntil(DateTimeOffset until, DateTimeOffset now) =>
        until <= now ? 0 : (long)Math.Ceiling((until - now).TotalSeconds);
}
