using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The Conversations API (read-only): the Page's conversations, their messages, and single message
/// nodes.</summary>
public sealed class ConversationsApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> GetOkAsync(Scenario s, string path)
    {
        var response = await s.Graph.GetAsync(path, s.Page.AccessToken, cancellationToken: Ct);
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        return response.Body;
    }

    private static string[] Ids(JsonElement list) =>
        [.. list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    /// <summary>Ada writes, then Bo writes a minute later, then the Page answers Ada a minute after that.</summary>
    private static async Task<(string AdaPsid, string BoPsid, string AdaMid, string ReplyMid)> TwoPersonsAsync(
        Scenario s
    )
    {
        var ada = await s.PersonWritesAsync("Hello from Ada");
        await s.AdvanceClockAsync(TimeSpan.FromMinutes(1));
        var bo = await s.World.CreatePersonAsync("Bo Lee", cancellationToken: Ct);
        var boWrite = await s.World.WriteAsync(bo, s.Page.Id, "Hello from Bo", cancellationToken: Ct);
        await s.AdvanceClockAsync(TimeSpan.FromMinutes(1));
        var reply = GraphAssert.Sent(await s.SendTextAsync(ada.Psid, "Hi Ada"), ada.Psid);
        return (ada.Psid, boWrite.Psid, ada.Mid, reply);
    }

    [Fact]
    public async Task List_TwoPersons_NewestLastMessageFirstWithDefaultFields()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, bo, _, _) = await TwoPersonsAsync(s);

        var list = await GetOkAsync(s, $"{s.Page.Id}/conversations?platform=messenger");

        // Ada's conversation has the Page's reply, the newest message of all.
        Assert.Equal([$"t_{ada}", $"t_{bo}"], Ids(list));
        var first = list.GetProperty("data")[0];
        Assert.Equal(["id", "updated_time"], GraphAssert.Names(first));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", first.GetProperty("updated_time").GetString());
        var times = list.GetProperty("data")
            .EnumerateArray()
            .Select(e =>
                DateTimeOffset.Parse(
                    e.GetProperty("updated_time").GetString()!,
                    System.Globalization.CultureInfo.InvariantCulture
                )
            )
            .ToList();
        // The app's clock also runs in real time between the two writes and updated_time is in whole seconds, so
        // the gap is the minute advanced plus the (short) real time between them, read at second resolution.
        Assert.InRange(times[0] - times[1], TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5));
        Assert.Equal(["cursors"], GraphAssert.Names(list.GetProperty("paging")));
        // /me/… without platform is the same list on a Messenger Page.
        Assert.Equal(Ids(list), Ids(await GetOkAsync(s, "me/conversations")));
    }

    [Fact]
    public async Task List_WithUserId_ShowsOnlyThatPersonsConversation()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (_, bo, _, _) = await TwoPersonsAsync(s);

        var list = await GetOkAsync(s, $"me/conversations?platform=messenger&user_id={bo}");

        Assert.Equal([$"t_{bo}"], Ids(list));
    }

    [Fact]
    public async Task List_WithLimitOne_PagesWithAfter()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, bo, _, _) = await TwoPersonsAsync(s);

        var first = await GetOkAsync(s, "me/conversations?platform=messenger&limit=1");
        var paging = first.GetProperty("paging");
        Assert.True(paging.TryGetProperty("next", out var next));
        Assert.Contains("after=", next.GetString(), StringComparison.Ordinal);
        var after = paging.GetProperty("cursors").GetProperty("after").GetString();
        var second = await GetOkAsync(s, $"me/conversations?platform=messenger&limit=1&after={after}");

        Assert.Equal([$"t_{ada}"], Ids(first));
        Assert.Equal([$"t_{bo}"], Ids(second));
        Assert.False(second.GetProperty("paging").TryGetProperty("next", out _));
    }

    [Fact]
    public async Task List_WithFields_GivesMessageCountParticipantsAndMessagesEdge()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, _, adaMid, replyMid) = await TwoPersonsAsync(s);

        var list = await GetOkAsync(
            s,
            $"me/conversations?platform=messenger&user_id="
                + $"{ada}&fields=id,updated_time,link,message_count,participants,messages{{message,from,to,"
                + $"created_time}}"
        );

        var c = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(["id", "link", "message_count", "messages", "participants", "updated_time"], GraphAssert.Names(c));
        Assert.Equal(2, c.GetProperty("message_count").GetInt32());
        var participants = c.GetProperty("participants").GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, participants.Count);
        AssertParty(participants[0], "Ada", ada);
        AssertParty(participants[1], "Shop", s.Page.Id);
        var messages = c.GetProperty("messages");
        Assert.Equal([replyMid, adaMid], Ids(messages));
        Assert.True(messages.GetProperty("paging").TryGetProperty("cursors", out _));
        Assert.Equal("Hi Ada", messages.GetProperty("data")[0].GetProperty("message").GetString());
        AssertParty(messages.GetProperty("data")[0].GetProperty("from"), "Shop", s.Page.Id);
    }

    [Fact]
    public async Task MessagesEdge_NewestFirstWithFromToAndText()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, _, adaMid, replyMid) = await TwoPersonsAsync(s);

        var edge = await GetOkAsync(s, $"t_{ada}/messages?fields=message,from,to,created_time,id");

        Assert.Equal([replyMid, adaMid], Ids(edge));
        var reply = edge.GetProperty("data")[0];
        var written = edge.GetProperty("data")[1];
        Assert.Equal(["created_time", "from", "id", "message", "to"], GraphAssert.Names(reply));
        Assert.Equal("Hi Ada", reply.GetProperty("message").GetString());
        AssertParty(reply.GetProperty("from"), "Shop", s.Page.Id);
        AssertParty(Assert.Single(reply.GetProperty("to").GetProperty("data").EnumerateArray()), "Ada", ada);
        Assert.Equal("Hello from Ada", written.GetProperty("message").GetString());
        AssertParty(written.GetProperty("from"), "Ada", ada);
        AssertParty(Assert.Single(written.GetProperty("to").GetProperty("data").EnumerateArray()), "Shop", s.Page.Id);
        Assert.Matches(@"\+0000$", written.GetProperty("created_time").GetString());

        // Default fields are id and created_time; limit=1 pages with after.
        var page1 = await GetOkAsync(s, $"t_{ada}/messages?limit=1");
        Assert.Equal(["created_time", "id"], GraphAssert.Names(page1.GetProperty("data")[0]));
        var after = page1.GetProperty("paging").GetProperty("cursors").GetProperty("after").GetString();
        Assert.Equal([adaMid], Ids(await GetOkAsync(s, $"t_{ada}/messages?limit=1&after={after}")));
    }

    [Fact]
    public async Task ConversationNode_AndMessageNode_Read()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, _, adaMid, replyMid) = await TwoPersonsAsync(s);

        var node = await GetOkAsync(s, $"t_{ada}?fields=message_count,messages,participants");
        var message = await GetOkAsync(s, $"{adaMid}?fields=message,from,to,created_time");

        Assert.Equal(["id", "message_count", "messages", "participants"], GraphAssert.Names(node));
        Assert.Equal($"t_{ada}", node.GetProperty("id").GetString());
        Assert.Equal([replyMid, adaMid], Ids(node.GetProperty("messages")));
        Assert.Equal(["created_time", "from", "id", "message", "to"], GraphAssert.Names(message));
        Assert.Equal(adaMid, message.GetProperty("id").GetString());
        Assert.Equal("Hello from Ada", message.GetProperty("message").GetString());
        AssertParty(message.GetProperty("from"), "Ada", ada);
    }

    [Theory]
    [InlineData("me/conversations?platform=messenger&limit=0")]
    [InlineData("me/conversations?platform=messenger&limit=-3")]
    [InlineData("me/conversations?platform=messenger&limit=abc")]
    [InlineData("me/personas?limit=0")]
    public async Task List_LimitNotAPositiveInteger_Returns100NamingLimit(string path)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var response = await s.Graph.GetAsync(path, s.Page.AccessToken, cancellationToken: Ct);

        GraphAssert.InvalidParameter(response, "limit");
    }

    [Fact]
    public async Task Conversations_LimitOverMaximum_Accepted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await TwoPersonsAsync(s);

        var list = await GetOkAsync(s, "me/conversations?platform=messenger&limit=5000");

        Assert.Equal(2, Ids(list).Length);
    }

    [Fact]
    public async Task AnotherPagesConversationOrMessage_Returns100Subcode33()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var (ada, _, adaMid, _) = await TwoPersonsAsync(s);
        var other = await server.World.CreatePageAsync(s.App.Id, "Other", cancellationToken: Ct);

        foreach (var path in new[] { $"t_{ada}", $"t_{ada}/messages", adaMid })
        {
            var response = await s.Graph.GetAsync(path, other.AccessToken, cancellationToken: Ct);
            GraphAssert.Error(response, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
        }
        var otherList = await s.Graph.GetAsync(
            "me/conversations?platform=messenger",
            other.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.OK, otherList.Status);
        Assert.Empty(Ids(otherList.Body));
    }

    [Fact]
    public async Task PlatformMismatchOrUnknown_Returns100NamingPlatform()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.PersonWritesAsync("Hello");
        var instagram = await server.World.CreatePageAsync(
            s.App.Id,
            "Insta shop",
            platform: "instagram",
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync("me/conversations?platform=instagram", s.Page.AccessToken, cancellationToken: Ct),
            "platform"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync("me/conversations?platform=whatsapp", s.Page.AccessToken, cancellationToken: Ct),
            "platform"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync("me/conversations?platform=messenger", instagram.AccessToken, cancellationToken: Ct),
            "platform"
        );
        // Meta requires platform for Instagram.
        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync("me/conversations", instagram.AccessToken, cancellationToken: Ct),
            "platform"
        );
        var ok = await s.Graph.GetAsync(
            "me/conversations?platform=instagram",
            instagram.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    [Fact]
    public async Task UnknownField_Returns100NamingFields()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var ada = await s.PersonWritesAsync("Hello");

        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync("me/conversations?fields=id,snippetz", s.Page.AccessToken, cancellationToken: Ct),
            "snippetz"
        );
        GraphAssert.InvalidParameter(
            await s.Graph.GetAsync($"t_{ada.Psid}/messages?fields=bogus", s.Page.AccessToken, cancellationToken: Ct),
            "bogus"
        );
    }

    private static void AssertParty(JsonElement party, string name, string id)
    {
        Assert.Equal(["email", "id", "name"], GraphAssert.Names(party));
        Assert.Equal(name, party.GetProperty("name").GetString());
        Assert.Equal($"{id}@facebook.com", party.GetProperty("email").GetString());
        Assert.Equal(id, party.GetProperty("id").GetString());
    }
}
