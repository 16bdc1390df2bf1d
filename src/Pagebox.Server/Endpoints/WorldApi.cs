using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Pagebox.Contracts;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.World;

namespace Pagebox.Server.Endpoints;

/// <summary>The world face (docs/spec/control-api.md): apps, Pages, persons and what they do, the clocks, the delivery
/// log.</summary>
internal static class WorldApi
{
    // :: Plumbing

    /// <summary>World-face bodies are small JSON documents.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>The world face's error envelope (<see cref="WorldErrors"/>).</summary>
    public static IResult Error(int status, string message) => WorldErrors.Result(status, message);

    public static IResult Error(DomainError error) => WorldErrors.Result(error);

    /// <summary>Reads a JSON body; an empty body is an empty request, malformed JSON is a 400 with the
    /// envelope.</summary>
    public static async Task<WorldBody<T>> BodyAsync<T>(HttpContext http, JsonTypeInfo<T> type)
        where T : class
    {
        if (http.Request.ContentLength == 0)
            return new(null, null);
        if (http.Request.ContentLength > MaxBodyBytes)
            return new(null, Error(413, $"The body may be at most {MaxBodyBytes} bytes"));
        // Kestrel enforces the limit for bodies without a Content-Length (chunked).
        if (
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is
            { IsReadOnly: false } limit
        )
            limit.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync(http.RequestAborted);
            if (string.IsNullOrWhiteSpace(text))
                return new(null, null);
            return new(JsonSerializer.Deserialize(text, type), null);
        }
        catch (JsonException ex)
        {
            return new(null, Error(400, $"Malformed JSON body: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(null, Error(413, $"The body may be at most {MaxBodyBytes} bytes"));
        }
    }

    /// <summary>A person's act on a Page: reads the JSON body, which names the Page (<c>page_id</c>, required),
    /// refuses what <paramref name="refusal"/> says is wrong with it (a 400, checked before the Page is looked up),
    /// then acts with the Page and the time on its clock; an unknown Page is a 404.</summary>
    private static async Task<IResult> PersonActAsync<T>(
        HttpContext http,
        GraphServices g,
        JsonTypeInfo<T> type,
        Func<T, string?> pageIdOf,
        Func<T, string?> refusal,
        Func<T, PageRecord, DateTimeOffset, Task<IResult>> act
    )
        where T : class
    {
        var (body, error) = await BodyAsync(http, type);
        if (error is not null)
            return error;
        if (body is null || pageIdOf(body) is not { } pageId)
            return Error(400, "page_id is required");
        if (refusal(body) is { } why)
            return Error(400, why);
        if (await g.Directory.GetPageAsync(pageId) is not { } page)
            return Error(404, $"Unknown page {pageId}");
        return await act(body, page, await g.PageNowAsync(page));
    }

    private static string? Nothing<T>(T body) => null;

    public static string PlatformWire(Platform p) => p == Platform.Instagram ? "instagram" : "messenger";

    public static PageDto PageDto(PageRecord page, string? token) =>
        new(page.Id, page.Name, PlatformWire(page.Platform), page.TimeZone, token)
        {
            Settings = new PageSettingsDto(
                page.Settings.MessagingEnabled,
                page.Settings.CommerceEnabled,
                page.Settings.Restricted,
                page.Settings.PagesMessagingPermission,
                page.Settings.OptInRequestsAllowed,
                page.Settings.SendRatePerSecond
            )
            {
                Abusive = page.Settings.Abusive,
            },
        };

    public static bool ValidTimeZone(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);

    // :: Apps

    public static async Task<IResult> CreateAppAsync(HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.CreateAppRequest);
        if (error is not null)
            return error;
        var now = g.Directory.Real.GetUtcNow();
        var app = await g.Store.WriteAsync(s =>
        {
            var created = g.World.CreateApp(
                s,
                body?.Name,
                now,
                body?.RequireAppsecretProof ?? false,
                body?.HumanAgentPermission ?? false
            );
            if (body?.DisableWebhooksOnFailure is { } disable)
                s.Apply(new SetWebhooksDisableOnFailure(created.Id, disable));
            return created;
        });
        g.Directory.Remember(app);
        return Results.Json(
            AppDto(app) with
            {
                DisableWebhooksOnFailure = body?.DisableWebhooksOnFailure ?? true,
            },
            PageboxJson.Wire.AppDto,
            statusCode: 201
        );
    }

