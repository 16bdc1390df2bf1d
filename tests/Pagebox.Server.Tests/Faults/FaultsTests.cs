using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Faults;

/// <summary>
/// Faults (docs/spec/control-api.md, "Faults: what the real network does"): an app's next Graph calls answer slowly or
/// with an error and have no effect; its next webhook deliveries come late, twice, reordered, or fail and are retried.
/// </summary>
public sealed class FaultsTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The person writes first (the window opens); returns their PSID once the bot has the message.</summary>
    private static async Task<string> OpenAsync(Scenario s)
    {
        var written = await s.PersonWritesAsync("hi");
        await s.WaitForEventsAsync(e => e.Mid == written.Mid);
        return written.Psid;
    }

    private static Task<JsonElement> AddAsync(Scenario s, object fault) => s.World.AddFaultAsync(s.App.Id, fault, Ct);

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(Scenario s)
    {
        var answer = await s.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{s.App.Id}/faults", cancellationToken: Ct);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        return [.. answer.Body.EnumerateArray()];
    }

    private static async Task<int> MessageCountAsync(Scenario s) =>
        (await s.ConversationAsync()).GetProperty("messages").GetArrayLength();

    private static void AssertPageboxError(ApiResponse response, HttpStatusCode status, string? mentions = null)
    {
        Assert.True(
            response.Status == status,
            $"Expected HTTP {(int)status}, got {(int)response.Status} {response.RawBody}"
        );
        var error = response.Body.GetProperty("error");
        Assert.Equal("PageboxError", error.GetProperty("type").GetString());
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        if (mentions is not null)
            Assert.Contains(mentions, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    // :: Graph faults

    [Fact]
    public async Task Send_ErrorFault_AnswersGivenEnvelopeAndWritesNothing()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        var before = await MessageCountAsync(s);
        await AddAsync(
            s,
            new
            {
                match = new { method = "POST", path_contains = "/messages" },
                error = new
                {
                    code = 2,
                    error_subcode = 1234567,
                    http_status = 503,
                },
            }
        );

        var answer = await s.SendTextAsync(psid, "lost in the network");

        GraphAssert.Error(
            answer,
            HttpStatusCode.ServiceUnavailable,
            "OAuthException",
            2,
            1234567,
            "(#2) Injected fault"
        );
        Assert.False(string.IsNullOrEmpty(answer.Header("x-fb-trace-id")));
        Assert.Equal(before, await MessageCountAsync(s));
    }

    [Fact]
    public async Task Send_ErrorFaultWithMessageAndType_AnsweredAsGiven()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(
            s,
            new
            {
                error = new
                {
                    code = 613,
                    message = "(#613) Calls to this api have exceeded the rate limit.",
                    type = "OAuthException",
                    http_status = 429,
                },
            }
        );

        var answer = await s.SendTextAsync(psid, "too fast");

        GraphAssert.Error(
            answer,
            (HttpStatusCode)429,
            "OAuthException",
            613,
            null,
            "(#613) Calls to this api have exceeded the rate limit."
        );
    }

    [Theory]
    [InlineData(200, HttpStatusCode.Forbidden)] // pages_messaging missing
    [InlineData(1, HttpStatusCode.InternalServerError)] // unknown error
    [InlineData(12345, HttpStatusCode.BadRequest)] // a code Pagebox does not use
    public async Task Send_ErrorFaultWithoutStatus_StatusPageboxUsesForThatCode(int code, HttpStatusCode status)
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(s, new { error = new { code } });

        var answer = await s.SendTextAsync(psid, "hello");

        GraphAssert.Error(answer, status, "OAuthException", code, null, $"(#{code}) Injected fault");
    }

    [Fact]
    public async Task Send_ErrorFaultTimesTwo_FailsTwiceThenSends()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        var before = await MessageCountAsync(s);
        await AddAsync(s, new { times = 2, error = new { code = 2 } });

        var first = await s.SendTextAsync(psid, "one");
        var second = await s.SendTextAsync(psid, "two");
        var third = await s.SendTextAsync(psid, "three");

        Assert.Equal(2, first.ErrorCode);
        Assert.Equal(2, second.ErrorCode);
        GraphAssert.Sent(third, psid);
        Assert.Equal(before + 1, await MessageCountAsync(s));
        Assert.Empty(await ListAsync(s));
    }

    [Fact]
    public async Task Fault_PathContains_OnlyMatchingPathsFail()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(s, new { match = new { path_contains = "/subscribed_apps" }, error = new { code = 2 } });

        var installed = await s.Graph.GetAsync(
            $"{s.Page.Id}/subscribed_apps",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var sent = await s.SendTextAsync(psid, "still works");

        Assert.Equal(2, installed.ErrorCode);
        GraphAssert.Sent(sent, psid);
    }

    [Fact]
    public async Task Fault_Method_OnlyMatchingMethodFails()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(s, new { match = new { method = "get" }, error = new { code = 2 } });

        var node = await s.Graph.GetAsync("me", s.Page.AccessToken, cancellationToken: Ct);
        var sent = await s.SendTextAsync(psid, "POST is not matched");

        Assert.Equal(2, node.ErrorCode);
        GraphAssert.Sent(sent, psid);
    }

    [Fact]
    public async Task Fault_UnversionedPathAndAppToken_CallOfTheAppFaulted()
    {
        await using var s = await Scenario.StartAsync(server);
        await AddAsync(s, new { match = new { path_contains = "/subscriptions" }, error = new { code = 2 } });

        var answer = await server
            .GraphWith(null)
            .GetAsync($"{s.App.Id}/subscriptions", $"{s.App.Id}|{s.App.Secret}", cancellationToken: Ct);

        Assert.Equal(2, answer.ErrorCode);
    }

    [Fact]
    public async Task Fault_OtherApp_Unaffected()
    {
        await using var faulted = await Scenario.StartAsync(server);
        var faultedPsid = await OpenAsync(faulted);
        await using var other = await Scenario.StartAsync(server);
        var otherPsid = await OpenAsync(other);
        await AddAsync(faulted, new { error = new { code = 2 } });

        var otherAnswer = await other.SendTextAsync(otherPsid, "fine");
        var faultedAnswer = await faulted.SendTextAsync(faultedPsid, "not fine");

        GraphAssert.Sent(otherAnswer, otherPsid);
        Assert.Equal(2, faultedAnswer.ErrorCode);
    }

    [Fact]
    public async Task Fault_UnknownToken_NeverFaulted()
    {
        await using var s = await Scenario.StartAsync(server);
        await AddAsync(s, new { error = new { code = 2 } });

        var answer = await s.Graph.PostAsync(
            $"{s.Page.Id}/messages",
            new { recipient = new { id = "1" }, message = new { text = "x" } },
            "not-a-token",
            cancellationToken: Ct
        );
        var badSecret = await s.Graph.GetAsync(
            $"{s.App.Id}/subscriptions",
            $"{s.App.Id}|wrong-secret",
            cancellationToken: Ct
        );

        Assert.Equal(190, answer.ErrorCode);
        Assert.Equal(190, badSecret.ErrorCode);
    }

    [Fact]
    public async Task Fault_ProbabilityZero_NeverFires()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(
            s,
            new
            {
                probability = 0.0,
                times = 1,
                error = new { code = 2 },
            }
        );

        for (var i = 0; i < 5; i++)
            GraphAssert.Sent(await s.SendTextAsync(psid, $"message {i}"), psid);

        var fault = Assert.Single(await ListAsync(s));
        Assert.Equal(1, fault.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task Send_LatencyFault_AnswersLateAndSends()
    {
        const int latencyMs = 300;
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        var before = await MessageCountAsync(s);
        await AddAsync(s, new { latency_ms = latencyMs, times = 1 });

        var clock = Stopwatch.StartNew();
        var answer = await s.SendTextAsync(psid, "slowly");
        clock.Stop();

        GraphAssert.Sent(answer, psid);
        Assert.True(clock.ElapsedMilliseconds >= latencyMs, $"answered after {clock.ElapsedMilliseconds} ms");
        Assert.Equal(before + 1, await MessageCountAsync(s));
    }

    [Fact]
    public async Task Delete_Faults_Cleared()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(s, new { error = new { code = 2 } });
        Assert.Equal(2, (await s.SendTextAsync(psid, "fails")).ErrorCode);

        var cleared = await s.World.SendAsync(
            HttpMethod.Delete,
            $"_pagebox/apps/{s.App.Id}/faults",
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.NoContent, cleared.Status);
        GraphAssert.Sent(await s.SendTextAsync(psid, "works again"), psid);
        Assert.Empty(await ListAsync(s));
    }

    [Fact]
    public async Task List_AfterOneCall_ShowsEachFaultWithTimesLeft()
    {
        await using var s = await Scenario.StartAsync(server);
        var psid = await OpenAsync(s);
        await AddAsync(
            s,
            new
            {
                match = new { method = "POST", path_contains = "/messages" },
                times = 3,
                error = new { code = 2, http_status = 503 },
            }
        );
        await AddAsync(s, new { target = "webhooks", duplicate = true });
        await s.SendTextAsync(psid, "fails once");

        var faults = await ListAsync(s);

        Assert.Equal(2, faults.Count);
        var graph = faults[0];
        Assert.Equal("graph", graph.GetProperty("target").GetString());
        Assert.Equal(3, graph.GetProperty("times").GetInt32());
        Assert.Equal(2, graph.GetProperty("remaining").GetInt32());
        Assert.Equal(1.0, graph.GetProperty("probability").GetDouble());
        Assert.Equal("POST", graph.GetProperty("match").GetProperty("method").GetString());
        Assert.Equal("/messages", graph.GetProperty("match").GetProperty("path_contains").GetString());
        Assert.Equal(2, graph.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(503, graph.GetProperty("error").GetProperty("http_status").GetInt32());
        var webhooks = faults[1];
        Assert.Equal("webhooks", webhooks.GetProperty("target").GetString());
        Assert.False(webhooks.TryGetProperty("remaining", out _), "until cleared: no count");
        Assert.True(webhooks.GetProperty("duplicate").GetBoolean());
        Assert.True(webhooks.GetProperty("id").GetInt64() > graph.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Add_Valid_201WithTheFault()
    {
        await using var s = await Scenario.StartAsync(server);

        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/faults",
            new { latency_ms = 10, times = 2 },
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.Equal(10, answer.Body.GetProperty("latency_ms").GetInt32());
        Assert.Equal(2, answer.Body.GetProperty("remaining").GetInt32());
    }

    [Theory]
    [InlineData("""{"times":0,"error":{"code":2}}""", "times")]
    [InlineData("""{"probability":1.5,"error":{"code":2}}""", "probability")]
    [InlineData("""{"latency_ms":60001}""", "latency_ms")]
    [InlineData("""{"latency_ms":-1}""", "latency_ms")]
    [InlineData("""{"error":{"message":"no code"}}""", "error.code")]
    [InlineData("""{"error":{"code":2,"http_status":200}}""", "error.http_status")]
    [InlineData("""{"target":"email","latency_ms":10}""", "target")]
    [InlineData("""{}""", "latency_ms or error")]
    [InlineData("""{"match":{"method":"POST"}}""", "latency_ms or error")]
    [InlineData("""{"duplicate":true,"latency_ms":10}""", "duplicate")]
    [InlineData("""{"target":"webhooks","match":{"method":"POST"},"duplicate":true}""", "match")]
    [InlineData("""{"target":"webhooks","latency_ms":30001}""", "latency_ms")]
    [InlineData("""{"target":"webhooks","error":{"code":2}}""", "http_status")]
    [InlineData("""{"target":"webhooks","error":{},"duplicate":true}""", "duplicate")]
    [InlineData("""{"target":"webhooks"}""", "latency_ms, duplicate, reorder or error")]
    [InlineData("""{"times":"two","error":{"code":2}}""", "times")]
    [InlineData("""{"error":""", "Malformed JSON")]
    public async Task Add_Invalid_400NamingTheField(string body, string mentions)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await s.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/apps/{s.App.Id}/faults",
            body,
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.BadRequest, mentions);
        Assert.Empty(await ListAsync(s));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task Faults_UnknownApp_404(string method)
    {
        var answer = await server.World.SendAsync(
            new HttpMethod(method),
            "_pagebox/apps/999999999/faults",
            method == "POST" ? new { latency_ms = 10 } : null,
            cancellationToken: Ct
        );

        AssertPageboxError(answer, HttpStatusCode.NotFound, "999999999");
    }

    // :: Webhook faults

    private static bool Carries(ReceivedWebhook post, string mid) =>
        post.BodyText.Contains(mid, StringComparison.Ordinal);

    private static bool Carries(JsonElement entry, string mid) =>
        entry.GetProperty("body").GetRawText().Contains(mid, StringComparison.Ordinal);

    [Fact]
    public async Task Webhook_DuplicateFault_SameSignedBytesTwice()
    {
        await using var s = await Scenario.StartAsync(server);
        await AddAsync(
            s,
            new
            {
                target = "webhooks",
                duplicate = true,
                times = 1,
            }
        );

        var written = await s.PersonWritesAsync("say it twice");
        await s.Receiver.WaitUntilAsync(
            r => r.Received.Count(w => Carries(w, written.Mid) && !w.IsPending) >= 2,
            because: "the POST and its copy",
            cancellationToken: Ct
        );

        var posts = s.Receiver.Received.Where(w => Carries(w, written.Mid)).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.Equal(posts[0].Header("X-Hub-Signature-256"), posts[1].Header("X-Hub-Signature-256"));
        Assert.All(posts, p => Assert.True(p.SignaturesValid && p.Succeeded, p.ToString()));
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && e.GetProperty("status").GetString() == "delivered",
            "the delivery in the log"
        );
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());

        // times: 1 — the next delivery is sent once.
        var next = await s.PersonWritesAsync("once");
        await s.WaitForEventsAsync(e => e.Mid == next.Mid);
        await s.WaitForLogEntryAsync(
            e => Carries(e, next.Mid) && e.GetProperty("status").GetString() == "delivered",
            "the next delivery in the log"
        );
        Assert.Single(s.Receiver.Received, w => Carries(w, next.Mid));
    }

    [Fact]
    public async Task Webhook_ReorderFault_EntriesOfOnePostReversed()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.AlwaysFail = true;
        var written = await s.PersonWritesAsync("hi");
        await s.Receiver.WaitUntilAsync(
            r => r.Received.Any(w => w.ResponseStatus == 500),
            because: "the first failed attempt",
            cancellationToken: Ct
        );

        // Three answers wait behind the failing delivery, so their six events go out together in one POST.
        var mids = new List<string>();
        for (var i = 1; i <= 3; i++)
            mids.Add(GraphAssert.Sent(await s.SendTextAsync(written.Psid, $"answer {i}"), written.Psid));
        await AddAsync(s, new { target = "webhooks", reorder = true });
        s.Receiver.AlwaysFail = false;
        await s.AdvanceClockAsync(TimeSpan.FromSeconds(30));

        await s.WaitForEventsAsync(e => e.IsEcho, 3, "three echoes");
        var post = Assert.Single(s.Receiver.Delivered, w => Carries(w, mids[0]));
        Assert.True(post.SignaturesValid, post.ToString());
        var inOrder = mids.SelectMany(m => new[] { $"echo {m}", $"delivery {m}" }).ToList();
        Assert.Equal(Enumerable.Reverse(inOrder), Describe(post.Envelope!.Value));
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, mids[0]) && e.GetProperty("status").GetString() == "delivered",
            "the batched delivery in the log"
        );
        Assert.Equal(inOrder, Describe(entry.GetProperty("body")));
    }

    private static List<string> Describe(JsonElement envelope) =>
        [
            .. envelope
                .GetProperty("entry")
                .EnumerateArray()
                .Select(entry => Assert.Single(entry.GetProperty("messaging").EnumerateArray()))
                .Select(e =>
                    e.TryGetProperty("delivery", out var d)
                        ? $"delivery {d.GetProperty("mids")[0].GetString()}"
                        : $"echo {e.GetProperty("message").GetProperty("mid").GetString()}"
                ),
        ];

    [Fact]
    public async Task Webhook_ErrorFault_AttemptFailsUnsentLoggedAndRetried()
    {
        await using var s = await Scenario.StartAsync(server);
        await AddAsync(s, new { target = "webhooks", error = new { http_status = 503 } });

        var written = await s.PersonWritesAsync("are you there?");
        var failed = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && e.GetProperty("attempts").GetInt32() >= 1,
            "a failed attempt in the log"
        );

        Assert.Equal("pending", failed.GetProperty("status").GetString());
        Assert.Equal("injected fault", failed.GetProperty("last_error").GetString());
        Assert.Equal(503, failed.GetProperty("last_status").GetInt32());
        Assert.DoesNotContain(s.Receiver.Received, w => Carries(w, written.Mid));

        await s.World.ClearFaultsAsync(s.App.Id, Ct);
        await s.AdvanceClockAsync(TimeSpan.FromMinutes(5));

        Assert.Single(
            await s.WaitForEventsAsync(e => e.Mid == written.Mid, because: "the retry after the fault was cleared")
        );
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && e.GetProperty("status").GetString() == "delivered",
            "the delivery in the log"
        );
        Assert.True(entry.GetProperty("attempts").GetInt32() >= 2, entry.GetRawText());
    }

    [Fact]
    public async Task Webhook_ErrorFaultTimesOne_RetriedOnScheduleAndDelivered()
    {
        await using var s = await Scenario.StartAsync(server);
        await AddAsync(
            s,
            new
            {
                target = "webhooks",
                times = 1,
                error = new { },
            }
        );

        var written = await s.PersonWritesAsync("second time lucky");

        Assert.Single(
            await s.WaitForEventsAsync(e => e.Mid == written.Mid, because: "the retry after the injected failure")
        );
        Assert.Single(s.Receiver.Received, w => Carries(w, written.Mid));
        var entry = await s.WaitForLogEntryAsync(
            e => Carries(e, written.Mid) && e.GetProperty("status").GetString() == "delivered",
            "the delivery in the log"
        );
        Assert.Equal(2, entry.GetProperty("attempts").GetInt32());
    }
}

