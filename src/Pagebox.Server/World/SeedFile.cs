using System.Text.Json;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Server.Endpoints;

namespace Pagebox.Server.World;

/// <summary>A seed file that cannot be applied as written; nothing of it was written.</summary>
internal sealed class SeedFileException(string message) : Exception(message);

/// <summary>
/// The declarative world a CI job starts from (<c>--seed-file FILE</c>; docs/control-api.md, "Seed file"): apps with
/// their subscriptions and Pages (with access tokens and subscribed fields), persons with their conversations and the
/// marketing-message tokens they opted in to. Every id, secret and token may be given (so tests can hard-code them) or
/// left out (generated). The whole file is one command: all of it is written, or none. Subscriptions are recorded as
/// given: no <c>hub.challenge</c> handshake is made (the bot need not run yet).
/// </summary>
internal static class SeedFile
{
    /// <summary>What was made, for the banner.</summary>
    public sealed record Summary(int Apps, int Pages, int Persons, int Tokens);

    public static async Task<Summary> ApplyAsync(
        string path,
        IPageboxStore store,
        IdGenerator ids,
        TimeProvider real,
        CancellationToken cancellationToken
    )
    {
        await using var file = File.OpenRead(path);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(
                file,
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true },
                cancellationToken
            );
        }
        catch (JsonException ex)
        {
            throw new SeedFileException($"not JSON: {ex.Message}");
        }
        using (doc)
        {
            var effects = new List<Effect>();
            var summary = Build(doc.RootElement, ids, real.GetUtcNow(), effects);
            await store.WriteAsync(
                s =>
                {
                    foreach (var e in effects)
                        s.Apply(e);
                    return true;
                },
                cancellationToken
            );
            return summary;
        }
    }

    /// <summary>The seed's effects, checked: a bad field names its place in the file.</summary>
    public static Summary Build(JsonElement root, IdGenerator ids, DateTimeOffset now, List<Effect> effects)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new SeedFileException("the seed must be a JSON object with apps and persons");
        var pageApps = new Dictionary<string, (string AppId, Platform Platform)>(StringComparer.Ordinal);
        int apps = 0,
            pages = 0,
            persons = 0,
            tokens = 0;
        foreach (var (app, i) in Array(root, "apps", "apps"))
        {
            var at = $"apps[{i}]";
            var appId = Id(app, "id", at) ?? ids.AppId();
            effects.Add(
                new SaveApp(
                    new AppRecord(
                        appId,
                        Text(app, "name", at) ?? "app",
                        Text(app, "secret", at) ?? ids.AppSecret(),
                        Bool(app, "require_appsecret_proof", at) ?? false,
                        0,
                        now,
                        Bool(app, "human_agent_permission", at) ?? false
                    )
                )
            );
            apps++;
            foreach (var (sub, j) in Array(app, "subscriptions", at))
            {
                var sat = $"{at}.subscriptions[{j}]";
                var obj = Text(sub, "object", sat) ?? "page";
                if (obj is not ("page" or "instagram"))
                    throw new SeedFileException($"{sat}.object must be page or instagram");
                var callback =
                    Text(sub, "callback_url", sat) ?? throw new SeedFileException($"{sat}.callback_url is required");
                if (!Uri.TryCreate(callback, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new SeedFileException($"{sat}.callback_url must be an http(s) URL");
                effects.Add(
                    new SaveAppSubscription(
                        new AppSubscription(
                            appId,
                            obj,
                            callback,
                            Text(sub, "verify_token", sat) ?? "",
                            Fields(sub, sat)
                        )
                    )
                );
            }
            foreach (var (page, j) in Array(app, "pages", at))
            {
                var pat = $"{at}.pages[{j}]";
                var pageId = Id(page, "id", pat) ?? ids.PageId();
                var platform = Text(page, "platform", pat) switch
                {
                    null or "messenger" => Platform.Messenger,
                    "instagram" => Platform.Instagram,
                    _ => throw new SeedFileException($"{pat}.platform must be messenger or instagram"),
                };
                var zone = Text(page, "timezone", pat) ?? "UTC";
                if (!WorldApi.ValidTimeZone(zone))
                    throw new SeedFileException($"{pat}.timezone: unknown time zone {zone}");
                if (!pageApps.TryAdd(pageId, (appId, platform)))
                    throw new SeedFileException($"{pat}.id: Page {pageId} is named twice");
                effects.Add(
                    new SavePage(
                        new PageRecord(
                            pageId,
                            appId,
                            Text(page, "name", pat) ?? "Page",
                            platform,
                            zone,
                            new PageSettings()
                        )
                    )
                );
                effects.Add(
                    new SavePageToken(
                        new PageToken(Text(page, "access_token", pat) ?? ids.PageAccessToken(), pageId, appId)
                    )
                );
                if (page.TryGetProperty("subscribed_fields", out _))
                    effects.Add(
                        new SavePageSubscription(
                            new PageSubscription(pageId, appId, Fields(page, pat, "subscribed_fields"))
                        )
                    );
                pages++;
            }
        }
        foreach (var (person, i) in Array(root, "persons", "persons"))
        {
            var at = $"persons[{i}]";
            var personId = Id(person, "id", at) ?? ids.PersonId();
            effects.Add(
                new SavePerson(
                    new PersonRecord(
                        personId,
                        Text(person, "name", at) ?? "Person",
                        Text(person, "timezone", at) ?? "UTC",
                        Text(person, "locale", at) ?? "en_US"
                    )
                )
            );
            persons++;
            var psids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (conversation, j) in Array(person, "conversations", at))
            {
                var cat = $"{at}.conversations[{j}]";
                var pageId =
                    Text(conversation, "page_id", cat) ?? throw new SeedFileException($"{cat}.page_id is required");
                if (!pageApps.ContainsKey(pageId))
                    throw new SeedFileException($"{cat}.page_id: no Page {pageId} in this seed");
                var psid = Id(conversation, "psid", cat) ?? ids.Psid();
                if (!psids.TryAdd(pageId, psid))
                    throw new SeedFileException($"{cat}.page_id: one conversation per person and Page");
                // The person wrote this long ago (default: just now, so the 24-hour window is open); null: never wrote.
                DateTimeOffset? last = now;
                if (conversation.TryGetProperty("last_message_seconds_ago", out var ago))
                {
                    if (ago.ValueKind == JsonValueKind.Null)
                        last = null;
                    else if (ago.TryGetInt64(out var seconds) && seconds >= 0)
                        last = now.AddSeconds(-seconds);
                    else
                        throw new SeedFileException(
                            $"{cat}.last_message_seconds_ago must be a number of seconds or null"
                        );
                }
                effects.Add(
                    new SaveConversation(
                        new Conversation(pageId, personId, psid, last, Bool(conversation, "blocked", cat) ?? false, now)
                    )
                );
            }
            foreach (var (optin, j) in Array(person, "optins", at))
            {
                var oat = $"{at}.optins[{j}]";
                var pageId = Text(optin, "page_id", oat) ?? throw new SeedFileException($"{oat}.page_id is required");
                if (!psids.TryGetValue(pageId, out var psid))
                    throw new SeedFileException(
                        $"{oat}.page_id: the person has no conversation with Page {pageId} in this seed"
                    );
                var status = Text(optin, "status", oat) switch
                {
                    null or "active" => TokenStatus.Active,
                    "stopped" => TokenStatus.Stopped,
                    _ => throw new SeedFileException($"{oat}.status must be active or stopped"),
                };
                // Opted in earlier: no follow-up allowance is open; the next send is a regular marketing message.
                effects.Add(
                    new SaveToken(
                        new NotificationToken(
                            Token: Id(optin, "token", oat) ?? ids.NotificationToken(),
                            PageId: pageId,
                            Psid: psid,
                            PersonId: personId,
                            Title: Text(optin, "title", oat) ?? throw new SeedFileException($"{oat}.title is required"),
                            Payload: Text(optin, "payload", oat) ?? "",
                            TimeZone: Text(optin, "timezone", oat),
                            Frequency: null,
                            ReOptIn: ReOptIn.Enabled,
                            Status: status,
                            UserTokenStatus: UserTokenStatus.NotRefreshed,
                            Created: now,
                            Updated: now,
                            ExpiresAt: null,
                            LastMarketingSendAt: null,
                            FollowUpsSent: 0,
                            FirstFollowUpAt: null,
                            FollowUpOpen: false
                        )
                    )
                );
                tokens++;
            }
        }
        return new Summary(apps, pages, persons, tokens);
    }

    private static IEnumerable<(JsonElement Item, int Index)> Array(JsonElement parent, string name, string at)
    {
        if (!parent.TryGetProperty(name, out var list) || list.ValueKind == JsonValueKind.Null)
            return [];
        if (list.ValueKind != JsonValueKind.Array)
            throw new SeedFileException($"{(at == name ? name : $"{at}.{name}")} must be an array");
        return list.EnumerateArray()
            .Select(
                (e, i) =>
                    e.ValueKind == JsonValueKind.Object
                        ? (e, i)
                        : throw new SeedFileException($"{(at == name ? name : $"{at}.{name}")}[{i}] must be an object")
            );
    }

    private static string? Text(JsonElement o, string name, string at)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : throw new SeedFileException($"{at}.{name} must be a string");
    }

    /// <summary>Ids are numeric strings, as the platform's (some client libraries check).</summary>
    private static string? Id(JsonElement o, string name, string at)
    {
        var id = Text(o, name, at);
        if (id is null)
            return null;
        return id.Length is > 0 and <= 64 && id.All(char.IsAsciiDigit)
            ? id
            : throw new SeedFileException($"{at}.{name} must be a numeric string");
    }

    private static bool? Bool(JsonElement o, string name, string at)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new SeedFileException($"{at}.{name} must be true or false"),
        };
    }

    private static string[] Fields(JsonElement o, string at, string name = "fields")
    {
        if (
            !o.TryGetProperty(name, out var v)
            || v.ValueKind != JsonValueKind.Array
            || v.EnumerateArray().Any(f => f.ValueKind != JsonValueKind.String)
        )
            throw new SeedFileException($"{at}.{name} must be an array of field names");
        return [.. v.EnumerateArray().Select(f => f.GetString()!)];
    }
}
