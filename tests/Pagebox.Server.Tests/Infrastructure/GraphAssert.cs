using System.Net;
using System.Text.Json;

namespace Pagebox.Server.Tests.Infrastructure;

/// <summary>Whole-envelope checks of Graph answers.</summary>
public static class GraphAssert
{
    /// <summary>
    /// The Graph error envelope exactly: <c>{"error":{"message","type","code","error_subcode"?,"fbtrace_id"}}</c>,
    /// nothing else at either level, JSON content type, the given HTTP status and values; <c>error_subcode</c> absent
    /// when null.
    /// </summary>
    public static JsonElement Error(
        GraphResponse response,
        HttpStatusCode status,
        string type,
        int code,
        int? subcode,
        string? message = null
    )
    {
        Assert.True(response.Status == status, $"Expected HTTP {(int)status}, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.Object, response.Body.ValueKind);
        Assert.Equal(["error"], Names(response.Body));
        var error = response.Body.GetProperty("error");
        string[] expected = subcode is null
            ? ["code", "fbtrace_id", "message", "type"]
            : ["code", "error_subcode", "fbtrace_id", "message", "type"];
        Assert.Equal(expected, Names(error));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        if (subcode is not null)
            Assert.Equal(subcode, error.GetProperty("error_subcode").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("fbtrace_id").GetString()));
        if (message is not null)
            Assert.Equal(message, error.GetProperty("message").GetString());
        return error;
    }

    /// <summary>A 400 OAuthException code 100 without subcode whose message names <paramref
    /// name="parameter"/>.</summary>
    public static string InvalidParameter(GraphResponse response, string parameter)
    {
        var error = Error(response, HttpStatusCode.BadRequest, "OAuthException", 100, null);
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith("(#100) ", message, StringComparison.Ordinal);
        Assert.Contains(parameter, message, StringComparison.Ordinal);
        return message;
    }

    /// <summary>The Send API's answer exactly: <c>{"recipient_id","message_id"}</c> as strings, JSON content
    /// type.</summary>
    public static string Sent(GraphResponse response, string psid)
    {
        Assert.True(response.Status == HttpStatusCode.OK, $"Expected HTTP 200, got {response}");
        Assert.StartsWith("application/json", response.ContentType, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["message_id", "recipient_id"], Names(response.Body));
        Assert.Equal(psid, response.Body.GetProperty("recipient_id").GetString());
        var mid = response.Body.GetProperty("message_id").GetString();
        Assert.False(string.IsNullOrEmpty(mid));
        return mid!;
    }

    public static string[] Names(JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
