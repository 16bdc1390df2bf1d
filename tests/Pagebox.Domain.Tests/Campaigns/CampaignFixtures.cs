using System.Globalization;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Testing;

namespace Pagebox.Domain.Tests.Campaigns;

/// <summary>Builders for the successor API's rules. Times come from a fake clock the tests move; the rules never read
/// one.</summary>
internal static class CampaignFixtures
{
    /// <summary>Wednesday 2026-06-03 10:00:00 UTC.</summary>
    public static readonly DateTimeOffset T0 = At("2026-06-03T10:00:00Z");

    public static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    public static FakeTimeProvider Clock(DateTimeOffset? start = null) => new(start ?? T0);

    public static AdAccountRecord Account(
        long price = 1,
        long? balance = null,
        long? spendCap = null,
        string country = "US",
        string tz = "UTC"
    ) =>
        new(
            "1000000000001",
            "app-1",
            "page-1",
            "business-1",
            "USD",
            country,
            tz,
            balance,
            spendCap,
            price,
            PermissionRule.All,
            T0
        );

    /// <summary>A campaign created at <paramref name="created"/> (T0 by default), starting then.</summary>
    public static MessageCampaignRecord Campaign(
        long? daily = 1000,
        long? lifetime = null,
        DateTimeOffset? created = null,
        DateTimeOffset? end = null,
        long? bid = null,
        long? cap = null
    ) =>
        new(
            "120000000000000001",
            "120000000000000002",
            "120000000000000003",
            "1000000000001",
            "page-1",
            "Summer",
            daily,
            lifetime,
            cap,
            bid,
            null,
            created ?? T0,
            end,
            created ?? T0,
            null
        );

    public static PaidMessageRecord Paid(DateTimeOffset at, long charged = 1) =>
        new(
            Guid.NewGuid().ToString(),
            "120000000000000001",
            "1000000000001",
            "page-1",
            "token-1",
            "psid-1",
            "person-1",
            "m_1",
            at,
            PaidMessageStatus.Delivered,
            charged,
            null,
            0,
            null
        );

    public static NotificationToken Token() =>
        new(
            "token-1",
            "page-1",
            "psid-1",
            "person-1",
            "Deals",
            "DEALS",
            "UTC",
            null,
            ReOptIn.Enabled,
            TokenStatus.Active,
            UserTokenStatus.NotRefreshed,
            T0,
            T0,
            null,
            null,
            3,
            T0,
            false
        );

    public static PaidMarketingReason? Reason(DomainError? error) => error?.PaidReason;

    public static PaidCreative Text(params string[] personalized) => new(null, [], [], personalized);
}
