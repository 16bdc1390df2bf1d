using System.Text;
using System.Text.Json;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Tests.Graph.Binding;

public sealed class RelaxedJsonTests
{
    [Theory]
    [InlineData("""{"id":"123"}""", """{"id":"123"}""")]
    [InlineData("{'id':'123'}", """{"id":"123"}""")]
    [InlineData("{'text':'hello, world'}", """{"text":"hello, world"}""")]
    [InlineData("  {'id':'1',}\r\n", """{"id":"1"}""")]
    [InlineData("['a','b',]", """["a","b"]""")]
    [InlineData("{'text':'it\\'s'}", """{"text":"it's"}""")]
    [InlineData("{'text':'say \"hi\"'}", """{"text":"say \"hi\""}""")]
    [InlineData("{'text':'a\\\\'}", """{"text":"a\\"}""")]
    [InlineData("{'text':'line\\nbreak \\u00e9'}", """{"text":"line\nbreak é"}""")]
    [InlineData("""{"text":"don't"}""", """{"text":"don't"}""")]
    [InlineData("""{"text":"a\"'b"}""", """{"text":"a\"'b"}""")]
    [InlineData("{\"mixed\":'x', 'n':1, 'b':true, 'z':null}", """{"mixed":"x","n":1,"b":true,"z":null}""")]
    [InlineData(
        "{'payload':{'template_type':'button','buttons':[{'type':'postback','title':'Go',},],},}",
        """{"payload":{"template_type":"button","buttons":[{"type":"postback","title":"Go"}]}}"""
    )]
    [InlineData("'just a string'", "\"just a string\"")]
    [InlineData("42", "42")]
    public void TryParse_RelaxedInput_EqualsStandardJson(string relaxed, string standard)
    {
        Assert.True(RelaxedJson.TryParse(relaxed, out var doc));
        using (doc)
        {
            using var expected = JsonDocument.Parse(standard);
            Assert.True(JsonElement.DeepEquals(expected.RootElement, doc.RootElement), doc.RootElement.GetRawText());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{'id':'1}")]
    [InlineData("{'id':'1\\")]
    [InlineData("{id:1}")]
    [InlineData("{'a':1}}")]
    [InlineData("{,}")]
    [InlineData("{'a':'\\q'}")]
    [InlineData("hello")]
    [InlineData("{'a':1} {'b':2}")]
    public void TryParse_Invalid_ReturnsFalse(string? text)
    {
        Assert.False(RelaxedJson.TryParse(text, out var doc));
        Assert.Null(doc);
    }

    [Fact]
    public void TryParse_NestingBeyondMaxDepth_ReturnsFalse()
    {
        var deep =
            string.Concat(Enumerable.Repeat("[", RelaxedJson.MaxDepth + 1))
            + string.Concat(Enumerable.Repeat("]", RelaxedJson.MaxDepth + 1));
        var ok =
            string.Concat(Enumerable.Repeat("[", RelaxedJson.MaxDepth))
            + string.Concat(Enumerable.Repeat("]", RelaxedJson.MaxDepth));

        Assert.False(RelaxedJson.TryParse(deep, out _));
        Assert.True(RelaxedJson.TryParse(ok, out var doc));
        doc.Dispose();
    }

    [Theory]
    [InlineData("{'a':'\ud800'}")]
    [InlineData("\"\udc00\"")]
    public void TryParse_LoneSurrogate_DoesNotThrow(string text)
    {
        if (RelaxedJson.TryParse(text, out var doc))
        {
            doc.Dispose();
        }
    }

    [Fact]
    public void TryParse_RandomInput_NeverThrows()
    {
        var random = new Random(424242);
        string[] fragments =
        [
            "{",
            "}",
            "[",
            "]",
            "'",
            "\"",
            "\\",
            "\\'",
            "\\\"",
            "\\u",
            "\\u00e9",
            ",",
            ":",
            " ",
            "\n",
            "a",
            "1",
            "-",
            "e",
            ".",
            "true",
            "null",
            "\ud800",
            "\udc00",
            "é",
            "👋",
            "\0",
        ];
        for (var i = 0; i < 20_000; i++)
        {
            string text;
            switch (i % 3)
            {
                case 0:
                    var sb = new StringBuilder();
                    for (var j = random.Next(0, 30); j > 0; j--)
                    {
                        sb.Append(fragments[random.Next(fragments.Length)]);
                    }

                    text = sb.ToString();
                    break;
                case 1:
                    var bytes = new byte[random.Next(0, 64)];
                    random.NextBytes(bytes);
                    text = Encoding.UTF8.GetString(bytes);
                    break;
                default:
                    var chars = new char[random.Next(0, 64)];
                    for (var j = 0; j < chars.Length; j++)
                    {
                        chars[j] = (char)random.Next(0, 0x10000);
                    }

                    text = new string(chars);
                    break;
            }

            if (RelaxedJson.TryParse(text, out var doc))
            {
                doc.Dispose();
            }
        }
    }
}