    public static async Task<IResult> GetAppAsync(string app, GraphServices g)
    {
        var found = await g.Store.ReadAsync(s =>
            s.GetApp(app) is { } a
                ? (
                    App: a,
                    Subs: s.GetAppSubscriptions(app),
                    Pages: s.GetPagesOfApp(app).Select(p => (p, s.GetPageTokenFor(p.Id, app)?.Token)).ToList(),
                    DisableWebhooks: s.DisablesWebhooksOnFailure(app)
                )
                : default
        );
        if (found.App is null)
            return Error(404, $"Unknown app {app}");
        return Results.Json(
            AppDto(found.App) with
            {
                DisableWebhooksOnFailure = found.DisableWebhooks,
                Subscriptions = [.. found.Subs.Select(SubscriptionsApi.Item)],
                Pages = [.. found.Pages.Select(x => PageDto(x.p, x.Token))],
            },
            PageboxJson.Wire.AppDto
        );
    }

    public static async Task<IResult> PatchAppAsync(string app, HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.CreateAppRequest);
        if (error is not null)
            return error;
        var updated = await g.Store.WriteAsync(s =>
        {
            if (s.GetApp(app) is not { } a)
                return default;
            var next = a with
            {
                Name = body?.Name ?? a.Name,
                RequireAppSecretProof = body?.RequireAppsecretProof ?? a.RequireAppSecretProof,
                HumanAgentPermission = body?.HumanAgentPermission ?? a.HumanAgentPermission,
            };
            s.Apply(new SaveApp(next));
            if (body?.DisableWebhooksOnFailure is { } disable)
                s.Apply(new SetWebhooksDisableOnFailure(app, disable));
            return (App: next, DisableWebhooks: body?.DisableWebhooksOnFailure ?? s.DisablesWebhooksOnFailure(app));
        });
        if (updated.App is null)
            return Error(404, $"Unknown app {app}");
        g.Directory.Remember(updated.App);
        return Results.Json(
            AppDto(updated.App) with
            {
                DisableWebhooksOnFailure = updated.DisableWebhooks,
            },
            PageboxJson.Wire.AppDto
        );
    }

    /// <summary>An app and its switches as the world face shows them.</summary>
    private static AppDto AppDto(AppRecord app) =>
        new(app.Id, app.Name, app.Secret)
        {
            RequireAppsecretProof = app.RequireAppSecretProof,
            HumanAgentPermission = app.HumanAgentPermission,
        };

    public static async Task<IResult> DeleteAppAsync(string app, GraphServices g)
    {
        var existed = await g.Store.WriteAsync(s =>
        {
            if (s.GetApp(app) is null)
                return false;
            s.Apply(new DeleteApp(app));
            return true;
        });
        g.Directory.Forget(app);
        return existed ? Results.NoContent() : Error(404, $"Unknown app {app}");
    }

    public static async Task<IResult> CreatePageAsync(string app, HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.CreatePageRequest);
        if (error is not null)
            return error;
        Platform platform;
        switch (body?.Platform)
        {
            case null or "messenger":
                platform = Platform.Messenger;
                break;
            case "instagram":
                platform = Platform.Instagram;
                break;
            default:
                return Error(400, $"platform must be messenger or instagram, got \"{body.Platform}\"");
        }
        var tz = body?.Timezone ?? "UTC";
        if (!ValidTimeZone(tz))
            return Error(400, $"Unknown time zone \"{tz}\"");
        var result = await g.Store.WriteAsync(s =>
            body?.PageId is { } existing
                ? g.World.LinkPage(s, app, existing)
                : g.World.CreatePage(s, app, body?.Name, platform, tz)
        );
        if (!result.IsAccepted)
            return Error(result.Error);
        var (page, token) = result.Value;
        g.Directory.Remember(page);
        return Results.Json(PageDto(page, token.Token), PageboxJson.Wire.PageDto, statusCode: 201);
    }

    public static async Task<IResult> PatchPageAsync(string page, HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.PagePatchRequest);
        if (error is not null)
            return error;
        if (body?.Timezone is { } tz && !ValidTimeZone(tz))
            return Error(400, $"Unknown time zone \"{tz}\"");
        if (body?.SendRatePerSecond is < 1)
            return Error(400, "send_rate_per_second must be at least 1");
        var patch = new PagePatch(
            body?.MessagingEnabled,
            body?.CommerceEnabled,
            body?.Restricted,
            body?.PagesMessagingPermission,
            body?.OptinRequestsAllowed,
            body?.SendRatePerSecond,
            body?.Timezone
        )
        {
            Abusive = body?.Abusive,
        };
        var updated = await g.Store.WriteAsync(s => WorldCommands.PatchPage(s, page, patch));
        if (updated is null)
            return Error(404, $"Unknown page {page}");
        g.Directory.Remember(updated);
        return Results.Json(PageDto(updated, null), PageboxJson.Wire.PageDto);
    }

    public static async Task<IResult> PsidAsync(string page, string psid, GraphServices g)
    {
        var c = await g.Store.ReadAsync(s => s.GetConversationByPsid(psid));
        if (c is null || c.PageId != page)
            return Error(404, $"Page {page} has no PSID {psid}");
        return Results.Json(new PsidDto(c.PersonId, c.Psid, c.PageId), PageboxJson.Wire.PsidDto);
    }

    // :: Persons

    public static async Task<IResult> CreatePersonAsync(HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.CreatePersonRequest);
        if (error is not null)
            return error;
        if (body?.Timezone is { } tz && !ValidTimeZone(tz))
            return Error(400, $"Unknown time zone \"{tz}\"");
        var person = await g.Store.WriteAsync(s => g.World.CreatePerson(s, body?.Name, body?.Timezone, body?.Locale));
        return Results.Json(
            new PersonDto(person.Id, person.Name, person.TimeZone, person.Locale),
            PageboxJson.Wire.PersonDto,
            statusCode: 201
        );
    }

    public static Task<IResult> WriteAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.PersonMessageRequest,
            b => b.PageId,
            b =>
                b.Attachments is { ValueKind: not JsonValueKind.Array and not JsonValueKind.Null }
                    ? "attachments must be an array"
                : b.Text is null && b.Attachments is not { ValueKind: JsonValueKind.Array }
                    ? "text or attachments is required"
                : null,
            async (body, page, now) =>
            {
                var attachments = body.Attachments is { ValueKind: JsonValueKind.Array } a ? a.GetRawText() : null;
                var json = PersonMessageJson(body.Text, attachments, body.QuickReplyPayload);
                var message = new PersonMessage(body.Text, attachments, body.QuickReplyPayload, body.ReplyTo, json);
                var result = await g.Store.WriteAsync(s => g.World.Write(s, person, page.Id, message, now));
                if (!result.IsAccepted)
                    return Error(result.Error);
                return Results.Json(
                    new PersonMessageResult(result.Value.Psid, result.Value.Mid),
                    PageboxJson.Wire.PersonMessageResult,
                    statusCode: 201
                );
            }
        );

    /// <summary>The person's message as the webhook shows it (without the mid, kept beside it).</summary>
    private static string PersonMessageJson(string? text, string? attachments, string? quickReply)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (text is not null)
                w.WriteString("text", text);
            if (quickReply is not null)
            {
                w.WriteStartObject("quick_reply");
                w.WriteString("payload", quickReply);
                w.WriteEndObject();
            }
            if (attachments is not null)
            {
                w.WritePropertyName("attachments");
                w.WriteRawValue(attachments);
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Task<IResult> ReadAsync(
        string person,
        HttpContext http,
        GraphServices g,
        Domain.Campaigns.CampaignCommands campaigns
    ) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.PageRefRequest,
            b => b.PageId,
            Nothing,
            async (_, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                {
                    var read = g.World.Read(s, person, page.Id, now);
                    // Paid marketing messages read now also tell marketing_message_reads (the successor API).
                    if (read.IsAccepted)
                        campaigns.OnRead(s, page.Id, person, now);
                    return read;
                });
                return !result.IsAccepted
                    ? Error(result.Error)
                    : Results.Json(new PsidDto(person, result.Value, page.Id), PageboxJson.Wire.PsidDto);
            }
        );

    public static async Task<IResult> BlockAsync(string person, HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.PageRefRequest);
        if (error is not null)
            return error;
        if (body?.PageId is not { } pageId)
            return Error(400, "page_id is required");
        return await SetBlockedAsync(person, pageId, true, g);
    }

    public static Task<IResult> UnblockAsync(string person, string page, GraphServices g) =>
        SetBlockedAsync(person, page, false, g);

    private static async Task<IResult> SetBlockedAsync(string person, string pageId, bool blocked, GraphServices g)
    {
        if (await g.Directory.GetPageAsync(pageId) is not { } page)
            return Error(404, $"Unknown page {pageId}");
        var now = await g.PageNowAsync(page);
        var result = await g.Store.WriteAsync(s => g.Marketing.SetBlocked(s, g.World, person, pageId, blocked, now));
        if (!result.IsAccepted)
            return Error(result.Error);
        return blocked
            ? Results.Json(new PsidDto(person, result.Value.Psid, pageId), PageboxJson.Wire.PsidDto, statusCode: 201)
            : Results.NoContent();
    }

    /// <summary>The conversation view's page size: <c>?limit=</c> 1–1000 (larger values are clamped), 200 by
    /// default.</summary>
    public const int ConversationPageDefault = 200,
        ConversationPageMax = 1000;

    public static async Task<IResult> ConversationAsync(string person, string page, HttpContext http, GraphServices g)
    {
        if (WorldLimit.Read(http, ConversationPageDefault, ConversationPageMax, out var limit) is { } limitError)
            return limitError;
        var before =
            http.Request.Query.TryGetValue("before", out var b) && !string.IsNullOrEmpty(b) ? b.ToString() : null;
        var (result, tokens, pageRecord) = await g.Store.ReadAsync(s =>
        {
            var v = WorldCommands.View(s, person, page, limit, before);
            IReadOnlyList<Domain.Marketing.NotificationToken> held = v.Value is { } found
                ? s.GetTokensOf(page, found.Conversation.Psid)
                : [];
            return (v, held, s.GetPage(page));
        });
        if (!result.IsAccepted)
            return Error(result.Error);
        var view = result.Value;
        var zone = Domain.Marketing.MarketingCommands.PageZone(pageRecord!);
        var messages = view
            .Messages.Select(m =>
            {
                using var doc = JsonDocument.Parse(m.MessageJson);
                return new ConversationMessageDto(
                    m.Mid,
                    m.Direction == MessageDirection.FromPage ? "page" : "person",
                    m.Time,
                    KindWire(m.Kind),
                    doc.RootElement.Clone()
                );
            })
            .ToList();
        return Results.Json(
            new ConversationDto(view.Conversation.Psid, view.WindowOpenUntil, messages)
            {
                Blocked = view.Conversation.Blocked,
                HasMore = view.HasMore,
                Before = view.HasMore ? messages[0].Mid : null,
                Tokens = [.. tokens.Select(t => TokenView(t, g.Marketing.Profile, zone))],
            },
            PageboxJson.Wire.ConversationDto
        );
    }

    /// <summary>A token as the rules see it (what the Graph face's refusals do not spell out: X-Pagebox-Hint says it
    /// once).</summary>
    private static ConversationTokenDto TokenView(
        Domain.Marketing.NotificationToken t,
        Domain.Marketing.PolicyProfile profile,
        TimeZoneInfo zone
    ) =>
        new(
            t.Token,
            t.Title,
            t.Status == Domain.Marketing.TokenStatus.Stopped ? "stopped" : "active",
            Domain.Marketing.FrequencyRule.NextEligibleTime(t, profile, zone),
            t.FollowUpsSent,
            Domain.Marketing.FollowUpRule.OpenUntil(t)
        );

    public static string KindWire(MessageKind kind) =>
        kind switch
        {
            MessageKind.OptInRequest => "optin_request",
            MessageKind.Marketing => "marketing",
            MessageKind.FollowUp => "followup",
            MessageKind.SenderAction => "sender_action",
            MessageKind.PaidMarketing => "paid_marketing",
            _ => "standard",
        };

    /// <summary>The person taps a postback button of a message (by index), or Get Started / a menu item (payload and
    /// title).</summary>
    public static Task<IResult> PostbackAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.PostbackRequest,
            b => b.PageId,
            Nothing,
            async (body, page, now) =>
            {
                string title,
                    payload;
                if (body.Mid is { } mid)
                {
                    var message = await g.Store.ReadAsync(s =>
                        s.GetPerson(person) is { } p && WorldCommands.Received(s, p, page, mid)
                            ? s.GetMessage(mid)
                            : null
                    );
                    if (message is null)
                        return Error(404, $"Person {person} received no message {mid} from page {page.Id}");
                    var (button, why) = Buttons.Find(message.MessageJson, body.Element ?? 0, body.Button ?? 0);
                    if (button is null)
                        return Error(400, why!);
                    (title, payload) = button.Value;
                }
                else
                {
                    if (body.Payload is null)
                        return Error(400, "mid (with button) or payload is required");
                    (title, payload) = (body.Title ?? "Get Started", body.Payload);
                }
                var result = await g.Store.WriteAsync(s =>
                    g.World.Postback(s, person, page.Id, title, payload, body.Mid, now)
                );
                return Created(person, page, result);
            }
        );

    public static Task<IResult> ReferralAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.ReferralRequest,
            b => b.PageId,
            b => b.Ref is null ? "ref is required" : null,
            async (body, page, now) =>
                Created(
                    person,
                    page,
                    await g.Store.WriteAsync(s =>
                        g.World.Referral(s, person, page.Id, body.Ref!, body.Source ?? "SHORTLINK", now)
                    )
                )
        );

    /// <summary>201 with the person's PSID for the Page, or the refusal.</summary>
    private static IResult Created(string person, PageRecord page, Result<string> result) =>
        Created(result, psid => new PsidDto(person, psid, page.Id), PageboxJson.Wire.PsidDto);

    /// <summary>201 with what an act made, or the refusal.</summary>
    public static IResult Created<T, TOut>(Result<T> result, Func<T, TOut> answer, JsonTypeInfo<TOut> info) =>
        !result.IsAccepted ? Error(result.Error) : Results.Json(answer(result.Value), info, statusCode: 201);

    public static Task<IResult> CommentAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.CommentRequest,
            b => b.PageId,
            b => string.IsNullOrEmpty(b.Text) ? "text is required" : null,
            async (body, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                    g.World.Comment(s, person, page.Id, body.PostId, body.Text!, now)
                );
                return Created(result, c => new CommentResult(c.PostId, c.CommentId), PageboxJson.Wire.CommentResult);
            }
        );

    public static Task<IResult> CheckboxAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.CheckboxRequest,
            b => b.PageId,
            b => string.IsNullOrEmpty(b.UserRef) ? "user_ref is required" : null,
            async (body, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                    g.World.Checkbox(s, person, page.Id, body.UserRef!, body.Ref, now)
                );
                return Created(result, c => new CheckboxResult(c.UserRef, page.Id), PageboxJson.Wire.CheckboxResult);
            }
        );

    // :: Marketing: the person's taps

    public static Task<IResult> OptInAsync(string person, HttpContext http, GraphServices g) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.OptInTapRequest,
            b => b.PageId,
            b => b.Mid is null ? "mid (the opt-in request message) is required" : null,
            async (body, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                    g.Marketing.OptIn(s, person, page.Id, body.Mid!, body.Element ?? 0, now)
                );
                if (!result.IsAccepted)
                    return Error(result.Error);
                var t = result.Value.Token;
                return Results.Json(
                    new OptInTapResult(
                        t.Token,
                        t.Psid,
                        t.Title,
                        t.Payload,
                        MarketingWire.ToWire(t.UserTokenStatus),
                        result.Value.Created
                    )
                    {
                        TokenExpiryTimestamp = Domain
                            .Marketing.MarketingCommands.ReportedExpiry(t)
                            .ToUnixTimeMilliseconds(),
                    },
                    PageboxJson.Wire.OptInTapResult,
                    statusCode: 201
                );
            }
        );

    public static Task<IResult> StopMarketingAsync(string person, HttpContext http, GraphServices g) =>
        SetMarketingAsync(person, http, g, stop: true);

    public static Task<IResult> ResumeMarketingAsync(string person, HttpContext http, GraphServices g) =>
        SetMarketingAsync(person, http, g, stop: false);

    private static Task<IResult> SetMarketingAsync(string person, HttpContext http, GraphServices g, bool stop) =>
        PersonActAsync(
            http,
            g,
            PageboxJson.Wire.MarketingStopRequest,
            b => b.PageId,
            Nothing,
            async (body, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                    g.Marketing.SetStopped(s, person, page.Id, body.Token, stop, now)
                );
                if (!result.IsAccepted)
                    return Error(result.Error);
                return Results.Json(
                    new MarketingStopResult([.. result.Value.Select(t => t.Token)]),
                    PageboxJson.Wire.MarketingStopResult
                );
            }
        );

    // :: Clock

    public static async Task<IResult> GetClockAsync(string app, GraphServices g) =>
        await g.Directory.ClockAsync(app) is { } clock
            ? Results.Json(new ClockDto(clock.GetUtcNow()), PageboxJson.Wire.ClockDto)
            : Error(404, $"Unknown app {app}");

    /// <summary>
    /// Moves an app's clock forward (never back) and wakes whatever became due. The new offset is computed inside the
    /// store command from the stored one, so concurrent advances add up instead of overwriting each other.
    /// </summary>
    public static async Task<IResult> SetClockAsync(string app, HttpContext http, GraphServices g)
    {
        var (body, error) = await BodyAsync(http, PageboxJson.Wire.ClockRequest);
        if (error is not null)
            return error;
        if (await g.Directory.ClockAsync(app) is not { } clock)
            return Error(404, $"Unknown app {app}");
        if (body?.AdvanceSeconds is not null && body.Set is not null)
            return Error(400, "Give advance_seconds or set, not both");
        ClockMove move;
        if (body?.AdvanceSeconds is { } seconds)
        {
            if (double.IsNaN(seconds) || double.IsInfinity(seconds))
                return Error(400, "advance_seconds must be a number");
            if (seconds < 0)
                return Error(409, "The clock only moves forward: advance_seconds must be positive");
            move = new ClockMove.Advance(
                TimeSpan.FromMilliseconds(Math.Min(seconds * 1000, TimeSpan.MaxValue.TotalMilliseconds / 2))
            );
        }
        else if (body?.Set is { } target)
            move = new ClockMove.To(target);
        else
            return Error(400, "advance_seconds or set is required");

        var real = g.Directory.Real;
        var result = await g.Store.WriteAsync(s => WorldCommands.MoveClock(s, app, move, real.GetUtcNow()));
        if (!result.IsAccepted)
            return Error(result.Error);
        clock.SetOffset(result.Value);
        g.Dispatcher.Wake();
        return Results.Json(new ClockDto(clock.GetUtcNow()), PageboxJson.Wire.ClockDto);
    }

    // :: Webhook deliveries

    public static async Task<IResult> DeliveriesAsync(string app, HttpContext http, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is null)
            return Error(404, $"Unknown app {app}");
        if (WorldLimit.Read(http, 50, 1000, out var limit) is { } limitError)
            return limitError;
        var entries = await g.Store.Outbox.ListAsync(app, limit);
        var list = entries
            .Select(e =>
            {
                using var doc = JsonDocument.Parse(e.Body);
                return new DeliveryDto(
                    e.Id,
                    e.PageId,
                    e.Fields,
                    e.Status.ToString().ToLowerInvariant(),
                    e.Attempts,
                    e.LastStatus,
                    e.Created,
                    doc.RootElement.Clone()
                )
                {
                    LastError = e.LastError,
                    NextAttempt = e.NextAttempt,
                };
            })
            .ToList();
        return Results.Json<IReadOnlyList<DeliveryDto>>(list, PageboxJson.Wire.IReadOnlyListDeliveryDto);
    }

    public static async Task<IResult> ReplayAsync(string app, long id, GraphServices g)
    {
        switch (await g.Store.Outbox.ReplayAsync(app, id))
        {
            case ReplayOutcome.NoSuchFailedDelivery:
                return Error(404, $"App {app} has no failed delivery {id}");
            case ReplayOutcome.PageBusy:
                return Error(
                    409,
                    $"Another delivery of that Page is still pending; replay {id} once it is delivered or failed"
                );
            case ReplayOutcome.Superseded:
                return Error(
                    409,
                    $"Later deliveries of that Page went out after {id}; replaying it would break their order"
                );
            case ReplayOutcome.NotSubscribed:
                return Error(
                    409,
                    $"App {app} is not subscribed to that Page (webhooks disabled after failures): subscribe it "
                        + $"again (POST /{{PAGE-ID}}/subscribed_apps), which replays {id} first"
                );
        }
        g.Dispatcher.Wake();
        return GraphAnswers.Success();
    }
}

/// <summary>
/// A world-face request's JSON body (<see cref="WorldApi.BodyAsync"/>): the value, null for an empty body (the
/// endpoint decides whether that is allowed), or the answer that refuses it (a 400 or 413 with the envelope).
/// Handlers deconstruct it as <c>var (body, error) = …</c>.
/// </summary>
internal sealed record WorldBody<T>(T? Value, IResult? Error)
    where T : class;
