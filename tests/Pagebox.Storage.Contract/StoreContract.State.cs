using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Storage.Contract;

/// <summary>Export, import and reset of the state (IStateTransfer, ResetApp), schema state and the outbox's
/// depth.</summary>
public abstract partial class StoreContract
{
    private async Task SeedWorldAsync(string app, string page, string person, string psid, string token)
    {
        await SeedSubscribedPageAsync(app, page);
        await Do(
            new SavePageToken(new PageToken("EAA" + page, page, app)),
            new SavePerson(Person(person)),
            new SaveConversation(Conversation(page, person, psid, T0)),
            new SaveMessage(Message("m_" + psid, page, psid, T0)),
            new SaveToken(Token(token, page, psid, T0) with { PersonId = person })
        );
    }

    [Fact]
    public async Task ImportState_WholeExport_BringsBackWhatWasThereAndRemovesWhatCameLater()
    {
        await SeedWorldAsync("app", "page", "person", "psid", "tok");
        await RecordReadAsync("app", "page");
        var snapshot = await Store.ExportStateAsync(null);

        await Do(new DeleteApp("app"), new SaveApp(App("later")), new SavePerson(Person("later-person")));
        var result = await Store.ImportStateAsync(snapshot);

        Assert.True(result.Rows > 0);
        Assert.Equal("app app", (await Read(s => s.GetApp("app")))?.Name);
        Assert.Null(await Read(s => s.GetApp("later")));
        Assert.Null(await Read(s => s.GetPerson("later-person")));
        Assert.Equal(
            ("page", "app"),
            await Read(s => s.GetPageToken("EAApage") is { } t ? (t.PageId, t.AppId) : default)
        );
        Assert.Equal("person", (await Read(s => s.GetConversationByPsid("psid")))?.PersonId);
        Assert.Equal("m_psid", Assert.Single(await Read(s => s.GetConversationMessages("page", "psid", 10))).Mid);
        Assert.Equal(TokenStatus.Active, (await Read(s => s.GetToken("tok")))?.Status);
        Assert.Equal(
            "message_reads",
            string.Join(",", (await Read(s => s.GetAppSubscription("app", "page")))?.Fields ?? [])
        );
        Assert.Equal(1, (await Store.OutboxDepthAsync()).WaitingEvents);
    }

