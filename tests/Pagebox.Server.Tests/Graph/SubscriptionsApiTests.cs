using System.Net;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Graph;

/// <summary>
/// Webhook subscriptions on the Graph face (docs/spec/webhooks.md §1–2): <c>/{APP-ID}/subscriptions</c> with the app
/// token and the hub.challenge handshake against the bot's callback, <c>/{PAGE-ID}/subscribed_apps</c> with the Page
/// token.
/// </summary>
public sealed class SubscriptionsApiTests(PageboxServer server)
{
    private static readonly string[] Fields = ["messages", "message_echoes"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<GraphResponse> ListAsync(Scenario s) =>
        server.Graph.GetAsync($"{s.App.Id}/subscriptions", s.App.AccessToken, cancellationToken: Ct);

    [Fact]
    public async Task SubscribeApp_FormBodyWithAppToken_HandshakeAnsweredAndSubscribed()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        Assert.True(answer.IsSuccess, answer.ToString());
        Assert.Equal("""{"success":true}""", answer.RawBody);
        var handshake = Assert.Single(s.Receiver.Handshakes);
        Assert.Equal("subscribe", handshake.Mode);
        Assert.Equal(s.Receiver.VerifyToken, handshake.VerifyToken);
        Assert.False(string.IsNullOrEmpty(handshake.Challenge));
        Assert.True(handshake.Accepted);
    }

    [Fact]
    public async Task SubscribeApp_JsonBodyWithTokenField_Subscribed()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.PostAsync(
            $"{s.App.Id}/subscriptions",
            new Dictionary<string, object>
            {
                ["object"] = "page",
                ["callback_url"] = s.Receiver.CallbackUrl.ToString(),
                ["fields"] = Fields,
                ["verify_token"] = s.Receiver.VerifyToken,
                ["access_token"] = s.App.AccessToken,
            },
            accessToken: null,
            cancellationToken: Ct
        );

        Assert.True(answer.IsSuccess, answer.ToString());
        Assert.True(Assert.Single(s.Receiver.Handshakes).Accepted);
        var item = Assert.Single((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
        Assert.Equal(
            Fields,
            item.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString())
        );
    }

