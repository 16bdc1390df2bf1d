using System.Globalization;
using System.Net;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Hardening;

/// <summary>
/// The Batch API runs its requests inside Pagebox (issue 7): whatever the Host header, the port or the relative URL
/// says, nothing leaves the process and nothing foreign comes back; the top-level appsecret_proof applies to every
/// request, as on the platform.
/// </summary>
public sealed class BatchIsolationTests(PageboxServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string ReadMe =
        """[{"method":"GET","relative_url":"me"},{"method":"GET","relative_url":"v24.0/me?fields=id,name"}]""";

    private static List<JsonElement> Items(GraphResponse answer)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return [.. answer.Body.EnumerateArray()];
    }

    private static JsonElement BodyOf(JsonElement item) =>
        JsonDocument.Parse(item.GetProperty("body").GetString()!).RootElement;

    [Fact]
    public async Task Batch_HostHeaderNamesAnotherServer_AnsweredHereAndThatServerHearsNothing()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var foreign = new RawHttp.FixedServer(
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"id\":\"evil\"}"
        );
        using var request = new HttpRequestMessage(
            HttpMethod.Post,
            new Uri($"v25.0/?access_token={Uri.EscapeDataString(s.Page.AccessToken)}", UriKind.Relative)
        )
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["batch"] = ReadMe }),
        };
        request.Headers.Host = $"{foreign.Url.Host}:{foreign.Url.Port}";

        using var response = await server.Http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        Assert.Equal([200, 200], items.Select(i => i.GetProperty("code").GetInt32()));
        Assert.All(items, i => Assert.Equal(s.Page.Id, BodyOf(i).GetProperty("id").GetString()));
        Assert.DoesNotContain("evil", text, StringComparison.Ordinal);
        Assert.Equal(0, foreign.Connections);
    }

    [Fact]
    public async Task Batch_RequestWithoutHostHeader_AnsweredNotServerError()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var body = "batch=" + Uri.EscapeDataString(ReadMe);
        var raw =
            $"POST /v25.0/?access_token={Uri.EscapeDataString(s.Page.AccessToken)} HTTP/1.0\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\n"
            + $"Content-Length: {body.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n{body}";

        var (status, text) = await RawHttp.SendAsync(server.BaseUrl, raw, Ct);

        Assert.Equal(200, status);
        var items = JsonDocument.Parse(text).RootElement.EnumerateArray().ToList();
        Assert.Equal([200, 200], items.Select(i => i.GetProperty("code").GetInt32()));
    }

    [Theory]
    [InlineData("_pagebox/apps")]
    [InlineData("/_PAGEBOX/health")]
    [InlineData("http://127.0.0.1:{port}/hook")]
    [InlineData("//127.0.0.1:{port}/hook")]
    public async Task Batch_RelativeUrlOutsideTheGraphFace_UnknownPathAndNothingFetched(string relativeUrl)
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await using var foreign = new RawHttp.FixedServer(
            "HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"id\":\"evil\"}"
        );
        var url = relativeUrl.Replace(
            "{port}",
            foreign.Url.Port.ToString(CultureInfo.InvariantCulture),
            StringComparison.Ordinal
        );
        var batch = JsonSerializer.Serialize(new[] { new { method = "GET", relative_url = url } });

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["batch"] = batch },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var item = Assert.Single(Items(answer));
        Assert.Equal(400, item.GetProperty("code").GetInt32());
        var error = BodyOf(item).GetProperty("error");
        Assert.True(error.GetProperty("code").GetInt32() is 2500 or 100, error.GetRawText());
        Assert.DoesNotContain("evil", answer.RawBody, StringComparison.Ordinal);
        Assert.Equal(0, foreign.Connections);
    }

    [Fact]
    public async Task Batch_InsideABatch_Refused100NamingBatch()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var inner = Uri.EscapeDataString(ReadMe);
        var batch = JsonSerializer.Serialize(
            new[]
            {
                new
                {
                    method = "POST",
                    relative_url = "/",
                    body = $"batch={inner}",
                },
            }
        );

        var answer = await s.Graph.PostFormAsync(
            "",
            new Dictionary<string, string> { ["batch"] = batch },
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var item = Assert.Single(Items(answer));
        Assert.Equal(400, item.GetProperty("code").GetInt32());
        var error = BodyOf(item).GetProperty("error");
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        Assert.Contains("batch", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_AppRequiresProof_TopLevelProofAppliesToEveryRequestAndItsAbsenceFailsEach()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await s.World.SendAsync(
            HttpMethod.Patch,
            $"_pagebox/apps/{s.App.Id}",
            new { require_appsecret_proof = true },
            cancellationToken: Ct
        );
        var form = new Dictionary<string, string> { ["batch"] = ReadMe };
        var proof = GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret);

        var withProof = Items(await s.Graph.PostFormAsync("", form, s.Page.AccessToken, proof, Ct));
        var without = Items(await s.Graph.PostFormAsync("", form, s.Page.AccessToken, cancellationToken: Ct));
        var wrong = Items(await s.Graph.PostFormAsync("", form, s.Page.AccessToken, new string('0', 64), Ct));

        Assert.Equal([200, 200], withProof.Select(i => i.GetProperty("code").GetInt32()));
        Assert.All(
            without,
            i =>
                Assert.Equal(
                    "API calls from the server require an appsecret_proof argument",
                    BodyOf(i).GetProperty("error").GetProperty("message").GetString()
                )
        );
        Assert.All(
            wrong,
            i =>
                Assert.Equal(
                    "Invalid appsecret_proof provided in the API argument",
                    BodyOf(i).GetProperty("error").GetProperty("message").GetString()
                )
        );
    }

    [Fact]
    public async Task Batch_RequestWithItsOwnToken_TopLevelProofNotAppliedToIt()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var proof = GraphClient.AppSecretProof(s.Page.AccessToken, s.App.Secret);
        // The second request names the token itself; the top-level proof is the top-level token's and does not go with
        // it.
        var batch = JsonSerializer.Serialize(
            new[]
            {
                new { method = "GET", relative_url = "me" },
                new { method = "GET", relative_url = $"me?access_token={Uri.EscapeDataString(s.Page.AccessToken)}" },
            }
        );

        var items = Items(
            await s.Graph.PostFormAsync(
                "",
                new Dictionary<string, string> { ["batch"] = batch },
                s.Page.AccessToken,
                proof,
                Ct
            )
        );

        Assert.Equal([200, 200], items.Select(i => i.GetProperty("code").GetInt32()));
    }
}