    [Fact]
    public async Task ImportState_AfterImport_NewRowsGetFreshIds()
    {
        await SeedWorldAsync("app", "page", "person", "psid", "tok");
        await RecordReadAsync("app", "page");
        var snapshot = await Store.ExportStateAsync(null);
        await Store.ImportStateAsync(snapshot);

        // The imported event keeps its id; the next one is numbered after it (ids come from the store's sequences).
        await RecordReadAsync("app", "page", 1000);
        var claimed = await Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1));
        Assert.Equal("r0|r1000", System.Text.Encoding.UTF8.GetString(Assert.Single(claimed).Body));
    }

    [Fact]
    public async Task ImportState_UnknownColumnInALaterTable_WritesNothing()
    {
        await SeedWorldAsync("app", "page", "person", "psid", "tok");
        var snapshot = await Store.ExportStateAsync(null);
        var bad = snapshot with
        {
            Tables =
            [
                .. snapshot.Tables.Select(t =>
                    t.Name == "persons" ? t with { Columns = [.. t.Columns.Take(t.Columns.Count - 1), "nickname"] } : t
                ),
            ],
        };
        await Do(new SaveApp(App("other")));

        var error = await Assert.ThrowsAsync<StateImportException>(() => Store.ImportStateAsync(bad));

        Assert.Contains("nickname", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await Read(s => s.GetApp("other")));
    }

    [Fact]
    public async Task ImportState_DuplicateKey_WritesNothing()
    {
        await SeedWorldAsync("app", "page", "person", "psid", "tok");
        var snapshot = await Store.ExportStateAsync(null);
        var bad = snapshot with
        {
            Tables = [.. snapshot.Tables.Select(t => t.Name == "apps" ? t with { Rows = [.. t.Rows, .. t.Rows] } : t)],
        };
        await Do(new SaveApp(App("other")));

        await Assert.ThrowsAsync<StateImportException>(() => Store.ImportStateAsync(bad));

        Assert.NotNull(await Read(s => s.GetApp("other")));
        Assert.NotNull(await Read(s => s.GetApp("app")));
    }

    [Fact]
    public async Task ImportState_WrongValueType_NamesTheColumnAndWritesNothing()
    {
        await SeedWorldAsync("app", "page", "person", "psid", "tok");
        var snapshot = await Store.ExportStateAsync(null);
        var bad = snapshot with
        {
            Tables =
            [
                .. snapshot.Tables.Select(t =>
                    t.Name == "apps"
                        ? t with
                        {
                            Rows =
                            [
                                .. t.Rows.Select(r =>
                                    r.Select((v, i) => t.Columns[i] == "created_ms" ? (object?)"yesterday" : v)
                                        .ToArray()
                                ),
                            ],
                        }
                        : t
                ),
            ],
        };
        await Do(new DeleteApp("app"));

        var error = await Assert.ThrowsAsync<StateImportException>(() => Store.ImportStateAsync(bad));

        Assert.Contains("created_ms", error.Message, StringComparison.Ordinal);
        Assert.Null(await Read(s => s.GetApp("app")));
    }

    [Fact]
    public async Task ExportState_OneApp_HoldsItsPagesAndPersonsOnly()
    {
        await SeedWorldAsync("a1", "p1", "person1", "psid1", "tok1");
        await SeedWorldAsync("a2", "p2", "person2", "psid2", "tok2");

        var snapshot = await Store.ExportStateAsync("a1");

        Assert.Equal("a1", snapshot.AppId);
        string[] Ids(string table, string column)
        {
            var t = snapshot.Tables.Single(x => x.Name == table);
            var i = t.Columns.ToList().IndexOf(column);
            return [.. t.Rows.Select(r => (string)r[i]!)];
        }
        Assert.Equal(["a1"], Ids("apps", "id"));
        Assert.Equal(["p1"], Ids("pages", "id"));
        Assert.Equal(["person1"], Ids("persons", "id"));
        Assert.Equal(["tok1"], Ids("notification_tokens", "token"));
        Assert.Equal(["psid1"], Ids("conversations", "psid"));
    }

    [Fact]
    public async Task ImportState_OneApp_ReplacesThatAppAndLeavesTheOthers()
    {
        await SeedWorldAsync("a1", "p1", "person1", "psid1", "tok1");
        await SeedWorldAsync("a2", "p2", "person2", "psid2", "tok2");
        var snapshot = await Store.ExportStateAsync("a1");
        await Do(new DeleteApp("a1"), new SaveApp(App("a2") with { Name = "renamed" }));

        await Store.ImportStateAsync(snapshot);

        Assert.NotNull(await Read(s => s.GetApp("a1")));
        Assert.NotNull(await Read(s => s.GetToken("tok1")));
        Assert.Equal("renamed", (await Read(s => s.GetApp("a2")))?.Name);
        Assert.NotNull(await Read(s => s.GetToken("tok2")));
        Assert.NotNull(await Read(s => s.GetConversationByPsid("psid2")));
    }

    [Fact]
    public async Task ResetApp_ClearsActivityKeepsAppPagesTokensAndSubscriptions()
    {
        await SeedWorldAsync("a1", "p1", "person1", "psid1", "tok1");
        await SeedWorldAsync("a2", "p2", "person2", "psid2", "tok2");
        await RecordReadAsync("a1", "p1");
        await Do(new SetClockOffset("a1", 60_000));

        await Do(new ResetApp("a1"));

        Assert.Equal(60_000, (await Read(s => s.GetApp("a1")))?.ClockOffsetMs);
        Assert.NotNull(await Read(s => s.GetPage("p1")));
        Assert.NotNull(await Read(s => s.GetPageToken("EAAp1")));
        Assert.NotNull(await Read(s => s.GetAppSubscription("a1", "page")));
        Assert.NotNull(await Read(s => s.GetPerson("person1")));
        Assert.Null(await Read(s => s.GetConversationByPsid("psid1")));
        Assert.Null(await Read(s => s.GetToken("tok1")));
        Assert.Empty(await Read(s => s.GetConversationMessages("p1", "psid1", 10)));
        Assert.Equal(0, (await Store.OutboxDepthAsync()).WaitingEvents);
        Assert.NotNull(await Read(s => s.GetToken("tok2")));
        Assert.NotNull(await Read(s => s.GetConversationByPsid("psid2")));
    }

    [Fact]
    public async Task SchemaState_AfterStart_EveryMigrationIsApplied()
    {
        var state = await Store.SchemaStateAsync();

        Assert.True(state.Expected > 0);
        Assert.Equal((state.Expected, 0), (state.Applied, state.Pending));
    }

    [Fact]
    public async Task OutboxDepth_WaitingThenClaimedThenDelivered_CountsEachState()
    {
        await SeedSubscribedPageAsync("app", "page");
        await RecordReadAsync("app", "page");
        await RecordReadAsync("app", "page", 1);
        Assert.Equal(new OutboxDepth(2, 0, 0), await Store.OutboxDepthAsync());

        var delivery = Assert.Single(await Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        Assert.Equal(new OutboxDepth(0, 1, 0), await Store.OutboxDepthAsync());

        await Store.Outbox.RecordAttemptAsync(delivery.Id, true, 200, null, null);
        Assert.Equal(new OutboxDepth(0, 0, 0), await Store.OutboxDepthAsync());
    }
}
