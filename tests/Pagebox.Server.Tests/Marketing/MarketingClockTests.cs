namespace Pagebox.Server.Tests.Marketing;

/// <summary>
/// The app clock as the marketing boundaries use it: a test (or a developer) sets the clock to the instant a rule
/// changes its answer (a token's expiry, the end of a cooldown, the 7th day of a duplicate) and expects the rule to see
/// that instant, never a moment before it.
/// </summary>
public sealed class MarketingClockTests(Policy2025Host host) : IClassFixture<Policy2025Host>
{
    // The clock may be short by less than a millisecond, so one set rarely shows it: many do.
    private const int Attempts = 100;

    [Fact]
    public async Task ClockSet_ToAnInstant_NeverReadsEarlierThanThatInstant()
    {
        var ct = TestContext.Current.CancellationToken;
        var app = await host.World.CreateAppAsync("clock", ct);
        var early = new List<string>();

        for (var i = 0; i < Attempts; i++)
        {
            // A boundary such as a stored send time + 48 h: whole milliseconds, like every time Pagebox stores.
            var now = await host.World.GetClockAsync(app.Id, ct);
            var target = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() + 60_000);
            var answered = await host.World.SetClockAsync(app.Id, target, ct);
            if (answered < target)
                early.Add($"set {target:O}, read {answered:O}");
        }

        Assert.True(
            early.Count == 0,
            $"After POST /_pagebox/apps/{{app}}/clock {{\"set\"}} the clock read earlier than the target "
                + $"{early.Count}/{Attempts} times: {string.Join("; ", early.Take(3))}"
        );
    }
}
