using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;
using Pagebox.Testing;

namespace Pagebox.Domain.Tests.Messaging;

/// <summary>
/// The standard-messaging policy: which messaging types need the 24 h window, the 7-day HUMAN_AGENT window, UTILITY
/// at any time, and the order in which refusals are decided.
/// </summary>
public sealed class SendPolicyTests
{
    private const string PageId = "100000000000001";
    private const string Psid = "2000000000000001";
    private static readonly DateTimeOffset T0 = new(2025, 6, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private static readonly PageRecord Page = new(
        PageId,
        "300000000000001",
        "Shop",
        Platform.Messenger,
        "UTC",
        new PageSettings()
    );

    private static OutgoingMessage Text(string text = "hello") =>
        new($$"""{"text":"{{text}}"}""") { Text = text, HasText = true };

    private static OutgoingMessage UtilityTemplate() =>
        new("""{"template":{"name":"order_update","language":{"code":"en"}}}""") { HasUtilityTemplate = true };

    private static SendCommand Command(
        MessagingType? type = MessagingType.Response,
        OutgoingMessage? message = null,
        SenderAction? action = null,
        string? tag = null,
        bool noMessage = false
    ) =>
        new(
            "300000000000001",
            PageId,
            new PsidRecipient(Psid),
            noMessage ? null : message ?? Text(),
            action,
            type,
            tag,
            null
        );

    private static Conversation Conversation(
        DateTimeOffset? lastInbound = null,
        bool blocked = false,
        string pageId = PageId
    ) => new(pageId, "400000000000001", Psid, lastInbound ?? T0, blocked, T0);

    /// <summary>The fake clock at T0 + <paramref name="elapsed"/>.</summary>
    private static DateTimeOffset After(TimeSpan elapsed)
    {
        var clock = new FakeTimeProvider(T0);
        return clock.Advance(elapsed);
    }

    // :: The 24 h window for RESPONSE, UPDATE, an absent messaging_type and sender actions

    public static TheoryData<MessagingType?> WindowBoundTypes =>
        new() { MessagingType.Response, MessagingType.Update, (MessagingType?)null };

    [Theory]
    [MemberData(nameof(WindowBoundTypes))]
    public void CheckWindow_23h59m59s_Allowed(MessagingType? type)
    {
        Assert.Null(SendPolicy.CheckWindow(Command(type), T0, After(new TimeSpan(23, 59, 59))));
    }

    [Theory]
    [MemberData(nameof(WindowBoundTypes))]
    public void CheckWindow_OneMsBefore24Hours_Allowed(MessagingType? type)
    {
        Assert.Null(SendPolicy.CheckWindow(Command(type), T0, After(TimeSpan.FromHours(24) - Ms)));
    }

    [Theory]
    [MemberData(nameof(WindowBoundTypes))]
    public void CheckWindow_Exactly24Hours_OutsideWindow(MessagingType? type)
    {
        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.CheckWindow(Command(type), T0, After(TimeSpan.FromHours(24)))?.Kind
        );
    }

