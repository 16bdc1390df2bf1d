using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pagebox.Contracts;
using Pagebox.Domain.Campaigns;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The world face of the Marketing Messages API for Messenger: ad accounts (docs/spec/control-api.md, "Ad accounts"),
/// and what the person does around paid marketing messages: taps a link (clicks), is unreachable (delivery fails),
/// chats with friends (organic threads for the F-caps), has an email or phone (custom audience matching). Also the
/// preview page that <c>generatepreviews</c> points to.
/// </summary>
internal static class AdAccountsApi
{
    public const long DefaultPrice = 1;

    private static string Bare(string id) =>
        id.StartsWith(AdAccountRecord.Prefix, StringComparison.Ordinal) ? id[AdAccountRecord.Prefix.Length..] : id;

    public static AdAccountDto Dto(
        AdAccountRecord a,
        long? spent = null,
        IReadOnlyList<AdAccountCampaignDto>? campaigns = null
    ) =>
        new(a.ActId, a.Id, a.Currency, a.BalanceCents)
        {
            AppId = a.AppId,
            PageId = a.PageId,
            BusinessId = a.BusinessId,
            SpendCapCents = a.SpendCapCents,
            AmountSpentCents = spent,
            Country = a.Country,
            Timezone = a.TimeZone,
            PricePerMessageCents = a.PricePerMessageCents,
            Permissions = a.Permissions,
            Campaigns = campaigns,
        };

    private static string? CheckMoney(long? value, string name) => value is < 0 ? $"{name} must not be negative" : null;

