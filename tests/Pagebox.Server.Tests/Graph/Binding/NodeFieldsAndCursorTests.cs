using Pagebox.Domain.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Tests.Graph.Binding;

/// <summary>
/// The <c>fields</c> of a node type and the <c>after</c> cursor of a list, as the Graph lists read them.
/// </summary>
public class NodeFieldsAndCursorTests
{
    private static readonly NodeFields Message = new(
        "Message",
        [new("id")],
        new HashSet<string>(StringComparer.Ordinal) { "id", "message" }
    );

    private static readonly NodeFields Conversation = new(
        "Conversation",
        [new("id")],
        new HashSet<string>(StringComparer.Ordinal) { "id", "messages" }
    )
    {
        Edges = new Dictionary<string, NodeFields> { ["messages"] = Message },
    };

    private static Task<GraphParameters> QueryAsync(string query) =>
        TestRequests.BindAsync(TestRequests.Create(method: "GET", query: query));

    [Fact]
    public async Task Read_LimitAndNestedFields_Parsed()
    {
        var p = await QueryAsync("?fields=id,messages.limit(2){message}");

        var fields = Conversation.Read(p);

        Assert.True(fields.IsAccepted, fields.ToString());
        Assert.Equal(["id", "messages"], fields.Value.Select(f => f.Name));
        Assert.Equal(2, fields.Value[1].Limit);
        Assert.Equal("message", Assert.Single(fields.Value[1].Sub!).Name);
    }

    [Theory]
    [InlineData("?fields=", "id")]
    [InlineData("", "id")]
    public async Task Read_NoneAsked_Defaults(string query, string expected)
    {
        var fields = Conversation.Read(await QueryAsync(query));

        Assert.Equal(expected, Assert.Single(fields.Value!).Name);
    }

    [Theory]
    [InlineData("?fields=id,nope", "Tried accessing nonexisting field (nope) on node type (Conversation)")]
    [InlineData("?fields=messages{nope}", "Tried accessing nonexisting field (nope) on node type (Message)")]
    [InlineData("?fields=id}", "Syntax error in fields: id}")]
    [InlineData("?fields=messages.first(2)", "Syntax error in fields: messages.first(2)")]
    public async Task Read_BadFields_Refused(string query, string message)
    {
        var fields = Conversation.Read(await QueryAsync(query));

        Assert.False(fields.IsAccepted);
        Assert.Equal("fields", fields.Error.Parameter);
        Assert.Equal(message, fields.Error.Detail);
    }

    [Fact]
    public async Task ReadAfter_EncodedPosition_DecodedBack()
    {
        var p = await QueryAsync("?after=" + GraphCursor.Encode("m_abc"));

        Assert.Null(GraphCursor.ReadAfter(p, GraphCursor.Decode, out var after));
        Assert.Equal("m_abc", after);
    }

    [Theory]
    [InlineData("?after=%25%25")]
    [InlineData("?after=bm9jb2xvbg")] // "nocolon": base64url, but no conversation position
    public async Task ReadAfter_NotACursor_Refused(string query)
    {
        var error = GraphCursor.ReadAfter(await QueryAsync(query), GraphCursor.ConversationAfter, out var after);

        Assert.Null(after);
        Assert.Equal(DomainErrorKind.InvalidParameter, error?.Kind);
        Assert.Equal("Param after is not a valid cursor", error?.Detail);
    }

    [Fact]
    public async Task ReadAfter_Absent_NoPositionNoError()
    {
        Assert.Null(GraphCursor.ReadAfter(await QueryAsync(""), GraphCursor.Decode, out var after));
        Assert.Null(after);
    }
}
