using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// The calls bots make around the Send API, over real HTTP with a Page access token: the User Profile API
/// (<c>GET /{PSID}?fields=…</c>), the Page node (<c>GET /me</c>, <c>GET /{PAGE-ID}</c>), the Messenger Profile API
/// (<c>/{PAGE-ID}/messenger_profile</c> and <c>/me/messenger_profile</c>) and the built-in NLP switch.
/// </summary>
public sealed class ProfileApiTests(PageboxServer server)
{
    private const string AllUserFields = "first_name,last_name,profile_pic,locale,timezone,gender,name";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A profile as Meta's sample bot sets it (get_started, greetings per locale, a nested persistent
    /// menu).</summary>
    private const string SampleProfile = """
        {"get_started":{"payload":"GET_STARTED"},
         "greeting":[{"locale":"default","text":"Hi {{user_first_name}}! Welcome to the shop."},
                     {"locale":"fr_FR","text":"Bonjour {{user_first_name}} ! Ça va ?"}],
         "persistent_menu":[{"locale":"default","composer_input_disabled":false,"call_to_actions":[
             {"title":"Support","type":"nested","call_to_actions":[
                 {"title":"Track my order","type":"postback","payload":"TRACK_ORDER"},
                 {"title":"Talk to an agent","type":"postback","payload":"CARE_HELP"}]},
             {"title":"Outfit suggestions","type":"postback","payload":"CURATION"},
             {"type":"web_url","title":"Shop now","url":"https://shop.example/","webview_height_ratio":"full"}]}]}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An app and Page (no webhook needed) and Ada Lovelace, who wrote to the Page: her PSID.</summary>
    private async Task<(Scenario S, string Ada, string Psid)> AdaWroteAsync(string timezone = "America/New_York")
    {
        var s = await Scenario.StartAsync(server, subscribe: false);
        var ada = await server.World.CreatePersonAsync("Ada Lovelace", timezone, "fr_FR", Ct);
        var written = await server.World.WriteAsync(ada, s.Page.Id, "hello", cancellationToken: Ct);
        return (s, ada, written.Psid);
    }

    private Task<GraphResponse> UserAsync(Scenario s, string psid, string? fields) =>
        server.Graph.GetAsync(
            fields is null ? psid : $"{psid}?fields={Uri.EscapeDataString(fields)}",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

    private static JsonElement Ok(GraphResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        return response.Body;
    }

    private static void AssertProfileSuccess(GraphResponse response) =>
        Assert.Equal("""{"result":"success"}""", Ok(response).GetRawText());

    /// <summary>The same JSON with the same member order (escaping aside).</summary>
    private static void AssertSameJson(string expected, JsonElement actual) =>
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), JsonNode.Parse(actual.GetRawText())!.ToJsonString());

    private static double OffsetHours(string zone, DateTimeOffset at) =>
        TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(at).TotalHours;

    // :: User Profile API: GET /{PSID}

    [Fact]
    public async Task UserProfile_AllFields_ExactlyThoseFieldsPlusIdFromThePerson()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var body = Ok(await UserAsync(s, psid, AllUserFields));

        Assert.Equal(
            ["first_name", "gender", "id", "last_name", "locale", "name", "profile_pic", "timezone"],
            GraphAssert.Names(body)
        );
        Assert.Equal(psid, body.GetProperty("id").GetString());
        Assert.Equal("Ada", body.GetProperty("first_name").GetString());
        Assert.Equal("Lovelace", body.GetProperty("last_name").GetString());
        Assert.Equal("Ada Lovelace", body.GetProperty("name").GetString());
        Assert.Equal("fr_FR", body.GetProperty("locale").GetString());
        Assert.Equal(JsonValueKind.String, body.GetProperty("gender").ValueKind);
        Assert.Equal(JsonValueKind.Number, body.GetProperty("timezone").ValueKind);
        Assert.Equal(JsonValueKind.String, body.GetProperty("profile_pic").ValueKind);
    }

    [Fact]
    public async Task UserProfile_NoFields_FirstNameLastNameProfilePicAndId()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var body = Ok(await UserAsync(s, psid, null));

        Assert.Equal(["first_name", "id", "last_name", "profile_pic"], GraphAssert.Names(body));
        Assert.Equal(
            ("Ada", "Lovelace", psid),
            (
                body.GetProperty("first_name").GetString(),
                body.GetProperty("last_name").GetString(),
                body.GetProperty("id").GetString()
            )
        );
    }

    [Fact]
    public async Task UserProfile_OneField_OnlyThatFieldAndId()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var body = Ok(await UserAsync(s, psid, "locale"));

        Assert.Equal($$"""{"locale":"fr_FR","id":"{{psid}}"}""", body.GetRawText());
    }

    [Fact]
    public async Task UserProfile_FieldsWithSpacesAfterCommas_SameAsWithout()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var spaced = Ok(await UserAsync(s, psid, "first_name, last_name, gender, locale, timezone"));
        var tight = Ok(await UserAsync(s, psid, "first_name,last_name,gender,locale,timezone"));

        Assert.Equal(["first_name", "gender", "id", "last_name", "locale", "timezone"], GraphAssert.Names(spaced));
        Assert.Equal(tight.GetRawText(), spaced.GetRawText());
    }

    [Fact]
    public async Task UserProfile_Timezone_OffsetHoursOfThePersonsZoneAtTheAppClock()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;
        var before = await server.World.GetClockAsync(s.App.Id, Ct);

        var body = Ok(await UserAsync(s, psid, "timezone"));

        var after = await server.World.GetClockAsync(s.App.Id, Ct);
        var timezone = body.GetProperty("timezone").GetDouble();
        Assert.Contains(
            timezone,
            new[] { OffsetHours("America/New_York", before), OffsetHours("America/New_York", after) }
        );
    }

    [Fact]
    public async Task UserProfile_AppClockAcrossDaylightSaving_TimezoneFollowsTheClock()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;
        var winter = new DateTimeOffset(2030, 1, 15, 12, 0, 0, TimeSpan.Zero);
        var summer = new DateTimeOffset(2030, 7, 15, 12, 0, 0, TimeSpan.Zero);

        await server.World.SetClockAsync(s.App.Id, winter, Ct);
        var inWinter = Ok(await UserAsync(s, psid, "timezone")).GetProperty("timezone").GetDouble();
        await server.World.SetClockAsync(s.App.Id, summer, Ct);
        var inSummer = Ok(await UserAsync(s, psid, "timezone")).GetProperty("timezone").GetDouble();

        Assert.Equal(OffsetHours("America/New_York", winter), inWinter);
        Assert.Equal(OffsetHours("America/New_York", summer), inSummer);
        Assert.NotEqual(inWinter, inSummer);
    }

    [Fact]
    public async Task UserProfile_HalfHourZone_FractionalNumber()
    {
        var (s, _, psid) = await AdaWroteAsync("Asia/Kolkata");
        await using var _ = s;

        var body = Ok(await UserAsync(s, psid, "timezone"));

        Assert.Equal($$"""{"timezone":5.5,"id":"{{psid}}"}""", body.GetRawText());
    }

    [Fact]
    public async Task UserProfile_ProfilePic_AbsoluteUrlOnTheServerServingPng()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var url = Ok(await UserAsync(s, psid, "profile_pic")).GetProperty("profile_pic").GetString();

        Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var pic), $"profile_pic {url} is not an absolute URL");
        Assert.Equal(
            (server.BaseUrl.Scheme, server.BaseUrl.Host, server.BaseUrl.Port),
            (pic.Scheme, pic.Host, pic.Port)
        );
        using var browser = new HttpClient();
        using var image = await browser.GetAsync(pic, Ct);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        var bytes = await image.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(bytes.AsSpan().StartsWith(PngSignature), "the picture is not a PNG");
    }

    [Fact]
    public async Task UserProfile_UnknownField_100NamingIt()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var answer = await UserAsync(s, psid, "first_name,shoe_size");

        var message = GraphAssert.InvalidParameter(answer, "shoe_size");
        Assert.Equal("(#100) Tried accessing nonexisting field (shoe_size) on node type (User)", message);
    }

    [Fact]
    public async Task UserProfile_PsidOfAnotherPage_100Subcode33()
    {
        var (s, ada, _) = await AdaWroteAsync();
        await using var _ = s;
        var other = await server.World.CreatePageAsync(s.App.Id, "Other shop", cancellationToken: Ct);
        var elsewhere = await server.World.WriteAsync(ada, other.Id, "hello other", cancellationToken: Ct);

        var answer = await UserAsync(s, elsewhere.Psid, "first_name");

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "GraphMethodException",
            100,
            33,
            $"Unsupported get request. Object with ID '{elsewhere.Psid}' does not exist, cannot be loaded due to "
                + $"missing permissions, or does not support this operation. Please read the Graph API documentation "
                + $"at https://developers.facebook.com/docs/graph-api"
        );
        Assert.Equal(
            "Ada",
            Ok(
                    await server.Graph.GetAsync(
                        $"{elsewhere.Psid}?fields=first_name",
                        other.AccessToken,
                        cancellationToken: Ct
                    )
                )
                .GetProperty("first_name")
                .GetString()
        );
    }

    [Fact]
    public async Task UserProfile_UnknownPsid_100Subcode33()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await UserAsync(s, "7654321098765432", "first_name");

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
    }

    [Fact]
    public async Task UserProfile_NoToken_104()
    {
        var (s, _, psid) = await AdaWroteAsync();
        await using var _ = s;

        var answer = await server.Graph.GetAsync($"{psid}?fields=first_name", accessToken: null, cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 104, null);
    }

    // :: The Page node

    [Theory]
    [InlineData("me")]
    [InlineData("page-id")]
    public async Task PageNode_MeOrPageId_IdAndNameOnly(string node)
    {
        var (s, _, _) = await AdaWroteAsync();
        await using var _ = s;

        var answer = await server.Graph.GetAsync(
            node == "me" ? "me" : s.Page.Id,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal($$"""{"id":"{{s.Page.Id}}","name":"Shop"}""", Ok(answer).GetRawText());
    }

    // :: Messenger Profile API

    [Fact]
    public async Task MessengerProfile_SetThroughPageIdReadThroughMe_ValuesExactlyAsSent()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var set = await server.Graph.PostAsync(
            $"{s.Page.Id}/messenger_profile",
            SampleProfile,
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        AssertProfileSuccess(set);
        var body = Ok(read);
        Assert.Equal(["data"], GraphAssert.Names(body));
        var profile = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(["get_started", "greeting"], GraphAssert.Names(profile));
        var sent = JsonDocument.Parse(SampleProfile).RootElement;
        AssertSameJson(sent.GetProperty("get_started").GetRawText(), profile.GetProperty("get_started"));
        AssertSameJson(sent.GetProperty("greeting").GetRawText(), profile.GetProperty("greeting"));
    }

    [Fact]
    public async Task MessengerProfile_PersistentMenu_NestedMenuReadBackAsSent()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                SampleProfile,
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        var read = await server.Graph.GetAsync(
            $"{s.Page.Id}/messenger_profile?fields=persistent_menu",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var profile = Assert.Single(Ok(read).GetProperty("data").EnumerateArray());
        Assert.Equal(["persistent_menu"], GraphAssert.Names(profile));
        AssertSameJson(
            JsonDocument.Parse(SampleProfile).RootElement.GetProperty("persistent_menu").GetRawText(),
            profile.GetProperty("persistent_menu")
        );
    }

    [Fact]
    public async Task MessengerProfile_FieldsNotSet_Absent()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                """{"get_started":{"payload":"GO"}}""",
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting,ice_breakers,persistent_menu",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"data":[{"get_started":{"payload":"GO"}}]}""", Ok(read).GetRawText());
    }

    [Fact]
    public async Task MessengerProfile_NothingSet_EmptyData()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"data":[]}""", Ok(read).GetRawText());
    }

    [Fact]
    public async Task MessengerProfile_SetAgain_OtherFieldsKeptChangedFieldReplaced()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                SampleProfile,
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                """{"greeting":[{"locale":"default","text":"Hello again"}]}""",
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(
            """{"data":[{"get_started":{"payload":"GET_STARTED"},"greeting":[{"locale":"default","text":"Hello """
                + """again"}]}]}""",
            Ok(read).GetRawText()
        );
    }

    [Fact]
    public async Task MessengerProfile_DeleteGreeting_SuccessAndGreetingGone()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                SampleProfile,
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        var deleted = await server.Graph.DeleteAsync(
            "me/messenger_profile",
            s.Page.AccessToken,
            new { fields = new[] { "greeting" } },
            cancellationToken: Ct
        );
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        AssertProfileSuccess(deleted);
        Assert.Equal("""{"data":[{"get_started":{"payload":"GET_STARTED"}}]}""", Ok(read).GetRawText());
    }

    [Fact]
    public async Task MessengerProfile_PostWithoutKnownField_100AndNothingStored()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.PostAsync(
            "me/messenger_profile",
            """{"favourite_colour":"blue"}""",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 100, null);
        Assert.StartsWith(
            "(#100) Requires one of the params: ",
            error.GetProperty("message").GetString(),
            StringComparison.Ordinal
        );
        Assert.Contains("get_started", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=favourite_colour",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal("""{"data":[]}""", Ok(read).GetRawText());
    }

    [Fact]
    public async Task MessengerProfile_DeleteUnknownField_100NamingItAndNothingDeleted()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                SampleProfile,
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        var answer = await server.Graph.DeleteAsync(
            "me/messenger_profile",
            s.Page.AccessToken,
            new { fields = new[] { "greeting", "shoe_size" } },
            cancellationToken: Ct
        );

        GraphAssert.InvalidParameter(answer, "shoe_size");
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=greeting",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        Assert.Equal(["greeting"], GraphAssert.Names(Assert.Single(Ok(read).GetProperty("data").EnumerateArray())));
    }

    [Fact]
    public async Task MessengerProfile_FormEncodedGetStarted_StoredAsObject()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var set = await server.Graph.PostFormAsync(
            "me/messenger_profile",
            new Dictionary<string, string> { ["get_started"] = """{"payload":"X"}""" },
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        AssertProfileSuccess(set);
        Assert.Equal("""{"data":[{"get_started":{"payload":"X"}}]}""", Ok(read).GetRawText());
    }

    [Fact]
    public async Task MessengerProfile_OnePagesProfile_NotSeenByAnotherPage()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var other = await server.World.CreatePageAsync(s.App.Id, "Other shop", cancellationToken: Ct);
        AssertProfileSuccess(
            await server.Graph.PostAsync(
                "me/messenger_profile",
                SampleProfile,
                s.Page.AccessToken,
                cancellationToken: Ct
            )
        );

        var read = await server.Graph.GetAsync(
            "me/messenger_profile?fields=get_started,greeting",
            other.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"data":[]}""", Ok(read).GetRawText());
    }

    // :: Built-in NLP

    [Fact]
    public async Task NlpConfigs_EnabledWithPageToken_Success()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.PostAsync(
            "me/nlp_configs?nlp_enabled=true",
            null,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"success":true}""", Ok(answer).GetRawText());
    }

    [Fact]
    public async Task NlpConfigs_NoToken_104()
    {
        var answer = await server.Graph.PostAsync(
            "me/nlp_configs?nlp_enabled=true",
            null,
            accessToken: null,
            cancellationToken: Ct
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 104, null);
    }
}
