using System.Text;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Contract;

/// <summary>
/// The readers and effects ported to each backend by hand beyond the core: what a person does beyond writing
/// (reactions, edits, unsends, feedback answers), policy blocks and webhook switches, the inbox page's listings and
/// message personas, the delivery attempts with the bot's answers, the conversation views, and the successor API's ad
/// accounts, campaigns, paid messages and audiences.
/// </summary>
public abstract partial class StoreContract
{
    // :: What a person does beyond writing

    [Fact]
    public async Task SaveReaction_SetReplacedAndTakenBack_ReadOneAndPerConversation()
    {
        await SeedAsync();
        await Do(
            new SavePerson(Person("other")),
            new SaveConversation(Conversation("page", "other", "psid-2")),
            new SaveMessage(Message("m_1", "page", "psid", T0)),
            new SaveMessage(Message("m_2", "page", "psid", T0.AddSeconds(1))),
            new SaveMessage(Message("m_3", "page", "psid-2", T0.AddSeconds(2)))
        );

        await Do(
            new SaveReaction("page", "m_1", "psid", "❤️"),
            new SaveReaction("page", "m_2", "psid", "👍"),
            new SaveReaction("page", "m_3", "psid-2", "😮")
        );
        await Do(new SaveReaction("page", "m_1", "psid", "😆"));

        var (one, none, ofConversation, ofOther) = await Read(s =>
            (
                s.GetReaction("m_1", "psid"),
                s.GetReaction("m_1", "psid-2"),
                s.GetReactionsOfConversation("page", "psid"),
                s.GetReactionsOfConversation("page", "psid-2")
            )
        );
        Assert.Equal("😆", one);
        Assert.Null(none);
        Assert.Equal(
            new Dictionary<string, string> { ["m_1"] = "😆", ["m_2"] = "👍" },
            ofConversation.OrderBy(x => x.Key, StringComparer.Ordinal).ToDictionary()
        );
        Assert.Equal("😮", Assert.Single(ofOther).Value);

        await Do(new SaveReaction("page", "m_2", "psid", null));
        Assert.Null(await Read(s => s.GetReaction("m_2", "psid")));
        Assert.Equal(["m_1"], (await Read(s => s.GetReactionsOfConversation("page", "psid"))).Keys);
        Assert.Empty(await Read(s => s.GetReactionsOfConversation("page", "unknown psid")));
    }

    [Fact]
    public async Task EditMessage_NewObjectAndCount_DeleteMessage_TakesItsReactionAndEditsAlong()
    {
        await SeedAsync();
        await Do(
            new SaveMessage(Message("m_1", "page", "psid", T0, direction: MessageDirection.FromPerson)),
            new SaveMessage(Message("m_2", "page", "psid", T0.AddSeconds(1)))
        );
        Assert.Equal(0, await Read(s => s.GetEditCount("m_1")));

        await Do(new EditMessage("page", "m_1", "{\"text\":\"first fix\"}", 1));
        await Do(new EditMessage("page", "m_1", "{\"text\":\"second fix\"}", 2));
        var (count, edited) = await Read(s => (s.GetEditCount("m_1"), s.GetMessage("m_1")));
        Assert.Equal(2, count);
        Assert.Equal("{\"text\":\"second fix\"}", edited!.MessageJson);
        Assert.Equal(MessageDirection.FromPerson, edited.Direction);

        await Do(new SaveReaction("page", "m_1", "psid", "👍"), new DeleteMessage("m_1"));
        var (gone, tail, reaction, edits) = await Read(s =>
            (
                s.GetMessage("m_1"),
                s.GetConversationMessages("page", "psid", 10),
                s.GetReaction("m_1", "psid"),
                s.GetEditCount("m_1")
            )
        );
        Assert.Null(gone);
        Assert.Equal(["m_2"], tail.Select(m => m.Mid));
        Assert.Null(reaction);
        Assert.Equal(0, edits);
    }

    [Fact]
    public async Task SaveFeedbackAnswer_AnsweredOnce_OtherTemplatesNot()
    {
        await SeedAsync();
        await Do(new SaveMessage(Message("m_feedback", "page", "psid", T0)));
        Assert.False(await Read(s => s.IsFeedbackAnswered("m_feedback")));

        await Do(new SaveFeedbackAnswer("page", "m_feedback", T0.AddMinutes(1)));
        await Do(new SaveFeedbackAnswer("page", "m_feedback", T0.AddMinutes(2)));

        Assert.True(await Read(s => s.IsFeedbackAnswered("m_feedback")));
        Assert.False(await Read(s => s.IsFeedbackAnswered("m_other")));
    }

