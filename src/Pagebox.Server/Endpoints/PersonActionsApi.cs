using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Pagebox.Contracts;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Domain.World;
using Pagebox.Server.Graph;
using Pagebox.Server.World;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The world face of what a person does beyond writing (README, "The world face"): reactions, edits, thumbs up/down,
/// customer feedback answers, Instagram unsends and story mentions, m.me and recurring-notification links, the Send to
/// Messenger plugin, click-to-Messenger ads; and the platform's policy enforcement on a Page. Each handler binds the
/// body and hands a plain command to <see cref="PersonActionCommands"/>.
/// </summary>
internal static class PersonActionsApi
{
    private static PersonActionsJsonContext Wire => PersonActionsJsonContext.Wire;

    private static IResult Done(PersonActionResult result, int status = 201) =>
        Results.Json(result, Wire.PersonActionResult, statusCode: status);

    /// <summary>201 with what the act made, or the refusal.</summary>
    private static IResult Done<T>(Result<T> result, Func<T, PersonActionResult> answer) =>
        WorldApi.Created(result, answer, Wire.PersonActionResult);

    /// <summary>The Page named by the body, with the time on its app's clock; or the error to answer.</summary>
    private static async Task<(PageRecord? Page, DateTimeOffset Now, IResult? Error)> PageAsync(
        string? pageId,
        GraphServices g
    )
    {
        if (pageId is null)
            return (null, default, WorldApi.Error(400, "page_id is required"));
        if (await g.Directory.GetPageAsync(pageId) is not { } page)
            return (null, default, WorldApi.Error(404, $"Unknown page {pageId}"));
        return (page, await g.PageNowAsync(page), null);
    }

    /// <summary>A person's act on a Page: reads the JSON body, refuses what <paramref name="refusal"/> says is wrong
    /// with it (a 400, checked before the Page), then acts with the Page the body names and the time on its
    /// clock.</summary>
    private static async Task<IResult> ActAsync<T>(
        HttpContext http,
        GraphServices g,
        JsonTypeInfo<T> type,
        Func<T?, string?> refusal,
        Func<T, string?> pageIdOf,
        Func<T, PageRecord, DateTimeOffset, Task<IResult>> act
    )
        where T : class
    {
        var (body, error) = await WorldApi.BodyAsync(http, type);
        if (error is not null)
            return error;
        if (refusal(body) is { } why)
            return WorldApi.Error(400, why);
        var (page, now, pageError) = await PageAsync(body is null ? null : pageIdOf(body), g);
        if (pageError is not null)
            return pageError;
        return await act(body!, page!, now);
    }

    private const string MidRequired = "mid is required";

    /// <summary>A person's act on one of the Page's messages that answers the person's PSID: the body names the
    /// message (<c>mid</c>, required, checked first) and the Page; <paramref name="refusal"/> is the act's own
    /// 400.</summary>
    private static Task<IResult> OnMessageAsync<T>(
        HttpContext http,
        GraphServices g,
        JsonTypeInfo<T> type,
        Func<T, (string? PageId, string? Mid)> ids,
        Func<T, string?> refusal,
        Func<IStoreSession, T, string, string, DateTimeOffset, Result<string>> write
    )
        where T : class =>
        ActAsync(
            http,
            g,
            type,
            b => b is null || ids(b).Mid is null ? MidRequired : refusal(b),
            b => ids(b).PageId,
            async (body, page, now) =>
                Done(
                    await g.Store.WriteAsync(s => write(s, body, page.Id, ids(body).Mid!, now)),
                    psid => new PersonActionResult(psid)
                )
        );

    // :: Reactions, edits, feedback

    /// <summary>Whether a reaction's action takes the reaction back; null for an action that is neither.</summary>
    private static bool? Unreact(string? action) =>
        action switch
        {
            null or "react" => false,
            "unreact" => true,
            _ => null,
        };

    public static Task<IResult> ReactAsync(string person, HttpContext http, GraphServices g) =>
        OnMessageAsync(
            http,
            g,
            Wire.ReactionRequest,
            b => (b.PageId, b.Mid),
            b => Unreact(b.Action) is null ? $"action must be react or unreact, got \"{b.Action}\"" : null,
            (s, b, page, mid, now) =>
                PersonActionCommands.React(s, person, page, mid, b.Emoji, Unreact(b.Action) ?? false, now)
        );

