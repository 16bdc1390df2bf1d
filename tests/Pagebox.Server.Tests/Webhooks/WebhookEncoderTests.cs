using System.Text;
using Pagebox.Server.Webhooks;

namespace Pagebox.Server.Tests.Webhooks;

/// <summary>Meta's escaping of the signed body (docs/spec/webhooks.md §3.1): non-ASCII as lowercase \uXXXX, "/" as
/// "\/".</summary>
public sealed class WebhookEncoderTests
{
    [Theory]
    [InlineData("""{"text":"äöå"}""", """{"text":"\u00e4\u00f6\u00e5"}""")]
    [InlineData("""{"text":"a/b"}""", """{"text":"a\/b"}""")]
    [InlineData("""{"text":"\uD83D\uDE00"}""", """{"text":"\ud83d\ude00"}""")]
    [InlineData("""{"text":"a\u001Fb"}""", """{"text":"a\u001fb"}""")]
    [InlineData("""{"text":"\\u00E4 \"q\" \/"}""", """{"text":"\\u00E4 \"q\" \/"}""")]
    [InlineData("""{"plain":"ascii only","n":1}""", """{"plain":"ascii only","n":1}""")]
    public void MetaEscape_Json_EscapedAsMeta(string json, string expected)
    {
        Assert.Equal(expected, WebhookEncoder.MetaEscape(json));
    }

    [Fact]
    public void MetaEscape_Emoji_LowercaseSurrogateEscapesAndAsciiOnly()
    {
        var escaped = WebhookEncoder.MetaEscape("{\"text\":\"😀\"}");

        Assert.Equal("""{"text":"\ud83d\ude00"}""", escaped);
        Assert.Equal(escaped.Length, Encoding.UTF8.GetByteCount(escaped));
    }
}
