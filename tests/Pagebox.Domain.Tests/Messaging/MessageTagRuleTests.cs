using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Domain.Tests.Messaging;

/// <summary>
/// Message tags on every kind of recipient: the retired tags at their retirement instant, CUSTOMER_FEEDBACK only with
/// the customer feedback template, HUMAN_AGENT only with the Human Agent permission.
/// </summary>
public sealed class MessageTagRuleTests
{
    private static readonly DateTimeOffset Retirement = new(2026, 4, 27, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    public static TheoryData<Recipient> Recipients =>
        new()
        {
            new PsidRecipient("2000000000000001"),
            new TokenRecipient("1234567890123456789"),
            new CommentRecipient("111_222"),
            new UserRefRecipient("ref-1"),
        };

    private static SendCommand Command(
        Recipient recipient,
        string? tag,
        string? templateType = null,
        MessagingType? type = MessagingType.MessageTag
    ) =>
        new(
            "300000000000001",
            "100000000000001",
            recipient,
            new OutgoingMessage("{}")
            {
                HasAttachment = templateType is not null,
                TemplateType = templateType,
                Text = templateType is null ? "hi" : null,
                HasText = templateType is null,
            },
            null,
            type,
            tag,
            null
        );

    // :: Retired tags

    [Theory]
    [InlineData("CONFIRMED_EVENT_UPDATE")]
    [InlineData("ACCOUNT_UPDATE")]
    [InlineData("POST_PURCHASE_UPDATE")]
    public void Check_RetiredTagAtTheRetirementInstant_DeprecatedTag(string tag)
    {
        var error = MessageTagRule.Check(
            Command(new PsidRecipient("2000000000000001"), tag),
            humanAgentPermission: true,
            Retirement
        );

        Assert.Equal(DomainErrorKind.DeprecatedTag, error?.Kind);
        Assert.Equal(tag, error?.Detail);
        Assert.Contains("retired on 2026-04-27", error?.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CONFIRMED_EVENT_UPDATE")]
    [InlineData("ACCOUNT_UPDATE")]
    [InlineData("POST_PURCHASE_UPDATE")]
    public void Check_RetiredTag1MsBeforeRetirement_Allowed(string tag)
    {
        Assert.Null(
            MessageTagRule.Check(
                Command(new PsidRecipient("2000000000000001"), tag),
                humanAgentPermission: false,
                Retirement - Ms
            )
        );
    }

    [Theory]
    [MemberData(nameof(Recipients))]
    public void Check_RetiredTagOnAnyRecipient_DeprecatedTag(Recipient recipient)
    {
        Assert.Equal(
            DomainErrorKind.DeprecatedTag,
            MessageTagRule.Check(Command(recipient, "ACCOUNT_UPDATE"), true, Retirement)?.Kind
        );
    }

    [Fact]
    public void Check_RetiredTagWithoutMessageTagType_StillRefused()
    {
        // "all API requests containing the Message Tags …": the tag parameter alone is enough.
        var cmd = Command(new PsidRecipient("2000000000000001"), "POST_PURCHASE_UPDATE", type: MessagingType.Response);

        Assert.Equal(
            DomainErrorKind.DeprecatedTag,
            MessageTagRule.Check(cmd, true, Retirement + TimeSpan.FromDays(1))?.Kind
        );
    }

    [Fact]
    public void Check_NoTag_Allowed()
    {
        Assert.Null(
            MessageTagRule.Check(
                Command(new PsidRecipient("2000000000000001"), null, type: MessagingType.Response),
                false,
                Retirement
            )
        );
    }

    // :: CUSTOMER_FEEDBACK

    [Theory]
    [MemberData(nameof(Recipients))]
    public void Check_CustomerFeedbackWithTheTemplate_Allowed(Recipient recipient)
    {
        Assert.Null(
            MessageTagRule.Check(Command(recipient, "CUSTOMER_FEEDBACK", "customer_feedback"), false, Retirement)
        );
    }

    [Theory]
    [InlineData(null)]
    [InlineData("generic")]
    [InlineData("button")]
    public void Check_CustomerFeedbackWithoutTheTemplate_InvalidTag(string? templateType)
    {
        var error = MessageTagRule.Check(
            Command(new PsidRecipient("2000000000000001"), "CUSTOMER_FEEDBACK", templateType),
            true,
            Retirement
        );

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("tag", error?.Parameter);
    }

    // :: HUMAN_AGENT

    [Theory]
    [MemberData(nameof(Recipients))]
    public void Check_HumanAgentWithoutPermission_PermissionRequired(Recipient recipient)
    {
        var error = MessageTagRule.Check(Command(recipient, "HUMAN_AGENT"), humanAgentPermission: false, Retirement);

        Assert.Equal(DomainErrorKind.HumanAgentPermissionRequired, error?.Kind);
        Assert.Contains("human_agent_permission", error?.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HumanAgentWithPermission_Allowed()
    {
        Assert.Null(
            MessageTagRule.Check(
                Command(new PsidRecipient("2000000000000001"), "HUMAN_AGENT"),
                humanAgentPermission: true,
                Retirement
            )
        );
    }
}