    [Fact]
    public async Task SavePolicyBlock_BlocksThatAppOnThatPage_UnblockClearsIt()
    {
        await SeedAsync();
        await Do(new SaveApp(App("app2")), new SavePage(Page("page2", "app")));

        await Do(new SavePolicyBlock("page", "app", true));
        await Do(new SavePolicyBlock("page", "app", true));
        Assert.Equal(
            (true, false, false),
            await Read(s =>
                (
                    s.IsBlockedByPolicy("page", "app"),
                    s.IsBlockedByPolicy("page", "app2"),
                    s.IsBlockedByPolicy("page2", "app")
                )
            )
        );

        await Do(new SavePolicyBlock("page", "app", false));
        Assert.False(await Read(s => s.IsBlockedByPolicy("page", "app")));
        await Do(new SavePolicyBlock("page", "app", false));
        Assert.False(await Read(s => s.IsBlockedByPolicy("page", "app")));
    }

    [Fact]
    public async Task HasOptInTopic_OnlyTitlesTheAppAskedFor_ReOptInPromptsDoNotCount()
    {
        await SeedAsync();
        var asked = new OptInRequestRecord(
            "m_ask",
            0,
            "page",
            "psid",
            "Weekly deals",
            "DEALS",
            null,
            TokenFrequency.Weekly,
            ReOptIn.Enabled,
            "UTC",
            T0,
            null
        );
        var prompt = asked with { Mid = "m_prompt", Title = "Only a prompt", ReOptInToken = "tok" };
        await Do(new SaveOptInRequest(asked), new SaveOptInRequest(prompt));

        Assert.Equal(
            (true, false, false, false),
            await Read(s =>
                (
                    s.HasOptInTopic("page", "Weekly deals"),
                    s.HasOptInTopic("page", "weekly deals"),
                    s.HasOptInTopic("other page", "Weekly deals"),
                    s.HasOptInTopic("page", "Only a prompt")
                )
            )
        );
    }

    [Fact]
    public async Task SetWebhooksDisableOnFailure_OnByDefault_SwitchedPerApp()
    {
        await Do(new SaveApp(App("a1")), new SaveApp(App("a2")));
        Assert.Equal(
            (true, true),
            await Read(s => (s.DisablesWebhooksOnFailure("a1"), s.DisablesWebhooksOnFailure("a2")))
        );

        await Do(new SetWebhooksDisableOnFailure("a1", false));
        Assert.Equal(
            (false, true),
            await Read(s => (s.DisablesWebhooksOnFailure("a1"), s.DisablesWebhooksOnFailure("a2")))
        );

        await Do(new SaveApp(App("a1") with { Name = "renamed" }));
        Assert.False(await Read(s => s.DisablesWebhooksOnFailure("a1")));
        await Do(new SetWebhooksDisableOnFailure("a1", true));
        Assert.True(await Read(s => s.DisablesWebhooksOnFailure("a1")));
    }

    // :: Conversation views

    [Fact]
    public async Task GetConversationMessagesBefore_NewestPageBeforeAMid_OldestFirst_SenderActionsIncluded()
    {
        await SeedAsync();
        await Do(new SavePerson(Person("other")), new SaveConversation(Conversation("page", "other", "psid-2")));
        for (var i = 1; i <= 5; i++)
            await Do(
                new SaveMessage(
                    Message(
                        $"m_{i}",
                        "page",
                        "psid",
                        T0.AddSeconds(i),
                        i == 3 ? MessageKind.SenderAction : MessageKind.Standard
                    )
                )
            );
        await Do(new SaveMessage(Message("m_x", "page", "psid-2", T0.AddSeconds(9))));

        var (newest, before4, beforeFirst) = await Read(s =>
            (
                s.GetConversationMessagesBefore("page", "psid", null, 2),
                s.GetConversationMessagesBefore("page", "psid", "m_4", 10),
                s.GetConversationMessagesBefore("page", "psid", "m_1", 10)
            )
        );

        Assert.Equal(["m_4", "m_5"], newest.Select(m => m.Mid));
        Assert.Equal(["m_1", "m_2", "m_3"], before4.Select(m => m.Mid));
        Assert.Empty(beforeFirst);
    }