    public static async Task<IResult> CreateAsync(
        string app,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.AdAccountCreateRequest);
        if (error is not null)
            return error;
        if (body?.PageId is not { } pageId)
            return WorldApi.Error(400, "page_id is required");
        var currency = body.Currency ?? "USD";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            return WorldApi.Error(400, $"currency must be an ISO 4217 code such as USD, got \"{currency}\"");
        var country = body.Country ?? "US";
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            return WorldApi.Error(400, $"country must be an ISO 3166 alpha-2 code such as US, got \"{country}\"");
        if (body.Timezone is { } tz && !WorldApi.ValidTimeZone(tz))
            return WorldApi.Error(400, $"Unknown time zone \"{tz}\"");
        if (
            (CheckMoney(body.BalanceCents, "balance_cents") ?? CheckMoney(body.SpendCapCents, "spend_cap_cents")) is
            { } money
        )
            return WorldApi.Error(400, money);
        if (body.PricePerMessageCents is < 1)
            return WorldApi.Error(400, "price_per_message_cents must be at least 1");
        var permissions = body.Permissions ?? PermissionRule.All;
        if (permissions.FirstOrDefault(x => !PermissionRule.Known.Contains(x)) is { } unknown)
            return WorldApi.Error(
                400,
                $"Unknown permission \"{unknown}\" (known: {string.Join(", ", PermissionRule.Known)})"
            );
        var request = new AdAccountRequest(
            pageId,
            currency,
            body.BalanceCents,
            body.SpendCapCents,
            body.PricePerMessageCents ?? DefaultPrice,
            country,
            body.Timezone,
            [.. permissions.Distinct()]
        );
        var now = g.Directory.Real.GetUtcNow();
        if (await g.Directory.GetPageAsync(pageId) is { } page)
            now = await g.PageNowAsync(page);
        var result = await g.Store.WriteAsync(s => campaigns.CreateAdAccount(s, app, request, now));
        if (!result.IsAccepted)
            return WorldApi.Error(result.Error);
        return Results.Json(Dto(result.Value, 0, []), CampaignJson.Wire.AdAccountDto, statusCode: 201);
    }

    public static async Task<IResult> GetAsync(string id, GraphServices g)
    {
        var account = Bare(id);
        var found = await g.Store.ReadAsync(s =>
            s.GetAdAccount(account) is { } a
                ? (
                    Account: a,
                    Spent: s.GetPaidSpend(a.Id, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
                    Campaigns: s.ListMessageCampaigns(a.Id)
                        .Select(c => (c, s.GetPaidStats(a.Id, c.Id, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)))
                        .ToList()
                )
                : default
        );
        if (found.Account is null)
            return WorldApi.Error(404, $"Unknown ad account {id}");
        var now = g.Directory.Real.GetUtcNow();
        if (await g.Directory.GetPageAsync(found.Account.PageId) is { } page)
            now = await g.PageNowAsync(page);
        var campaigns = found
            .Campaigns.Select(x => new AdAccountCampaignDto(
                x.c.Id,
                x.c.Name,
                CampaignsApi.Status(x.c, now),
                x.Item2.SpendCents,
                x.Item2.Sent,
                x.Item2.Delivered
            )
            {
                DailyBudget = x.c.DailyBudget,
                LifetimeBudget = x.c.LifetimeBudget,
                EstimatedDailyCap = x.c.EstimatedDailyCap,
            })
            .ToList();
        return Results.Json(Dto(found.Account, found.Spent, campaigns), CampaignJson.Wire.AdAccountDto);
    }

    public static async Task<IResult> PatchAsync(string id, HttpContext http, GraphServices g)
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.AdAccountPatchRequest);
        if (error is not null)
            return error;
        if (
            (
                CheckMoney(body?.BalanceCents, "balance_cents")
                ?? CheckMoney(body?.SpendCapCents, "spend_cap_cents")
                ?? CheckMoney(body?.AddBalanceCents, "add_balance_cents")
            ) is
            { } money
        )
            return WorldApi.Error(400, money);
        if (body?.PricePerMessageCents is < 1)
            return WorldApi.Error(400, "price_per_message_cents must be at least 1");
        if (body?.Country is { } country && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
            return WorldApi.Error(400, $"country must be an ISO 3166 alpha-2 code, got \"{country}\"");
        if (body?.Permissions?.FirstOrDefault(x => !PermissionRule.Known.Contains(x)) is { } unknown)
            return WorldApi.Error(400, $"Unknown permission \"{unknown}\"");
        var patch = new AdAccountPatch(
            body?.BalanceCents,
            body?.AddBalanceCents,
            body?.SpendCapCents,
            body?.PricePerMessageCents,
            body?.Country,
            body?.Permissions
        );
        var result = await g.Store.WriteAsync(s => CampaignCommands.PatchAdAccount(s, Bare(id), patch));
        if (!result.IsAccepted)
            return WorldApi.Error(result.Error);
        return await GetAsync(id, g);
    }

    public static async Task<IResult> ListAsync(string app, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        var list = await g.Store.ReadAsync(s =>
            s.GetAdAccountsOfApp(app)
                .Select(a => Dto(a, s.GetPaidSpend(a.Id, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue)))
                .ToList()
        );
        return Results.Json<IReadOnlyList<AdAccountDto>>(list, CampaignJson.Wire.IReadOnlyListAdAccountDto);
    }

    // :: The person

    /// <summary>The person taps a link: a web_url button (by index) or the card itself (its default_action); a coupon's
    /// link.</summary>
    public static async Task<IResult> ClickAsync(
        string person,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.PersonClickRequest);
        if (error is not null)
            return error;
        if (body?.PageId is not { } pageId)
            return WorldApi.Error(400, "page_id is required");
        if (body.Mid is not { } mid)
            return WorldApi.Error(400, "mid is required");
        if (await g.Directory.GetPageAsync(pageId) is not { } page)
            return WorldApi.Error(404, $"Unknown page {pageId}");
        var message = await g.Store.ReadAsync(s =>
            s.GetPerson(person) is { } p && Domain.World.WorldCommands.Received(s, p, page, mid)
                ? s.GetMessage(mid)
                : null
        );
        if (message is null)
            return WorldApi.Error(404, $"Person {person} received no message {mid} from page {pageId}");
        var (url, why) = Links.Find(message.MessageJson, body.Element ?? 0, body.Button);
        if (url is null)
            return WorldApi.Error(400, why!);
        var now = await g.PageNowAsync(page);
        var result = await g.Store.WriteAsync(s => campaigns.Click(s, person, pageId, mid, now));
        if (!result.IsAccepted)
            return WorldApi.Error(result.Error);
        return Results.Json(
            new PersonClickResult(mid, url, result.Value),
            CampaignJson.Wire.PersonClickResult,
            statusCode: 201
        );
    }

    public static async Task<IResult> DeliveryAsync(string person, HttpContext http, GraphServices g)
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.MarketingDeliveryRequest);
        if (error is not null)
            return error;
        if (body?.Fails is not { } fails)
            return WorldApi.Error(400, "fails (true or false) is required");
        var reason = fails ? body.ErrorMessage ?? "Unknown Error" : null;
        var result = await g.Store.WriteAsync(s => CampaignCommands.SetDeliverable(s, person, reason));
        return !result.IsAccepted
            ? WorldApi.Error(result.Error)
            : Results.Json(new MarketingDeliveryRequest(fails, reason), CampaignJson.Wire.MarketingDeliveryRequest);
    }

    public const int MaxFriendThreads = 100;

    public static async Task<IResult> FriendChatsAsync(
        string person,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.FriendChatsRequest);
        if (error is not null)
            return error;
        var threads = body?.Threads ?? 1;
        if (threads is < 1 or > MaxFriendThreads)
            return WorldApi.Error(400, $"threads must be 1..{MaxFriendThreads}");
        // Friends are nobody's Page, but the F-caps compare these times with the Page's: read the clock of the Page
        // named, else of the Page the person last wrote to (real time when there is none).
        var pageId =
            body?.PageId
            ?? await g.Store.ReadAsync(s =>
                s.GetOrganicActivity(person, DateTimeOffset.MinValue)
                    .Where(a => !a.Thread.StartsWith("friend:", StringComparison.Ordinal))
                    .OrderBy(a => a.At)
                    .LastOrDefault()
                    ?.Thread
            );
        var now =
            pageId is not null && await g.Directory.GetPageAsync(pageId) is { } page
                ? await g.PageNowAsync(page)
                : g.Directory.Real.GetUtcNow();
        var result = await g.Store.WriteAsync(s => campaigns.FriendChats(s, person, threads, now));
        return !result.IsAccepted
            ? WorldApi.Error(result.Error)
            : Results.Json(
                new FriendChatsRequest(result.Value, pageId),
                CampaignJson.Wire.FriendChatsRequest,
                statusCode: 201
            );
    }

    public static async Task<IResult> IdentifiersAsync(string person, HttpContext http, GraphServices g)
    {
        var (body, error) = await WorldApi.BodyAsync(http, CampaignJson.Wire.PersonIdentifiersRequest);
        if (error is not null)
            return error;
        if (body?.Email is null && body?.Phone is null)
            return WorldApi.Error(400, "email or phone is required");
        var email = body.Email is { } e ? Sha256(e.Trim().ToLowerInvariant()) : null;
        var phone = body.Phone is { } p ? Sha256(new string([.. p.Where(char.IsAsciiDigit)]).TrimStart('0')) : null;
        var result = await g.Store.WriteAsync(s => CampaignCommands.SetIdentifiers(s, person, email, phone));
        return !result.IsAccepted
            ? WorldApi.Error(result.Error)
            : Results.Json(body, CampaignJson.Wire.PersonIdentifiersRequest);
    }

    /// <summary>Lowercase hex SHA-256, as the Custom Audience API hashes identifiers.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // :: The preview iframe (no admin key: it is shown in a browser, like Meta's preview_iframe.php)

    public static IResult Preview(HttpContext http)
    {
        string json;
        try
        {
            json = Encoding.UTF8.GetString(Convert.FromBase64String(http.Request.Query["m"].ToString()));
            using var _ = JsonDocument.Parse(json);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return Results.Content(
                "<!doctype html><p>No such preview</p>",
                "text/html; charset=utf-8",
                statusCode: 404
            );
        }
        var html = new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>Marketing message preview</title>"
        )
            .Append(
                "<style>body{font-family:sans-serif;margin:8px}.card{border:1px solid "
                    + "#ccc;border-radius:12px;padding:8px;margin-bottom:6px}"
            )
            .Append(
                ".btn{display:block;text-align:center;border-top:1px solid "
                    + "#eee;padding:4px;color:#0866ff}</style></head><body>"
            );
        using (var doc = JsonDocument.Parse(json))
        {
            var root = doc.RootElement;
            void Text(string? s, string tag)
            {
                if (!string.IsNullOrEmpty(s))
                    html.Append('<')
                        .Append(tag)
                        .Append('>')
                        .Append(WebUtility.HtmlEncode(s))
                        .Append("</")
                        .Append(tag)
                        .Append('>');
            }
            string? S(JsonElement e, string name) =>
                e.ValueKind == JsonValueKind.Object
                && e.TryGetProperty(name, out var v)
                && v.ValueKind == JsonValueKind.String
                    ? v.GetString()
                    : null;
            Text(S(root, "text"), "p");
            if (root.TryGetProperty("attachment", out var a) && a.TryGetProperty("payload", out var payload))
            {
                Text(S(payload, "text") ?? S(payload, "coupon_pre_message"), "p");
                var cards =
                    payload.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array
                        ? [.. elements.EnumerateArray()]
                        : new List<JsonElement> { payload };
                foreach (var card in cards)
                {
                    html.Append("<div class=\"card\">");
                    Text(S(card, "title"), "b");
                    Text(S(card, "subtitle"), "div");
                    Text(S(card, "coupon_code"), "code");
                    if (card.TryGetProperty("buttons", out var buttons) && buttons.ValueKind == JsonValueKind.Array)
                        foreach (var b in buttons.EnumerateArray())
                            html.Append("<span class=\"btn\">")
                                .Append(WebUtility.HtmlEncode(S(b, "title") ?? S(b, "type") ?? ""))
                                .Append("</span>");
                    html.Append("</div>");
                }
            }
        }
        return Results.Content(html.Append("</body></html>").ToString(), "text/html; charset=utf-8");
    }
}

