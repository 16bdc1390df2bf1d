using Pagebox.Contracts;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The handover protocol (docs/spec/send-api.md §9): <c>/{PAGE-ID}/pass_thread_control</c>, <c>take_thread_control</c>,
/// <c>request_thread_control</c>, <c>release_thread_control</c> (→ <c>{"success": true}</c>) and <c>GET
/// thread_owner</c>.
/// </summary>
internal static class HandoverApi
{
    public static Task<IResult> PassAsync(PageCall call, HttpContext http, GraphServices g) =>
        RunAsync(
            call,
            http,
            g,
            withMetadata: true,
            (s, c, psid, p, metadata, now) =>
            {
                p.TryGetString("target_app_id", out var target, out var targetError);
                return targetError ?? HandoverCommands.Pass(s, new(c.Page, c.App.Id, psid, metadata, now), target);
            }
        );

    public static Task<IResult> TakeAsync(PageCall call, HttpContext http, GraphServices g) =>
        RunCallAsync(call, http, g, HandoverCommands.Take);

    public static Task<IResult> RequestAsync(PageCall call, HttpContext http, GraphServices g) =>
        RunCallAsync(call, http, g, HandoverCommands.Request);

    /// <summary>A thread-control call that reads metadata and nothing else (take, request).</summary>
    private static Task<IResult> RunCallAsync(
        PageCall call,
        HttpContext http,
        GraphServices g,
        Func<Domain.Store.IStoreSession, ThreadControlCall, DomainError?> threadControl
    ) =>
        RunAsync(
            call,
            http,
            g,
            withMetadata: true,
            (s, c, psid, _, metadata, now) => threadControl(s, new(c.Page, c.App.Id, psid, metadata, now))
        );

    public static Task<IResult> ReleaseAsync(PageCall call, HttpContext http, GraphServices g) =>
        RunAsync(
            call,
            http,
            g,
            withMetadata: false,
            (s, c, psid, _, _, _) => HandoverCommands.Release(s, c.Page, c.App.Id, psid)
        );

    /// <summary>POST /{PAGE-ID}/extend_thread_control {recipient, duration (seconds)} → {"success": true}.</summary>
    public static Task<IResult> ExtendAsync(PageCall call, HttpContext http, GraphServices g) =>
        RunAsync(
            call,
            http,
            g,
            withMetadata: false,
            (s, c, psid, p, _, _) =>
            {
                long? duration = p.TryGetInt("duration", out var d, out var durationError) ? d : null;
                return durationError ?? HandoverCommands.Extend(s, c.Page, c.App.Id, psid, duration);
            }
        );

    /// <summary>GET /{PAGE-ID}/thread_owner?recipient=PSID.</summary>
    public static async Task<IResult> OwnerAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        if (p.OptionalString("recipient", out var psid) is { } recipientError)
            return GraphErrors.Result(recipientError);
        var owner = await g.Store.ReadAsync(s => HandoverCommands.Owner(s, caller.Page, psid), http.RequestAborted);
        if (!owner.IsAccepted)
            return GraphErrors.Result(owner.Error);
        IReadOnlyList<ThreadOwnerItem> data = owner.Value.AppId is { } app
            ? [new ThreadOwnerItem(new ThreadOwnerApp(app))]
            : [];
        return Results.Json(new GraphList<ThreadOwnerItem>(data), PageboxJson.Wire.GraphListThreadOwnerItem);
    }

    private delegate DomainError? Command(
        Domain.Store.IStoreSession s,
        PageCaller caller,
        string? psid,
        GraphParameters p,
        string? metadata,
        DateTimeOffset now
    );

    private static async Task<IResult> RunAsync(
        PageCall call,
        HttpContext http,
        GraphServices g,
        bool withMetadata,
        Command command
    )
    {
        var p = call.Parameters;
        if (!p.TryGetRequiredObject("recipient", out var recipient, out var recipientError))
            return GraphErrors.Result(recipientError);
        if (
            !recipient.TryGetProperty("id", out var idElement)
            || idElement.ValueKind
                is not (System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
        )
            return GraphErrors.Result(
                DomainError.Invalid("recipient[id]", "Param recipient[id] must be a valid ID string (e.g., \"123\")")
            );
        var psid =
            idElement.ValueKind == System.Text.Json.JsonValueKind.String
                ? idElement.GetString()
                : idElement.GetRawText();
        string? metadata = null;
        if (withMetadata)
        {
            if (p.OptionalString("metadata", out metadata) is { } metadataError)
                return GraphErrors.Result(metadataError);
        }
        var clock = await g.PageClockAsync(call.Caller.Page);
        var result = await g.Store.WriteAsync(
            s => command(s, call.Caller, psid, p, metadata, clock.GetUtcNow()),
            http.RequestAborted
        );
        return GraphAnswers.Success(result);
    }
}
