using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Pagebox.Contracts;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Store;
using Pagebox.Server.Errors;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// Marketing messages on the Graph face: the token list, the token node and the test endpoint
/// (marketing-messages.md §4–5). Sending and opt-in requests go through POST /{PAGE-ID}/messages.
/// </summary>
internal static class MarketingApi
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;
    public const string TokenNodePrefix = "notification_messages_";

    public static NotificationTokenInfo Info(NotificationToken t, PolicyProfile profile, TimeZoneInfo pageZone, bool withStatus) => new(
        t.Token, t.Psid, MarketingWire.ToWire(t.ReOptIn), t.Created.ToUnixTimeSeconds(), MarketingWire.ToWire(t.UserTokenStatus), t.Title,
        FrequencyRule.NextEligibleTime(t, profile, pageZone) is { } next ? GraphErrors.CeilingUnixSeconds(next) : t.Created.ToUnixTimeSeconds())
    {
        TokenExpiryTimestamp = MarketingCommands.ReportedExpiry(t).ToUnixTimeSeconds(),
        NotificationMessagesTimezone = t.TimeZone,
        NotificationMessagesFrequency = t.Frequency is { } f ? MarketingWire.ToWire(f) : null,
        NotificationMessagesStatus = withStatus && t.Status == TokenStatus.Stopped ? MarketingCommands.Stopped : null,
    };

    /// <summary>GET /{PAGE-ID}/notification_message_tokens: newest update first, limit (25, at most 100), after.</summary>
    public static async Task<IResult> ListAsync(string id, HttpContext http, GraphServices g)
    {
        var (p, caller, error) = await g.BindPageAsync(http, id);
        if (error is not null) return error;
        var limit = DefaultLimit;
        if (p!.TryGetInt("limit", out var l, out var limitError))
        {
            if (l < 1) return GraphErrors.Result(DomainError.Invalid("limit", "Param limit must be a positive integer"));
            limit = Math.Min(l, MaxLimit);
        }
        else if (limitError is not null) return GraphErrors.Result(limitError);
        TokenCursor? after = null;
        if (p.TryGetString("after", out var cursorText, out var cursorError))
        {
            if (Decode(cursorText) is not { } cursor) return GraphErrors.Result(DomainError.Invalid("after", "Param after is not a valid cursor"));
            after = cursor;
        }
        else if (cursorError is not null) return GraphErrors.Result(cursorError);

        var page = caller!.Page;
        // One more than asked tells whether a next page exists without counting the rest.
        DateTimeOffset? unexpiredAt = g.Marketing.Profile == PolicyProfile.P2023 ? await g.PageNowAsync(page) : null;
        var tokens = await g.Store.ReadAsync(s => s.ListTokens(page.Id, after, limit + 1, unexpiredAt), http.RequestAborted);
        var more = tokens.Count > limit;
        var shown = more ? tokens.Take(limit).ToList() : [.. tokens];
        var zone = MarketingCommands.PageZone(page);
        var items = shown.Select(t => Info(t, g.Marketing.Profile, zone, withStatus: false)).ToList();
        GraphPaging? paging = null;
        if (shown.Count > 0)
        {
            paging = new GraphPaging(new GraphCursors(Encode(shown[0]), Encode(shown[^1])))
            {
                Next = more ? NextUrl(http, p!, limit, Encode(shown[^1])) : null,
            };
        }
        return Results.Json(new GraphList<NotificationTokenInfo>(items) { Paging = paging }, PageboxJson.Wire.GraphListNotificationTokenInfo);
    }

    /// <summary>GET /notification_messages_{TOKEN}: the token node, with the Page token that holds it.</summary>
    public static async Task<IResult> TokenAsync(string id, HttpContext http, GraphServices g)
    {
        var (_, caller, error) = await g.BindPageAsync(http, "me");
        if (error is not null) return error;
        var tokenText = id[TokenNodePrefix.Length..];
        var token = await g.Store.ReadAsync(s => s.GetToken(tokenText), http.RequestAborted);
        if (token is null || token.PageId != caller!.Page.Id) return GraphErrors.Result(DomainError.Unsupported("get", id));
        return Results.Json(Info(token, g.Marketing.Profile, MarketingCommands.PageZone(caller.Page), withStatus: true), PageboxJson.Wire.NotificationTokenInfo);
    }

    /// <summary>POST /{PAGE-ID}/notification_messages_dev_support: recipient + developer_action → {"success": true}.</summary>
    public static async Task<IResult> DevSupportAsync(string id, HttpContext http, GraphServices g)
    {
        var (p, caller, error) = await g.BindPageAsync(http, id);
        if (error is not null) return error;
        if (!p!.TryGetObject("recipient", out var recipient, out var recipientError)) return GraphErrors.Result(recipientError ?? DomainError.Missing("recipient"));
        if (!recipient.TryGetProperty("notification_messages_token", out var tokenElement) || tokenElement.ValueKind != System.Text.Json.JsonValueKind.String
            || tokenElement.GetString() is not { Length: > 0 } tokenText)
            return GraphErrors.Result(DomainError.Missing("recipient[notification_messages_token]"));
        if (!p.TryGetString("developer_action", out var action, out var actionError)) return GraphErrors.Result(actionError ?? DomainError.Missing("developer_action"));
        var now = await g.PageNowAsync(caller!.Page);
        var result = await g.Store.WriteAsync(s => g.Marketing.DevSupport(s, caller.Page, tokenText, action, now), http.RequestAborted);
        return result is not null ? GraphErrors.Result(result) : Results.Json(new SuccessResponse(true), PageboxJson.Wire.SuccessResponse);
    }

    // :: Cursors: opaque base64url of "updated-ms.token".

    private static string Encode(NotificationToken t)
        => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(t.Updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "." + t.Token));

    private static TokenCursor? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)) return null;
            return new TokenCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), text[(dot + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The absolute URL of the next page on this server, keeping the caller's query and carrying its token (<see cref="Graph.GraphPagingUrl"/>).</summary>
    private static string NextUrl(HttpContext http, Graph.Binding.GraphParameters p, int limit, string after)
    {
        var query = http.Request.Query.Where(q => q.Key is not ("after" or "limit" or "before"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture))).Append(new("after", after));
        return Graph.GraphPagingUrl.Next(http, p, http.Request.Path, query);
    }
}