    [Fact]
    public async Task GetConversationActivity_UnreadAfterThePagesLastMessageOrMarkSeen_LastMessageAndWhoWrote()
    {
        await SeedAsync();
        Assert.Equal(
            new ConversationActivity(0, null, false, false),
            await Read(s => s.GetConversationActivity("page", "psid"))
        );

        await Do(
            new SaveMessage(Message("m_1", "page", "psid", T0, direction: MessageDirection.FromPerson)),
            new SaveMessage(Message("m_2", "page", "psid", T0.AddSeconds(1), direction: MessageDirection.FromPerson))
        );
        Assert.Equal(
            new ConversationActivity(2, "{\"text\":\"m_2\"}", true, false),
            await Read(s => s.GetConversationActivity("page", "psid"))
        );

        // A typing indicator is no message and reads nothing; mark_seen reads what came before it.
        await Do(
            new SaveMessage(
                new StoredMessage(
                    "m_typing",
                    "page",
                    "psid",
                    MessageDirection.FromPage,
                    MessageKind.SenderAction,
                    T0.AddSeconds(2),
                    "{\"sender_action\":\"typing_on\"}",
                    "app"
                )
            )
        );
        Assert.Equal(
            new ConversationActivity(2, "{\"text\":\"m_2\"}", true, false),
            await Read(s => s.GetConversationActivity("page", "psid"))
        );
        await Do(
            new SaveMessage(
                new StoredMessage(
                    "m_seen",
                    "page",
                    "psid",
                    MessageDirection.FromPage,
                    MessageKind.SenderAction,
                    T0.AddSeconds(3),
                    "{\"sender_action\":\"mark_seen\"}",
                    "app"
                )
            ),
            new SaveMessage(Message("m_3", "page", "psid", T0.AddSeconds(4), direction: MessageDirection.FromPerson))
        );
        Assert.Equal(
            new ConversationActivity(1, "{\"text\":\"m_3\"}", true, false),
            await Read(s => s.GetConversationActivity("page", "psid"))
        );

        await Do(new SaveMessage(Message("m_4", "page", "psid", T0.AddSeconds(5))));
        Assert.Equal(
            new ConversationActivity(0, "{\"text\":\"m_4\"}", true, true),
            await Read(s => s.GetConversationActivity("page", "psid"))
        );
    }

    // :: Listings of the inbox page and the developer's view

    [Fact]
    public async Task Listings_AppsPersonsConversationsInCreationOrder_AnUpdateKeepsThePlace_UpToTheLimit()
    {
        await Do(new SaveApp(App("a2")), new SavePage(Page("p2", "a2")));
        await Do(new SaveApp(App("a1")), new SavePage(Page("p1", "a1")));
        await Do(new SavePerson(Person("zed")), new SavePerson(Person("ada")), new SavePerson(Person("bob")));
        await Do(
            new SaveConversation(Conversation("p1", "ada", "psid-1")),
            new SaveConversation(Conversation("p2", "ada", "psid-2") with { Blocked = true }),
            new SaveConversation(Conversation("p2", "zed", "psid-3"))
        );

        // Saved again (renamed, blocked, moved clock): listed where they were.
        await Do(
            new SaveApp(App("a2") with { Name = "renamed" }),
            new SavePerson(Person("zed") with { Name = "Zed again" }),
            new SaveConversation(Conversation("p1", "ada", "psid-1", T0.AddHours(1)))
        );

        var (apps, persons, ofAda, ofPage, firstApp, firstPerson) = await Read(s =>
            (
                s.ListApps(10),
                s.ListPersons(10),
                s.GetConversationsOfPerson("ada"),
                s.GetConversationsOfPage("p2", 10),
                s.ListApps(1),
                s.ListPersons(2)
            )
        );
        Assert.Equal(["a2", "a1"], apps.Select(a => a.Id));
        Assert.Equal("renamed", apps[0].Name);
        Assert.Equal(["zed", "ada", "bob"], persons.Select(p => p.Id));
        Assert.Equal("Zed again", persons[0].Name);
        Assert.Equal(["psid-1", "psid-2"], ofAda.Select(c => c.Psid));
        Assert.Equal(T0.AddHours(1), ofAda[0].LastInboundAt);
        Assert.Equal(["psid-2", "psid-3"], ofPage.Select(c => c.Psid));
        Assert.True(ofPage[0].Blocked);
        Assert.Equal(["a2"], firstApp.Select(a => a.Id));
        Assert.Equal(["zed", "ada"], firstPerson.Select(p => p.Id));
        Assert.Single(await Read(s => s.GetConversationsOfPage("p2", 1)));
        Assert.Empty(await Read(s => s.GetConversationsOfPerson("bob")));
    }