    public static Task<IResult> EditAsync(string person, HttpContext http, GraphServices g) =>
        ActAsync(
            http,
            g,
            Wire.EditRequest,
            b =>
                b?.Mid is null ? MidRequired
                : string.IsNullOrEmpty(b.Text) ? "text is required"
                : null,
            b => b.PageId,
            async (body, page, now) =>
            {
                var result = await g.Store.WriteAsync(s =>
                    PersonActionCommands.Edit(
                        s,
                        person,
                        page.Id,
                        body.Mid!,
                        body.Text!,
                        PersonActionMessages.RewriteText(body.Text!),
                        now
                    )
                );
                if (!result.IsAccepted)
                    return WorldApi.Error(result.Error);
                var psid = await g.Store.ReadAsync(s => s.GetConversation(page.Id, person)?.Psid);
                return Done(new PersonActionResult(psid) { Mid = body.Mid, NumEdit = result.Value });
            }
        );

    public static Task<IResult> ResponseFeedbackAsync(string person, HttpContext http, GraphServices g) =>
        OnMessageAsync(
            http,
            g,
            Wire.ResponseFeedbackRequest,
            b => (b.PageId, b.Mid),
            b => b.Feedback is "good" or "bad" ? null : $"feedback must be good or bad, got \"{b.Feedback}\"",
            (s, b, page, mid, now) =>
                PersonActionCommands.ResponseFeedback(s, person, page, mid, b.Feedback == "good", now)
        );

    /// <summary>The answers as replies; null when one lacks its question or payload.</summary>
    private static List<FeedbackReply>? Replies(IReadOnlyList<FeedbackAnswerDto?> answers)
    {
        var replies = new List<FeedbackReply>();
        foreach (var a in answers)
        {
            if (a?.QuestionId is not { } question || a.Payload is not { } payload)
                return null;
            replies.Add(new FeedbackReply(question, payload, a.FollowUp));
        }
        return replies;
    }

    public static Task<IResult> CustomerFeedbackAsync(string person, HttpContext http, GraphServices g) =>
        OnMessageAsync(
            http,
            g,
            Wire.CustomerFeedbackRequest,
            b => (b.PageId, b.Mid),
            b =>
                b.Answers is not { Count: > 0 } answers ? "answers is required"
                : Replies(answers) is null ? "each answer needs question_id and payload"
                : null,
            (s, b, page, mid, now) =>
                PersonActionCommands.AnswerFeedback(
                    s,
                    person,
                    page,
                    mid,
                    PersonActionMessages.ReadFeedbackTemplate,
                    Replies(b.Answers!)!,
                    now
                )
        );

    // :: Instagram

    public static Task<IResult> UnsendAsync(string person, HttpContext http, GraphServices g) =>
        ActAsync(
            http,
            g,
            Wire.MessageRefRequest,
            b => b?.Mid is null ? MidRequired : null,
            b => b.PageId,
            async (body, page, now) =>
                Done(
                    await g.Store.WriteAsync(s => PersonActionCommands.Unsend(s, person, page.Id, body.Mid!, now)),
                    psid => new PersonActionResult(psid) { Mid = body.Mid }
                )
        );

    public static Task<IResult> StoryMentionAsync(
        string person,
        HttpContext http,
        GraphServices g,
        PersonActionCommands actions
    ) =>
        ActAsync(
            http,
            g,
            Wire.StoryMentionRequest,
            _ => null,
            b => b.PageId,
            async (body, page, now) =>
            {
                var url = body.Url ?? $"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id={Guid.NewGuid():N}";
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    return WorldApi.Error(400, "url must be an http(s) URL");
                var attachments = JsonSerializer.Serialize(
                    new[] { new StoryMention("story_mention", new StoryPayload(url)) },
                    StoryJson.Default.StoryMentionArray
                );
                var json = $"{{\"attachments\":{attachments}}}";
                var result = await g.Store.WriteAsync(s =>
                    actions.StoryMention(
                        s,
                        person,
                        page.Id,
                        new PersonMessage(null, attachments, null, null, json),
                        now
                    )
                );
                return Done(result, r => new PersonActionResult(r.Psid) { Mid = r.Mid });
            }
        );

