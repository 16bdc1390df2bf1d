using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Campaigns;

/// <summary>What <c>POST /act_{id}/message_campaign</c> asks for (types already checked by the Server).</summary>
public sealed record CampaignRequest(
    string? Name,
    string? PageId,
    long? DailyBudget,
    long? LifetimeBudget,
    long? BidAmount,
    string? PixelId,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime
);

/// <summary>A campaign request that passed: the times resolved.</summary>
public sealed record ValidCampaign(
    string Name,
    string PageId,
    long? DailyBudget,
    long? LifetimeBudget,
    long? BidAmount,
    string? PixelId,
    DateTimeOffset Start,
    DateTimeOffset? End
);

/// <summary>
/// Checks a campaign request, in this order: page_id present (2300065) and the ad account's Page (100); name present
/// and at most 400 characters; at most one of daily_budget and lifetime_budget, each greater than 0 and at least the
/// minimum (<see cref="MinDailyBudget"/> per day: a lifetime budget at least that times the flight's days, rounded up);
/// bid_amount greater than 0; start_time now or later (a minute of clock skew is forgiven and the time becomes now)
/// and within 30 days; end_time after start_time. Defaults: start now; a lifetime budget ends 30 days after its start,
/// a daily budget runs until deleted (changelog 2026-04-10).
/// </summary>
public static class CampaignRequestRule
{
    /// <summary>Meta: <c>min_daily_budget_imp</c> "for USD is 100 cents"; Pagebox uses 100 of the smallest unit for
    /// every currency.</summary>
    public const long MinDailyBudget = 100;

    public const int MaxNameLength = 400;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxStartAhead = TimeSpan.FromDays(30);
    public static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public static Result<ValidCampaign> Check(CampaignRequest r, AdAccountRecord account, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(account);
        if (string.IsNullOrEmpty(r.PageId))
            return new DomainError(DomainErrorKind.PaidMarketing, "page_id")
            {
                PaidReason = PaidMarketingReason.PageIdRequired,
            };
        if (r.PageId != account.PageId)
            return DomainError.Invalid(
                "page_id",
                $"Param page_id must be the Page linked to ad account {account.ActId} ({account.PageId}); got "
                    + $"{r.PageId}"
            );
        if (string.IsNullOrWhiteSpace(r.Name))
            return DomainError.Missing("name");
        if (r.Name.Length > MaxNameLength)
            return DomainError.Invalid("name", $"Length of param name must be less than or equal to {MaxNameLength}");
        if (r.DailyBudget is not null && r.LifetimeBudget is not null)
            return DomainError.Invalid(
                "daily_budget",
                "Param daily_budget cannot be used together with lifetime_budget: give one of them"
            );
        if (r.DailyBudget is <= 0)
            return DomainError.Invalid("daily_budget", "Param daily_budget must be greater than 0");
        if (r.LifetimeBudget is <= 0)
            return DomainError.Invalid("lifetime_budget", "Param lifetime_budget must be greater than 0");
        if (r.BidAmount is <= 0)
            return DomainError.Invalid("bid_amount", "Param bid_amount must be greater than 0");

        var start = r.StartTime ?? now;
        if (start < now - Skew)
            return DomainError.Invalid("start_time", "Param start_time must be now or in the future");
        if (start < now)
            start = now;
        if (start > now + MaxStartAhead)
            return DomainError.Invalid("start_time", "Param start_time must be within 30 days of the current time");
        var end = r.EndTime ?? (r.LifetimeBudget is not null ? start + DefaultLifetime : null);
        if (end is { } e && e <= start)
            return DomainError.Invalid("end_time", "Param end_time must be after start_time");

        if (r.DailyBudget is { } daily && daily < MinDailyBudget)
            return DomainError.Invalid(
                "daily_budget",
                $"Param daily_budget must be at least {MinDailyBudget} (the minimum daily budget in {account.Currency})"
            );
        if (r.LifetimeBudget is { } lifetime && end is { } until)
        {
            var min = MinDailyBudget * (long)Math.Ceiling((until - start).TotalDays);
            if (lifetime < min)
                return DomainError.Invalid(
                    "lifetime_budget",
                    $"Param lifetime_budget must be at least {min} ({MinDailyBudget} per day of the campaign's flight)"
                );
        }
        return Result<ValidCampaign>.Accept(
            new ValidCampaign(r.Name, r.PageId, r.DailyBudget, r.LifetimeBudget, r.BidAmount, r.PixelId, start, end)
        );
    }

    /// <summary>Meta "may set an estimated daily budget cap" for a campaign without a budget: two messages a day to
    /// every subscriber.</summary>
    public static long EstimatedDailyCap(int subscribers, long price) =>
        Math.Max(MinDailyBudget, 2L * Math.Max(1, subscribers) * price);
}
