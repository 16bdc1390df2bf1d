using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.World;

namespace Pagebox.Domain.Tests.World;

/// <summary>The pure rules behind person actions and the new message forms, at their boundaries.</summary>
public sealed class PersonActionRulesTests
{
    private static readonly FeedbackTemplateFacts Template = new(
        [
            new FeedbackQuestion("q1", "csat", HasFollowUp: true),
            new FeedbackQuestion("q2", "nps", HasFollowUp: false),
            new FeedbackQuestion("q3", "ces", HasFollowUp: false),
        ],
        ExpiresInDays: null
    );

    private static string? Error(string csat, string nps, string ces, string? followUp = null) =>
        FeedbackAnswerRule
            .Check(Template, [new("q1", csat, followUp), new("q2", nps, null), new("q3", ces, null)])
            .Error;

    [Theory]
    [InlineData("1", "0", "1")]
    [InlineData("5", "10", "7")]
    public void Feedback_ScoresAtTheEdgesOfTheirScales_Accepted(string csat, string nps, string ces) =>
        Assert.Null(Error(csat, nps, ces));

    [Theory]
    [InlineData("0", "5", "4")]
    [InlineData("6", "5", "4")]
    [InlineData("3", "-1", "4")]
    [InlineData("3", "11", "4")]
    [InlineData("3", "5", "0")]
    [InlineData("3", "5", "8")]
    [InlineData("three", "5", "4")]
    [InlineData(" 3", "5", "4")]
    public void Feedback_ScoresOutsideTheirScales_Refused(string csat, string nps, string ces) =>
        Assert.NotNull(Error(csat, nps, ces));

    [Fact]
    public void Feedback_FollowUpOnlyWhereAsked_EveryQuestionOnce()
    {
        Assert.Null(Error("4", "9", "2", followUp: "kind"));
        Assert.NotNull(
            FeedbackAnswerRule.Check(Template, [new("q1", "4", null), new("q2", "9", "no"), new("q3", "2", null)]).Error
        );
        Assert.NotNull(FeedbackAnswerRule.Check(Template, [new("q1", "4", null), new("q2", "9", null)]).Error);
        Assert.NotNull(
            FeedbackAnswerRule
                .Check(
                    Template,
                    [new("q1", "4", null), new("q1", "5", null), new("q2", "9", null), new("q3", "2", null)]
                )
                .Error
        );
        Assert.NotNull(
            FeedbackAnswerRule
                .Check(
                    Template,
                    [new("q1", "4", null), new("q2", "9", null), new("q3", "2", null), new("q4", "1", null)]
                )
                .Error
        );
    }

    [Fact]
    public void Feedback_Answers_KeepTypeAndFollowUp()
    {
        var (answers, error) = FeedbackAnswerRule.Check(
            Template,
            [new("q1", "4", "kind"), new("q2", "9", null), new("q3", "2", null)]
        );

        Assert.Null(error);
        Assert.Equal(new Pagebox.Domain.Webhooks.FeedbackAnswer("q1", "csat", "4", "kind"), answers![0]);
        Assert.Equal(["csat", "nps", "ces"], answers.Select(a => a.Type));
    }

    [Theory]
    [InlineData("\u2764\ufe0f", "love")]
    [InlineData("\u2764", "love")]
    [InlineData("\U0001F44D", "like")]
    [InlineData("\U0001F44D\U0001F3FD", "like")]
    [InlineData("\U0001F44E", "dislike")]
    [InlineData("\U0001F606", "smile")]
    [InlineData("\U0001F62E", "wow")]
    [InlineData("\U0001F622", "sad")]
    [InlineData("\U0001F620", "angry")]
    [InlineData("\U0001F955", "other")]
    public void ReactionCategory_NamesMessengersReactions(string emoji, string name) =>
        Assert.Equal(name, ReactionCategory.Of(emoji));

    [Fact]
    public void Sticker_AloneIsAMessage_WithTextOrAttachmentRefused()
    {
        Assert.Null(MessageContentRule.Validate(new OutgoingMessage("{}") { StickerId = "369239263222822" }));
        Assert.Equal(
            "message[sticker_id]",
            MessageContentRule
                .Validate(
                    new OutgoingMessage("{}")
                    {
                        StickerId = "1",
                        Text = "hi",
                        HasText = true,
                    }
                )
                ?.Parameter
        );
        Assert.Equal(
            "message[sticker_id]",
            MessageContentRule.Validate(new OutgoingMessage("{}") { StickerId = "1", HasAttachment = true })?.Parameter
        );
        Assert.Equal(DomainErrorKind.EmptyMessage, MessageContentRule.Validate(new OutgoingMessage("{}"))?.Kind);
    }
}
