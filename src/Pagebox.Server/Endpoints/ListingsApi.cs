using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Pagebox.Contracts;
using Pagebox.Domain.Rules;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// An app's Pages and the persons who met them, a page at a time: <c>?limit=N</c> (default 100, at most 1000) and
/// <c>&amp;offset=M</c>; <c>paging.next</c> is the next page's address, null on the last.
/// </summary>
internal static class ListingsApi
{
    private const int MaxListed = 1000;

    /// <summary>The 400 when <c>limit</c> (<see cref="WorldLimit"/>) or <c>offset</c> is bad; otherwise
    /// null.</summary>
    private static IResult? Paging(HttpContext http, out int limit, out int offset)
    {
        offset = 0;
        if (WorldLimit.Read(http, 100, MaxListed, out limit) is { } limitError)
            return limitError;
        if (
            http.Request.Query["offset"].ToString() is { Length: > 0 } o
            && (!int.TryParse(o, CultureInfo.InvariantCulture, out offset) || offset < 0)
        )
            return WorldApi.Error(400, "offset must be 0 or more");
        return null;
    }

    private static string? Next(HttpContext http, int limit, int offset, int total) =>
        offset + limit < total ? $"{http.Request.Path}?limit={limit}&offset={offset + limit}" : null;

    public static async Task<IResult> PagesAsync(string app, HttpContext http, GraphServices g)
    {
        if (Paging(http, out var limit, out var offset) is { } error)
            return error;
        var pages = await g.Store.ReadAsync(s =>
            s.GetApp(app) is null
                ? null
                : s.GetPagesOfApp(app)
                    .Select(p => new AppPageDto(
                        p.Id,
                        p.Name,
                        WorldApi.PlatformWire(p.Platform),
                        p.TimeZone,
                        s.GetPageTokenFor(p.Id, app)?.Token
                    ))
                    .ToList()
        );
        return Listing(
            app,
            pages,
            http,
            limit,
            offset,
            (shown, paging) => new AppPagesDto(shown, paging),
            UiJsonContext.Wire.AppPagesDto
        );
    }

    public static async Task<IResult> PersonsAsync(string app, HttpContext http, GraphServices g)
    {
        if (Paging(http, out var limit, out var offset) is { } error)
            return error;
        var persons = await g.Store.ReadAsync(s =>
        {
            if (s.GetApp(app) is null)
                return null;
            var byPerson = new Dictionary<string, List<PersonConversationDto>>(StringComparer.Ordinal);
            var order = new List<(string Id, DateTimeOffset First)>();
            foreach (var page in s.GetPagesOfApp(app))
            {
                foreach (var c in s.GetConversationsOfPage(page.Id, MaxListed * 10))
                {
                    if (!byPerson.TryGetValue(c.PersonId, out var list))
                    {
                        byPerson[c.PersonId] = list = [];
                        order.Add((c.PersonId, c.Created));
                    }
                    list.Add(new PersonConversationDto(c.PageId, c.Psid, c.Blocked, c.LastInboundAt));
                }
            }
            return order
                .OrderBy(o => o.First)
                .ThenBy(o => o.Id, StringComparer.Ordinal)
                .Select(o => new AppPersonDto(o.Id, s.GetPerson(o.Id)?.Name ?? "", byPerson[o.Id]))
                .ToList();
        });
        return Listing(
            app,
            persons,
            http,
            limit,
            offset,
            (shown, paging) => new AppPersonsDto(shown, paging),
            UiJsonContext.Wire.AppPersonsDto
        );
    }

    /// <summary>One page of an app's listing (<paramref name="all"/> null: no such app, 404).</summary>
    private static IResult Listing<T, TDto>(
        string app,
        List<T>? all,
        HttpContext http,
        int limit,
        int offset,
        Func<IReadOnlyList<T>, ListingPagingDto, TDto> dto,
        JsonTypeInfo<TDto> type
    ) =>
        all is null
            ? WorldApi.Error(404, $"Unknown app {app}")
            : Results.Json(
                dto(
                    [.. all.Skip(offset).Take(limit)],
                    new ListingPagingDto(all.Count, Next(http, limit, offset, all.Count))
                ),
                type
            );

    /// <summary>The standard messaging window's end for a conversation (shown by the Page's persons listing).</summary>
    public static DateTimeOffset? WindowOpenUntil(DateTimeOffset? lastInbound) =>
        MessagingWindowRule.OpenUntil(lastInbound);
}