    [Fact]
    public async Task GetTokensOfPage_EveryStatusNewestUpdateFirst_UpToTheLimit()
    {
        await SeedAsync();
        await Do(
            new SaveToken(Token("t1", "page", "psid", T0.AddMinutes(1))),
            new SaveToken(Token("t2", "page", "psid", T0.AddMinutes(3), TokenStatus.Stopped)),
            new SaveToken(Token("t3", "page", "psid", T0.AddMinutes(2), expires: T0)),
            new SaveToken(Token("t4", "other page", "psid", T0.AddMinutes(9)))
        );

        var (all, first) = await Read(s => (s.GetTokensOfPage("page", 10), s.GetTokensOfPage("page", 1)));

        Assert.Equal(["t2", "t3", "t1"], all.Select(t => t.Token));
        Assert.Equal(TokenStatus.Stopped, all[0].Status);
        Assert.Equal(["t2"], first.Select(t => t.Token));
    }

    [Fact]
    public async Task SaveMessagePersona_ListedForItsConversationOnly_GoneWithTheApp()
    {
        await SeedAsync();
        await Do(
            new SavePerson(Person("other")),
            new SaveConversation(Conversation("page", "other", "psid-2")),
            new SaveMessage(Message("m_1", "page", "psid", T0)),
            new SaveMessage(Message("m_2", "page", "psid", T0.AddSeconds(1))),
            new SaveMessage(Message("m_3", "page", "psid-2", T0.AddSeconds(2))),
            new SaveMessagePersona("m_1", "page", "777"),
            new SaveMessagePersona("m_3", "page", "888")
        );

        var (mine, theirs, none) = await Read(s =>
            (
                s.GetMessagePersonas("page", "psid"),
                s.GetMessagePersonas("page", "psid-2"),
                s.GetMessagePersonas("page", "unknown")
            )
        );
        Assert.Equal(new Dictionary<string, string> { ["m_1"] = "777" }, mine.ToDictionary());
        Assert.Equal(new Dictionary<string, string> { ["m_3"] = "888" }, theirs.ToDictionary());
        Assert.Empty(none);

        await Do(new DeleteApp("app"));
        Assert.Empty(await Read(s => s.GetMessagePersonas("page", "psid")));
    }

    // :: Delivery attempts and the bot's answers

    private async Task<DeliveryWork> OneDeliveryAsync(long clockOffsetMs = 0)
    {
        await Do(
            new SaveApp(App("app", clockOffsetMs)),
            new SavePage(Page("page", "app")),
            new SaveAppSubscription(
                new AppSubscription("app", "page", "http://127.0.0.1:1/hook", "v", ["message_reads"])
            ),
            new RecordWebhook("app", "page", new ReadEvent("page", "psid", T0, T0, Platform.Messenger))
        );
        return Assert.Single(await Store.Outbox.ClaimDueAsync(JoinEvents, 100, TimeSpan.FromMinutes(1)));
    }

    private static byte[] JoinEvents(IReadOnlyList<PendingEvent> events) =>
        Encoding.UTF8.GetBytes(string.Join('|', events.Select(e => e.EventJson)));

    [Fact]
    public async Task RecordAttempt_WithTheBotsAnswer_KeptPerAttemptOnTheAppsClock_OnlyForThatApp()
    {
        var d = await OneDeliveryAsync(clockOffsetMs: 3_600_000);
        await Store.Outbox.RecordAttemptAsync(
            d.Id,
            false,
            500,
            "HTTP 500",
            Time.GetUtcNow().AddHours(1).AddSeconds(5),
            answer: new DeliveryAnswer("<h1>oops</h1>", 12)
        );
        Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(await Store.Outbox.ClaimDueAsync(JoinEvents, 100, TimeSpan.FromMinutes(1)));
        await Store.Outbox.RecordAttemptAsync(
            d.Id,
            true,
            200,
            null,
            null,
            answer: new DeliveryAnswer("EVENT_RECEIVED", 3)
        );

        var attempts = await Store.Outbox.ListAttemptsAsync("app", [d.Id]);

        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal([500, 200], attempts.Select(a => a.Status ?? 0));
        Assert.Equal(["<h1>oops</h1>", "EVENT_RECEIVED"], attempts.Select(a => a.Answer));
        Assert.Equal(["HTTP 500", null], attempts.Select(a => a.Error));
        Assert.Equal([12L, 3L], attempts.Select(a => a.DurationMs ?? -1));
        Assert.Equal(Time.GetUtcNow().AddHours(1), attempts[1].Time); // the app's clock, an hour ahead
        var entry = await Store.Outbox.GetAsync("app", d.Id);
        Assert.Equal(DeliveryStatus.Delivered, entry!.Status);
        Assert.Equal(2, entry.Attempts);
        Assert.Equal(200, entry.LastStatus);
        Assert.Null(await Store.Outbox.GetAsync("another app", d.Id));
        Assert.Empty(await Store.Outbox.ListAttemptsAsync("another app", [d.Id]));
        Assert.Empty(await Store.Outbox.ListAttemptsAsync("app", [d.Id + 1000]));
    }

