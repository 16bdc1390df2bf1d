using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>The Graph Batch API, as general Graph SDKs use it for bulk sends.</summary>
public sealed class BatchApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SendItem(string psid, string text) =>
        JsonSerializer.Serialize(
            new
            {
                method = "POST",
                relative_url = "me/messages",
                body = $"recipient={Uri.EscapeDataString($"{{\"id\":\"{psid}\"}}")}&message="
                    + $"{Uri.EscapeDataString($"{{\"text\":\"{text}\"}}")}",
            }
        );

    [Fact]
    public async Task Batch_SendsAndARead_AnswersEachInOrderAndStoresTheSends()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var psid = (await s.PersonWritesAsync("hello")).Psid;
        var batch =
            $"[{SendItem(psid, "one")},{SendItem(psid, "two")},{{\"method\":\"GET\",\"relative_url\":\"me\"}},"
            + $"{SendItem("123", "nobody")}]";

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["batch"] = batch },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var results = answer.Body.EnumerateArray().ToList();
        Assert.Equal([200, 200, 200, 400], results.Select(r => r.GetProperty("code").GetInt32()));
        using var first = JsonDocument.Parse(results[0].GetProperty("body").GetString()!);
        Assert.Equal(psid, first.RootElement.GetProperty("recipient_id").GetString());
        using var page = JsonDocument.Parse(results[2].GetProperty("body").GetString()!);
        Assert.Equal(s.Page.Id, page.RootElement.GetProperty("id").GetString());
        using var failed = JsonDocument.Parse(results[3].GetProperty("body").GetString()!);
        Assert.Equal(2018001, failed.RootElement.GetProperty("error").GetProperty("error_subcode").GetInt32());
        Assert.Contains(
            results[0].GetProperty("headers").EnumerateArray(),
            h => h.GetProperty("name").GetString() == "Content-Type"
        );

        var texts = (await s.ConversationAsync())
            .GetProperty("messages")
            .EnumerateArray()
            .Where(m => m.GetProperty("from").GetString() == "page")
            .Select(m => m.GetProperty("message").GetProperty("text").GetString());
        Assert.Equal(["one", "two"], texts);
    }

    [Fact]
    public async Task Batch_OverFiftyRequests_Returns100NamingBatch()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var batch = "[" + string.Join(',', Enumerable.Repeat("{\"method\":\"GET\",\"relative_url\":\"me\"}", 51)) + "]";

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["batch"] = batch },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(answer, "batch");
    }

    [Fact]
    public async Task Batch_Missing_Returns100()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["x"] = "y" },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            100,
            null,
            "(#100) The parameter batch is required"
        );
    }

    [Fact]
    public async Task Batch_IncludeHeadersFalse_LeavesHeadersOut()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string>
            {
                ["batch"] = "[{\"method\":\"GET\",\"relative_url\":\"me\"}]",
                ["include_headers"] = "false",
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var only = Assert.Single(answer.Body.EnumerateArray());
        Assert.Equal(["body", "code"], GraphAssert.Names(only));
    }
}
