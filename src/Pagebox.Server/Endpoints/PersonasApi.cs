using System.Globalization;
using Pagebox.Contracts;
using Pagebox.Domain.Model;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>The Personas API: <c>/{PAGE-ID}/personas</c> (create, list) and <c>/{PERSONA-ID}</c> (read,
/// delete).</summary>
internal static class PersonasApi
{
    private const int DefaultLimit = 25;
    private const int MaxLimit = 100;

    public static PersonaNode Node(PersonaRecord p) => new(p.Name, p.PictureUrl, p.Id);

    public static async Task<IResult> CreateAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        if (p.OptionalString("name", out var name) is { } nameError)
            return GraphErrors.Result(nameError);
        if (p.OptionalString("profile_picture_url", out var picture) is { } pictureError)
            return GraphErrors.Result(pictureError);
        var now = await g.PageNowAsync(caller.Page);
        var persona = await g.Store.WriteAsync(
            s => g.Personas.Create(s, caller.Page, name, picture, now),
            http.RequestAborted
        );
        return persona.IsAccepted
            ? Results.Json(new CreatedId(persona.Value.Id), PageboxJson.Wire.CreatedId)
            : GraphErrors.Result(persona.Error);
    }

    /// <summary>GET /{PAGE-ID}/personas: id order, <c>limit</c> and <c>after</c> (the cursor is the last id).</summary>
    public static async Task<IResult> ListAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var limited = GraphLimit.Read(p, DefaultLimit, MaxLimit);
        if (!limited.IsAccepted)
            return GraphErrors.Result(limited.Error);
        var limit = limited.Value;
        // A persona list's cursor is the last id itself, not encoded.
        if (GraphCursor.ReadAfter(p, static id => id, out var after) is { } afterError)
            return GraphErrors.Result(afterError);
        var personas = await g.Store.ReadAsync(
            s => s.ListPersonas(caller.Page.Id, after, limit + 1),
            http.RequestAborted
        );
        var shown = personas.Take(limit).Select(Node).ToList();
        GraphPaging? paging =
            shown.Count == 0
                ? null
                : new GraphPaging(new GraphCursors(shown[0].Id, shown[^1].Id))
                {
                    Next =
                        personas.Count > limit
                            ? GraphPagingUrl.Next(
                                http,
                                p,
                                http.Request.Path,
                                [new("limit", limit.ToString(CultureInfo.InvariantCulture)), new("after", shown[^1].Id)]
                            )
                            : null,
                };
        return Results.Json(
            new GraphList<PersonaNode>(shown) { Paging = paging },
            PageboxJson.Wire.GraphListPersonaNode
        );
    }

    /// <summary>GET /{PERSONA-ID} with the Page's token (a deleted persona still reads: old messages keep
    /// it).</summary>
    public static async Task<IResult?> TryGetAsync(string id, PageCaller caller, HttpContext http, GraphServices g)
    {
        var persona = await g.Store.ReadAsync(s => s.GetPersona(id), http.RequestAborted);
        return persona is null || persona.PageId != caller.Page.Id
            ? null
            : Results.Json(Node(persona), PageboxJson.Wire.PersonaNode);
    }

    /// <summary>DELETE /{PERSONA-ID} → {"success": true}.</summary>
    public static async Task<IResult> DeleteAsync(string id, NodeCall call, HttpContext http, GraphServices g)
    {
        var caller = call.Caller;
        var now = await g.PageNowAsync(caller.Page);
        var result = await g.Store.WriteAsync(s => g.Personas.Delete(s, caller.Page, id, now), http.RequestAborted);
        return GraphAnswers.Success(result);
    }
}