    [Fact]
    public async Task RecordAttempt_WithoutAnAnswer_CountedWithItsError()
    {
        var d = await OneDeliveryAsync();
        await Store.Outbox.RecordAttemptAsync(d.Id, false, null, "timeout", nextAttempt: null);

        var attempt = Assert.Single(await Store.Outbox.ListAttemptsAsync("app", [d.Id]));
        Assert.Null(attempt.Status);
        Assert.Null(attempt.Answer);
        Assert.Null(attempt.DurationMs);
        Assert.Equal("timeout", attempt.Error);
        Assert.Equal(DeliveryStatus.Failed, (await Store.Outbox.GetAsync("app", d.Id))!.Status);
    }

    [Fact]
    public async Task ResumeWebhooks_FailedLaneOfTheApp_IsDueAgainFirst_AndItsHeldEventsFollow()
    {
        var d = await OneDeliveryAsync();
        await Store.Outbox.RecordAttemptAsync(d.Id, false, 500, "HTTP 500", nextAttempt: null, unsubscribe: true);
        await Do(
            new RecordWebhook(
                "app",
                "page",
                new ReadEvent("page", "psid", T0.AddSeconds(1), T0.AddSeconds(1), Platform.Messenger)
            )
        );
        Assert.Empty(await Store.Outbox.ClaimDueAsync(JoinEvents, 100, TimeSpan.FromMinutes(1)));

        await Do(
            new SavePageSubscription(new PageSubscription("page", "app", ["message_reads"])),
            new ResumeWebhooks("app", "page")
        );

        var again = Assert.Single(await Store.Outbox.ClaimDueAsync(JoinEvents, 100, TimeSpan.FromMinutes(1)));
        Assert.Equal(d.Id, again.Id);
        await Store.Outbox.RecordAttemptAsync(again.Id, true, 200, null, null);
        var next = Assert.Single(await Store.Outbox.ClaimDueAsync(JoinEvents, 100, TimeSpan.FromMinutes(1)));
        Assert.NotEqual(d.Id, next.Id);
        Assert.Equal("r0", Encoding.UTF8.GetString(next.Body));
    }

    // :: The successor API: ad accounts, campaigns, paid messages, audiences

    private static AdAccountRecord Account(
        string id,
        string app = "app",
        string page = "page",
        DateTimeOffset? created = null
    ) =>
        new(
            id,
            app,
            page,
            "biz",
            "USD",
            "US",
            "UTC",
            10_000,
            null,
            3,
            ["ads_management", "paid_marketing_messages"],
            created ?? T0
        );

    private static MessageCampaignRecord Campaign(string id, string account = "acc1", DateTimeOffset? created = null) =>
        new(
            id,
            "g" + id,
            "s" + id,
            account,
            "page",
            "campaign " + id,
            1000,
            null,
            null,
            null,
            null,
            T0,
            null,
            created ?? T0,
            null
        );

    private static PaidMessageRecord Paid(
        string id,
        DateTimeOffset at,
        long charged,
        string campaign = "c1",
        string token = "tok1",
        string psid = "psid",
        string person = "person",
        PaidMessageStatus status = PaidMessageStatus.Delivered
    ) =>
        new(
            id,
            campaign,
            "acc1",
            "page",
            token,
            psid,
            person,
            status == PaidMessageStatus.Delivered ? "m_" + id : null,
            at,
            status,
            charged,
            null,
            0,
            status == PaidMessageStatus.Failed ? "undeliverable" : null
        );

    private async Task SeedCampaignsAsync()
    {
        await SeedAsync();
        await Do(new SaveAdAccount(Account("acc1")), new SaveMessageCampaign(Campaign("c1")));
    }