    [Theory]
    [MemberData(nameof(WindowBoundTypes))]
    public void CheckWindow_24h00m01s_OutsideWindow(MessagingType? type)
    {
        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.CheckWindow(Command(type), T0, After(new TimeSpan(1, 0, 0, 1)))?.Kind
        );
    }

    [Theory]
    [MemberData(nameof(WindowBoundTypes))]
    public void CheckWindow_PersonNeverWrote_OutsideWindow(MessagingType? type)
    {
        Assert.Equal(DomainErrorKind.OutsideWindow, SendPolicy.CheckWindow(Command(type), null, T0)?.Kind);
    }

    [Fact]
    public void CheckWindow_SenderActionAfter24Hours_OutsideWindow()
    {
        var typing = Command(type: null, action: SenderAction.TypingOn, noMessage: true);

        Assert.Null(SendPolicy.CheckWindow(typing, T0, After(new TimeSpan(23, 59, 59))));
        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.CheckWindow(typing, T0, After(TimeSpan.FromHours(24)))?.Kind
        );
    }

    // :: HUMAN_AGENT: 7 days

    [Fact]
    public void CheckWindow_HumanAgentAfter25Hours_Allowed()
    {
        Assert.Null(
            SendPolicy.CheckWindow(
                Command(MessagingType.MessageTag, tag: "HUMAN_AGENT"),
                T0,
                After(TimeSpan.FromHours(25))
            )
        );
    }

    [Fact]
    public void CheckWindow_HumanAgentOneSecondBefore7Days_Allowed()
    {
        var now = After(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));

        Assert.Null(SendPolicy.CheckWindow(Command(MessagingType.MessageTag, tag: "HUMAN_AGENT"), T0, now));
    }

    [Fact]
    public void CheckWindow_HumanAgentExactly7Days_OutsideWindow()
    {
        var now = After(TimeSpan.FromDays(7));

        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.CheckWindow(Command(MessagingType.MessageTag, tag: "HUMAN_AGENT"), T0, now)?.Kind
        );
    }

    [Fact]
    public void CheckWindow_HumanAgent7DaysAnd1Second_OutsideWindow()
    {
        var now = After(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.CheckWindow(Command(MessagingType.MessageTag, tag: "HUMAN_AGENT"), T0, now)?.Kind
        );
    }

    // :: UTILITY: any time

    [Fact]
    public void CheckWindow_UtilityAfter30Days_Allowed()
    {
        Assert.Null(
            SendPolicy.CheckWindow(Command(MessagingType.Utility, UtilityTemplate()), T0, After(TimeSpan.FromDays(30)))
        );
    }

    [Fact]
    public void CheckWindow_UtilityPersonNeverWrote_Allowed()
    {
        Assert.Null(SendPolicy.CheckWindow(Command(MessagingType.Utility, UtilityTemplate()), null, T0));
    }

    // :: Deprecated tags (docs/spec/send-api.md §3: refused with code 100 from 2026-04-27)

    [Fact]
    public void CheckWindow_DeprecatedTagOneSecondBeforeDeprecation_Allowed()
    {
        var now = SendPolicy.TagDeprecation - TimeSpan.FromSeconds(1);

        Assert.Null(
            SendPolicy.CheckWindow(
                Command(MessagingType.MessageTag, tag: "ACCOUNT_UPDATE"),
                now - TimeSpan.FromDays(30),
                now
            )
        );
    }

    [Fact]
    public void CheckWindow_DeprecatedTagOnDeprecationDay_DeprecatedTag()
    {
        var error = SendPolicy.CheckWindow(
            Command(MessagingType.MessageTag, tag: "ACCOUNT_UPDATE"),
            SendPolicy.TagDeprecation,
            SendPolicy.TagDeprecation
        );

        Assert.Equal(DomainErrorKind.DeprecatedTag, error?.Kind);
    }

    // :: Shape

    [Fact]
    public void CheckShape_MessageAndSenderAction_MessageAndSenderAction()
    {
        Assert.Equal(
            DomainErrorKind.MessageAndSenderAction,
            SendPolicy.CheckShape(Command(action: SenderAction.MarkSeen))?.Kind
        );
    }

    [Fact]
    public void CheckShape_NeitherMessageNorSenderAction_MissingMessage()
    {
        var error = SendPolicy.CheckShape(Command(noMessage: true));

        Assert.Equal(new DomainError(DomainErrorKind.MissingParameter, "message"), error);
    }

    [Fact]
    public void CheckShape_MessageTagWithoutTag_MissingTag()
    {
        Assert.Equal(
            new DomainError(DomainErrorKind.MissingParameter, "tag"),
            SendPolicy.CheckShape(Command(MessagingType.MessageTag))
        );
    }

    [Fact]
    public void CheckShape_UnknownTag_InvalidTag()
    {
        var error = SendPolicy.CheckShape(Command(MessagingType.MessageTag, tag: "SHIPPING_UPDATE"));

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("tag", error?.Parameter);
    }

    [Fact]
    public void CheckShape_UtilityWithoutTemplate_InvalidTemplate()
    {
        var error = SendPolicy.CheckShape(Command(MessagingType.Utility));

        Assert.Equal("message[template]", error?.Parameter);
    }

    // :: The Page's switches

    [Fact]
    public void CheckPage_DefaultSettings_Allowed()
    {
        Assert.Null(SendPolicy.CheckPage(new PageSettings()));
    }

    [Theory]
    [InlineData(false, true, false, false, DomainErrorKind.MessagingDisabled)]
    [InlineData(true, false, false, false, DomainErrorKind.NoMessagingPermission)]
    [InlineData(true, true, true, false, DomainErrorKind.PageRestricted)]
    [InlineData(true, true, false, true, DomainErrorKind.PageBlockedForAbuse)]
    [InlineData(true, true, true, true, DomainErrorKind.PageBlockedForAbuse)]
    [InlineData(false, false, true, true, DomainErrorKind.MessagingDisabled)]
    public void CheckPage_SwitchOff_RefusedWithFirstSwitch(
        bool messagingEnabled,
        bool permission,
        bool restricted,
        bool abusive,
        DomainErrorKind expected
    )
    {
        var settings = new PageSettings(
            MessagingEnabled: messagingEnabled,
            PagesMessagingPermission: permission,
            Restricted: restricted,
            Abusive: abusive
        );

        Assert.Equal(expected, SendPolicy.CheckPage(settings)?.Kind);
    }

    // :: Decide: the order of refusals

    [Fact]
    public void Decide_InsideWindow_Allowed()
    {
        var facts = new SendFacts(Page, Conversation(), null);

        Assert.Null(SendPolicy.Decide(facts, Command(), After(TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Decide_NoConversation_UnknownRecipient()
    {
        var facts = new SendFacts(Page, null, null);

        Assert.Equal(DomainErrorKind.UnknownRecipient, SendPolicy.Decide(facts, Command(), T0)?.Kind);
    }

    [Fact]
    public void Decide_PsidOfAnotherPage_UnknownRecipient()
    {
        var facts = new SendFacts(Page, Conversation(pageId: "100000000000002"), null);

        Assert.Equal(DomainErrorKind.UnknownRecipient, SendPolicy.Decide(facts, Command(), T0)?.Kind);
    }

    [Fact]
    public void Decide_PersonBlockedPage_PersonBlockedPage()
    {
        var facts = new SendFacts(Page, Conversation(blocked: true), null);

        Assert.Equal(DomainErrorKind.PersonBlockedPage, SendPolicy.Decide(facts, Command(), T0)?.Kind);
    }

    [Fact]
    public void Decide_BlockedAndOutsideWindow_BlockWins()
    {
        var facts = new SendFacts(Page, Conversation(blocked: true), null);

        Assert.Equal(
            DomainErrorKind.PersonBlockedPage,
            SendPolicy.Decide(facts, Command(), After(TimeSpan.FromDays(2)))?.Kind
        );
    }

    [Fact]
    public void Decide_OutsideWindow_OutsideWindow()
    {
        var facts = new SendFacts(Page, Conversation(), null);

        Assert.Equal(
            DomainErrorKind.OutsideWindow,
            SendPolicy.Decide(facts, Command(), After(TimeSpan.FromHours(24)))?.Kind
        );
    }

    [Fact]
    public void Decide_TooLongTextToUnknownPsid_TextErrorFirst()
    {
        var facts = new SendFacts(Page, null, null);
        var tooLong = Text(new string('a', MessageContentRule.MaxTextLength + 1));

        Assert.Equal("message[text]", SendPolicy.Decide(facts, Command(message: tooLong), T0)?.Parameter);
    }

    [Fact]
    public void Decide_MessagingDisabledAndUnknownPsid_PageSwitchFirst()
    {
        var facts = new SendFacts(Page with { Settings = new PageSettings(MessagingEnabled: false) }, null, null);

        Assert.Equal(DomainErrorKind.MessagingDisabled, SendPolicy.Decide(facts, Command(), T0)?.Kind);
    }

    // :: Decide: the steps production runs between the Page's switches and the recipient

    [Fact]
    public void Decide_BlockedByPolicyAndBadShape_PolicyBlockFirst()
    {
        var facts = new SendFacts(Page, null, null) { BlockedByPolicy = true };

        Assert.Equal(DomainErrorKind.BlockedByPolicy, SendPolicy.Decide(facts, Command(noMessage: true), T0)?.Kind);
    }

    [Fact]
    public void Decide_HumanAgentWithoutPermissionToUnknownPsid_PermissionFirst()
    {
        var facts = new SendFacts(Page, null, null);
        var cmd = Command(MessagingType.MessageTag, tag: "HUMAN_AGENT");

        Assert.Equal(DomainErrorKind.HumanAgentPermissionRequired, SendPolicy.Decide(facts, cmd, T0)?.Kind);
        Assert.Null(
            SendPolicy.Decide(facts with { HumanAgentPermission = true, Conversation = Conversation() }, cmd, T0)
        );
    }

    [Fact]
    public void Decide_DeletedPersonaOutsideWindow_PersonaFirst()
    {
        var persona = new PersonaRecord("500000000000001", PageId, "Ann", "https://example.com/a.png", T0, T0);
        var facts = new SendFacts(Page, Conversation(), null) { Persona = persona };
        var cmd = Command() with { PersonaId = persona.Id };

        Assert.Equal("persona_id", SendPolicy.Decide(facts, cmd, After(TimeSpan.FromDays(2)))?.Parameter);
        Assert.Null(SendPolicy.Decide(facts with { Persona = persona with { Deleted = null } }, cmd, T0));
    }

    [Fact]
    public void Decide_ThreadOwnedByAnotherAppAndBlocked_OwnerFirst()
    {
        var facts = new SendFacts(Page, Conversation(blocked: true), null) { ThreadOwner = "300000000000009" };

        Assert.Equal(DomainErrorKind.ThreadOwnedByAnotherApp, SendPolicy.Decide(facts, Command(), T0)?.Kind);
        Assert.Equal(
            DomainErrorKind.PersonBlockedPage,
            SendPolicy.Decide(facts with { ThreadOwner = "300000000000001" }, Command(), T0)?.Kind
        );
    }

    [Fact]
    public void Decide_UnsupportedRecipient_RefusedAfterShape()
    {
        var facts = new SendFacts(Page, null, null);
        var cmd = Command() with { Recipient = new UnsupportedRecipient("phone_number") };

        Assert.Equal("recipient[phone_number]", SendPolicy.Decide(facts, cmd, T0)?.Parameter);
        Assert.Equal("message", SendPolicy.Decide(facts, cmd with { Message = null }, T0)?.Parameter);
    }

    [Fact]
    public void Decide_PrivateReply_RecipientLeftToEntryPoints()
    {
        var facts = new SendFacts(Page, null, null);
        var cmd = Command() with { Recipient = new CommentRecipient("600000000000001_1") };

        Assert.False(SendPolicy.IsStandard(cmd));
        Assert.Null(SendPolicy.Decide(facts, cmd, T0));
    }
}
