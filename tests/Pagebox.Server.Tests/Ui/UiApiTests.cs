using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Ui;

/// <summary>The world-face reads of the inbox page (Endpoints/UiApi.cs), over real HTTP.</summary>
public sealed class UiApiTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var answer = await server.World.SendAsync(HttpMethod.Get, path, cancellationToken: Ct);
        Assert.True(answer.Status == expected, $"GET {path}: {(int)answer.Status} {answer.RawBody}");
        return answer.Body;
    }

    [Fact]
    public async Task Apps_Listed_WithTheirPagesAndClock()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.AdvanceClockAsync(TimeSpan.FromHours(5));

        var apps = await GetAsync("_pagebox/apps");

        var app = apps.EnumerateArray().Single(a => a.GetProperty("id").GetString() == s.App.Id);
        Assert.Equal("bot", app.GetProperty("name").GetString());
        var page = Assert.Single(app.GetProperty("pages").EnumerateArray());
        Assert.Equal(s.Page.Id, page.GetProperty("id").GetString());
        Assert.Equal("messenger", page.GetProperty("platform").GetString());
        Assert.Equal(s.App.Id, page.GetProperty("app_id").GetString());
        Assert.InRange(
            app.GetProperty("now").GetDateTimeOffset() - DateTimeOffset.UtcNow,
            TimeSpan.FromHours(4.9),
            TimeSpan.FromHours(5.1)
        );
        Assert.False(app.TryGetProperty("secret", out _), "the list does not spread app secrets");
    }

    [Fact]
    public async Task Persons_Listed_WithThePagesTheyMetAndTheirPsids()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");

        var persons = await GetAsync("_pagebox/persons");
        var person = persons.EnumerateArray().Single(p => p.GetProperty("id").GetString() == s.PersonId);
        var conversation = Assert.Single(person.GetProperty("conversations").EnumerateArray());
        Assert.Equal(s.Page.Id, conversation.GetProperty("page_id").GetString());
        Assert.Equal(wrote.Psid, conversation.GetProperty("psid").GetString());
        Assert.False(conversation.GetProperty("blocked").GetBoolean());

        var one = await GetAsync($"_pagebox/persons/{s.PersonId}");
        Assert.Equal("Ada", one.GetProperty("name").GetString());
        await GetAsync("_pagebox/persons/404404404", HttpStatusCode.NotFound);

        var ofPage = await GetAsync($"_pagebox/pages/{s.Page.Id}/persons");
        var row = Assert.Single(ofPage.EnumerateArray());
        Assert.Equal(s.PersonId, row.GetProperty("person_id").GetString());
        Assert.Equal(wrote.Psid, row.GetProperty("psid").GetString());
        Assert.Equal("Ada", row.GetProperty("name").GetString());
        Assert.True(row.GetProperty("window_open_until").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddHours(23));
        await GetAsync("_pagebox/pages/404404404/persons", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Thread_BeforeTheFirstContact_IsEmptyWithThePagesProfile()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var profile = await s.Graph.PostAsync(
            $"{s.Page.Id}/messenger_profile",
            new
            {
                get_started = new { payload = "GO" },
                ice_breakers = new object[] { new { question = "Hours?", payload = "HOURS" } },
            },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.True(profile.IsSuccess, profile.ToString());

        var thread = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");

        Assert.False(thread.TryGetProperty("psid", out _));
        Assert.Empty(thread.GetProperty("messages").EnumerateArray());
        Assert.Equal("GO", thread.GetProperty("profile").GetProperty("get_started").GetProperty("payload").GetString());
        Assert.Equal(
            "Hours?",
            thread.GetProperty("profile").GetProperty("ice_breakers")[0].GetProperty("question").GetString()
        );
        Assert.Equal("Shop", thread.GetProperty("page").GetProperty("name").GetString());
        await GetAsync($"_pagebox/persons/404404404/threads/{s.Page.Id}", HttpStatusCode.NotFound);
        await GetAsync($"_pagebox/persons/{s.PersonId}/threads/404404404", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Thread_PersonaMessage_CarriesThePersonasNameAndPicture()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        var persona = await s.Graph.PostAsync(
            $"{s.Page.Id}/personas",
            new { name = "Anna", profile_picture_url = "https://example.com/anna.png" },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var personaId = persona.Body.GetProperty("id").GetString();
        Assert.True(
            (
                await s.SendAsync(
                    new
                    {
                        recipient = new { id = wrote.Psid },
                        messaging_type = "RESPONSE",
                        persona_id = personaId,
                        message = new { text = "Anna here" },
                    }
                )
            ).IsSuccess
        );
        Assert.True((await s.SendTextAsync(wrote.Psid, "the Page itself")).IsSuccess);

        var thread = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");

        var messages = thread.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["person", "page", "page"], messages.Select(m => m.GetProperty("from").GetString()));
        var asPersona = messages[1].GetProperty("persona");
        Assert.Equal(personaId, asPersona.GetProperty("id").GetString());
        Assert.Equal("Anna", asPersona.GetProperty("name").GetString());
        Assert.Equal("https://example.com/anna.png", asPersona.GetProperty("profile_picture_url").GetString());
        Assert.False(messages[2].TryGetProperty("persona", out _));
    }

    [Fact]
    public async Task Thread_TypingOn_ShowsForTwentySecondsOnTheAppsClockAndUntilTheNextMessage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        Assert.True(
            (await s.SendAsync(new { recipient = new { id = wrote.Psid }, sender_action = "typing_on" })).IsSuccess
        );

        var thread = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");
        Assert.True(thread.GetProperty("typing").GetBoolean());
        Assert.Single(thread.GetProperty("messages").EnumerateArray()); // sender actions are not messages

        await s.AdvanceClockAsync(TimeSpan.FromSeconds(19));
        Assert.True(
            (await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}")).GetProperty("typing").GetBoolean()
        );
        await s.AdvanceClockAsync(TimeSpan.FromSeconds(1.5));
        Assert.False(
            (await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}")).GetProperty("typing").GetBoolean()
        );

        Assert.True(
            (await s.SendAsync(new { recipient = new { id = wrote.Psid }, sender_action = "typing_on" })).IsSuccess
        );
        Assert.True((await s.SendTextAsync(wrote.Psid, "done")).IsSuccess);
        Assert.True(
            (await s.SendAsync(new { recipient = new { id = wrote.Psid }, sender_action = "mark_seen" })).IsSuccess
        );
        var after = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");
        Assert.False(after.GetProperty("typing").GetBoolean());
        Assert.True(after.TryGetProperty("seen_at", out _));
    }

    [Fact]
    public async Task Thread_Reactions_ThePersonsAndThePagesOnTheirMessages_UnreactTakesThemAway()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        var sent = await s.SendTextAsync(wrote.Psid, "hello");
        var pageMid = sent.Body.GetProperty("message_id").GetString()!;
        var reacted = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/reactions",
            new
            {
                page_id = s.Page.Id,
                mid = pageMid,
                emoji = "❤️",
            },
            cancellationToken: Ct
        );
        Assert.True(reacted.IsSuccess, reacted.RawBody);
        Assert.True(
            (
                await s.SendAsync(
                    new
                    {
                        recipient = new { id = wrote.Psid },
                        sender_action = "react",
                        payload = new { message_id = wrote.Mid, reaction = "👍" },
                    }
                )
            ).IsSuccess
        );

        var thread = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");
        var messages = thread.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count); // the reaction is a sender action, not a message
        var onPersons = Assert.Single(
            messages
                .Single(m => m.GetProperty("mid").GetString() == wrote.Mid)
                .GetProperty("reactions")
                .EnumerateArray()
        );
        Assert.Equal("page", onPersons.GetProperty("from").GetString());
        Assert.Equal("👍", onPersons.GetProperty("emoji").GetString());
        var onPages = Assert.Single(
            messages.Single(m => m.GetProperty("mid").GetString() == pageMid).GetProperty("reactions").EnumerateArray()
        );
        Assert.Equal("person", onPages.GetProperty("from").GetString());
        Assert.Equal("❤️", onPages.GetProperty("emoji").GetString());
        Assert.Equal("love", onPages.GetProperty("reaction").GetString());

        Assert.True(
            (
                await s.SendAsync(
                    new
                    {
                        recipient = new { id = wrote.Psid },
                        sender_action = "unreact",
                        payload = new { message_id = wrote.Mid },
                    }
                )
            ).IsSuccess
        );
        var taken = await server.World.SendAsync(
            HttpMethod.Post,
            $"_pagebox/persons/{s.PersonId}/reactions",
            new
            {
                page_id = s.Page.Id,
                mid = pageMid,
                action = "unreact",
            },
            cancellationToken: Ct
        );
        Assert.True(taken.IsSuccess, taken.RawBody);
        var after = await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}");
        Assert.All(
            after.GetProperty("messages").EnumerateArray(),
            m => Assert.Empty(m.GetProperty("reactions").EnumerateArray())
        );
    }

    [Theory]
    [InlineData("{\"sender_action\":\"react\"}", "payload")]
    [InlineData("{\"sender_action\":\"react\",\"payload\":{\"reaction\":\"x\"}}", "payload[message_id]")]
    [InlineData("{\"sender_action\":\"react\",\"payload\":{\"message_id\":\"m_1\"}}", "payload[reaction]")]
    [InlineData("{\"sender_action\":\"unreact\",\"payload\":{\"message_id\":7}}", "payload[message_id]")]
    public async Task SendApi_ReactWithoutWhatItNames_IsRefusedNamingTheParameter(string action, string parameter)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        var body = action.Insert(1, $"\"recipient\":{{\"id\":\"{wrote.Psid}\"}},");

        var refused = await s.Graph.PostAsync($"{s.Page.Id}/messages", body, s.Page.AccessToken, cancellationToken: Ct);

        var error = GraphAssert.Error(refused, HttpStatusCode.BadRequest, "OAuthException", 100, null);
        Assert.Contains(parameter, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(
            (await GetAsync($"_pagebox/persons/{s.PersonId}/threads/{s.Page.Id}"))
                .GetProperty("messages")
                .EnumerateArray()
        );
    }

    [Fact]
    public async Task Tokens_AfterAMarketingMessage_ShowStatusAndNextEligibleTimeUnderEachRuleSet()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        var optInRequest = await s.SendAsync(
            new
            {
                recipient = new { id = wrote.Psid },
                message = new
                {
                    attachment = new
                    {
                        type = "template",
                        payload = new
                        {
                            template_type = "notification_messages",
                            title = "Deals",
                            payload = "D",
                        },
                    },
                },
            }
        );
        var mid = optInRequest.Body.GetProperty("message_id").GetString()!;
        var token = (await s.World.OptInAsync(s.PersonId, s.Page.Id, mid, cancellationToken: Ct))
            .GetProperty("notification_messages_token")
            .GetString()!;
        for (var i = 0; i < 4; i++)
            Assert.True(
                (
                    await s.SendAsync(
                        new
                        {
                            recipient = new { notification_messages_token = token },
                            message = new { text = $"m{i}" },
                        }
                    )
                ).IsSuccess
            );

        var rows = await GetAsync($"_pagebox/apps/{s.App.Id}/tokens");

        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(token, row.GetProperty("token").GetString());
        Assert.Equal("Deals", row.GetProperty("topic").GetString());
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.Equal("Ada", row.GetProperty("person_name").GetString());
        Assert.Equal(3, row.GetProperty("follow_ups_sent").GetInt32());
        Assert.False(row.GetProperty("eligible_now").GetBoolean());
        var last = row.GetProperty("last_marketing_send").GetDateTimeOffset();
        Assert.Equal(last + TimeSpan.FromHours(48), row.GetProperty("next_eligible").GetDateTimeOffset());
        var byRuleSet = row.GetProperty("next_eligible_by_rule_set");
        Assert.Equal(last + TimeSpan.FromHours(24), byRuleSet.GetProperty("2024").GetDateTimeOffset());
        Assert.Equal(last + TimeSpan.FromHours(48), byRuleSet.GetProperty("2025-09").GetDateTimeOffset());

        // Stopped tokens stay in the table (the Graph list leaves them out).
        await s.World.StopMarketingAsync(s.PersonId, s.Page.Id, token, Ct);
        var stopped = Assert.Single((await GetAsync($"_pagebox/apps/{s.App.Id}/tokens")).EnumerateArray());
        Assert.Equal("stopped", stopped.GetProperty("status").GetString());
        await GetAsync("_pagebox/apps/404404404/tokens", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delivery_Detail_ShowsTheSignaturesTheBotGotAndItsAnswers()
    {
        await using var s = await Scenario.StartAsync(server);
        s.Receiver.FailNext(1, 503);
        await s.PersonWritesAsync("hello");
        var entry = await s.WaitForLogEntryAsync(
            e => e.GetProperty("status").GetString() == "pending" && e.GetProperty("attempts").GetInt32() == 1,
            "a failed first attempt"
        );
        var id = entry.GetProperty("id").GetInt64();
        await s.AdvanceClockAsync(TimeSpan.FromMinutes(10));
        await s.WaitForLogEntryAsync(
            e => e.GetProperty("id").GetInt64() == id && e.GetProperty("status").GetString() == "delivered",
            "the retry"
        );

        var detail = await GetAsync($"_pagebox/apps/{s.App.Id}/webhook-deliveries/{id}");

        var received = s.Receiver.Delivered.Last(w => w.BodyText.Contains("\"hello\"", StringComparison.Ordinal));
        var headers = detail.GetProperty("headers");
        Assert.Equal(received.Header("X-Hub-Signature-256"), headers.GetProperty("X-Hub-Signature-256").GetString());
        Assert.Equal(received.Header("X-Hub-Signature"), headers.GetProperty("X-Hub-Signature").GetString());
        Assert.Equal(s.Receiver.CallbackUrl.ToString(), detail.GetProperty("callback_url").GetString());
        Assert.Equal("delivered", detail.GetProperty("status").GetString());
        var attempts = detail.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal(503, attempts[0].GetProperty("status").GetInt32());
        Assert.Equal(200, attempts[1].GetProperty("status").GetInt32());
        Assert.True(attempts[1].TryGetProperty("duration_ms", out _));
        Assert.True(
            attempts[1].GetProperty("time").GetDateTimeOffset()
                >= attempts[0].GetProperty("time").GetDateTimeOffset() + TimeSpan.FromMinutes(9),
            "attempt times are on the app's clock"
        );
        await GetAsync($"_pagebox/apps/{s.App.Id}/webhook-deliveries/999999999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Journal_GraphCalls_NewestFirstRedactedSearchableRefusedFirstClass()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var wrote = await s.PersonWritesAsync("hi");
        Assert.True((await s.SendTextAsync(wrote.Psid, "one")).IsSuccess);
        var refused = await s.SendAsync(new { recipient = new { id = wrote.Psid }, messaging_type = "RESPONSE" });
        Assert.False(refused.IsSuccess);

        var journal = (await GetAsync($"_pagebox/apps/{s.App.Id}/journal")).EnumerateArray().ToList();

        Assert.Equal(2, journal.Count);
        var (newest, older) = (journal[0], journal[1]);
        Assert.True(newest.GetProperty("id").GetInt64() > older.GetProperty("id").GetInt64());
        Assert.Equal("POST", newest.GetProperty("method").GetString());
        Assert.Equal($"/v25.0/{s.Page.Id}/messages", newest.GetProperty("path").GetString());
        Assert.True(newest.GetProperty("refused").GetBoolean());
        Assert.Equal(400, newest.GetProperty("status").GetInt32());
        Assert.Equal(refused.ErrorCode, newest.GetProperty("error_code").GetInt32());
        Assert.Contains("message", newest.GetProperty("error_message").GetString(), StringComparison.Ordinal);
        Assert.Equal(refused.RawBody, newest.GetProperty("response").GetString());
        Assert.False(older.GetProperty("refused").GetBoolean());
        Assert.Equal("one", older.GetProperty("parameters").GetProperty("message").GetProperty("text").GetString());
        var token = older.GetProperty("parameters").GetProperty("access_token").GetString()!;
        Assert.EndsWith("(redacted)", token, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Page.AccessToken, older.GetRawText(), StringComparison.Ordinal);

        var refusedOnly = (await GetAsync($"_pagebox/apps/{s.App.Id}/journal?refused=true")).EnumerateArray().ToList();
        Assert.Equal(newest.GetProperty("id").GetInt64(), Assert.Single(refusedOnly).GetProperty("id").GetInt64());
        var found = (await GetAsync($"_pagebox/apps/{s.App.Id}/journal?q=%22ONE%22")).EnumerateArray().ToList();
        Assert.Equal(older.GetProperty("id").GetInt64(), Assert.Single(found).GetProperty("id").GetInt64());
        await GetAsync("_pagebox/apps/404404404/journal", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Journal_CallWithAnUnknownToken_KeptWithTheUnattributedCalls()
    {
        var marker = "nobody" + Guid.NewGuid().ToString("N");
        var answer = await server.Graph.GetAsync($"me?fields={marker}", "EAAnotatoken" + marker, cancellationToken: Ct);
        Assert.False(answer.IsSuccess);

        var journal = await GetAsync($"_pagebox/journal?q={marker}");

        var entry = Assert.Single(journal.EnumerateArray());
        Assert.True(entry.GetProperty("refused").GetBoolean());
        Assert.Equal(190, entry.GetProperty("error_code").GetInt32());
        Assert.DoesNotContain("EAAnotatoken", entry.GetProperty("parameters").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerInfo_NamesTheRuleSetInForce()
    {
        var info = await GetAsync("_pagebox/server");

        Assert.Equal("2025-09", info.GetProperty("policy").GetString());
        Assert.Equal(
            ["2023", "2024", "2025-09", "retired"],
            info.GetProperty("rule_sets").EnumerateArray().Select(r => r.GetProperty("name").GetString())
        );
    }
}
