using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Store;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// Marketing messages on the Graph face: the token list, the token node (fields in <see cref="TokenFields"/>) and the
/// test endpoint (docs/spec/marketing-messages.md §4–5). Sending and opt-in requests go through POST
/// /{PAGE-ID}/messages.
/// </summary>
internal static class MarketingApi
{
    public const string TokenNodePrefix = "notification_messages_";

    /// <summary>
    /// GET /{PAGE-ID}/notification_message_tokens: newest update first, <c>limit</c> (default and maximum by rule set,
    /// <see cref="TokenListPolicy"/>), <c>after</c>, <c>fields</c>; under 2025-09 also <c>do_not_return_duplicates</c>
    /// and <c>custom_audience_ids</c>.
    /// </summary>
    public static async Task<IResult> ListAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var profile = g.Marketing.Profile;
        var limited = GraphLimit.Read(p, TokenListPolicy.DefaultLimit(profile), TokenListPolicy.MaxLimit(profile));
        if (!limited.IsAccepted)
            return GraphErrors.Result(limited.Error);
        var limit = limited.Value;
        TokenCursor? after = null;
        if (p.TryGetString("after", out var cursorText, out var cursorError))
        {
            if (Decode(cursorText) is not { } cursor)
                return GraphErrors.Result(DomainError.Invalid("after", "Param after is not a valid cursor"));
            after = cursor;
        }
        else if (cursorError is not null)
            return GraphErrors.Result(cursorError);
        var parsedFields = TokenFields.Parse(p, profile);
        if (!parsedFields.IsAccepted)
            return GraphErrors.Result(parsedFields.Error);
        var fields = parsedFields.Value;
        var dedupe = false;
        if (p.TryGetBool("do_not_return_duplicates", out var wanted, out var dedupeError))
            dedupe = wanted;
        else if (dedupeError is not null && TokenListPolicy.HasMarketingMessageApi(profile))
            return GraphErrors.Result(dedupeError);
        var onePerRecipient = TokenListPolicy.OnePerRecipient(profile, dedupe);
        // custom_audience_ids keeps the tokens matched in those Custom Audience uploads: Pagebox has none, so
        // none are.
        var audienceFilter =
            TokenListPolicy.HasMarketingMessageApi(profile)
            && p.TryGetStringList("custom_audience_ids", out var audiences, out _)
            && audiences.Count > 0;

        var page = caller.Page;
        // One more than asked tells whether a next page exists without counting the rest.
        DateTimeOffset? unexpiredAt = TokenListPolicy.HidesExpired(profile) ? await g.PageNowAsync(page) : null;
        IReadOnlyList<NotificationToken> tokens = audienceFilter
            ? []
            : await g.Store.ReadAsync(
                s => s.ListTokens(page.Id, after, limit + 1, unexpiredAt, onePerRecipient),
                http.RequestAborted
            );
        var more = tokens.Count > limit;
        var shown = more ? tokens.Take(limit).ToList() : [.. tokens];
        var zone = MarketingCommands.PageZone(page);
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var t in shown)
                TokenFields.Write(w, t, profile, zone, fields);
            w.WriteEndArray();
            if (shown.Count > 0)
            {
                w.WriteStartObject("paging");
                w.WriteStartObject("cursors");
                w.WriteString("before", Encode(shown[0]));
                w.WriteString("after", Encode(shown[^1]));
                w.WriteEndObject();
                if (more)
                    w.WriteString("next", NextUrl(http, p, limit, Encode(shown[^1])));
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    /// <summary>GET /notification_messages_{TOKEN}: the token node, with the Page token that holds it; <c>fields</c> as
    /// on the list.</summary>
    public static async Task<IResult> TokenAsync(string id, NodeCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var parsedFields = TokenFields.Parse(p, g.Marketing.Profile);
        if (!parsedFields.IsAccepted)
            return GraphErrors.Result(parsedFields.Error);
        var fields = parsedFields.Value;
        var tokenText = id[TokenNodePrefix.Length..];
        var token = await g.Store.ReadAsync(s => s.GetToken(tokenText), http.RequestAborted);
        if (token is null || token.PageId != caller.Page.Id)
            return GraphErrors.Result(DomainError.Unsupported("get", id));
        return GraphJson.Write(w =>
            TokenFields.Write(w, token, g.Marketing.Profile, MarketingCommands.PageZone(caller.Page), fields)
        );
    }

    /// <summary>POST /{PAGE-ID}/notification_messages_dev_support: recipient + developer_action → {"success":
    /// true}.</summary>
    public static async Task<IResult> DevSupportAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        if (!p.TryGetRequiredObject("recipient", out var recipient, out var recipientError))
            return GraphErrors.Result(recipientError);
        if (
            !recipient.TryGetProperty("notification_messages_token", out var tokenElement)
            || tokenElement.ValueKind != System.Text.Json.JsonValueKind.String
            || tokenElement.GetString() is not { Length: > 0 } tokenText
        )
            return GraphErrors.Result(DomainError.Missing("recipient[notification_messages_token]"));
        if (!p.TryGetRequiredString("developer_action", out var action, out var actionError))
            return GraphErrors.Result(actionError);
        var now = await g.PageNowAsync(caller.Page);
        var result = await g.Store.WriteAsync(
            s => g.Marketing.DevSupport(s, caller.Page, tokenText, action, now),
            http.RequestAborted
        );
        return GraphAnswers.Success(result);
    }

    // :: Cursors: opaque base64url of "updated-ms.token".

    private static string Encode(NotificationToken t) =>
        Base64Url.EncodeToString(
            Encoding.UTF8.GetBytes(
                t.Updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "." + t.Token
            )
        );

    private static TokenCursor? Decode(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (
                dot <= 0
                || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            )
                return null;
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

    /// <summary>The absolute URL of the next page on this server, keeping the caller's query and carrying its token
    /// (<see cref="Graph.GraphPagingUrl"/>).</summary>
    private static string NextUrl(HttpContext http, Graph.Binding.GraphParameters p, int limit, string after)
    {
        var query = http
            .Request.Query.Where(q => q.Key is not ("after" or "limit" or "before"))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)))
            .Append(new("after", after));
        return Graph.GraphPagingUrl.Next(http, p, http.Request.Path, query);
    }
}
