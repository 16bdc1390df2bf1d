using System.Globalization;
using System.Text;
using System.Text.Json;
using Pagebox.Contracts;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Marketing Messages API for Messenger on the Graph face (marketing-messages-on-messenger/send-messages,
/// api-reference, measure-performance, grow-marketing-messages-audience): campaigns on an ad account, sends to
/// subscription tokens, the ads listing and nodes, insights, the delivery estimate, previews and custom audiences.
/// Every call is made with a Page access token of the app that owns the ad account (Pagebox's stand-in for Meta's
/// system-user token); another app's account "does not exist" (100/33).
/// </summary>
internal static partial class CampaignsApi
{
    // :: Plumbing

    private static bool IsNumeric(string id) => SendRequestParser.IsNumericId(id);

    /// <summary>The time on the clock of the app that owns the account's Page (every Page rule reads that
    /// clock).</summary>
    private static async Task<DateTimeOffset> NowAsync(GraphServices g, string pageId) =>
        await g.Directory.GetPageAsync(pageId) is { } page ? await g.PageNowAsync(page) : g.Directory.Real.GetUtcNow();

    /// <summary>The time on the clock of the Page that owns an ad account (the real time when there is none).</summary>
    private static async Task<DateTimeOffset> AccountNowAsync(GraphServices g, string adAccountId, HttpContext http)
    {
        var account = await g.Store.ReadAsync(s => s.GetAdAccount(adAccountId), http.RequestAborted);
        return await NowAsync(g, account?.PageId ?? "");
    }

    private static bool TryGetLong(GraphParameters p, string name, out long? value, out DomainError? error)
    {
        value = null;
        if (!p.TryGetString(name, out var text, out error))
            return error is null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            error = DomainError.Invalid(name, $"Param {name} must be an integer");
            return false;
        }
        value = v;
        return true;
    }

    /// <summary>"Datetime strings or Unix timestamp": Unix seconds, ISO 8601, or Meta's
    /// <c>2026-05-01T10:00:00+0000</c>.</summary>
    private static bool TryGetTime(GraphParameters p, string name, out DateTimeOffset? value, out DomainError? error)
    {
        value = null;
        if (!p.TryGetString(name, out var text, out error))
            return error is null;
        if (
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds < 253402300800
        )
        {
            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        var iso =
            text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit)
                ? text[..^2] + ":" + text[^2..]
                : text;
        if (DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            value = t;
            return true;
        }
        error = DomainError.Invalid(name, $"Param {name} must be a datetime string or a Unix timestamp");
        return false;
    }

    /// <summary>Meta's datetime format: local time of the account with its offset
    /// (<c>2026-05-01T10:00:00-0700</c>).</summary>
    public static string MetaTime(DateTimeOffset t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)
            + sign
            + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
    }

    // :: POST /act_{id}/message_campaign

    public static async Task<IResult> CreateCampaignAsync(
        string account,
        AdAccountIdCall call,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (p, appId) = call;
        if (p.OptionalString("name", out var name) is { } e1)
            return GraphErrors.Result(e1);
        if (p.OptionalString("page_id", out var pageId) is { } e2)
            return GraphErrors.Result(e2);
        if (p.OptionalString("pixel_id", out var pixelId) is { } e3)
            return GraphErrors.Result(e3);
        if (!TryGetLong(p, "daily_budget", out var daily, out var e4))
            return GraphErrors.Result(e4!);
        if (!TryGetLong(p, "lifetime_budget", out var lifetime, out var e5))
            return GraphErrors.Result(e5!);
        if (!TryGetLong(p, "bid_amount", out var bid, out var e6))
            return GraphErrors.Result(e6!);
        if (!TryGetTime(p, "start_time", out var start, out var e7))
            return GraphErrors.Result(e7!);
        if (!TryGetTime(p, "end_time", out var end, out var e8))
            return GraphErrors.Result(e8!);
        var request = new CampaignRequest(name, pageId, daily, lifetime, bid, pixelId, start, end);
        var now = await AccountNowAsync(g, account, http);
        var decision = await g.Store.WriteAsync(
            s => campaigns.CreateCampaign(s, appId, account, request, now),
            http.RequestAborted
        );
        return decision.Answer(created => Results.Json(new CreatedId(created.Id), PageboxJson.Wire.CreatedId));
    }

    // :: POST /act_{id}/messages

    public static async Task<IResult> SendAsync(
        string account,
        AdAccountIdCall call,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (p, appId) = call;
        if (!p.TryGetRequiredString("message_id", out var campaignId, out var idError))
            return GraphErrors.Result(idError);
        if (!p.TryGetObject("messenger_delivery_data", out var delivery, out var deliveryError))
            return GraphErrors.Result(
                deliveryError ?? DomainError.Missing("messenger_delivery_data[subscription_token]")
            );
        if (
            !delivery.TryGetProperty("subscription_token", out var tokenElement)
            || tokenElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number)
            || tokenElement.ToString() is not { Length: > 0 } token
        )
            return GraphErrors.Result(DomainError.Missing("messenger_delivery_data[subscription_token]"));
        if (!p.TryGetRequiredObject("message", out var message, out var messageError))
            return GraphErrors.Result(messageError);
        int? gap = null;
        if (p.TryGetInt("min_conversation_gap_seconds", out var g1, out var gapError))
        {
            if (g1 < 1)
                return GraphErrors.Result(
                    DomainError.Invalid(
                        "min_conversation_gap_seconds",
                        "Param min_conversation_gap_seconds must be a positive number of seconds"
                    )
                );
            gap = g1;
        }
        else if (gapError is not null)
            return GraphErrors.Result(gapError);
        var parsed = PaidMessageParser.Parse(message, p.GetRawJson("message") ?? message.GetRawText());
        if (!parsed.IsAccepted)
            return GraphErrors.Result(parsed.Error);

        var command = new PaidSendCommand(
            appId,
            account,
            campaignId,
            token,
            parsed.Value.Creative,
            parsed.Value.Render,
            gap
        );
        var owner = await g.Store.ReadAsync(s => s.GetAdAccount(account)?.PageId, http.RequestAborted);
        var clock =
            owner is not null && await g.Directory.GetPageAsync(owner) is { } page
                ? await g.PageClockAsync(page)
                : g.Directory.Real;
        var decision = await g.Store.WriteAsync(
            s => campaigns.Send(s, command, clock.GetUtcNow()),
            http.RequestAborted
        );
        return decision.Answer(sent =>
            Results.Json(new PaidSendResponse(true, sent), CampaignJson.Wire.PaidSendResponse)
        );
    }

    // :: GET /act_{id}/ads, GET /{MESSAGE_CAMPAIGN_ID}, GET /act_{id}, DELETE /{MESSAGE_CAMPAIGN_ID}

    private static readonly string[] AdFields = ["id", "name", "status", "adset", "campaign", "creative"];
    private static readonly string[] AdSetFields =
    [
        "id",
        "name",
        "daily_budget",
        "lifetime_budget",
        "start_time",
        "end_time",
        "promoted_object",
    ];
    private static readonly string[] CampaignFields = ["id", "name", "is_message_campaign", "is_direct_send_campaign"];
    private static readonly string[] CreativeFields = ["id", "actor_id"];

    private static Result<FieldSelection> Fields(GraphParameters p)
    {
        if (!p.TryGetString("fields", out var text, out var error))
            return error is not null ? error : FieldSelection.Parse("id");
        var parsed = FieldSelection.Parse(text);
        if (!parsed.IsAccepted)
            return parsed.Error;
        var fields = parsed.Value;
        foreach (
            var (names, node, selection) in new[]
            {
                (AdFields, "Ad", fields),
                (AdSetFields, "AdSet", fields.Nested("adset")),
                (CampaignFields, "Campaign", fields.Nested("campaign")),
                (CreativeFields, "AdCreative", fields.Nested("creative")),
            }
        )
        {
            if (selection is null)
                continue;
            if (selection.Names.FirstOrDefault(n => !names.Contains(n)) is { } unknown)
                return DomainError.Invalid(
                    "fields",
                    $"Tried accessing nonexisting field ({unknown}) on node type ({node})"
                );
        }
        return fields;
    }

    private static void WriteAd(
        Utf8JsonWriter w,
        MessageCampaignRecord c,
        AdAccountRecord account,
        FieldSelection f,
        DateTimeOffset now
    )
    {
        var zone = LocalCalendar.Zone(account.TimeZone);
        w.WriteStartObject();
        if (f.Has("id"))
            w.WriteString("id", c.Id);
        if (f.Has("name"))
            w.WriteString("name", c.Name);
        if (f.Has("status"))
            w.WriteString("status", Status(c, now));
        if (f.Nested("adset") is { } adset)
        {
            w.WriteStartObject("adset");
            if (adset.Has("name"))
                w.WriteString("name", c.Name);
            if (adset.Has("daily_budget"))
                w.WriteString(
                    "daily_budget",
                    (c.DailyBudget ?? c.EstimatedDailyCap ?? 0).ToString(CultureInfo.InvariantCulture)
                );
            if (adset.Has("lifetime_budget"))
                w.WriteString("lifetime_budget", (c.LifetimeBudget ?? 0).ToString(CultureInfo.InvariantCulture));
            if (adset.Has("start_time"))
                w.WriteString("start_time", MetaTime(c.StartTime, zone));
            if (adset.Has("end_time") && c.EndTime is { } end)
                w.WriteString("end_time", MetaTime(end, zone));
            if (adset.Nested("promoted_object") is not null)
            {
                w.WriteStartObject("promoted_object");
                w.WriteString("page_id", c.PageId);
                if (c.PixelId is not null)
                    w.WriteString("pixel_id", c.PixelId);
                w.WriteEndObject();
            }
            w.WriteString("id", c.AdSetId);
            w.WriteEndObject();
        }
        if (f.Nested("campaign") is { } campaign)
        {
            w.WriteStartObject("campaign");
            if (campaign.Has("name"))
                w.WriteString("name", c.Name);
            if (campaign.Has("is_message_campaign"))
                w.WriteBoolean("is_message_campaign", true);
            if (campaign.Has("is_direct_send_campaign"))
                w.WriteBoolean("is_direct_send_campaign", true);
            w.WriteString("id", c.CampaignGroupId);
            w.WriteEndObject();
        }
        if (f.Nested("creative") is { } creative)
        {
            w.WriteStartObject("creative");
            if (creative.Has("actor_id"))
                w.WriteString("actor_id", c.PageId);
            w.WriteString("id", c.Id);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A campaign's status as the world face and the ads listing show it.</summary>
    public static string Status(MessageCampaignRecord c, DateTimeOffset now) =>
        c switch
        {
            { Deleted: not null } => "DELETED",
            { EndTime: { } end } when now >= end => "COMPLETED",
            _ when now < c.StartTime => "SCHEDULED",
            _ when now < c.Created + CampaignStateRule.WarmUp => "WARMING_UP",
            _ => "ACTIVE",
        };

    public static async Task<IResult> ListAdsAsync(AdAccountCall call, HttpContext http, GraphServices g)
    {
        var (p, found) = call;
        var parsedFields = Fields(p);
        if (!parsedFields.IsAccepted)
            return GraphErrors.Result(parsedFields.Error);
        var fields = parsedFields.Value;
        var list = await g.Store.ReadAsync(
            s => s.ListMessageCampaigns(found.Id).Where(c => c.Deleted is null).ToList(),
            http.RequestAborted
        );
        var now = await NowAsync(g, found.PageId);
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var c in list)
                WriteAd(w, c, found, fields, now);
            w.WriteEndArray();
            if (list.Count > 0)
            {
                w.WriteStartObject("paging");
                w.WriteStartObject("cursors");
                w.WriteString("before", Convert.ToBase64String(Encoding.UTF8.GetBytes(list[0].Id)));
                w.WriteString("after", Convert.ToBase64String(Encoding.UTF8.GetBytes(list[^1].Id)));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        });
    }

    /// <summary>The campaign a numeric id names, deleted or not; null for any other id.</summary>
    public static async Task<MessageCampaignRecord?> CampaignAsync(string id, HttpContext http, GraphServices g) =>
        IsNumeric(id) ? await g.Store.ReadAsync(s => s.GetMessageCampaign(id), http.RequestAborted) : null;

    /// <summary>GET /{MESSAGE_CAMPAIGN_ID}: the campaign's ad (<see cref="NodeApi"/> calls it for a campaign's message
    /// id).</summary>
    public static async Task<IResult> NodeAsync(
        string id,
        MessageCampaignRecord campaign,
        NodeCall call,
        HttpContext http,
        GraphServices g
    )
    {
        var (p, caller) = call;
        var found = await g.Store.ReadAsync(
            s =>
                CampaignCommands.CampaignOf(s, caller.App.Id, id, "get") is { IsAccepted: true } c
                && c.Value.Deleted is null
                    ? s.GetAdAccount(c.Value.AdAccountId)
                    : null,
            http.RequestAborted
        );
        if (found is null)
            return GraphErrors.Result(DomainError.Unsupported("get", id));
        var parsedFields = Fields(p);
        if (!parsedFields.IsAccepted)
            return GraphErrors.Result(parsedFields.Error);
        var fields = parsedFields.Value;
        var now = await NowAsync(g, found.PageId);
        return GraphJson.Write(w => WriteAd(w, campaign, found, fields, now));
    }

    /// <summary>DELETE /{MESSAGE_CAMPAIGN_ID} (<see cref="NodeApi"/> calls it for a campaign's id).</summary>
    public static async Task<IResult> DeleteAsync(
        string id,
        MessageCampaignRecord campaign,
        NodeCall call,
        HttpContext http,
        GraphServices g
    )
    {
        var now = await AccountNowAsync(g, campaign.AdAccountId, http);
        var refused = await g.Store.WriteAsync(
            s => CampaignCommands.DeleteCampaign(s, call.Caller.App.Id, id, now),
            http.RequestAborted
        );
        return GraphAnswers.Success(refused);
    }

    /// <summary>GET /act_{id}: the ad account node (the fields SDKs read at start-up).</summary>
    public static async Task<IResult> AccountNodeAsync(AdAccountCall call, HttpContext http, GraphServices g)
    {
        var found = call.Account;
        var spent = await g.Store.ReadAsync(
            s => s.GetPaidSpend(found.Id, null, DateTimeOffset.MinValue, DateTimeOffset.MaxValue),
            http.RequestAborted
        );
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", found.ActId);
            w.WriteString("account_id", found.Id);
            w.WriteString("currency", found.Currency);
            w.WriteString("amount_spent", spent.ToString(CultureInfo.InvariantCulture));
            if (found.BalanceCents is { } balance)
                w.WriteString("balance", balance.ToString(CultureInfo.InvariantCulture));
            if (found.SpendCapCents is { } cap)
                w.WriteString("spend_cap", cap.ToString(CultureInfo.InvariantCulture));
            w.WriteString("timezone_name", found.TimeZone);
            w.WriteEndObject();
        });
    }

    // :: Insights

    private static readonly string[] InsightFields =
    [
        "marketing_messages_sent",
        "marketing_messages_delivered",
        "marketing_messages_read",
        "marketing_messages_link_btn_click",
        "marketing_messages_spend",
        "marketing_messages_read_rate",
        "marketing_messages_link_btn_click_rate",
        "marketing_messages_delivery_rate",
        "marketing_messages_cost_per_delivered",
        "marketing_messages_cost_per_link_btn_click",
        "marketing_messages_spend_currency",
        "account_id",
        "campaign_id",
        "campaign_name",
    ];

    private static readonly string[] DefaultInsightFields =
    [
        "marketing_messages_sent",
        "marketing_messages_delivered",
        "marketing_messages_read",
        "marketing_messages_link_btn_click",
        "marketing_messages_spend",
    ];

    public static Task<IResult> AccountInsightsAsync(AdAccountCall call, HttpContext http, GraphServices g) =>
        InsightsAsync(call.Parameters, call.Account, null, http, g);

    /// <summary>GET /{MESSAGE_CAMPAIGN_ID}/insights (a campaign's, deleted ones too).</summary>
    public static async Task<IResult> CampaignInsightsAsync(string id, NodeCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var found = await g.Store.ReadAsync(
            s =>
                CampaignCommands.CampaignOf(s, caller.App.Id, id, "get") is { IsAccepted: true } c
                    ? (Campaign: c.Value, Account: s.GetAdAccount(c.Value.AdAccountId))
                    : default((MessageCampaignRecord? Campaign, AdAccountRecord? Account)),
            http.RequestAborted
        );
        if (found.Campaign is null || found.Account is null)
            return GraphErrors.Result(DomainError.Unsupported("get", id));
        return await InsightsAsync(p, found.Account, found.Campaign, http, g);
    }

    private static async Task<IResult> InsightsAsync(
        GraphParameters p,
        AdAccountRecord account,
        MessageCampaignRecord? campaign,
        HttpContext http,
        GraphServices g
    )
    {
        IReadOnlyList<string> fields = DefaultInsightFields;
        if (p.TryGetStringList("fields", out var asked, out var fieldsError))
            fields = asked;
        else if (fieldsError is not null)
            return GraphErrors.Result(fieldsError);
        if (fields.FirstOrDefault(f => !InsightFields.Contains(f)) is { } unknown)
            return GraphErrors.Result(
                DomainError.Invalid(
                    "fields",
                    $"{unknown} is not valid for fields param. please check "
                        + $"https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid "
                        + $"values"
                )
            );
        if (p.TryGetString("level", out var level, out _) && level is not ("account" or "campaign" or "ad"))
            return GraphErrors.Result(
                DomainError.Invalid("level", $"Param level must be one of {{account, campaign, ad}} - got \"{level}\"")
            );

        var zone = LocalCalendar.Zone(account.TimeZone);
        var now = await NowAsync(g, account.PageId);
        var today = LocalCalendar.DateOf(now, zone);
        var first = await g.Store.ReadAsync(
            s => s.GetPaidStats(account.Id, campaign?.Id, DateTimeOffset.MinValue, DateTimeOffset.MaxValue).FirstSend,
            http.RequestAborted
        );
        InsightsPeriod? period;
        if (p.TryGetObject("time_range", out var range, out var rangeError))
        {
            if (
                !DateOnly.TryParseExact(
                    range.TryGetProperty("since", out var since) ? since.ToString() : "",
                    "yyyy-MM-dd",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var from
                )
                || !DateOnly.TryParseExact(
                    range.TryGetProperty("until", out var until) ? until.ToString() : "",
                    "yyyy-MM-dd",
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.None,
                    out var to
                )
                || to < from
            )
                return GraphErrors.Result(
                    DomainError.Invalid(
                        "time_range",
                        "Param time_range must be {'since':YYYY-MM-DD,'until':YYYY-MM-DD} with since on or before until"
                    )
                );
            period = new InsightsPeriod(from, to);
        }
        else if (rangeError is not null)
            return GraphErrors.Result(rangeError);
        else
        {
            var preset = p.TryGetString("date_preset", out var asked2, out _) ? asked2 : InsightsPeriods.DefaultPreset;
            period = InsightsPeriods.For(preset, today, first is { } f ? LocalCalendar.DateOf(f, zone) : null);
            if (period is null)
                return GraphErrors.Result(
                    DomainError.Invalid(
                        "date_preset",
                        $"Param date_preset must be one of {{{string.Join(", ", InsightsPeriods.Presets)}}} - got \""
                            + $"{preset}\""
                    )
                );
        }
        var stats = await g.Store.ReadAsync(
            s => s.GetPaidStats(account.Id, campaign?.Id, period.From(zone), period.Until(zone)),
            http.RequestAborted
        );
        var offset = Currencies.Offset(account.Currency);
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            if (stats.Sent > 0)
            {
                w.WriteStartObject();
                foreach (var field in fields)
                {
                    string? value = field switch
                    {
                        "marketing_messages_sent" => Count(stats.Sent),
                        "marketing_messages_delivered" => Count(stats.Delivered),
                        "marketing_messages_read" => Count(stats.Read),
                        "marketing_messages_link_btn_click" => Count(stats.Clicks),
                        "marketing_messages_spend" => Money(stats.SpendCents, offset, 2),
                        "marketing_messages_read_rate" => Rate(stats.Read, stats.Delivered),
                        "marketing_messages_link_btn_click_rate" => Rate(stats.Clicks, stats.Delivered),
                        "marketing_messages_delivery_rate" => Rate(stats.Delivered, stats.Sent),
                        "marketing_messages_cost_per_delivered" => stats.Delivered == 0
                            ? null
                            : Money(stats.SpendCents / (decimal)stats.Delivered, offset, 6),
                        "marketing_messages_cost_per_link_btn_click" => stats.Clicks == 0
                            ? null
                            : Money(stats.SpendCents / (decimal)stats.Clicks, offset, 6),
                        "marketing_messages_spend_currency" => account.Currency,
                        "account_id" => account.Id,
                        "campaign_id" => campaign?.CampaignGroupId,
                        "campaign_name" => campaign?.Name,
                        _ => null,
                    };
                    if (value is not null)
                        w.WriteString(field, value);
                }
                w.WriteString("date_start", period.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteString("date_stop", period.Stop.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("paging");
            w.WriteStartObject("cursors");
            w.WriteString("before", "MAZDZD");
            w.WriteString("after", "MAZDZD");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A percentage with six decimals, as Meta's sample shows ("79.419238"); "0" when nothing was
    /// delivered.</summary>
    private static string Rate(long part, long whole) =>
        whole == 0 ? "0" : (part * 100m / whole).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>Smallest units as the currency's main unit ("38.87" for 3887 cents).</summary>
    private static string Money(decimal minor, int offset, int decimals) =>
        (minor / offset).ToString(decimals == 2 && offset > 1 ? "0.00" : "0.######", CultureInfo.InvariantCulture);

    // :: GET /act_{id}/message_delivery_estimate

    private static readonly string[] EstimateFields =
    [
        "estimate_delivery_upper_bound",
        "estimate_delivery_lower_bound",
        "estimate_cost_upper_bound",
        "estimate_cost_lower_bound",
    ];
    private static readonly string[] PacingTypes =
    [
        "standard",
        "disabled",
        "day_parting",
        "no_pacing",
        "probabilistic_pacing",
        "probabilistic_pacing_v2",
    ];

    public static async Task<IResult> EstimateAsync(AdAccountCall call, HttpContext http, GraphServices g)
    {
        var (p, found) = call;
        if (!TryGetLong(p, "daily_budget", out var daily, out var e1))
            return GraphErrors.Result(e1!);
        if (!TryGetLong(p, "lifetime_budget", out var lifetime, out var e2))
            return GraphErrors.Result(e2!);
        if (daily is not null && lifetime is not null)
            return GraphErrors.Result(
                DomainError.Invalid(
                    "daily_budget",
                    "Param daily_budget cannot be used together with lifetime_budget: give one of them"
                )
            );
        if (daily is <= 0)
            return GraphErrors.Result(DomainError.Invalid("daily_budget", "Param daily_budget must be greater than 0"));
        if (lifetime is <= 0)
            return GraphErrors.Result(
                DomainError.Invalid("lifetime_budget", "Param lifetime_budget must be greater than 0")
            );
        var days = 1;
        if (p.TryGetInt("lifetime_in_days", out var d, out var daysError))
        {
            if (d < 1)
                return GraphErrors.Result(
                    DomainError.Invalid("lifetime_in_days", "Param lifetime_in_days must be a positive integer")
                );
            days = d;
        }
        else if (daysError is not null)
            return GraphErrors.Result(daysError);
        if (p.TryGetString("pacing_type", out var pacing, out _) && !PacingTypes.Contains(pacing.ToLowerInvariant()))
            return GraphErrors.Result(
                DomainError.Invalid(
                    "pacing_type",
                    $"Param pacing_type must be one of {{{string.Join(", ", PacingTypes)}}} - got \"{pacing}\""
                )
            );
        if (p.TryGetBool("is_direct_send_campaign", out var direct, out var directError) && !direct)
            return GraphErrors.Result(
                DomainError.Invalid(
                    "is_direct_send_campaign",
                    "Param is_direct_send_campaign must be true for marketing messages"
                )
            );
        else if (directError is not null)
            return GraphErrors.Result(directError);
        if (LooseObject(p, "promoted_object", out var promoted, out var promotedError))
        {
            if (!promoted.TryGetProperty("page_id", out var pid) || pid.ToString() != found.PageId)
                return GraphErrors.Result(
                    DomainError.Invalid(
                        "promoted_object[page_id]",
                        $"Param promoted_object[page_id] must be the Page linked to ad account {found.ActId}"
                    )
                );
        }
        else if (promotedError is not null)
            return GraphErrors.Result(promotedError);
        if (!LooseObject(p, "targeting_spec", out _, out var targetingError) && targetingError is not null)
            return GraphErrors.Result(targetingError);
        IReadOnlyList<string> fields = EstimateFields;
        if (p.TryGetStringList("fields", out var asked, out var fieldsError))
            fields = asked;
        else if (fieldsError is not null)
            return GraphErrors.Result(fieldsError);
        if (fields.FirstOrDefault(f => !EstimateFields.Contains(f)) is { } unknown)
            return GraphErrors.Result(
                DomainError.Invalid(
                    "fields",
                    $"Tried accessing nonexisting field ({unknown}) on node type (MessageDeliveryEstimate)"
                )
            );

        var subscribers = await g.Store.ReadAsync(
            s =>
                s.ListTokens(found.PageId, null, CampaignCommands.MaxAudience)
                    .Count(t =>
                        s.GetPerson(t.PersonId) is { } person && RegionRule.CheckRecipient(person.Locale) is null
                    ),
            http.RequestAborted
        );
        var estimate = DeliveryEstimator.Estimate(subscribers, found.PricePerMessageCents, daily, lifetime, days);
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            w.WriteStartObject();
            foreach (var field in fields)
            {
                w.WriteNumber(
                    field,
                    field switch
                    {
                        "estimate_delivery_upper_bound" => estimate.DeliveryUpperBound,
                        "estimate_delivery_lower_bound" => estimate.DeliveryLowerBound,
                        "estimate_cost_upper_bound" => estimate.CostUpperBound,
                        _ => estimate.CostLowerBound,
                    }
                );
            }
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// An object parameter, also in the unquoted-key form of Meta's estimate sample (<c>promoted_object={page_id:
    /// 123}</c>, <c>targeting_spec={messenger_positions: ["marketing_messages"]}</c>).
    /// </summary>
    private static bool LooseObject(GraphParameters p, string name, out JsonElement value, out DomainError? error)
    {
        if (p.TryGetObject(name, out value, out error))
            return true;
        if (error is null || !p.TryGetString(name, out var text, out _))
            return false;
        var quoted = UnquotedKey().Replace(text, "$1\"$2\":");
        try
        {
            using var doc = JsonDocument.Parse(quoted, new JsonDocumentOptions { AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return false;
            value = doc.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"([{,]\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:")]
    private static partial System.Text.RegularExpressions.Regex UnquotedKey();

    // :: GET /act_{id}/generatepreviews

    public const string PreviewFormat = "MESSENGER_MARKETING_MESSAGES_MEDIA";

    public static async Task<IResult> PreviewAsync(AdAccountCall call, HttpContext http, GraphServices g)
    {
        var (p, found) = call;
        if (!p.TryGetRequiredString("ad_format", out var format, out var formatError))
            return GraphErrors.Result(formatError);
        if (format != PreviewFormat)
            return GraphErrors.Result(
                DomainError.Invalid(
                    "ad_format",
                    $"Param ad_format must be {PreviewFormat} for marketing messages - got \"{format}\""
                )
            );
        if (p.TryGetObject("creative", out var creative, out var creativeError))
        {
            if (
                creative.TryGetProperty("object_story_spec", out var story)
                && story.ValueKind == JsonValueKind.Object
                && story.TryGetProperty("page_id", out var pid)
                && pid.ToString() != found.PageId
            )
                return GraphErrors.Result(
                    DomainError.Invalid(
                        "creative[object_story_spec][page_id]",
                        $"Param creative[object_story_spec][page_id] must be the Page linked to ad account "
                            + $"{found.ActId}"
                    )
                );
        }
        else if (creativeError is not null)
            return GraphErrors.Result(creativeError);
        if (!p.TryGetRequiredObject("message", out var message, out var messageError))
            return GraphErrors.Result(messageError);
        var json = p.GetRawJson("message") ?? message.GetRawText();
        var parsed = PaidMessageParser.Parse(message, json);
        if (!parsed.IsAccepted)
            return GraphErrors.Result(parsed.Error);
        if (PaidCreativeRule.Check(parsed.Value.Creative, found.PageId) is { } creativeRefusal)
            return GraphErrors.Result(creativeRefusal);
        var src =
            $"{http.Request.Scheme}://{http.Request.Host}/_pagebox/previews?m="
            + $"{Uri.EscapeDataString(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)))}";
        var body =
            $"<iframe src=\"{System.Net.WebUtility.HtmlEncode(src)}\" width=\"274\" height=\"213\" "
            + $"scrolling=\"yes\" style=\"border: none;\"></iframe>";
        return GraphJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            w.WriteStartObject();
            w.WriteString("body", body);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    // :: Custom audiences

    public static async Task<IResult> CreateAudienceAsync(
        string account,
        AdAccountIdCall call,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (p, appId) = call;
        if (!p.TryGetRequiredString("name", out var name, out var nameError))
            return GraphErrors.Result(nameError);
        if (!p.TryGetRequiredString("subtype", out var subtype, out var subtypeError))
            return GraphErrors.Result(subtypeError);
        if (subtype != "CUSTOM")
            return GraphErrors.Result(
                DomainError.Invalid(
                    "subtype",
                    $"Param subtype must be CUSTOM for a marketing messages audience - got \"{subtype}\""
                )
            );
        if (!p.TryGetRequiredString("customer_file_source", out var source, out var sourceError))
            return GraphErrors.Result(sourceError);
        if (source != "USER_PROVIDED_ONLY")
            return GraphErrors.Result(
                DomainError.Invalid("customer_file_source", "Param customer_file_source must be USER_PROVIDED_ONLY")
            );
        if (ListRefusal(p, "use_for_products", "MARKETING_MESSAGES") is { } productsError)
            return GraphErrors.Result(productsError);
        if (ListRefusal(p, "subscription_info", "MESSENGER") is { } infoError)
            return GraphErrors.Result(infoError);
        if (
            !p.TryGetObject("marketing_message_channels", out var channels, out var channelsError)
            || !channels.TryGetProperty("MESSENGER", out var pageElement)
        )
            return GraphErrors.Result(channelsError ?? DomainError.Missing("marketing_message_channels[MESSENGER]"));
        p.TryGetString("description", out var description, out _);
        var now = await AccountNowAsync(g, account, http);
        var decision = await g.Store.WriteAsync(
            s => campaigns.CreateAudience(s, appId, account, name, description, pageElement.ToString(), now),
            http.RequestAborted
        );
        return decision.Answer(created =>
            Results.Json(new GraphList<CreatedId>([new CreatedId(created.Id)]), CampaignJson.Wire.GraphListCreatedId)
        );
    }

    /// <summary>The refusal of a list parameter that does not hold <paramref name="item"/>; null when it
    /// does.</summary>
    private static DomainError? ListRefusal(GraphParameters p, string name, string item) =>
        p.TryGetStringList(name, out var list, out var error) && list.Contains(item)
            ? null
            : error ?? DomainError.Invalid(name, $"Param {name} must be [\"{item}\"]");

    public const int MaxUploadRows = 10_000;

    /// <summary>POST /{CUSTOM_AUDIENCE_ID}/users: payload {schema: [EMAIL|PHONE|FN|LN…], data: [[sha256…]…]}, at most
    /// 10 000 rows.</summary>
    public static async Task<IResult> UploadUsersAsync(
        string id,
        NodeCall call,
        HttpContext http,
        GraphServices g,
        CampaignCommands campaigns
    )
    {
        var (p, caller) = call;
        if (
            !IsNumeric(id)
            || await g.Store.ReadAsync(s => s.GetCustomAudience(id), http.RequestAborted) is not { } audience
        )
            return GraphErrors.Result(DomainError.Unsupported("post", id));
        if (!p.TryGetRequiredObject("payload", out var payload, out var payloadError))
            return GraphErrors.Result(payloadError);
        if (
            !payload.TryGetProperty("schema", out var schema)
            || schema.ValueKind != JsonValueKind.Array
            || schema.GetArrayLength() == 0
        )
            return GraphErrors.Result(DomainError.Missing("payload[schema]"));
        var columns = schema.EnumerateArray().Select(c => c.ToString()).ToList();
        if (!columns.Contains("EMAIL") && !columns.Contains("PHONE"))
            return GraphErrors.Result(
                DomainError.Invalid("payload[schema]", "Param payload[schema] must include EMAIL or PHONE")
            );
        if (!payload.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            return GraphErrors.Result(DomainError.Missing("payload[data]"));
        if (data.GetArrayLength() > MaxUploadRows)
            return GraphErrors.Result(
                DomainError.Invalid("payload[data]", $"Param payload[data] must have at most {MaxUploadRows} rows")
            );
        var rows = new List<IReadOnlyList<string>>();
        var invalid = 0;
        foreach (var row in data.EnumerateArray())
        {
            var values =
                row.ValueKind == JsonValueKind.Array ? row.EnumerateArray().Select(v => v.ToString()).ToList() : [];
            var ids = values
                .Where((v, i) => i < columns.Count && columns[i] is "EMAIL" or "PHONE" && IsSha256(v))
                .ToList();
            if (values.Count != columns.Count || ids.Count == 0)
                invalid++;
            else
                rows.Add(ids);
        }
        var now = await AccountNowAsync(g, audience.AdAccountId, http);
        var decision = await g.Store.WriteAsync(
            s => campaigns.UploadAudience(s, caller.App.Id, id, rows, invalid, now),
            http.RequestAborted
        );
        if (!decision.IsAccepted)
            return GraphErrors.Result(decision.Error);
        var r = decision.Value;
        return Results.Json(
            new AudienceUploadResponse(
                r.AudienceId,
                r.SessionId,
                r.Received,
                r.Invalid,
                new Dictionary<string, string>()
            ),
            CampaignJson.Wire.AudienceUploadResponse
        );
    }

    private static bool IsSha256(string v) => v.Length == 64 && v.All(char.IsAsciiHexDigit);
}

/// <summary>Meta's currency offsets: most currencies count cents (100); a few have no minor unit in ad accounts
/// (1).</summary>
internal static class Currencies
{
    private static readonly HashSet<string> OffsetOne = new(StringComparer.Ordinal)
    {
        "CLP",
        "COP",
        "CRC",
        "HUF",
        "ISK",
        "IDR",
        "JPY",
        "KRW",
        "PYG",
        "TWD",
        "VND",
    };

    public static int Offset(string currency) => OffsetOne.Contains(currency) ? 1 : 100;
}
