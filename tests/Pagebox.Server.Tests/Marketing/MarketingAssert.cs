using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pagebox.Server.Tests.Marketing;

/// <summary>Whole-envelope checks of what the Graph face answers in the marketing tests.</summary>
internal static class MarketingAssert
{
    /// <summary>
    /// <c>token_expiry_timestamp</c> of a token that never expires (every rule set but 2023): 2100-01-01T00:00:00Z, in
    /// Unix seconds on the Graph face (docs/fidelity.md).
    /// </summary>
    public const long NeverExpiresSeconds = 4102444800;

    /// <summary>The same in Unix milliseconds, as webhooks carry it.</summary>
    public const long NeverExpiresMilliseconds = NeverExpiresSeconds * 1000;

    public const string TooSoonMessage =
        "(#4) Marketing Messages - There has to be a minimum delay between 2 notifications for the given notification";

    public const string StoppedMessage = "(#10) This user has currently stopped notification messages for this topic";

    public const string DuplicateMessage =
        "(#613) Scope of service exceeded: You may not send multiple opt-in requests with the same topic to a user.";

    public const string VolumeMessage = "(#9) User is performing too many actions";

    public const string BarredMessage = "(#10) Application does not have permission for this action";

    public const string OutsideWindowMessage =
        "(#10) This message is sent outside of allowed window. Learn more about the new policy here: "
        + "https://developers.facebook.com/docs/messenger-platform/policy-overview";

    public const string InvalidTokenMessage = "(#100) notification_messages_token is invalid";

    public const string ExpiredTokenMessage = "(#100) notification_messages_token has expired";

    public const string BlockedMessage = "(#551) This person isn't available right now.";

    /// <summary>
    /// The Graph error envelope exactly: <c>{"error":{"message","type","code","error_subcode"?,"is_transient"?,
    /// "fbtrace_id"}}</c> with these values and nothing else (fbtrace_id is only checked to be present): Meta's fields
    /// only. <paramref name="nextEligibleTime"/> is checked where Pagebox says it, the <c>X-Pagebox-Hint</c> header.
    /// </summary>
    public static JsonElement GraphError(
        GraphResponse response,
        HttpStatusCode status,
        int code,
        int? subcode,
        string message,
        bool transient = false,
        long? nextEligibleTime = null,
        string type = "OAuthException"
    )
    {
        Assert.True(response.Status == status, $"Expected HTTP {(int)status} {code}/{subcode}, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        var error = response.Body.GetProperty("error");
        var trace = error.String("fbtrace_id");
        Assert.False(string.IsNullOrEmpty(trace), $"fbtrace_id missing: {response}");

        var expected = new JsonObject
        {
            ["message"] = message,
            ["type"] = type,
            ["code"] = code,
        };
        if (subcode is not null)
            expected["error_subcode"] = subcode;
        if (transient)
            expected["is_transient"] = true;
        expected["fbtrace_id"] = trace;
        JsonEqual(new JsonObject { ["error"] = expected }, response.Body);
        if (nextEligibleTime is not null)
        {
            var hint = response.Header("X-Pagebox-Hint");
            Assert.True(
                hint?.StartsWith($"next_eligible_time {nextEligibleTime} (", StringComparison.Ordinal) == true,
                $"X-Pagebox-Hint: {hint}"
            );
        }

        return error;
    }

    /// <summary>(#100) without subcode, HTTP 400, whose message names <paramref name="parameter"/>.</summary>
    public static string InvalidParameter(GraphResponse response, string parameter)
    {
        Assert.True(
            response.Status == HttpStatusCode.BadRequest,
            $"Expected HTTP 400 (#100) naming {parameter}, got {response}"
        );
        var error = response.Body.GetProperty("error");
        Assert.Equal(["code", "fbtrace_id", "message", "type"], error.Names());
        Assert.Equal("OAuthException", error.String("type"));
        Assert.Equal(100, error.GetProperty("code").GetInt32());
        var message = error.String("message")!;
        Assert.StartsWith("(#100) ", message, StringComparison.Ordinal);
        Assert.True(
            message.Contains(parameter, StringComparison.Ordinal),
            $"The message should name {parameter}: \"{message}\""
        );
        return message;
    }

    /// <summary>The Send API answer exactly: <c>{"recipient_id","message_id"}</c>; returns the message id.</summary>
    public static string Sent(GraphResponse response, string psid)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        Assert.Equal(["message_id", "recipient_id"], response.Body.Names());
        Assert.Equal(psid, response.Body.String("recipient_id"));
        var mid = response.Body.String("message_id");
        Assert.False(string.IsNullOrEmpty(mid));
        return mid!;
    }

    /// <summary><c>{"success": true}</c> exactly.</summary>
    public static void Success(GraphResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        JsonEqual("""{"success":true}""", response.Body);
    }

    public static void JsonEqual(string expectedJson, JsonElement actual) =>
        JsonEqual(JsonNode.Parse(expectedJson), actual);

    public static void JsonEqual(JsonNode? expected, JsonElement actual)
    {
        // Both sides re-parsed from text, so numbers built in code compare like numbers read from the wire.
        var expectedNode = expected is null ? null : JsonNode.Parse(expected.ToJsonString());
        var actualNode = JsonNode.Parse(actual.GetRawText());
        if (!JsonNode.DeepEquals(expectedNode, actualNode))
        {
            throw new Xunit.Sdk.XunitException(
                $"JSON differs.{Environment.NewLine}Expected: {expected?.ToJsonString()}{Environment.NewLine}Actual: "
                    + $"  {actualNode?.ToJsonString()}"
            );
        }
    }
}