    [Fact]
    public async Task ListSubscriptions_AfterSubscribe_ShowsObjectCallbackAndFields()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        var list = await ListAsync(s);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        var item = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        Assert.Equal("page", item.GetProperty("object").GetString());
        Assert.Equal(s.Receiver.CallbackUrl.ToString(), item.GetProperty("callback_url").GetString());
        Assert.True(item.GetProperty("active").GetBoolean());
        var fields = item.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(Fields, fields.Select(f => f.GetProperty("name").GetString()));
        Assert.All(fields, f => Assert.StartsWith("v", f.GetProperty("version").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubscribeApp_ReceiverEchoesWrongChallenge_Refused2200AndNothingSubscribed()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        s.Receiver.EchoWrongChallenge = true;

        var answer = await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        var error = GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 2200, null);
        Assert.StartsWith("(#2200) ", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(s.Receiver.Handshakes);
        Assert.Empty((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SubscribeApp_ReceiverRejectsVerifyToken_Refused2200()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            "not-the-bots-token",
            Fields,
            cancellationToken: Ct
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 2200, null);
        Assert.Equal(403, Assert.Single(s.Receiver.Handshakes).ResponseStatus);
        Assert.Empty((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SubscribeApp_PageToken_RefusedWithoutHandshake()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var form = new Dictionary<string, string>
        {
            ["object"] = "page",
            ["callback_url"] = s.Receiver.CallbackUrl.ToString(),
            ["fields"] = "messages",
            ["verify_token"] = s.Receiver.VerifyToken,
        };

        var answer = await server.Graph.PostFormAsync(
            $"{s.App.Id}/subscriptions",
            form,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        GraphAssert.Error(
            answer,
            HttpStatusCode.BadRequest,
            "OAuthException",
            15,
            null,
            "(#15) This method must be called with an app access_token."
        );
        Assert.Empty(s.Receiver.Handshakes);
        Assert.Empty((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SubscribeApp_WrongAppSecret_190()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.SubscribeAppAsync(
            s.App.Id,
            "0123456789abcdef0123456789abcdef",
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "OAuthException", 190, null);
        Assert.NotNull(answer.Header("WWW-Authenticate"));
        Assert.Empty(s.Receiver.Handshakes);
    }

    [Fact]
    public async Task ListSubscriptions_OtherAppsId_Refused()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var other = await server.World.CreateAppAsync("other", Ct);

        var answer = await server.Graph.GetAsync($"{other.Id}/subscriptions", s.App.AccessToken, cancellationToken: Ct);

        GraphAssert.Error(answer, HttpStatusCode.BadRequest, "GraphMethodException", 100, 33);
    }

    [Fact]
    public async Task SubscribeApp_CallbackWithQuery_HandshakeKeepsItsQuery()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        var callback = new Uri(s.Receiver.CallbackUrl + "?bot=shop-1");

        var answer = await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            callback,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        Assert.True(answer.IsSuccess, answer.ToString());
        var handshake = Assert.Single(s.Receiver.Handshakes);
        Assert.Equal("shop-1", handshake.Query["bot"]);
        Assert.True(handshake.Accepted);
    }

    [Fact]
    public async Task UnsubscribeApp_OneField_OtherFieldsStay()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        var deleted = await server.Graph.DeleteAsync(
            $"{s.App.Id}/subscriptions",
            s.App.AccessToken,
            new { @object = "page", fields = new[] { "message_echoes" } },
            cancellationToken: Ct
        );

        Assert.Equal("""{"success":true}""", deleted.RawBody);
        var item = Assert.Single((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
        Assert.Equal(
            ["messages"],
            item.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString())
        );
    }

    [Fact]
    public async Task UnsubscribeApp_WholeObject_ListIsEmpty()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await server.Graph.SubscribeAppAsync(
            s.App.Id,
            s.App.Secret,
            s.Receiver.CallbackUrl,
            s.Receiver.VerifyToken,
            Fields,
            cancellationToken: Ct
        );

        await server.Graph.DeleteAsync(
            $"{s.App.Id}/subscriptions?object=page",
            s.App.AccessToken,
            cancellationToken: Ct
        );

        Assert.Empty((await ListAsync(s)).Body.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task SubscribedApps_PostThenGet_ListsAppWithFields()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var installed = await server.Graph.SubscribePageAsync(
            s.Page.Id,
            s.Page.AccessToken,
            ["messages", "message_reads"],
            Ct
        );
        var list = await server.Graph.GetAsync(
            $"{s.Page.Id}/subscribed_apps",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"success":true}""", installed.RawBody);
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var app = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(s.App.Id, app.GetProperty("id").GetString());
        Assert.Equal(s.App.Name, app.GetProperty("name").GetString());
        Assert.Equal(
            ["messages", "message_reads"],
            app.GetProperty("subscribed_fields").EnumerateArray().Select(f => f.GetString())
        );
    }

    [Fact]
    public async Task SubscribedApps_FieldsInFormBody_Installed()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var installed = await server.Graph.PostFormAsync(
            $"{s.Page.Id}/subscribed_apps",
            new Dictionary<string, string>
            {
                ["subscribed_fields"] = "messages,message_echoes",
                ["access_token"] = s.Page.AccessToken,
            },
            cancellationToken: Ct
        );
        var list = await server.Graph.GetAsync("me/subscribed_apps", s.Page.AccessToken, cancellationToken: Ct);

        Assert.True(installed.IsSuccess, installed.ToString());
        var app = Assert.Single(list.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(
            ["messages", "message_echoes"],
            app.GetProperty("subscribed_fields").EnumerateArray().Select(f => f.GetString())
        );
    }

    [Fact]
    public async Task SubscribedApps_Delete_ListIsEmpty()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);
        await server.Graph.SubscribePageAsync(s.Page.Id, s.Page.AccessToken, ["messages"], Ct);

        var deleted = await server.Graph.DeleteAsync(
            $"{s.Page.Id}/subscribed_apps",
            s.Page.AccessToken,
            cancellationToken: Ct
        );
        var list = await server.Graph.GetAsync(
            $"{s.Page.Id}/subscribed_apps",
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal("""{"success":true}""", deleted.RawBody);
        Assert.Equal("""{"data":[]}""", list.RawBody);
    }

    [Fact]
    public async Task SubscribedApps_UnknownField_RefusedNamingParameter()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.SubscribePageAsync(
            s.Page.Id,
            s.Page.AccessToken,
            ["messages", "not_a_field"],
            Ct
        );

        GraphAssert.InvalidParameter(answer, "subscribed_fields");
    }

    [Fact]
    public async Task SubscribedApps_NoFields_RefusedNamingParameter()
    {
        await using var s = await Scenario.StartAsync(server, subscribe: false);

        var answer = await server.Graph.PostAsync(
            $"{s.Page.Id}/subscribed_apps",
            null,
            s.Page.AccessToken,
            cancellationToken: Ct
        );

        Assert.Equal(
            "(#100) The parameter subscribed_fields is required",
            GraphAssert.InvalidParameter(answer, "subscribed_fields")
        );
    }
}
