using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>The clock's edges: it adds up under concurrency and refuses jumps that would break date
/// arithmetic.</summary>
public sealed class ClockLimitsTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Advance_TwentyAtOnce_AllAddUp()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var before = await s.World.GetClockAsync(s.App.Id, Ct);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.AdvanceClockAsync(TimeSpan.FromSeconds(1000))));

        var after = await s.World.GetClockAsync(s.App.Id, Ct);
        Assert.InRange(after - before, TimeSpan.FromSeconds(20_000), TimeSpan.FromSeconds(20_060));
    }

    [Theory]
    [InlineData("{\"advance_seconds\":1e12}")]
    [InlineData("{\"set\":\"9999-12-31T00:00:00Z\"}")]
    public async Task Move_PastTheYear9000_Is400AndTheAppKeepsWorking(string body)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/clock",
            body,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        var psid = (await s.PersonWritesAsync("still there?")).Psid;
        GraphAssert.Sent(await s.SendTextAsync(psid, "yes"), psid);
        Assert.True(await s.World.GetClockAsync(s.App.Id, Ct) < new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Advance_ToJustBeforeTheLimit_IsAccepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var now = await s.World.SetClockAsync(s.App.Id, new DateTimeOffset(8999, 12, 31, 0, 0, 0, TimeSpan.Zero), Ct);

        Assert.Equal(8999, now.Year);
    }
}
