using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pagebox.Server.Tests.Infrastructure;

namespace Pagebox.Server.Tests.Compatibility;

/// <summary>
/// Meta's sample bot (fbsamples/original-coast-clothing, <c>services/graph-api.js</c> and <c>services/profile.js</c>)
/// replayed byte for byte as node-fetch sends it: every parameter in the query string encoded by
/// <c>URLSearchParams</c> (spaces as <c>+</c>, commas as <c>%2C</c>), the subscription call with
/// <c>Content-Type: application/json</c> and no body, <c>subscribed_apps</c> with neither, and field lists with a
/// space after each comma. A bot written for the platform must work by changing only its base URL.
/// </summary>
public sealed class SampleBotTests(PageboxServer server)
{
    private const string ApiVersion = "v24.0";

    /// <summary>The fields graph-api.js subscribes to, spelled as it spells them.</summary>
    private const string SampleFields =
        "messages, messaging_postbacks, messaging_optins, message_deliveries, messaging_referrals";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What <c>new URLSearchParams({...}).toString()</c> gives (application/x-www-form-urlencoded
    /// serializer).</summary>
    private static string UrlSearchParams(params (string Name, string Value)[] parameters)
    {
        static string Encode(string s)
        {
            var sb = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                var c = (char)b;
                if (char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '.' or '_')
                    sb.Append(c);
                else if (c == ' ')
                    sb.Append('+');
                else
                    sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return sb.ToString();
        }

        return string.Join('&', parameters.Select(p => $"{Encode(p.Name)}={Encode(p.Value)}"));
    }

    /// <summary><c>fetch(url, init)</c>: the path and query exactly as given, the content as given.</summary>
    private Task<GraphResponse> FetchAsync(HttpMethod method, string path, string query, HttpContent? content = null) =>
        server.Graph.SendAsync(
            method,
            $"{ApiVersion}/{path}?{query}",
            content,
            accessToken: null,
            cancellationToken: Ct
        );

    /// <summary><c>headers: {"Content-Type": "application/json"}</c> and no body.</summary>
    private static ByteArrayContent JsonHeaderWithoutBody()
    {
        var content = new ByteArrayContent([]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary><c>body: JSON.stringify(requestBody)</c> with <c>Content-Type: application/json</c>.</summary>
    private static StringContent JsonBody(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static JsonElement Ok(GraphResponse response, string call)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"{call}: expected HTTP 200, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        return response.Body;
    }

    [Fact]
    public async Task SampleBot_StartUpThenConversation_EveryCallWorksAndWebhooksAsSubscribed()
    {
        var app = await server.World.CreateAppAsync("Original Coast Clothing", Ct);
        var page = await server.World.CreatePageAsync(app.Id, "Original Coast Clothing", cancellationToken: Ct);
        var person = await server.World.CreatePersonAsync("Ada Lovelace", "America/New_York", "fr_FR", Ct);
        await using var webhook = await WebhookReceiver.StartAsync(
            app.Secret,
            "occ-" + Guid.NewGuid().ToString("N"),
            Ct
        );
        webhook.RejectInvalidSignatures = true;

        // :: Profile.setWebhook(): GraphApi.callSubscriptionsAPI()
        var subscribed = await FetchAsync(
            HttpMethod.Post,
            $"{app.Id}/subscriptions",
            UrlSearchParams(
                ("access_token", $"{app.Id}|{app.Secret}"),
                ("object", "page"),
                ("callback_url", webhook.CallbackUrl.ToString()),
                ("verify_token", webhook.VerifyToken),
                ("fields", SampleFields),
                ("include_values", "true")
            ),
            JsonHeaderWithoutBody()
        );

        Assert.Equal("""{"success":true}""", Ok(subscribed, "callSubscriptionsAPI").GetRawText());
        var handshake = Assert.Single(webhook.Handshakes);
        Assert.True(handshake.Accepted, handshake.ToString());
        var subscription = Ok(
            await server.Graph.GetAsync($"{ApiVersion}/{app.Id}/subscriptions", app.AccessToken, cancellationToken: Ct),
            "GET subscriptions"
        );
        var page0 = Assert.Single(subscription.GetProperty("data").EnumerateArray());
        Assert.Equal("page", page0.GetProperty("object").GetString());
        Assert.Equal(webhook.CallbackUrl.ToString(), page0.GetProperty("callback_url").GetString());
        Assert.Equal(
            ["messages", "messaging_postbacks", "messaging_optins", "message_deliveries", "messaging_referrals"],
            page0.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString())
        );

        // :: Profile.setWebhook(): GraphApi.callSubscribedApps(), fetch(url, { method: "POST" })
        var installed = await FetchAsync(
            HttpMethod.Post,
            $"{page.Id}/subscribed_apps",
            UrlSearchParams(("access_token", page.AccessToken), ("subscribed_fields", SampleFields))
        );

        Assert.Equal("""{"success":true}""", Ok(installed, "callSubscribedApps").GetRawText());

        // :: Profile.setThread(): GraphApi.callMessengerProfileAPI({...get_started, ...greeting, ...persistent_menu})
        const string profile =
            """{"get_started":{"payload":"GET_STARTED"},"greeting":[{"locale":"default","text":"Hi {{"""
            + """user_first_name}}! Welcome to Original Coast Clothing."},{"locale":"fr_FR","text":"Bonjour {{"""
            + """user_first_name}} ! Bienvenue chez Original Coast Clothing."}],"persistent_menu":["""
            + """{"locale":"default","composer_input_disabled":false,"call_to_actions":[{"title":"Talk """
            + """to an agent","type":"nested","call_to_actions":[{"title":"Track my """
            + """order","type":"postback","payload":"TRACK_ORDER"},{"title":"Talk to an """
            + """agent","type":"postback","payload":"CARE_HELP"}]},{"title":"Outfit """
            + """suggestions","type":"postback","payload":"CURATION"},"""
            + """{"type":"web_url","title":"Shop now","url":"https://"""
            + """shop.example/","webview_height_ratio":"full"}]}]}""";
        var profiled = await FetchAsync(
            HttpMethod.Post,
            "me/messenger_profile",
            UrlSearchParams(("access_token", page.AccessToken)),
            JsonBody(profile)
        );

        Assert.Equal("""{"result":"success"}""", Ok(profiled, "callMessengerProfileAPI").GetRawText());

        // :: A person writes; the bot receives it and, for a new user, calls GraphApi.getUserProfile(senderPsid)
        var written = await server.World.WriteAsync(person, page.Id, "hi there", cancellationToken: Ct);
        var message = Assert.Single(await webhook.WaitForEventsAsync(e => e.Mid == written.Mid, cancellationToken: Ct));
        Assert.Equal("page", message.Webhook.Envelope!.Value.GetProperty("object").GetString());
        Assert.Equal(("hi there", written.Psid, page.Id), (message.Text, message.SenderId, message.RecipientId));

        var user = await FetchAsync(
            HttpMethod.Get,
            written.Psid,
            UrlSearchParams(
                ("access_token", page.AccessToken),
                ("fields", "first_name, last_name, gender, locale, timezone")
            )
        );

        var profileOfUser = Ok(user, "getUserProfile");
        Assert.Equal(
            ["first_name", "gender", "id", "last_name", "locale", "timezone"],
            GraphAssert.Names(profileOfUser)
        );
        Assert.Equal(
            ("Ada", "Lovelace", "fr_FR", written.Psid),
            (
                profileOfUser.GetProperty("first_name").GetString(),
                profileOfUser.GetProperty("last_name").GetString(),
                profileOfUser.GetProperty("locale").GetString(),
                profileOfUser.GetProperty("id").GetString()
            )
        );
        Assert.Equal(JsonValueKind.Number, profileOfUser.GetProperty("timezone").ValueKind);

        // :: GraphApi.callSendApi({recipient, message}): no messaging_type, as the sample sends it
        var sent = await FetchAsync(
            HttpMethod.Post,
            "me/messages",
            UrlSearchParams(("access_token", page.AccessToken)),
            JsonBody($$$"""{"recipient":{"id":"{{{written.Psid}}}"},"message":{"text":"hi"}}""")
        );

        var mid = GraphAssert.Sent(sent, written.Psid);

        // :: The webhook: the message and the delivery (subscribed), never an echo (message_echoes is not subscribed)
        var delivery = Assert.Single(await webhook.WaitForEventsAsync(e => e.Has("delivery"), cancellationToken: Ct));
        Assert.Equal([mid], delivery["delivery"].GetProperty("mids").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal((written.Psid, page.Id), (delivery.SenderId, delivery.RecipientId));
        Assert.Empty(webhook.Echoes());
        Assert.Equal([written.Mid], webhook.Messages().Select(e => e.Mid));
        Assert.All(webhook.Received, w => Assert.True(w.SignaturesValid, w.ToString()));
        Assert.Empty(webhook.Unmatched);
    }
}
