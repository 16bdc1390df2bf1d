using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using static Pagebox.Domain.Tests.Marketing.MarketingFixtures;

namespace Pagebox.Domain.Tests.Marketing;

public class FrequencyRuleTests
{
    private static DomainError? Check(
        NotificationToken token,
        PolicyProfile profile,
        DateTimeOffset now,
        TimeZoneInfo? zone = null
    ) => FrequencyRule.Check(token, profile, zone ?? Utc, now);

    [Theory]
    [InlineData(PolicyProfile.P2023)]
    [InlineData(PolicyProfile.P2024)]
    [InlineData(PolicyProfile.P2025_09)]
    public void NextEligibleTime_NeverSent_Null(PolicyProfile profile)
    {
        Assert.Null(FrequencyRule.NextEligibleTime(Token(TokenFrequency.Monthly), profile, Utc));
        Assert.Null(Check(Token(), profile, T0));
    }

    [Fact]
    public void Check_2025Exactly48Hours_Allowed()
    {
        Assert.Null(Check(SentAt(T0), PolicyProfile.P2025_09, T0 + TimeSpan.FromHours(48)));
    }

    [Fact]
    public void Check_2025OneMsBefore48Hours_TooSoonWithNextEligibleTime()
    {
        var error = Check(SentAt(T0), PolicyProfile.P2025_09, T0 + TimeSpan.FromHours(48) - Ms);

        Assert.NotNull(error);
        Assert.Equal(DomainErrorKind.MarketingTooSoon, error.Kind);
        Assert.Equal(T0 + TimeSpan.FromHours(48), error.NextEligibleTime);
    }

    [Fact]
    public void Check_2025After24Hours_TooSoon()
    {
        Assert.Equal(
            DomainErrorKind.MarketingTooSoon,
            Check(SentAt(T0), PolicyProfile.P2025_09, T0 + TimeSpan.FromHours(24))?.Kind
        );
    }

