using Pagebox.Domain.Attachments;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Testing;

namespace Pagebox.Storage.Contract;

/// <summary>
/// The store port's contract: every reader, every effect, the unit of work, the outbox, and the locking contract under
/// concurrency. Each backend's test class subclasses it and says how to open a store on a fresh database
/// (Wolverine's <c>MessageStoreCompliance</c>). A feature is done when every backend passes.
/// </summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(T0);

    protected IPageboxStore Store { get; private set; } = null!;

    /// <summary>Opens a store on this test's database (the same one on every call: reopening sees what was
    /// written).</summary>
    protected abstract Task<IPageboxStore> OpenStoreAsync(TimeProvider time, IWebhookEventEncoder encoder);

    /// <summary>Removes this test's database once the test is done (its stores are closed by then).</summary>
    protected virtual ValueTask DropDatabaseAsync() => ValueTask.CompletedTask;

    public virtual async ValueTask InitializeAsync() => Store = await OpenStoreAsync(Time, new TestEncoder());

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is IAsyncDisposable d)
            await d.DisposeAsync();
        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the store and opens it again on the same database (a restart).</summary>
    protected async Task ReopenAsync()
    {
        if (Store is IAsyncDisposable d)
            await d.DisposeAsync();
        Store = await OpenStoreAsync(Time, new TestEncoder());
    }

    protected Task Do(params Effect[] effects) =>
        Store.WriteAsync(s =>
        {
            foreach (var e in effects)
                s.Apply(e);
            return true;
        });

    protected Task<T> Read<T>(Func<IStoreReader, T> query) => Store.ReadAsync(query);

    // :: Builders

    protected static AppRecord App(string id, long offset = 0) =>
        new(id, "app " + id, "secret-" + id, false, offset, T0);

    protected static PageRecord Page(string id, string app, Platform platform = Platform.Messenger) =>
        new(id, app, "page " + id, platform, "UTC", new PageSettings());

    protected static PersonRecord Person(string id) => new(id, "person " + id, "Europe/Paris", "fr_FR");

    protected static Conversation Conversation(
        string page,
        string person,
        string psid,
        DateTimeOffset? lastInbound = null
    ) => new(page, person, psid, lastInbound, false, T0);

    protected static StoredMessage Message(
        string mid,
        string page,
        string psid,
        DateTimeOffset time,
        MessageKind kind = MessageKind.Standard,
        MessageDirection direction = MessageDirection.FromPage
    ) =>
        new(
            mid,
            page,
            psid,
            direction,
            kind,
            time,
            $"{{\"text\":\"{mid}\"}}",
            direction == MessageDirection.FromPage ? "app" : null
        );

    protected static NotificationToken Token(
        string token,
        string page,
        string psid,
        DateTimeOffset updated,
        TokenStatus status = TokenStatus.Active,
        DateTimeOffset? expires = null
    ) =>
        new(
            token,
            page,
            psid,
            "person-" + psid,
            "Deals " + token,
            "P" + token,
            "UTC",
            TokenFrequency.Weekly,
            ReOptIn.Enabled,
            status,
            UserTokenStatus.NotRefreshed,
            T0,
            updated,
            expires,
            null,
            0,
            null,
            false
        );

    protected async Task SeedAsync(
        string app = "app",
        string page = "page",
        string person = "person",
        string psid = "psid"
    ) =>
        await Do(
            new SaveApp(App(app)),
            new SavePage(Page(page, app)),
            new SavePerson(Person(person)),
            new SaveConversation(Conversation(page, person, psid))
        );

    /// <summary>Writes events as JSON the tests can read back: a read's watermark offset in ms, else the event's
    /// type.</summary>
    protected sealed class TestEncoder : IWebhookEventEncoder
    {
        public string Encode(WebhookEvent e) =>
            e is ReadEvent r ? $"r{(r.Watermark - r.Timestamp).TotalMilliseconds}" : e.GetType().Name;
    }

    // :: The unit of work

    [Fact]
    public async Task WriteAsync_AcknowledgedWrite_IsReadBack()
    {
        await Do(new SaveApp(App("a1")));
        Assert.Equal(App("a1"), await Read(s => s.GetApp("a1")));
    }

    [Fact]
    public async Task WriteAsync_CommandThrowingDomainException_RollsBackOnlyThatCommand()
    {
        var tasks = Enumerable
            .Range(0, 20)
            .Select(i =>
                Store.WriteAsync(s =>
                {
                    s.Apply(new SaveApp(App($"app{i}")));
                    if (i == 7)
                        throw new DomainException(DomainError.Of(DomainErrorKind.UnknownRecipient));
                    return i;
                })
            )
            .ToList();

        var failed = await Assert.ThrowsAsync<DomainException>(() => tasks[7]);
        Assert.Equal(DomainErrorKind.UnknownRecipient, failed.Error.Kind);
        foreach (var t in tasks.Where((_, i) => i != 7))
            await t;
        var present = await Read(s => Enumerable.Range(0, 20).Select(i => s.GetApp($"app{i}") is not null).ToList());
        Assert.False(present[7]);
        Assert.Equal(19, present.Count(p => p));
    }

    [Fact]
    public async Task WriteAsync_CommandReadingWhatItWrote_SeesItsOwnWrites()
    {
        var seen = await Store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(App("own")));
            s.Apply(new SavePage(Page("own-page", "own")));
            return (s.GetApp("own")?.Name, s.GetPage("own-page")?.AppId);
        });
        Assert.Equal(("app own", "own"), seen);
    }

    [Fact]
    public async Task WriteAsync_AfterReopening_AcknowledgedWritesAreThere()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Do(new SaveApp(App($"d{i}")))));
        await ReopenAsync();
        Assert.Equal(50, await Read(s => Enumerable.Range(0, 50).Count(i => s.GetApp($"d{i}") is not null)));
    }

    [Fact]
    public async Task EventsCommitted_CommitRecordingAWebhook_IsRaised()
    {
        await SeedSubscribedPageAsync("app", "page");
        var raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Store.EventsCommitted += () => raised.TrySetResult();
        await RecordReadAsync("app", "page");
        await raised.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_DatabaseUp_ReportsNoProblem() => Assert.Null(await Store.ProbeAsync());

    // :: Apps, Pages, tokens, persons

    [Fact]
    public async Task SaveApp_Twice_ReplacesNameSecretAndProofButKeepsCreated()
    {
        await Do(new SaveApp(App("a")));
        await Do(
            new SaveApp(
                App("a") with
                {
                    Name = "renamed",
                    Secret = "s2",
                    RequireAppSecretProof = true,
                    Created = T0.AddDays(1),
                }
            )
        );
        Assert.Equal(
            App("a") with
            {
                Name = "renamed",
                Secret = "s2",
                RequireAppSecretProof = true,
            },
            await Read(s => s.GetApp("a"))
        );
        Assert.Null(await Read(s => s.GetApp("missing")));
    }

    [Fact]
    public async Task SetClockOffset_Smaller_NeverMovesTheClockBack()
    {
        await Do(new SaveApp(App("a")));
        await Do(new SetClockOffset("a", 5_000));
        await Do(new SetClockOffset("a", 1_000));
        Assert.Equal(5_000, (await Read(s => s.GetApp("a")))!.ClockOffsetMs);
    }

    [Fact]
    public async Task SavePage_ReadBackWithEverySetting_AndListedByAppInCreationOrder()
    {
        var settings = new PageSettings(false, false, true, false, false, 7);
        await Do(
            new SaveApp(App("a")),
            new SavePage(Page("p2", "a")),
            new SavePage(Page("p1", "a", Platform.Instagram) with { Settings = settings, TimeZone = "Asia/Tokyo" }),
            new SavePage(Page("p3", "other"))
        );
        Assert.Equal(
            Page("p1", "a", Platform.Instagram) with
            {
                Settings = settings,
                TimeZone = "Asia/Tokyo",
            },
            await Read(s => s.GetPage("p1"))
        );
        Assert.Equal(["p2", "p1"], (await Read(s => s.GetPagesOfApp("a"))).Select(p => p.Id));

        await Do(
            new SavePage(
                Page("p2", "a") with
                {
                    Name = "renamed",
                    Settings = new PageSettings(SendRatePerSecond: null),
                }
            )
        );
        Assert.Equal(["p2", "p1"], (await Read(s => s.GetPagesOfApp("a"))).Select(p => p.Id));
        Assert.Equal("renamed", (await Read(s => s.GetPage("p2")))!.Name);
    }

    [Fact]
    public async Task SavePageToken_ReadByTokenAndByPageAndApp()
    {
        await Do(
            new SavePageToken(new PageToken("EAA1", "p", "a")),
            new SavePageToken(new PageToken("EAA2", "p", "b"))
        );
        Assert.Equal(new PageToken("EAA1", "p", "a"), await Read(s => s.GetPageToken("EAA1")));
        Assert.Equal(new PageToken("EAA2", "p", "b"), await Read(s => s.GetPageTokenFor("p", "b")));
        Assert.Null(await Read(s => s.GetPageTokenFor("p", "c")));
        Assert.Null(await Read(s => s.GetPageToken("EAA3")));
    }

    [Fact]
    public async Task SavePerson_ReadBack()
    {
        await Do(new SavePerson(Person("x")));
        Assert.Equal(Person("x"), await Read(s => s.GetPerson("x")));
        Assert.Null(await Read(s => s.GetPerson("y")));
    }

    [Fact]
    public async Task SaveConversation_ReadByPsidAndByPageAndPerson_UpdateKeepsPsidAndCreated()
    {
        await Do(new SaveConversation(Conversation("p", "x", "psid1")));
        await Do(
            new SaveConversation(
                Conversation("p", "x", "psid1", T0.AddHours(2)) with
                {
                    Blocked = true,
                    Created = T0.AddDays(3),
                }
            )
        );
        var expected = Conversation("p", "x", "psid1", T0.AddHours(2)) with { Blocked = true };
        Assert.Equal(expected, await Read(s => s.GetConversationByPsid("psid1")));
        Assert.Equal(expected, await Read(s => s.GetConversation("p", "x")));
        Assert.Null(await Read(s => s.GetConversation("p", "y")));
    }

    [Fact]
    public async Task SaveConversation_SecondPsidForTheSamePageAndPerson_IsRefused()
    {
        await Do(new SaveConversation(Conversation("p", "x", "psid1")));
        await Assert.ThrowsAnyAsync<Exception>(() => Do(new SaveConversation(Conversation("p", "x", "psid2"))));
        Assert.Equal("psid1", (await Read(s => s.GetConversation("p", "x")))!.Psid);
    }

    // :: Messages and the Conversations API

    [Fact]
    public async Task SaveMessage_ReadByMid_AndConversationTailOldestFirst()
    {
        await SeedAsync();
        for (var i = 0; i < 5; i++)
            await Do(new SaveMessage(Message($"m{i}", "page", "psid", T0.AddSeconds(i))));
        await Do(new SaveMessage(Message("other", "page", "psid2", T0)));
        Assert.Equal(Message("m3", "page", "psid", T0.AddSeconds(3)), await Read(s => s.GetMessage("m3")));
        Assert.Equal(
            ["m2", "m3", "m4"],
            (await Read(s => s.GetConversationMessages("page", "psid", 3))).Select(m => m.Mid)
        );
        Assert.Null(await Read(s => s.GetMessage("nope")));
        await Assert.ThrowsAnyAsync<Exception>(() => Do(new SaveMessage(Message("m3", "page", "psid", T0))));
    }

    [Fact]
    public async Task ListConversations_NewestLastMessageFirst_SenderActionsNotCounted_KeysetPaged()
    {
        await Do(
            new SaveConversation(Conversation("page", "x", "psid-a")),
            new SaveConversation(Conversation("page", "y", "psid-b")),
            new SaveConversation(Conversation("page", "z", "psid-c")),
            new SaveConversation(Conversation("other", "x", "psid-d"))
        );
        await Do(
            new SaveMessage(Message("a1", "page", "psid-a", T0.AddSeconds(1))),
            new SaveMessage(Message("b1", "page", "psid-b", T0.AddSeconds(5))),
            new SaveMessage(Message("a2", "page", "psid-a", T0.AddSeconds(9), MessageKind.SenderAction)),
            new SaveMessage(Message("a3", "page", "psid-a", T0.AddSeconds(3), direction: MessageDirection.FromPerson)),
            new SaveMessage(Message("d1", "other", "psid-d", T0.AddSeconds(7)))
        );

        var all = await Read(s => s.ListConversations("page", null, null, 10));
        Assert.Equal(
            [("psid-b", T0.AddSeconds(5), 1), ("psid-a", T0.AddSeconds(3), 2)],
            all.Select(c => (c.Conversation.Psid, c.Updated, c.MessageCount))
        );
        var after = await Read(s =>
            s.ListConversations("page", null, new ConversationCursor(T0.AddSeconds(5), "psid-b"), 10)
        );
        Assert.Equal(["psid-a"], after.Select(c => c.Conversation.Psid));
        Assert.Equal(
            ["psid-a"],
            (await Read(s => s.ListConversations("page", "psid-a", null, 10))).Select(c => c.Conversation.Psid)
        );
        Assert.Single(await Read(s => s.ListConversations("page", null, null, 1)));
    }

    [Fact]
    public async Task ListConversationMessages_NewestFirstWithoutSenderActions_AfterAMid()
    {
        await SeedAsync();
        await Do(
            new SaveMessage(Message("m1", "page", "psid", T0)),
            new SaveMessage(Message("s1", "page", "psid", T0, MessageKind.SenderAction)),
            new SaveMessage(Message("m2", "page", "psid", T0)),
            new SaveMessage(Message("m3", "page", "psid", T0))
        );
        Assert.Equal(
            ["m3", "m2", "m1"],
            (await Read(s => s.ListConversationMessages("page", "psid", null, 10))).Select(m => m.Mid)
        );
        Assert.Equal(["m2"], (await Read(s => s.ListConversationMessages("page", "psid", "m3", 1))).Select(m => m.Mid));
        Assert.Empty(await Read(s => s.ListConversationMessages("other", "psid", null, 10)));
    }

    // :: Subscriptions

    [Fact]
    public async Task SaveAppSubscription_ReadOneAndAllInObjectOrder_DeleteRemovesOne()
    {
        var page = new AppSubscription("a", "page", "http://h/1", "v", ["messages", "message_reads"]);
        var insta = new AppSubscription("a", "instagram", "http://h/2", "w", ["messages"]);
        await Do(new SaveAppSubscription(page), new SaveAppSubscription(insta));
        await Do(new SaveAppSubscription(page with { CallbackUrl = "http://h/3" }));
        Assert.Equal("http://h/3", (await Read(s => s.GetAppSubscription("a", "page")))!.CallbackUrl);
        Assert.Equal(["messages", "message_reads"], (await Read(s => s.GetAppSubscription("a", "page")))!.Fields);
        Assert.Equal(["instagram", "page"], (await Read(s => s.GetAppSubscriptions("a"))).Select(x => x.Object));

        await Do(new DeleteAppSubscription("a", "instagram"));
        Assert.Null(await Read(s => s.GetAppSubscription("a", "instagram")));
        Assert.Single(await Read(s => s.GetAppSubscriptions("a")));
    }

    [Fact]
    public async Task SavePageSubscription_ListedInAppOrder_DeleteRemovesOne()
    {
        await Do(
            new SavePageSubscription(new PageSubscription("p", "b", ["messages"])),
            new SavePageSubscription(new PageSubscription("p", "a", []))
        );
        Assert.Equal(
            [("a", 0), ("b", 1)],
            (await Read(s => s.GetPageSubscriptions("p"))).Select(x => (x.AppId, x.Fields.Count))
        );
        await Do(new DeletePageSubscription("p", "b"));
        Assert.Equal(["a"], (await Read(s => s.GetPageSubscriptions("p"))).Select(x => x.AppId));
    }

    [Fact]
    public async Task GetSubscribers_AppsWithBothLayers_FieldsBothName_AndFollowChangesInTheSameCommand()
    {
        await Do(
            new SaveAppSubscription(new AppSubscription("a", "page", "http://h", "v", ["messages", "message_reads"])),
            new SaveAppSubscription(new AppSubscription("b", "page", "http://h", "v", ["messages"])),
            new SaveAppSubscription(new AppSubscription("c", "instagram", "http://h", "v", ["messages"])),
            new SavePageSubscription(new PageSubscription("p", "a", ["message_reads", "message_echoes"])),
            new SavePageSubscription(new PageSubscription("p", "b", ["message_echoes"])),
            new SavePageSubscription(new PageSubscription("p", "c", ["messages"]))
        );

        var subscribers = await Read(s => s.GetSubscribers("p", "page"));
        var only = Assert.Single(subscribers);
        Assert.Equal("a", only.AppId);
        Assert.Equal(["message_reads"], only.Fields);

        var afterChange = await Store.WriteAsync(s =>
        {
            _ = s.GetSubscribers("p", "page");
            s.Apply(new SavePageSubscription(new PageSubscription("p", "b", ["messages"])));
            return s.GetSubscribers("p", "page").Select(x => x.AppId).ToList();
        });
        Assert.Equal(["a", "b"], afterChange);
        // The store's list is the domain's definition of it (WebhookFanout.Subscribers), however the store computes it.
        var (stored, defined) = await Read(s =>
            (s.GetSubscribers("p", "page"), WebhookFanout.Subscribers(s, "p", "page"))
        );
        Assert.Equal(
            defined.Select(x => (x.AppId, string.Join(',', x.Fields.Order(StringComparer.Ordinal)))),
            stored.Select(x => (x.AppId, string.Join(',', x.Fields.Order(StringComparer.Ordinal))))
        );
    }

    [Fact]
    public async Task SaveSetting_ReadBackAndReplaced()
    {
        Assert.Null(await Read(s => s.GetSetting("k")));
        await Do(new SaveSetting("k", "v1"));
        await Do(new SaveSetting("k", "v2"));
        Assert.Equal("v2", await Read(s => s.GetSetting("k")));
    }

    // :: Marketing

    [Fact]
    public async Task SaveToken_EveryFieldReadBack_TokensOfAPersonInCreationOrder()
    {
        var full = Token("t1", "page", "psid", T0) with
        {
            TimeZone = null,
            Frequency = null,
            ReOptIn = ReOptIn.Disabled,
            Status = TokenStatus.Stopped,
            UserTokenStatus = UserTokenStatus.Refreshed,
            ExpiresAt = T0.AddDays(180),
            LastMarketingSendAt = T0.AddHours(1),
            FollowUpsSent = 2,
            FirstFollowUpAt = T0.AddMinutes(1),
            FollowUpOpen = true,
        };
        var later = Token("t0", "page", "psid", T0) with { Created = T0.AddSeconds(1) };
        await Do(new SaveToken(full), new SaveToken(later), new SaveToken(Token("t9", "page", "other", T0)));
        Assert.Equal(full, await Read(s => s.GetToken("t1")));
        Assert.Equal(["t1", "t0"], (await Read(s => s.GetTokensOf("page", "psid"))).Select(t => t.Token));

        await Do(new SaveToken(full with { FollowUpsSent = 3, Status = TokenStatus.Active }));
        Assert.Equal(full with { FollowUpsSent = 3, Status = TokenStatus.Active }, await Read(s => s.GetToken("t1")));
        Assert.Null(await Read(s => s.GetToken("none")));
    }

    [Fact]
    public async Task ListTokens_ValidOnlyNewestUpdateFirst_KeysetPaged_UnexpiredFilter()
    {
        await Do(
            new SaveConversation(Conversation("page", "x", "psid")),
            new SaveConversation(Conversation("page", "y", "blocker") with { Blocked = true })
        );
        await Do(
            new SaveToken(Token("t1", "page", "psid", T0.AddSeconds(1))),
            new SaveToken(Token("t2", "page", "psid", T0.AddSeconds(3))),
            new SaveToken(Token("t3", "page", "psid", T0.AddSeconds(3))),
            new SaveToken(Token("t4", "page", "psid", T0.AddSeconds(9), TokenStatus.Stopped)),
            new SaveToken(Token("t5", "page", "blocker", T0.AddSeconds(9))),
            new SaveToken(Token("t6", "page", "psid", T0.AddSeconds(2), expires: T0.AddDays(1))),
            new SaveToken(Token("t7", "other", "psid", T0))
        );

        Assert.Equal(["t3", "t2", "t6", "t1"], (await Read(s => s.ListTokens("page", null, 10))).Select(t => t.Token));
        Assert.Equal(
            ["t2", "t6"],
            (await Read(s => s.ListTokens("page", new TokenCursor(T0.AddSeconds(3), "t3"), 2))).Select(t => t.Token)
        );
        Assert.Equal(
            ["t3", "t2", "t1"],
            (await Read(s => s.ListTokens("page", null, 10, T0.AddDays(1)))).Select(t => t.Token)
        );
        Assert.Equal(
            ["t3", "t2", "t6", "t1"],
            (await Read(s => s.ListTokens("page", null, 10, T0.AddHours(23)))).Select(t => t.Token)
        );
    }

    [Fact]
    public async Task SaveOptInRequest_ElementsOfOneMidInOrder_AndAPersonsRequestsSinceAnInstant()
    {
        OptInRequestRecord Req(string mid, int element, DateTimeOffset sent, string? reoptin = null) =>
            new(
                mid,
                element,
                "page",
                "psid",
                $"T{mid}{element}",
                "P",
                element == 0 ? "http://img" : null,
                TokenFrequency.Monthly,
                ReOptIn.Disabled,
                element == 0 ? null : "UTC",
                sent,
                reoptin
            );
        await Do(
            new SaveOptInRequest(Req("m1", 1, T0)),
            new SaveOptInRequest(Req("m1", 0, T0)),
            new SaveOptInRequest(Req("m2", 0, T0.AddDays(2), "tok")),
            new SaveOptInRequest(Req("m3", 0, T0.AddDays(1)) with { Psid = "other" })
        );
        Assert.Equal([Req("m1", 0, T0), Req("m1", 1, T0)], await Read(s => s.GetOptInRequest("m1")));
        Assert.Equal(["m2"], (await Read(s => s.GetOptInRequestsSince("page", "psid", T0))).Select(r => r.Mid));
        Assert.Equal(
            ["m1", "m1", "m2"],
            (await Read(s => s.GetOptInRequestsSince("page", "psid", T0.AddMilliseconds(-1)))).Select(r => r.Mid)
        );
        Assert.Equal("tok", (await Read(s => s.GetOptInRequest("m2")))[0].ReOptInToken);
        Assert.Empty(await Read(s => s.GetOptInRequest("none")));
    }

    // :: Entry points, personas, attachments, handover, profile

    [Fact]
    public async Task SavePostCommentUserRef_ReadBack_RepliedAndUsedUpdated()
    {
        await Do(
            new SavePost(new PostRecord("page_1", "page", T0)),
            new SaveComment(new CommentRecord("1_2", "page_1", "page", "x", "nice", T0, null)),
            new SaveUserRef(new UserRefRecord("ref", "page", "x", T0, null))
        );
        await Do(
            new SaveComment(new CommentRecord("1_2", "page_1", "page", "x", "nice", T0, T0.AddHours(1))),
            new SaveUserRef(new UserRefRecord("ref", "page", "x", T0, T0.AddMinutes(5)))
        );
        Assert.Equal(new PostRecord("page_1", "page", T0), await Read(s => s.GetPost("page_1")));
        Assert.Equal(T0.AddHours(1), (await Read(s => s.GetComment("1_2")))!.RepliedAt);
        Assert.Equal(
            new UserRefRecord("ref", "page", "x", T0, T0.AddMinutes(5)),
            await Read(s => s.GetUserRef("page", "ref"))
        );
        Assert.Null(await Read(s => s.GetUserRef("other", "ref")));
        Assert.Null(await Read(s => s.GetComment("none")));
        Assert.Null(await Read(s => s.GetPost("none")));
    }

    [Fact]
    public async Task SavePersona_LiveOnesListedInIdOrderAfterACursor_DeletedKeptButNotListed()
    {
        PersonaRecord P(string id, DateTimeOffset? deleted = null) =>
            new(id, "page", "name " + id, "https://pic/" + id, T0, deleted);
        await Do(
            new SavePersona(P("3")),
            new SavePersona(P("1")),
            new SavePersona(P("2")),
            new SavePersona(P("4") with { PageId = "other" })
        );
        await Do(new SavePersona(P("2", T0.AddDays(1))));
        Assert.Equal(P("2", T0.AddDays(1)), await Read(s => s.GetPersona("2")));
        Assert.Equal(["1", "3"], (await Read(s => s.ListPersonas("page", null, 10))).Select(p => p.Id));
        Assert.Equal(["3"], (await Read(s => s.ListPersonas("page", "1", 10))).Select(p => p.Id));
        Assert.Single(await Read(s => s.ListPersonas("page", null, 1)));
    }

    [Fact]
    public async Task SaveAttachment_UrlAndFileUploads_ReadBack()
    {
        var byUrl = new AttachmentRecord("100", "page", "image", "https://example.com/a.png", null, null, null, T0);
        var byFile = new AttachmentRecord(
            "200",
            "page",
            "video",
            null,
            "video/mp4",
            26_214_400,
            "clip.mp4",
            T0.AddMilliseconds(5),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
        await Do(new SaveAttachment(byUrl), new SaveAttachment(byFile));
        Assert.Equal(byUrl, await Read(s => s.GetAttachment("100")));
        Assert.Equal(byFile, await Read(s => s.GetAttachment("200")));
        Assert.Null(await Read(s => s.GetAttachment("300")));
    }

    [Fact]
    public async Task SaveThreadOwner_SetReplacedAndCleared()
    {
        await Do(new SaveThreadOwner("page", "psid", "a"));
        await Do(new SaveThreadOwner("page", "psid", "b"));
        Assert.Equal("b", await Read(s => s.GetThreadOwner("page", "psid")));
        await Do(new SaveThreadOwner("page", "psid", null));
        Assert.Null(await Read(s => s.GetThreadOwner("page", "psid")));
    }

    [Fact]
    public async Task SaveProfileField_SetReplacedDeleted_ReadAsAMap()
    {
        await Do(
            new SaveProfileField("page", "greeting", "[1]"),
            new SaveProfileField("page", "get_started", "{}"),
            new SaveProfileField("other", "greeting", "[2]")
        );
        await Do(new SaveProfileField("page", "greeting", "[3]"), new DeleteProfileField("page", "get_started"));
        var profile = await Read(s => s.GetMessengerProfile("page"));
        Assert.Equal("[3]", Assert.Single(profile, kv => kv.Key == "greeting").Value);
        Assert.Single(profile);
    }

    // :: Deleting an app

    [Fact]
    public async Task DeleteApp_RemovesEverythingItOwns_AndLeavesOtherAppsAlone()
    {
        await SeedAsync("gone", "gone-page", "x", "gone-psid");
        await SeedAsync("kept", "kept-page", "x", "kept-psid");
        foreach (
            var (app, page, psid) in new[] { ("gone", "gone-page", "gone-psid"), ("kept", "kept-page", "kept-psid") }
        )
        {
            await Do(
                new SavePageToken(new PageToken("EAA" + page, page, app)),
                new SaveMessage(Message("m-" + page, page, psid, T0)),
                new SaveToken(Token("t-" + page, page, psid, T0)),
                new SavePersona(new PersonaRecord("pa-" + page, page, "n", "https://p", T0, null)),
                new SaveAttachment(
                    new AttachmentRecord("at-" + page, page, "image", "https://x", null, null, null, T0)
                ),
                new SaveThreadOwner(page, psid, app),
                new SaveProfileField(page, "greeting", "[]"),
                new SaveAppSubscription(new AppSubscription(app, "page", "http://h", "v", ["messages"])),
                new SavePageSubscription(new PageSubscription(page, app, ["messages"]))
            );
        }

        await Do(new DeleteApp("gone"));

        var gone = await Read(s =>
            (
                s.GetApp("gone"),
                s.GetPage("gone-page"),
                s.GetPageToken("EAAgone-page"),
                s.GetConversation("gone-page", "x"),
                s.GetMessage("m-gone-page"),
                s.GetToken("t-gone-page"),
                s.GetPersona("pa-gone-page"),
                s.GetAttachment("at-gone-page"),
                s.GetThreadOwner("gone-page", "gone-psid"),
                s.GetMessengerProfile("gone-page").Count,
                s.GetAppSubscriptions("gone").Count,
                s.GetPageSubscriptions("gone-page").Count
            )
        );
        Assert.Equal((null, null, null, null, null, null, null, null, null, 0, 0, 0), gone);
        var kept = await Read(s =>
            (
                s.GetApp("kept") is not null,
                s.GetConversation("kept-page", "x") is not null,
                s.GetMessage("m-kept-page") is not null,
                s.GetToken("t-kept-page") is not null,
                s.GetThreadOwner("kept-page", "kept-psid"),
                s.GetSubscribers("kept-page", "page").Count
            )
        );
        Assert.Equal((true, true, true, true, "kept", 1), kept);
        Assert.NotNull(await Read(s => s.GetPerson("x")));
    }

    [Fact]
    public async Task DeleteApp_ItsPagesPendingEventsForOtherApps_AreDropped()
    {
        await Do(new SaveApp(App("owner")), new SavePage(Page("page", "owner")));
        await SeedSubscribedPageAsync("other", "other-page");
        await RecordReadAsync("other", "page");

        await Do(new DeleteApp("owner"));

        Assert.Empty(await Store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
    }
}
