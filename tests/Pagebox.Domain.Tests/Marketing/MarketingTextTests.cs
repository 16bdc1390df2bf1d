using Pagebox.Domain.Marketing;

namespace Pagebox.Domain.Tests.Marketing;

public class MarketingTextTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("é", 1)]
    [InlineData("\U0001F381", 1)] // one code point, two UTF-16 units
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467", 5)] // one family emoji on screen, five code points
    public void Length_CountsCodePoints(string text, int expected)
    {
        Assert.Equal(expected, MarketingText.Length(text));
    }
}