    [Fact]
    public void Check_2024Exactly24Hours_Allowed()
    {
        Assert.Null(Check(SentAt(T0), PolicyProfile.P2024, T0 + TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Check_2024OneMsBefore24Hours_TooSoon()
    {
        var error = Check(SentAt(T0), PolicyProfile.P2024, T0 + TimeSpan.FromHours(24) - Ms);

        Assert.Equal(T0 + TimeSpan.FromHours(24), error?.NextEligibleTime);
    }

    [Fact]
    public void Check_2024IgnoresLegacyWeeklyFrequency_24Hours()
    {
        Assert.Null(Check(SentAt(T0, TokenFrequency.Weekly), PolicyProfile.P2024, T0 + TimeSpan.FromHours(24)));
    }

    [Theory]
    [InlineData(TokenFrequency.Daily)]
    [InlineData(null)]
    public void Check_2023Daily_24HoursExact(TokenFrequency? frequency)
    {
        var token = SentAt(T0, frequency);

        Assert.Null(Check(token, PolicyProfile.P2023, T0 + TimeSpan.FromHours(24)));
        Assert.NotNull(Check(token, PolicyProfile.P2023, T0 + TimeSpan.FromHours(24) - Ms));
    }

    [Fact]
    public void NextEligibleTime_Retired_Null()
    {
        Assert.Null(FrequencyRule.NextEligibleTime(SentAt(T0), PolicyProfile.Retired, Utc));
    }

    // Weekly: Monday 00:00 – Sunday 23:59 in the Page's time zone.
    [Fact]
    public void Check_2023WeeklyNewYorkSundayLastMs_TooSoon()
    {
        var zone = Zone("America/New_York");
        var token = SentAt(At("2025-06-04T10:00:00-04:00"), TokenFrequency.Weekly); // Wednesday

        var error = Check(token, PolicyProfile.P2023, At("2025-06-08T23:59:59.999-04:00"), zone); // Sunday

        Assert.Equal(DomainErrorKind.MarketingTooSoon, error?.Kind);
        Assert.Equal(At("2025-06-09T00:00:00-04:00"), error?.NextEligibleTime);
    }

    [Fact]
    public void Check_2023WeeklyNewYorkMondayMidnight_Allowed()
    {
        var token = SentAt(At("2025-06-04T10:00:00-04:00"), TokenFrequency.Weekly);

        Assert.Null(Check(token, PolicyProfile.P2023, At("2025-06-09T00:00:00-04:00"), Zone("America/New_York")));
    }

    [Fact]
    public void Check_2023WeeklyNewYorkSundayEvening_UtcWouldAlreadyBeMonday()
    {
        // Sunday 23:00 in New York is Monday 03:00 UTC: still the same week for the Page.
        var token = SentAt(At("2025-06-04T10:00:00-04:00"), TokenFrequency.Weekly);

        Assert.NotNull(Check(token, PolicyProfile.P2023, At("2025-06-09T03:00:00Z"), Zone("America/New_York")));
    }

    [Fact]
    public void Check_2023WeeklyTokyoSundayLastSecond_TooSoonMondayMidnightAllowed()
    {
        var zone = Zone("Asia/Tokyo");
        var token = SentAt(At("2025-06-01T23:30:00+09:00"), TokenFrequency.Weekly); // Sunday evening in Tokyo

        Assert.Equal(At("2025-06-02T00:00:00+09:00"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
        Assert.NotNull(Check(token, PolicyProfile.P2023, At("2025-06-01T23:59:59.999+09:00"), zone));
        Assert.NotNull(Check(token, PolicyProfile.P2023, At("2025-06-01T23:59:59+09:00"), zone));
        Assert.Null(Check(token, PolicyProfile.P2023, At("2025-06-02T00:00:00+09:00"), zone));
    }

    [Fact]
    public void Check_2023WeeklyTokyoMondayMorning_UtcMondayIsStillTooSoon()
    {
        // Sunday 20:00 UTC is already Monday 05:00 in Tokyo: the Page's week runs to the next Monday.
        var token = SentAt(At("2025-06-01T20:00:00Z"), TokenFrequency.Weekly);
        var zone = Zone("Asia/Tokyo");

        Assert.NotNull(Check(token, PolicyProfile.P2023, At("2025-06-02T00:00:00Z"), zone));
        Assert.Equal(At("2025-06-09T00:00:00+09:00"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
    }

    [Fact]
    public void NextEligibleTime_2023WeeklySentMondayMidnight_NextMonday()
    {
        var token = SentAt(At("2025-06-02T00:00:00+09:00"), TokenFrequency.Weekly);

        Assert.Equal(
            At("2025-06-09T00:00:00+09:00"),
            FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, Zone("Asia/Tokyo"))
        );
    }

    [Fact]
    public void NextEligibleTime_2023WeeklyAcrossDstStart_UsesNewOffset()
    {
        // Saturday 2025-03-08 in EST (-05); the next Monday 2025-03-10 is in EDT (-04): 04:00Z, not 05:00Z.
        var token = SentAt(At("2025-03-08T12:00:00-05:00"), TokenFrequency.Weekly);
        var zone = Zone("America/New_York");

        Assert.Equal(At("2025-03-10T04:00:00Z"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
        Assert.NotNull(Check(token, PolicyProfile.P2023, At("2025-03-10T03:59:59.999Z"), zone));
        Assert.Null(Check(token, PolicyProfile.P2023, At("2025-03-10T04:00:00Z"), zone));
    }

    [Fact]
    public void Check_2023MonthlyNewYorkLastMsOfMonth_TooSoonFirstAllowed()
    {
        var zone = Zone("America/New_York");
        var token = SentAt(At("2025-01-15T12:00:00-05:00"), TokenFrequency.Monthly);

        var error = Check(token, PolicyProfile.P2023, At("2025-01-31T23:59:59.999-05:00"), zone);

        Assert.Equal(At("2025-02-01T00:00:00-05:00"), error?.NextEligibleTime);
        Assert.Null(Check(token, PolicyProfile.P2023, At("2025-02-01T00:00:00-05:00"), zone));
    }

    [Fact]
    public void NextEligibleTime_2023MonthlySentLastEveningOfMonthLocal_FirstOfNextLocalMonth()
    {
        // 2025-01-31 23:30 in New York is already February in UTC; the Page's month is still January.
        var token = SentAt(At("2025-01-31T23:30:00-05:00"), TokenFrequency.Monthly);

        Assert.Equal(
            At("2025-02-01T00:00:00-05:00"),
            FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, Zone("America/New_York"))
        );
    }

    [Fact]
    public void NextEligibleTime_2023MonthlyDecember_JanuaryNextYear()
    {
        var token = SentAt(At("2025-12-31T23:00:00+09:00"), TokenFrequency.Monthly);

        Assert.Equal(
            At("2026-01-01T00:00:00+09:00"),
            FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, Zone("Asia/Tokyo"))
        );
    }

    [Fact]
    public void NextEligibleTime_2023MonthlyAcrossDstStart_UsesNewOffset()
    {
        var token = SentAt(At("2025-03-01T12:00:00-05:00"), TokenFrequency.Monthly);

        Assert.Equal(
            At("2025-04-01T00:00:00-04:00"),
            FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, Zone("America/New_York"))
        );
    }

    [Fact]
    public void NextEligibleTime_2023MonthlyMidnightSkippedByDst_StartsAtTheJump()
    {
        // Paraguay began DST at 00:00 on Sunday 2023-10-01: clocks went from 23:59:59 (-04) to 01:00 (-03).
        // (.NET's IsInvalidTime misses this gap; the rule does not rely on it.)
        var zone = Zone("America/Asuncion");
        var token = SentAt(At("2023-09-10T12:00:00-04:00"), TokenFrequency.Monthly);

        Assert.Equal(At("2023-10-01T01:00:00-03:00"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
    }

    [Fact]
    public void NextEligibleTime_2023WeeklyMidnightSkippedByDst_StartsAtTheJump()
    {
        // Chile skipped Sunday 2023-09-03 00:00 (DST, -04 to -03): the next Monday uses the new offset.
        var zone = Zone("America/Santiago");
        var token = SentAt(At("2023-08-30T12:00:00-04:00"), TokenFrequency.Weekly);

        Assert.Equal(At("2023-09-04T00:00:00-03:00"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
    }

    [Fact]
    public void NextEligibleTime_2023MonthlyMidnightRepeatedByDst_FirstMidnight()
    {
        // Cuba ends DST at 01:00 daylight on Sunday 2026-11-01: 00:00–00:59 happens twice; the month starts at the
        // first.
        var zone = Zone("America/Havana");
        Assert.True(zone.IsAmbiguousTime(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Unspecified)));
        var token = SentAt(At("2026-10-10T12:00:00-04:00"), TokenFrequency.Monthly);

        Assert.Equal(At("2026-11-01T00:00:00-04:00"), FrequencyRule.NextEligibleTime(token, PolicyProfile.P2023, zone));
    }
}
