using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.World;

/// <summary>Each app's clock (docs/spec/control-api.md, "Clock"): starts at the real time, moves only forward, one per
/// app.</summary>
public sealed class ClockTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetClock_NewApp_RealTime()
    {
        var app = await server.World.CreateAppAsync("clock", Ct);
        var before = DateTimeOffset.UtcNow;

        var now = await server.World.GetClockAsync(app.Id, Ct);

        Assert.InRange(now, before - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AdvanceClock_OneDay_NowMovesOneDay()
    {
        var app = await server.World.CreateAppAsync("clock", Ct);
        var before = await server.World.GetClockAsync(app.Id, Ct);

        var advanced = await server.World.AdvanceClockAsync(app.Id, TimeSpan.FromDays(1), Ct);
        var read = await server.World.GetClockAsync(app.Id, Ct);

        Assert.InRange(advanced - before, TimeSpan.FromDays(1), TimeSpan.FromDays(1) + TimeSpan.FromSeconds(5));
        Assert.True(read >= advanced);
    }

    [Fact]
    public async Task SetClock_FutureTime_NowIsThatTime()
    {
        var app = await server.World.CreateAppAsync("clock", Ct);
        var target = DateTimeOffset.UtcNow + TimeSpan.FromDays(40);

        var now = await server.World.SetClockAsync(app.Id, target, Ct);

        // Within a millisecond below: the offset is kept in whole milliseconds (see AppClockTests for the rounding).
        Assert.InRange(now, target - TimeSpan.FromMilliseconds(1), target + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SetClock_PastTime_409AndClockUnchanged()
    {
        var app = await server.World.CreateAppAsync("clock", Ct);
        var advanced = await server.World.AdvanceClockAsync(app.Id, TimeSpan.FromHours(2), Ct);

        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{app.Id}/clock",
            new { set = DateTimeOffset.UtcNow.ToString("O") },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        Assert.Equal(409, answer.ErrorCode);
        Assert.True(await server.World.GetClockAsync(app.Id, Ct) >= advanced);
    }

    [Fact]
    public async Task AdvanceClock_NegativeSeconds_409()
    {
        var app = await server.World.CreateAppAsync("clock", Ct);

        var answer = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{app.Id}/clock",
            new { advance_seconds = -60 },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
    }

    [Fact]
    public async Task AdvanceClock_OneApp_OtherAppsClockUnmoved()
    {
        var moved = await server.World.CreateAppAsync("moved", Ct);
        var still = await server.World.CreateAppAsync("still", Ct);

        await server.World.AdvanceClockAsync(moved.Id, TimeSpan.FromDays(3), Ct);

        Assert.InRange(
            await server.World.GetClockAsync(still.Id, Ct),
            DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5),
            DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5)
        );
    }

    [Fact]
    public async Task AdvanceClock_OneApp_OtherAppsWindowStillOpen()
    {
        await using var moved = await Scenario.StartAsync(server, subscribe: false);
        await using var still = await Scenario.StartAsync(server, subscribe: false);
        var movedPsid = (await moved.PersonWritesAsync("hi")).Psid;
        var stillPsid = (await still.PersonWritesAsync("hi")).Psid;

        await moved.AdvanceClockAsync(TimeSpan.FromDays(2));

        Assert.Equal(10, (await moved.SendTextAsync(movedPsid, "late")).ErrorCode);
        GraphAssert.Sent(await still.SendTextAsync(stillPsid, "on time"), stillPsid);
    }

    [Fact]
    public async Task AdvanceClock_MessageTimes_FollowTheAppClock()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var advanced = await s.AdvanceClockAsync(TimeSpan.FromDays(10));

        await s.PersonWritesAsync("from the future");

        // Stored times have millisecond precision.
        var time = (await s.ConversationAsync()).GetProperty("messages")[0].GetProperty("time").GetDateTimeOffset();
        Assert.InRange(time, advanced - TimeSpan.FromMilliseconds(1), advanced + TimeSpan.FromSeconds(5));
    }
}