    [Fact]
    public async Task SaveAdAccountAndCampaign_EveryFieldReadBack_ListedOldestFirstDeletedToo()
    {
        await SeedAsync();
        await Do(new SaveApp(App("app2")), new SavePage(Page("page2", "app2")));
        var postpaid = Account("acc2", created: T0.AddMinutes(1)) with
        {
            BalanceCents = null,
            SpendCapCents = 50_000,
            Permissions = [],
        };
        await Do(
            new SaveAdAccount(postpaid),
            new SaveAdAccount(Account("acc1")),
            new SaveAdAccount(Account("acc3", "app2", "page2"))
        );
        var lifetime = Campaign("c2", created: T0.AddMinutes(1)) with
        {
            DailyBudget = null,
            LifetimeBudget = 9_000,
            EstimatedDailyCap = 100,
            BidAmount = 7,
            PixelId = "px",
            EndTime = T0.AddDays(3),
        };
        await Do(
            new SaveMessageCampaign(lifetime),
            new SaveMessageCampaign(Campaign("c1")),
            new SaveMessageCampaign(Campaign("c9", "acc3"))
        );
        await Do(new SaveMessageCampaign(Campaign("c1") with { Deleted = T0.AddHours(1), Name = "renamed" }));

        var (acc1, acc2, ofApp, c1, c2, listed) = await Read(s =>
            (
                s.GetAdAccount("acc1"),
                s.GetAdAccount("acc2"),
                s.GetAdAccountsOfApp("app"),
                s.GetMessageCampaign("c1"),
                s.GetMessageCampaign("c2"),
                s.ListMessageCampaigns("acc1")
            )
        );
        Assert.Equal(Account("acc1").Permissions, acc1!.Permissions);
        Assert.Equal(Account("acc1") with { Permissions = acc1.Permissions }, acc1);
        Assert.Equal(postpaid with { Permissions = acc2!.Permissions }, acc2);
        Assert.Empty(acc2.Permissions);
        Assert.Equal(["acc1", "acc2"], ofApp.Select(a => a.Id));
        Assert.Equal(Campaign("c1") with { Deleted = T0.AddHours(1), Name = "renamed" }, c1);
        Assert.Equal(lifetime, c2);
        Assert.Equal(["c1", "c2"], listed.Select(c => c.Id));
        Assert.Null(await Read(s => s.GetAdAccount("nope")));
        Assert.Null(await Read(s => s.GetMessageCampaign("nope")));
        Assert.Empty(await Read(s => s.ListMessageCampaigns("nope")));
    }

    [Fact]
    public async Task SavePaidMessage_ReadByMidTokenAndPerson_AnUpdateKeepsItsPlace()
    {
        await SeedCampaignsAsync();
        await Do(
            new SavePaidMessage(Paid("a", T0, 3)),
            new SavePaidMessage(Paid("b", T0, 3)),
            new SavePaidMessage(Paid("c", T0.AddHours(1), 0, status: PaidMessageStatus.Failed)),
            new SavePaidMessage(Paid("d", T0.AddHours(2), 3, token: "tok2", person: "other", psid: "psid-2"))
        );
        await Do(new SavePaidMessage(Paid("a", T0, 3) with { ReadAt = T0.AddMinutes(5), Clicks = 1 }));

        var (byMid, failedByMid, lastOnTok1, toPerson, since, lastAtOneInstant) = await Read(s =>
            (
                s.GetPaidMessageByMid("m_a"),
                s.GetPaidMessageByMid("m_c"),
                s.GetLastPaidMessageOnToken("tok1"),
                s.GetPaidMessagesToPerson("person", T0),
                s.GetPaidMessagesToPerson("person", T0.AddMinutes(30)),
                s.GetLastPaidMessageOnToken("tok1")
            )
        );
        Assert.Equal(Paid("a", T0, 3) with { ReadAt = T0.AddMinutes(5), Clicks = 1 }, byMid);
        Assert.Null(failedByMid);
        Assert.Equal("c", lastOnTok1!.TrackingId);
        Assert.Equal(PaidMessageStatus.Failed, lastOnTok1.Status);
        Assert.Equal("undeliverable", lastOnTok1.Error);
        Assert.Equal(["a", "b", "c"], toPerson.Select(p => p.TrackingId));
        Assert.Equal(["c"], since.Select(p => p.TrackingId));
        Assert.Equal("c", lastAtOneInstant!.TrackingId);

        // Two sends at one instant: the later one is the last, even after the earlier one was updated.
        await Do(
            new SavePaidMessage(Paid("e", T0.AddHours(3), 3, token: "tok3")),
            new SavePaidMessage(Paid("f", T0.AddHours(3), 3, token: "tok3"))
        );
        await Do(new SavePaidMessage(Paid("e", T0.AddHours(3), 3, token: "tok3") with { Clicks = 4 }));
        Assert.Equal("f", (await Read(s => s.GetLastPaidMessageOnToken("tok3")))!.TrackingId);
        Assert.Null(await Read(s => s.GetLastPaidMessageOnToken("no token")));
    }