/// <summary>A webhook latency fault on a host whose answer timeout is shorter than the delay: the delay is the
/// platform's, not the bot's.</summary>
public sealed class WebhookLatencyFaultTests : IAsyncLifetime
{
    private PageboxServer _server = null!;

    public async ValueTask InitializeAsync() =>
        _server = await PageboxServer.StartAsync(o => o.WebhookTimeout = TimeSpan.FromMilliseconds(500));

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Webhook_LatencyFaultLongerThanTimeout_DeliveredLateOnFirstAttempt()
    {
        const int latencyMs = 700;
        await using var s = await Scenario.StartAsync(_server);
        await s.World.AddFaultAsync(
            s.App.Id,
            new
            {
                target = "webhooks",
                latency_ms = latencyMs,
                times = 1,
            },
            TestContext.Current.CancellationToken
        );

        var before = DateTimeOffset.UtcNow;
        var written = await s.PersonWritesAsync("take your time");

        var events = await s.WaitForEventsAsync(e => e.Mid == written.Mid, because: "the delayed delivery");
        var post = Assert.Single(s.Receiver.Received, w => w.BodyText.Contains(written.Mid, StringComparison.Ordinal));
        Assert.True(post.Succeeded, post.ToString());
        Assert.True(
            post.ReceivedAt - before >= TimeSpan.FromMilliseconds(latencyMs),
            $"received {(post.ReceivedAt - before).TotalMilliseconds} ms after the write"
        );
        var entry = await s.WaitForLogEntryAsync(
            e =>
                e.GetProperty("body").GetRawText().Contains(written.Mid, StringComparison.Ordinal)
                && e.GetProperty("status").GetString() == "delivered",
            "the delivery in the log"
        );
        Assert.Equal(1, entry.GetProperty("attempts").GetInt32());
        Assert.Single(events);
    }
}