    // :: Links, plugins, ads

    /// <summary>A link the person opens: m.me/{page}?ref=, ig.me/m/{page}?ref= or
    /// m.me/rn/{page}?topic=&amp;cadence=&amp;ref=.</summary>
    private sealed record Link(
        bool Recurring,
        bool Instagram,
        string? PageId,
        string? Ref,
        string? Topic,
        string? Cadence
    );

    public static async Task<IResult> LinkAsync(
        string person,
        HttpContext http,
        GraphServices g,
        PersonActionCommands actions
    )
    {
        var (body, error) = await WorldApi.BodyAsync(http, Wire.LinkRequest);
        if (error is not null)
            return error;
        if (body?.Url is not { } url)
            return WorldApi.Error(400, "url is required");
        var (link, why) = ParseLink(url);
        if (link is null)
            return WorldApi.Error(400, why!);
        if (link.PageId is not null && body.PageId is not null && link.PageId != body.PageId)
            return WorldApi.Error(400, $"The link names page {link.PageId}, page_id {body.PageId}");
        var (page, now, pageError) = await PageAsync(link.PageId ?? body.PageId, g);
        if (pageError is not null)
            return pageError;
        if (link.Instagram != (page!.Platform == Platform.Instagram))
            return WorldApi.Error(
                400,
                page.Platform == Platform.Instagram
                    ? "An Instagram account's links are ig.me/m/{account}?ref=…"
                    : "A Messenger Page's links are m.me/{page}?ref=…"
            );

        Result<LinkResult> result;
        if (link.Recurring)
        {
            if (link.Topic is not { Length: > 0 } topic)
                return WorldApi.Error(409, $"A recurring-notification link without topic only opens m.me/rn/{page.Id}");
            if (
                link.Cadence is not (null or "daily" or "weekly" or "monthly")
                || !MarketingWire.TryParse((link.Cadence ?? "daily").ToUpperInvariant(), out TokenFrequency cadence)
            )
                return WorldApi.Error(400, $"cadence must be daily, weekly or monthly, got \"{link.Cadence}\"");
            result = await g.Store.WriteAsync(s =>
                actions.FollowRecurringLink(s, person, page.Id, topic, cadence, link.Ref, g.Marketing.Profile, now)
            );
        }
        else
        {
            var profile = await g.Store.ReadAsync(s => s.GetMessengerProfile(page.Id));
            var getStarted = GetStarted(profile);
            result = await g.Store.WriteAsync(s => actions.FollowLink(s, person, page.Id, link.Ref, getStarted, now));
        }
        if (!result.IsAccepted)
            return WorldApi.Error(result.Error);
        var r = result.Value;
        return Done(
            new PersonActionResult(r.Psid) { Event = r.Event, NotificationMessagesToken = r.Token?.Token },
            r.Event is null ? 200 : 201
        );
    }

    /// <summary>Get Started, if the Page's Messenger Profile has it: the button's title and its payload.</summary>
    private static (string Title, string Payload)? GetStarted(IReadOnlyDictionary<string, string> profile)
    {
        if (!profile.TryGetValue("get_started", out var json))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return
                doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("payload", out var p)
                && p.ValueKind == JsonValueKind.String
                ? ("Get Started", p.GetString()!)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Meta: a ref is URL-encoded, at most 2083 characters of letters, digits, <c>-</c>, <c>_</c> and
    /// <c>=</c>.</summary>
    private static bool ValidRef(string reference) =>
        reference.Length is > 0 and <= 2083
        && reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '=');

