using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Domain.Tests.Messaging;

/// <summary>Limits on the message object (docs/spec/send-api.md §2.4, §2.9), counted in code points as a person counts
/// them.</summary>
public sealed class MessageContentRuleTests
{
    private const string Emoji = "😀";

    private static OutgoingMessage Text(string text, string? metadata = null, int quickReplies = 0) =>
        new("{}")
        {
            Text = text,
            HasText = true,
            Metadata = metadata,
            QuickReplyCount = quickReplies,
        };

    private static string Repeat(string s, int times) => string.Concat(Enumerable.Repeat(s, times));

    [Fact]
    public void Length_Emoji_CountsOne()
    {
        Assert.Equal(2, Emoji.Length);
        Assert.Equal(1, MessageContentRule.Length(Emoji));
        Assert.Equal(5, MessageContentRule.Length("äöå " + Emoji));
    }

    [Fact]
    public void Validate_Text2000Chars_Accepted()
    {
        Assert.Null(MessageContentRule.Validate(Text(new string('a', 2000))));
    }

    [Fact]
    public void Validate_Text2001Chars_RefusedNamingMessageText()
    {
        var error = MessageContentRule.Validate(Text(new string('a', 2001)));

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("message[text]", error?.Parameter);
        Assert.Contains("2000", error?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Text2000Emoji_AcceptedThough4000Utf16Units()
    {
        var text = Repeat(Emoji, 2000);

        Assert.Equal(4000, text.Length);
        Assert.Null(MessageContentRule.Validate(Text(text)));
    }

    [Fact]
    public void Validate_Text2001Emoji_Refused()
    {
        Assert.Equal("message[text]", MessageContentRule.Validate(Text(Repeat(Emoji, 2001)))?.Parameter);
    }

    [Fact]
    public void Validate_Text1999AsciiPlusOneEmoji_Accepted()
    {
        Assert.Null(MessageContentRule.Validate(Text(new string('a', 1999) + Emoji)));
    }

    [Fact]
    public void Validate_EmptyText_EmptyMessage()
    {
        Assert.Equal(DomainErrorKind.EmptyMessage, MessageContentRule.Validate(Text(""))?.Kind);
    }

    [Fact]
    public void Validate_NeitherTextNorAttachment_EmptyMessage()
    {
        Assert.Equal(DomainErrorKind.EmptyMessage, MessageContentRule.Validate(new OutgoingMessage("{}"))?.Kind);
    }

    [Fact]
    public void Validate_TextAndAttachment_RefusedNamingMessage()
    {
        var both = Text("hi") with { HasAttachment = true, AttachmentType = "image" };

        Assert.Equal("message", MessageContentRule.Validate(both)?.Parameter);
    }

    [Fact]
    public void Validate_Metadata1000Chars_Accepted()
    {
        Assert.Null(MessageContentRule.Validate(Text("hi", metadata: new string('m', 1000))));
    }

    [Fact]
    public void Validate_Metadata1001Chars_RefusedNamingMetadata()
    {
        var error = MessageContentRule.Validate(Text("hi", metadata: new string('m', 1001)));

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("message[metadata]", error?.Parameter);
    }

    [Fact]
    public void Validate_Metadata1000Emoji_Accepted()
    {
        Assert.Null(MessageContentRule.Validate(Text("hi", metadata: Repeat(Emoji, 1000))));
    }

    [Fact]
    public void Validate_13QuickReplies_Accepted()
    {
        Assert.Null(MessageContentRule.Validate(Text("pick one", quickReplies: 13)));
    }

    [Fact]
    public void Validate_14QuickReplies_RefusedNamingQuickReplies()
    {
        var error = MessageContentRule.Validate(Text("pick one", quickReplies: 14));

        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("message[quick_replies]", error?.Parameter);
    }
}
