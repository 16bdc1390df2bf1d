using System.Text;
using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Profile;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// What bots call around the Send API: the User Profile API (<c>GET /{PSID}?fields=…</c>, Meta's sample bot calls it
/// for every new person), the Messenger Profile API and the built-in NLP switch.
/// </summary>
internal static class ProfileApi
{
    private static readonly string[] DefaultUserFields = ["first_name", "last_name", "profile_pic"];
    private static readonly HashSet<string> UserFields = new(StringComparer.Ordinal)
    {
        "id",
        "name",
        "first_name",
        "last_name",
        "profile_pic",
        "locale",
        "timezone",
        "gender",
        "username",
    };

    /// <summary>GET /{PSID}: the person as the Page sees them. Only the requested fields, as Graph does.</summary>
    public static async Task<IResult> UserAsync(
        string psid,
        GraphParameters p,
        Graph.PageCaller caller,
        HttpContext http,
        GraphServices g
    )
    {
        var (conversation, person) = await g.Store.ReadAsync(
            s =>
                s.GetConversationByPsid(psid) is { } c && c.PageId == caller.Page.Id
                    ? (c, s.GetPerson(c.PersonId))
                    : default,
            http.RequestAborted
        );
        if (conversation is null || person is null)
            return GraphErrors.Result(DomainError.Unsupported("get", psid));
        IReadOnlyList<string> fields = DefaultUserFields;
        if (p.TryGetStringList("fields", out var requested, out var error))
            fields = requested;
        else if (error is not null)
            return GraphErrors.Result(error);
        foreach (var f in fields)
        {
            if (!UserFields.Contains(f))
                return GraphErrors.Result(
                    DomainError.Invalid("fields", $"Tried accessing nonexisting field ({f}) on node type (User)")
                );
        }

        var space = person.Name.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? person.Name : person.Name[..space];
        var last = space < 0 ? "" : person.Name[(space + 1)..];
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var f in fields.Distinct())
            {
                switch (f)
                {
                    case "first_name":
                        w.WriteString(f, first);
                        break;
                    case "last_name":
                        w.WriteString(f, last);
                        break;
                    case "name":
                        w.WriteString(f, person.Name);
                        break;
                    case "username":
                        w.WriteString(f, person.Name.Replace(' ', '.').ToLowerInvariant());
                        break;
                    case "profile_pic":
                        w.WriteString(f, $"{http.Request.Scheme}://{http.Request.Host}/_pagebox/avatars/{psid}.png");
                        break;
                    case "locale":
                        w.WriteString(f, person.Locale);
                        break;
                    case "gender":
                        w.WriteString(f, "neutral");
                        break;
                    // The User Profile API gives the offset from UTC in hours, as a number.
                    case "timezone":
                        w.WriteNumber(f, OffsetHours(person.TimeZone, await g.PageNowAsync(caller.Page)));
                        break;
                }
            }
            w.WriteString("id", psid);
            w.WriteEndObject();
        }
        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json; charset=UTF-8");
    }

    private static double OffsetHours(string zoneId, DateTimeOffset at) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone.GetUtcOffset(at).TotalHours : 0;

    /// <summary>POST /{PAGE-ID}/messenger_profile: sets the fields given → {"result":"success"}.</summary>
    public static async Task<IResult> SetAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in p.Names)
        {
            if (!MessengerProfile.IsField(name))
                continue;
            values[name] = p.GetRawJson(name) ?? "null";
        }
        var result = await g.Store.WriteAsync(
            s => MessengerProfile.Set(s, caller.Page.Id, values),
            http.RequestAborted
        );
        return result is null ? Success() : GraphErrors.Result(result);
    }

    /// <summary>The profile fields the request names (<c>fields</c>, required).</summary>
    private static Result<IReadOnlyList<string>> Fields(GraphParameters p) =>
        p.TryGetStringList("fields", out var fields, out var fieldsError)
            ? Result<IReadOnlyList<string>>.Accept(fields)
            : fieldsError ?? MessengerProfile.NoFieldError();

    /// <summary>GET /{PAGE-ID}/messenger_profile?fields=a,b → {"data":[{a, b}]} (only the fields that are
    /// set).</summary>
    public static async Task<IResult> GetAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var fields = Fields(call.Parameters);
        if (!fields.IsAccepted)
            return GraphErrors.Result(fields.Error);
        var profile = await g.Store.ReadAsync(s => s.GetMessengerProfile(call.Caller.Page.Id), http.RequestAborted);
        var parts = fields
            .Value.Distinct()
            .Where(profile.ContainsKey)
            .Select(f => $"{JsonSerializer.Serialize(f, ProfileJson.Default.String)}:{profile[f]}")
            .ToList();
        var sb = new StringBuilder("{\"data\":[");
        if (parts.Count > 0)
            sb.Append('{').Append(string.Join(',', parts)).Append('}');
        sb.Append("]}");
        return Results.Text(sb.ToString(), "application/json; charset=UTF-8");
    }

    /// <summary>DELETE /{PAGE-ID}/messenger_profile with fields=[…] → {"result":"success"}.</summary>
    public static async Task<IResult> DeleteAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var fields = Fields(call.Parameters);
        if (!fields.IsAccepted)
            return GraphErrors.Result(fields.Error);
        var result = await g.Store.WriteAsync(
            s => MessengerProfile.Delete(s, call.Caller.Page.Id, fields.Value),
            http.RequestAborted
        );
        return result is null ? Success() : GraphErrors.Result(result);
    }

    /// <summary>POST /{PAGE-ID}/nlp_configs: built-in NLP is accepted (once the Page's call is) and has no effect in
    /// Pagebox.</summary>
    public static IResult NlpConfigs(PageCall call) => GraphAnswers.Success();

    /// <summary>A neutral avatar for every person: the profile_pic URL must load.</summary>
    public static IResult Avatar() => Results.Bytes(AvatarPng, "image/png");

    // A 1×1 grey PNG.
    private static readonly byte[] AvatarPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
    );

    private static IResult Success() => Results.Text("{\"result\":\"success\"}", "application/json; charset=UTF-8");
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ProfileJson : System.Text.Json.Serialization.JsonSerializerContext;
