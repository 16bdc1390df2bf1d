using Pagebox.Domain.Messaging;

namespace Pagebox.Domain.Tests.Messaging;

/// <summary>The template limits Domain holds for Server's template reader.</summary>
public sealed class TemplateRulesTests
{
    [Theory]
    [InlineData("q1", true)]
    [InlineData("my_question_2", true)]
    [InlineData("my-question", false)]
    [InlineData("frage_ü", false)]
    public void IsQuestionId_LettersDigitsUnderscores(string id, bool expected)
    {
        Assert.Equal(expected, TemplateRules.IsQuestionId(id));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    public void IsExpiresInDays_OneToSeven(int days, bool expected)
    {
        Assert.Equal(expected, TemplateRules.IsExpiresInDays(days));
    }

    [Fact]
    public void ScoreOptions_CsatAcceptsBothSpellingsOfOneToFive()
    {
        Assert.Contains("one_to_five", TemplateRules.ScoreOptions["csat"]);
        Assert.Contains("1_to_5", TemplateRules.ScoreOptions["csat"]);
        Assert.Empty(TemplateRules.ScoreOptions["free_form"]);
    }

    [Fact]
    public void GridButtonTypes_OnlyUrlAndPostback()
    {
        Assert.Equal(["web_url", "postback"], TemplateRules.GridButtonTypes);
        Assert.Contains("game_play", TemplateRules.ButtonTypes);
    }
}