    private static (Link? Link, string? Error) ParseLink(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal))
            url = "https://" + url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return (null, $"url is not a link: {url}");
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var query = QueryHelpers.ParseQuery(uri.Query);
        string? Q(string name) => query.TryGetValue(name, out var v) ? v.ToString() : null;
        var reference = Q("ref");
        if (reference is not null && !ValidRef(reference))
            return (null, "ref must be 1 to 2083 letters, digits, '-', '_' or '='");
        var host = uri.Host.ToLowerInvariant();
        switch (host)
        {
            case "m.me" or "www.m.me" when segments is ["rn", ..]:
                return segments.Length > 2
                    ? (null, $"Not an m.me/rn link: {url}")
                    : (
                        new Link(
                            true,
                            false,
                            segments.Length == 2 ? segments[1] : null,
                            reference,
                            Q("topic"),
                            Q("cadence")
                        ),
                        null
                    );
            case "m.me" or "www.m.me" when segments.Length == 1:
                return (new Link(false, false, segments[0], reference, null, null), null);
            case "ig.me" or "www.ig.me" when segments is ["m", var account]:
                return (new Link(false, true, account, reference, null, null), null);
            default:
                return (
                    null,
                    $"url must be m.me/{{page}}?ref=…, ig.me/m/{{account}}?ref=… or m.me/rn/"
                        + $"{{page}}?topic=…&cadence=…, got {url}"
                );
        }
    }

    public static Task<IResult> SendToMessengerAsync(
        string person,
        HttpContext http,
        GraphServices g,
        PersonActionCommands actions
    ) =>
        ActAsync(
            http,
            g,
            Wire.SendToMessengerRequest,
            _ => null,
            b => b.PageId,
            async (body, page, now) =>
                Done(
                    await g.Store.WriteAsync(s => actions.SendToMessenger(s, person, page.Id, body.Ref, now)),
                    psid => new PersonActionResult(psid)
                )
        );

    public static Task<IResult> AdClickAsync(
        string person,
        HttpContext http,
        GraphServices g,
        PersonActionCommands actions
    ) =>
        ActAsync(
            http,
            g,
            Wire.AdClickRequest,
            AdClickRefusal,
            b => b.PageId,
            async (body, page, now) =>
            {
                var context = body.AdsContextData is { ValueKind: JsonValueKind.Object } data
                    ? data.GetRawText()
                    : null;
                var ad = new ReferralInfo(body.Ref, "ADS", "OPEN_THREAD", body.AdId, context);
                PersonMessage? message = body.Text is { } text
                    ? new PersonMessage(
                        text,
                        null,
                        null,
                        null,
                        JsonSerializer.Serialize(new AdText(text), StoryJson.Default.AdText)
                    )
                    : null;
                var result = await g.Store.WriteAsync(s => actions.AdClick(s, person, page.Id, ad, message, now));
                return Done(
                    result,
                    r => new PersonActionResult(r.Psid) { Mid = r.Mid is { Length: > 0 } mid ? mid : null }
                );
            }
        );

    private static string? AdClickRefusal(AdClickRequest? body)
    {
        if (string.IsNullOrEmpty(body?.AdId))
            return "ad_id is required";
        if (body.AdsContextData is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            return "ads_context_data must be an object";
        if (body.Ref is not null && !ValidRef(body.Ref))
            return "ref must be 1 to 2083 letters, digits, '-', '_' or '='";
        return body.Text is { Length: 0 } ? "text may not be empty" : null;
    }

    // :: The platform

    public static async Task<IResult> PolicyEnforcementAsync(string page, HttpContext http, GraphServices g)
    {
        var (body, error) = await WorldApi.BodyAsync(http, Wire.PolicyEnforcementRequest);
        if (error is not null)
            return error;
        if (body?.Action is not ("warning" or "block" or "unblock"))
            return WorldApi.Error(400, $"action must be warning, block or unblock, got \"{body?.Action}\"");
        if (await g.Directory.GetPageAsync(page) is not { } found)
            return WorldApi.Error(404, $"Unknown page {page}");
        var appId = body.AppId ?? found.AppId;
        var now = await g.PageNowAsync(found);
        var result = await g.Store.WriteAsync(s =>
            PersonActionCommands.EnforcePolicy(s, page, appId, body.Action, body.Reason, now)
        );
        return WorldApi.Created(
            result,
            _ => new PolicyEnforcementResult(page, appId, body.Action),
            Wire.PolicyEnforcementResult
        );
    }
}

internal sealed record StoryPayload(string Url);

internal sealed record StoryMention(string Type, StoryPayload Payload);

internal sealed record AdText(string Text);

/// <summary>The message objects the world face builds (a story mention's attachment, an ad's text).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower
)]
[System.Text.Json.Serialization.JsonSerializable(typeof(StoryMention[]))]
[System.Text.Json.Serialization.JsonSerializable(typeof(AdText))]
internal sealed partial class StoryJson : System.Text.Json.Serialization.JsonSerializerContext;
