using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Campaigns;

/// <summary>What a delivery would cost and what has been spent, in the account currency's smallest unit.</summary>
/// <param name="SpentToday">The campaign's spend since local midnight (ad account time zone).</param>
/// <param name="SpentThisWeek">The campaign's spend since Sunday 00:00 local.</param>
/// <param name="AccountSpent">Everything the ad account spent.</param>
/// <param name="NextDay">Next local midnight.</param>
/// <param name="NextWeek">Next Sunday 00:00 local.</param>
/// <param name="Campaign">The campaign the send spends from (its daily or lifetime budget).</param>
/// <param name="Account">The ad account the send spends from (its balance and spend cap).</param>
/// <param name="SpentLifetime">The campaign's spend since it was created.</param>
public sealed record BudgetFacts(
    MessageCampaignRecord Campaign,
    AdAccountRecord Account,
    long SpentLifetime,
    long SpentToday,
    long SpentThisWeek,
    long AccountSpent,
    DateTimeOffset NextDay,
    DateTimeOffset NextWeek
);

/// <summary>
/// Budget, pacing and account limits of one delivery at <see cref="AdAccountRecord.PricePerMessageCents"/>. Checks, in
/// this order (first failure wins):
/// 1. the campaign's bid_amount below the price → BidTooLow (2300016);
/// 2. lifetime budget: spent + price above it → LifetimeBudgetReached (2300053);
/// 3. lifetime pacing: the budget is released evenly in 30-minute slots over the flight (start to end); spent + price
///    above what has been released → PacingLimit (2300055), remaining_seconds to the next slot;
/// 4. daily budget: "on some days, you may spend up to 75% more than your daily budget" and "your total spend in any
///    calendar week (Sunday to Saturday) will never exceed 7 times your daily budget" → DailyBudgetReached (2300054),
///    remaining_seconds to the next local day (or week); a campaign created without a budget has Meta's estimated
///    daily cap, which is a plain cap (no 75 %);
/// 5. the account's spending limit: spent + price above spend_cap → AccountSpendLimit (2300056);
/// 6. a prepaid balance below the price → PrepaidBalanceDepleted (2300058).
/// Reaching a limit exactly is allowed.
/// </summary>
public static class BudgetRule
{
    public static readonly TimeSpan PacingSlot = TimeSpan.FromMinutes(30);

    /// <summary>The daily flexibility: up to 175 % of the daily budget in one day.</summary>
    public static long DailyCeiling(long dailyBudget) => dailyBudget * 7 / 4;

    public static DomainError? Check(BudgetFacts facts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var c = facts.Campaign;
        var price = facts.Account.PricePerMessageCents;
        if (c.BidAmount is { } bid && bid < price)
            return PaidRefusal.Of(PaidMarketingReason.BidTooLow);

        if (c.LifetimeBudget is { } lifetime)
        {
            if (facts.SpentLifetime + price > lifetime)
                return PaidRefusal.Of(PaidMarketingReason.LifetimeBudgetReached);
            if (Released(c, lifetime, now) is { } released && facts.SpentLifetime + price > released.Amount)
                return PaidRefusal.Of(
                    PaidMarketingReason.PacingLimit,
                    remainingSeconds: PaidRefusal.SecondsUntil(released.NextSlot, now)
                );
        }

        if (c.DailyBudget is { } daily)
        {
            if (facts.SpentToday + price > DailyCeiling(daily))
                return PaidRefusal.Of(
                    PaidMarketingReason.DailyBudgetReached,
                    remainingSeconds: PaidRefusal.SecondsUntil(facts.NextDay, now)
                );
            if (facts.SpentThisWeek + price > daily * 7)
                return PaidRefusal.Of(
                    PaidMarketingReason.DailyBudgetReached,
                    remainingSeconds: PaidRefusal.SecondsUntil(facts.NextWeek, now)
                );
        }
        else if (c.EstimatedDailyCap is { } cap && facts.SpentToday + price > cap)
        {
            return PaidRefusal.Of(
                PaidMarketingReason.DailyBudgetReached,
                remainingSeconds: PaidRefusal.SecondsUntil(facts.NextDay, now)
            );
        }

        if (facts.Account.SpendCapCents is { } spendCap && facts.AccountSpent + price > spendCap)
            return PaidRefusal.Of(PaidMarketingReason.AccountSpendLimit);
        if (facts.Account.BalanceCents is { } balance && balance < price)
            return PaidRefusal.Of(PaidMarketingReason.PrepaidBalanceDepleted);
        return null;
    }

    /// <summary>
    /// Even pacing of a lifetime budget: of N 30-minute slots in the flight, slot k (0-based, the one containing
    /// <paramref name="now"/>) releases ceil(budget × (k + 1) / N). Null without an end time (then nothing paces).
    /// </summary>
    public static (long Amount, DateTimeOffset NextSlot)? Released(
        MessageCampaignRecord campaign,
        long lifetimeBudget,
        DateTimeOffset now
    )
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (campaign.EndTime is not { } end || end <= campaign.StartTime)
            return null;
        var slots = (long)Math.Ceiling((end - campaign.StartTime) / PacingSlot);
        var k = Math.Clamp((long)Math.Floor((now - campaign.StartTime) / PacingSlot), 0, slots - 1);
        var amount = (long)Math.Ceiling(lifetimeBudget * (decimal)(k + 1) / slots);
        return (amount, campaign.StartTime + PacingSlot * (k + 1));
    }
}
