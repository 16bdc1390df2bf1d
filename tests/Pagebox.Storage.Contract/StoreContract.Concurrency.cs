using Pagebox.Domain.Marketing;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;

namespace Pagebox.Storage.Contract;

/// <summary>
/// The locking contract (IPageboxStore's remarks) under concurrency: the platform's rules run as the Server runs them,
/// many commands at once, and every decision holds as if they had run one after another.
/// </summary>
public abstract partial class StoreContract
{
    protected const int Concurrent = 40;

    private static readonly IdGenerator Ids = new();

    protected static MarketingCommands Marketing(PolicyProfile profile = PolicyProfile.P2025_09) =>
        new(Ids, new MessagingCommands(Ids), profile, _ => "{\"text\":\"Continue?\"}");

    protected static SendCommand TokenSend(string page, string token, string text = "deal") =>
        new(
            "app",
            page,
            new TokenRecipient(token),
            new OutgoingMessage($"{{\"text\":\"{text}\"}}") { Text = text, HasText = true },
            null,
            null,
            null,
            null
        );

    /// <summary>Runs <paramref name="count"/> copies of a command at once (released together) on the given stores in
    /// turn.</summary>
    protected static async Task<T[]> AllAtOnce<T>(
        int count,
        IReadOnlyList<IPageboxStore> stores,
        Func<IStoreSession, int, T> command
    )
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable
            .Range(0, count)
            .Select(async i =>
            {
                await start.Task;
                return await stores[i % stores.Count].WriteAsync(s => command(s, i));
            })
            .ToList();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }

    /// <summary>The stores that share this test's database: this one (subclasses add others, like other
    /// processes).</summary>
    protected virtual Task<IReadOnlyList<IPageboxStore>> SharingStoresAsync() =>
        Task.FromResult<IReadOnlyList<IPageboxStore>>([Store]);

    [Fact]
    public async Task Concurrent_ReadModifyWriteOfOneSetting_LosesNoUpdate()
    {
        var stores = await SharingStoresAsync();
        await Do(new SaveSetting("counter", "0"));
        await AllAtOnce(
            Concurrent,
            stores,
            (s, _) =>
            {
                var n = int.Parse(s.GetSetting("counter")!, System.Globalization.CultureInfo.InvariantCulture);
                s.Apply(
                    new SaveSetting("counter", (n + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
                );
                return n;
            }
        );
        Assert.Equal(
            Concurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await Read(s => s.GetSetting("counter"))
        );
    }

    [Fact]
    public async Task Concurrent_FirstSettingOfAKey_OnlyOneWins()
    {
        // The admin key's pattern: read, and write a new one when absent. Every caller must come away with the same.
        var stores = await SharingStoresAsync();
        var keys = await AllAtOnce(
            Concurrent,
            stores,
            (s, i) =>
            {
                if (s.GetSetting("admin_key") is { } existing)
                    return existing;
                s.Apply(new SaveSetting("admin_key", $"key{i}"));
                return $"key{i}";
            }
        );
        Assert.Single(keys.Distinct());
        Assert.Equal(keys[0], await Read(s => s.GetSetting("admin_key")));
    }

    [Fact]
    public async Task Concurrent_FirstMessagesOfOnePerson_GiveOnePsid()
    {
        var stores = await SharingStoresAsync();
        await Do(new SaveApp(App("app")), new SavePage(Page("page", "app")), new SavePerson(Person("x")));
        var world = new WorldCommands(Ids);
        var results = await AllAtOnce(
            Concurrent,
            stores,
            (s, i) =>
                world
                    .Write(
                        s,
                        "x",
                        "page",
                        new PersonMessage($"hi {i}", null, null, null, $"{{\"text\":\"hi {i}\"}}"),
                        T0.AddSeconds(i)
                    )
                    .Value!
        );

        var psid = Assert.Single(results.Select(r => r.Psid).Distinct());
        Assert.Equal(psid, (await Read(s => s.GetConversation("page", "x")))!.Psid);
        Assert.Equal(Concurrent, (await Read(s => s.GetConversationMessages("page", psid, 1000))).Count);
    }

    [Fact]
    public async Task Concurrent_MarketingSendsOnOneToken_OneAcceptedPerWindow()
    {
        var stores = await SharingStoresAsync();
        await SeedAsync();
        await Do(new SaveToken(Token("tok", "page", "psid", T0)));
        var marketing = Marketing();
        var page = Page("page", "app");

        var decisions = await AllAtOnce(
            Concurrent,
            stores,
            (s, _) => marketing.SendToToken(s, page, TokenSend("page", "tok"), T0.AddHours(1))
        );

        Assert.Single(decisions, d => d.IsAccepted);
        Assert.All(
            decisions.Where(d => !d.IsAccepted),
            d => Assert.Equal(Domain.Errors.DomainErrorKind.MarketingTooSoon, d.Error!.Kind)
        );
        Assert.Equal(T0.AddHours(1), (await Read(s => s.GetToken("tok")))!.LastMarketingSendAt);
        Assert.Single(await Read(s => s.GetConversationMessages("page", "psid", 1000)));
    }

    [Fact]
    public async Task Concurrent_SendsRightAfterAnOptIn_MakeExactlyThreeFollowUpsAndOneMarketingMessage()
    {
        var stores = await SharingStoresAsync();
        await SeedAsync();
        await Do(new SaveToken(Token("tok", "page", "psid", T0) with { FollowUpOpen = true }));
        var marketing = Marketing();
        var page = Page("page", "app");

        var decisions = await AllAtOnce(
            Concurrent,
            stores,
            (s, _) => marketing.SendToToken(s, page, TokenSend("page", "tok", "short"), T0.AddSeconds(10))
        );

        Assert.Equal(4, decisions.Count(d => d.IsAccepted));
        var kinds = (await Read(s => s.GetConversationMessages("page", "psid", 1000))).Select(m => m.Kind).ToList();
        Assert.Equal(3, kinds.Count(k => k == MessageKind.FollowUp));
        Assert.Equal(1, kinds.Count(k => k == MessageKind.Marketing));
        Assert.Equal(3, (await Read(s => s.GetToken("tok")))!.FollowUpsSent);
    }

    [Fact]
    public async Task Concurrent_OptInRequestsOfOneTitle_OnePerWeek()
    {
        var stores = await SharingStoresAsync();
        await Do(
            new SaveApp(App("app")),
            new SavePage(Page("page", "app")),
            new SavePerson(Person("x")),
            new SaveConversation(Conversation("page", "x", "psid", T0))
        );
        var marketing = Marketing();
        var page = Page("page", "app");
        var template = new OptInTemplate(Title: "Weekly deals", Payload: "DEALS");
        var cmd = new SendCommand(
            "app",
            "page",
            new PsidRecipient("psid"),
            new OutgoingMessage("{\"attachment\":{}}") { HasAttachment = true },
            null,
            null,
            null,
            null
        );

        var decisions = await AllAtOnce(
            Concurrent,
            stores,
            (s, _) => marketing.SendOptInRequest(s, page, cmd, template, T0.AddMinutes(1))
        );

        Assert.Single(decisions, d => d.IsAccepted);
        Assert.Single(await Read(s => s.GetOptInRequestsSince("page", "psid", T0)));
    }

    [Fact]
    public async Task Concurrent_PrivateRepliesToOneComment_OneAccepted()
    {
        var stores = await SharingStoresAsync();
        await Do(
            new SaveApp(App("app")),
            new SavePage(Page("page", "app")),
            new SavePerson(Person("x")),
            new SaveComment(new CommentRecord("c1", "page_1", "page", "x", "hi", T0, null))
        );
        var entry = new EntryPointCommands(new MessagingCommands(Ids));
        var world = new WorldCommands(Ids);
        var page = Page("page", "app");
        var cmd = new SendCommand(
            "app",
            "page",
            new CommentRecipient("c1"),
            new OutgoingMessage("{\"text\":\"thanks\"}") { Text = "thanks", HasText = true },
            null,
            null,
            null,
            null
        );

        var decisions = await AllAtOnce(
            Concurrent,
            stores,
            (s, _) => entry.PrivateReply(s, page, cmd, world, T0.AddHours(1))
        );

        Assert.Single(decisions, d => d.IsAccepted);
        Assert.All(
            decisions.Where(d => !d.IsAccepted),
            d => Assert.Equal(Domain.Errors.DomainErrorKind.ActivityAlreadyReplied, d.Error!.Kind)
        );
    }

    [Fact]
    public async Task Concurrent_ClockAdvances_AddUp()
    {
        var stores = await SharingStoresAsync();
        await Do(new SaveApp(App("app")));
        await AllAtOnce(
            Concurrent,
            stores,
            (s, _) => WorldCommands.MoveClock(s, "app", new ClockMove.Advance(TimeSpan.FromHours(1)), T0)
        );
        Assert.Equal(
            (long)TimeSpan.FromHours(Concurrent).TotalMilliseconds,
            (await Read(s => s.GetApp("app")))!.ClockOffsetMs
        );
    }

    [Fact]
    public async Task Concurrent_PagePatchesOfDifferentSwitches_AllApply()
    {
        var stores = await SharingStoresAsync();
        await Do(new SaveApp(App("app")), new SavePage(Page("page", "app")));
        PagePatch[] patches =
        [
            new(false, null, null, null, null, null, null),
            new(null, false, null, null, null, null, null),
            new(null, null, true, null, null, null, null),
            new(null, null, null, false, null, null, null),
            new(null, null, null, null, false, null, null),
            new(null, null, null, null, null, 5, null),
        ];
        await AllAtOnce(patches.Length, stores, (s, i) => WorldCommands.PatchPage(s, "page", patches[i]));
        Assert.Equal(
            new PageSettings(false, false, true, false, false, 5),
            (await Read(s => s.GetPage("page")))!.Settings
        );
    }

    [Fact]
    public async Task Concurrent_ClaimsOfManyDueDeliveries_ClaimEachOnce()
    {
        var stores = await SharingStoresAsync();
        await SeedSubscribedPageAsync("app", "p0");
        for (var i = 1; i < 20; i++)
            await Do(new SavePage(Page($"p{i}", "app")));
        for (var i = 0; i < 20; i++)
            await RecordReadAsync("app", $"p{i}");

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = Enumerable
            .Range(0, 8)
            .Select(async i =>
            {
                await start.Task;
                return await stores[i % stores.Count].Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1), 3);
            })
            .ToList();
        start.SetResult();
        var claimed = (await Task.WhenAll(claims)).SelectMany(c => c).ToList();
        foreach (var store in stores)
            claimed.AddRange(await store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));

        Assert.Equal(20, claimed.Count);
        Assert.Equal(20, claimed.Select(c => c.Id).Distinct().Count());
        Assert.Equal(20, claimed.Select(c => c.PageId).Distinct().Count());
    }
}