    [Fact]
    public async Task PaidSpendAndStats_HalfOpenRange_PerCampaignOrAccount_UnreadDeliveredOnly()
    {
        await SeedCampaignsAsync();
        await Do(new SaveMessageCampaign(Campaign("c2")));
        await Do(
            new SavePaidMessage(Paid("a", T0, 3)),
            new SavePaidMessage(Paid("b", T0.AddHours(1), 3) with { ReadAt = T0.AddHours(2), Clicks = 2 }),
            new SavePaidMessage(Paid("c", T0.AddHours(2), 0, status: PaidMessageStatus.Failed)),
            new SavePaidMessage(Paid("d", T0.AddHours(3), 5, campaign: "c2"))
        );

        var (first, all, c1, c2, stats, c1Stats, empty) = await Read(s =>
            (
                s.GetPaidSpend("acc1", "c1", T0, T0.AddHours(1)),
                s.GetPaidSpend("acc1", null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
                s.GetPaidSpend("acc1", "c1", T0, T0.AddDays(1)),
                s.GetPaidSpend("acc1", "c2", T0, T0.AddDays(1)),
                s.GetPaidStats("acc1", null, T0, T0.AddDays(1)),
                s.GetPaidStats("acc1", "c1", T0.AddHours(1), T0.AddDays(1)),
                s.GetPaidStats("acc1", "c1", T0.AddDays(1), T0.AddDays(2))
            )
        );
        Assert.Equal(3, first);
        Assert.Equal(11, all);
        Assert.Equal(6, c1);
        Assert.Equal(5, c2);
        Assert.Equal(new PaidStats(4, 3, 1, 2, 11, T0), stats);
        // FirstSend is the campaign's first send, whatever the range
        Assert.Equal(new PaidStats(2, 1, 1, 2, 3, T0), c1Stats);
        Assert.Equal(new PaidStats(0, 0, 0, 0, 0, T0), empty);
        Assert.Equal(
            new PaidStats(0, 0, 0, 0, 0, null),
            await Read(s => s.GetPaidStats("no account", null, T0, T0.AddDays(1)))
        );

        var unread = await Read(s => s.GetUnreadPaidMessages("page", "psid"));
        Assert.Equal(["a", "d"], unread.Select(p => p.TrackingId));
        Assert.Empty(await Read(s => s.GetUnreadPaidMessages("page", "psid-2")));
    }

    [Fact]
    public async Task OrganicActivity_PersonsOwnMessagesOnEveryPageAndFriendChats_LastOrganicMessageOfAThread()
    {
        await SeedAsync();
        await Do(
            new SavePage(Page("page2", "app")),
            new SaveConversation(Conversation("page2", "person", "psid-2")),
            new SavePerson(Person("other")),
            new SaveConversation(Conversation("page", "other", "psid-3"))
        );
        var nothing = await Read(s => (s.GetLastOrganicActivity("person"), s.GetLastOrganicMessage("page", "psid")));
        Assert.Null(nothing.Item1);
        Assert.Null(nothing.Item2);

        await Do(
            new SaveMessage(Message("m1", "page", "psid", T0, direction: MessageDirection.FromPerson)),
            new SaveMessage(Message("m2", "page2", "psid-2", T0.AddHours(1), direction: MessageDirection.FromPerson)),
            new SaveMessage(Message("m3", "page", "psid", T0.AddHours(3))),
            new SaveMessage(Message("m4", "page", "psid", T0.AddHours(4), MessageKind.Marketing)),
            new SaveMessage(Message("m5", "page", "psid", T0.AddHours(5), MessageKind.PaidMarketing)),
            new SaveMessage(Message("m6", "page", "psid-3", T0.AddHours(6), direction: MessageDirection.FromPerson)),
            new RecordFriendChat("person", "friend:1", T0.AddHours(2)),
            new RecordFriendChat("person", "friend:1", T0.AddMinutes(10)),
            new RecordFriendChat("other", "friend:9", T0.AddHours(7))
        );

        var (activity, last, lastInThread, lastOfOther) = await Read(s =>
            (
                s.GetOrganicActivity("person", T0.AddMinutes(5)),
                s.GetLastOrganicActivity("person"),
                s.GetLastOrganicMessage("page", "psid"),
                s.GetLastOrganicActivity("other")
            )
        );
        Assert.Equal(
            new (string, DateTimeOffset)[]
            {
                ("friend:1", T0.AddMinutes(10)),
                ("friend:1", T0.AddHours(2)),
                ("page2", T0.AddHours(1)),
            },
            activity.Select(a => (a.Thread, a.At)).OrderBy(a => a.Thread, StringComparer.Ordinal).ThenBy(a => a.At)
        );
        Assert.Equal(T0.AddHours(2), last);
        // the Page's standard message; marketing and paid ones are not organic
        Assert.Equal(T0.AddHours(3), lastInThread);
        Assert.Equal(T0.AddHours(7), lastOfOther);
    }

    [Fact]
    public async Task SetUndeliverable_SetAndCleared_PersonIdentifiersAndCustomAudiences_ReadBack()
    {
        await SeedCampaignsAsync();
        await Do(new SetUndeliverable("person", "blocked by the region rules"));
        Assert.Equal("blocked by the region rules", await Read(s => s.GetUndeliverableReason("person")));
        await Do(new SetUndeliverable("person", "changed"));
        Assert.Equal("changed", await Read(s => s.GetUndeliverableReason("person")));
        await Do(new SetUndeliverable("person", null));
        Assert.Null(await Read(s => s.GetUndeliverableReason("person")));

        await Do(new SavePersonIdentifiers("zed", null, "ph-z"), new SavePersonIdentifiers("ada", "em-a", null));
        await Do(new SavePersonIdentifiers("zed", "em-z", "ph-z2"));
        Assert.Equal(
            new (string, string?, string?)[] { ("ada", "em-a", null), ("zed", "em-z", "ph-z2") },
            await Read(s => s.GetPersonIdentifiers())
        );

        var audience = new CustomAudienceRecord("aud1", "acc1", "page", "Buyers", null, T0);
        await Do(
            new SaveCustomAudience(audience),
            new SaveCustomAudience(audience with { Id = "aud2", Description = "Second" })
        );
        Assert.Equal(audience, await Read(s => s.GetCustomAudience("aud1")));
        Assert.Equal("Second", (await Read(s => s.GetCustomAudience("aud2")))!.Description);
        Assert.Null(await Read(s => s.GetCustomAudience("nope")));
    }

    [Fact]
    public async Task DeleteApp_RemovesItsAdAccountsCampaignsPaidMessagesAndAudiences_OtherAppsKeepTheirs()
    {
        await SeedCampaignsAsync();
        await Do(
            new SaveApp(App("app2")),
            new SavePage(Page("page2", "app2")),
            new SaveAdAccount(Account("acc2", "app2", "page2")),
            new SaveMessageCampaign(Campaign("c2", "acc2")),
            new SavePaidMessage(Paid("a", T0, 3)),
            new SavePaidMessage(
                Paid("b", T0, 3, campaign: "c2", token: "tok2") with
                {
                    AdAccountId = "acc2",
                    PageId = "page2",
                }
            ),
            new SaveCustomAudience(new CustomAudienceRecord("aud1", "acc1", "page", "Buyers", null, T0))
        );

        await Do(new DeleteApp("app"));

        var gone = await Read(s =>
            (
                s.GetAdAccount("acc1"),
                s.GetMessageCampaign("c1"),
                s.GetLastPaidMessageOnToken("tok1"),
                s.GetCustomAudience("aud1"),
                s.GetAdAccountsOfApp("app")
            )
        );
        Assert.Null(gone.Item1);
        Assert.Null(gone.Item2);
        Assert.Null(gone.Item3);
        Assert.Null(gone.Item4);
        Assert.Empty(gone.Item5);
        var kept = await Read(s =>
            (s.GetAdAccount("acc2"), s.GetMessageCampaign("c2"), s.GetLastPaidMessageOnToken("tok2"))
        );
        Assert.NotNull(kept.Item1);
        Assert.NotNull(kept.Item2);
        Assert.Equal("b", kept.Item3!.TrackingId);
    }
}