/// <summary>Finds the link a person taps in a message the Page sent.</summary>
internal static class Links
{
    public static (string? Url, string? Why) Find(string messageJson, int element, int? button)
    {
        using var doc = JsonDocument.Parse(messageJson);
        if (
            !doc.RootElement.TryGetProperty("attachment", out var attachment)
            || !attachment.TryGetProperty("payload", out var payload)
            || payload.ValueKind != JsonValueKind.Object
        )
            return (null, "That message has no links");
        if (String(payload, "template_type") == "coupon")
            return String(payload, "coupon_url") is { } coupon
                ? (coupon, null)
                : (null, "That coupon has no coupon_url");
        var owner = payload;
        if (payload.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
        {
            if (element < 0 || element >= elements.GetArrayLength())
                return (null, $"The message has elements 0..{elements.GetArrayLength() - 1}; got {element}");
            owner = elements[element];
        }
        if (button is not { } index)
        {
            return owner.TryGetProperty("default_action", out var da) && String(da, "url") is { } url
                ? (url, null)
                : (null, "That card has no default_action: name a web_url button");
        }
        if (!owner.TryGetProperty("buttons", out var buttons) || buttons.ValueKind != JsonValueKind.Array)
            return (null, "That message has no buttons");
        if (index < 0 || index >= buttons.GetArrayLength())
            return (null, $"The message has buttons 0..{buttons.GetArrayLength() - 1}; got {index}");
        var b = buttons[index];
        return String(b, "type") == "web_url" && String(b, "url") is { } link
            ? (link, null)
            : (
                null,
                $"Button {index} is a {String(b, "type") ?? "untyped"} button, not a web_url button (postback "
                    + $"buttons are tapped with /postbacks)"
            );
    }

    private static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;
}
