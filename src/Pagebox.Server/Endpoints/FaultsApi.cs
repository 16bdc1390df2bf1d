using Pagebox.Contracts;
using Pagebox.Server.Faults;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The world face's faults (docs/spec/control-api.md, "Faults: what the real network does"): make an app's next Graph
/// calls or webhook deliveries slow, failed, duplicated or reordered. Kept in memory (<see cref="FaultRegistry"/>).
/// </summary>
internal static class FaultsApi
{
    public static async Task<IResult> AddAsync(string app, HttpContext http, FaultRegistry faults, GraphServices g)
    {
        var (body, error) = await WorldApi.BodyAsync(http, PageboxJson.Wire.FaultRequest);
        if (error is not null)
            return error;
        if (await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        var (spec, invalid) = Validate(body ?? new FaultRequest());
        if (invalid is not null)
            return WorldApi.Error(400, invalid);
        var fault = faults.Add(app, spec!);
        return Results.Json(Dto(fault), PageboxJson.Wire.FaultDto, statusCode: 201);
    }

    public static async Task<IResult> ListAsync(string app, FaultRegistry faults, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        return Results.Json<IReadOnlyList<FaultDto>>(
            [.. faults.List(app).Select(Dto)],
            PageboxJson.Wire.IReadOnlyListFaultDto
        );
    }

    public static async Task<IResult> ClearAsync(string app, FaultRegistry faults, GraphServices g)
    {
        if (await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        faults.Clear(app);
        return Results.NoContent();
    }

    /// <summary>The request as a fault, or the message naming the field that is wrong.</summary>
    public static (FaultSpec? Spec, string? Error) Validate(FaultRequest r)
    {
        var target = r.Target switch
        {
            null or "graph" => FaultTarget.Graph,
            "webhooks" => FaultTarget.Webhooks,
            _ => (FaultTarget?)null,
        };
        if (target is null)
            return (null, $"target must be graph or webhooks, got \"{r.Target}\"");
        if (r.Times is < 1)
            return (null, "times must be at least 1 (leave it out for a fault that lasts until cleared)");
        if (r.Probability is { } p && (double.IsNaN(p) || p < 0 || p > 1))
            return (null, "probability must be between 0 and 1");
        var maxLatency = target == FaultTarget.Graph ? GraphFaultFilter.MaxLatencyMs : WebhookFaults.MaxLatencyMs;
        if (r.LatencyMs is { } ms && (ms < 0 || ms > maxLatency))
            return (null, $"latency_ms must be between 0 and {maxLatency}");
        if (r.Error?.HttpStatus is { } status && (status < 400 || status > 599))
            return (null, "error.http_status must be between 400 and 599");

        InjectedError? injected = null;
        if (target == FaultTarget.Graph)
        {
            if (r.Duplicate == true || r.Reorder == true)
                return (null, "duplicate and reorder apply to webhook faults only (\"target\": \"webhooks\")");
            if (r.Match?.Method is "")
                return (null, "match.method must not be empty");
            if (r.Match?.PathContains is "")
                return (null, "match.path_contains must not be empty");
            if (r.Error is { } e)
            {
                if (e.Code is not { } code)
                    return (null, "error.code is required");
                if (code < 1)
                    return (null, "error.code must be a positive Graph error code");
                injected = new InjectedError(code, e.ErrorSubcode, e.Message, e.HttpStatus, e.Type);
            }
            if ((r.LatencyMs is null or 0) && injected is null)
                return (null, "latency_ms or error is required");
        }
        else
        {
            if (r.Match is not null)
                return (
                    null,
                    "match applies to Graph faults only; a webhook fault applies to every delivery of the app"
                );
            if (r.Error is { } e)
            {
                if (e.Code is not null || e.ErrorSubcode is not null || e.Message is not null || e.Type is not null)
                    return (null, "error of a webhook fault takes only http_status");
                if (r.Duplicate == true || r.Reorder == true)
                    return (null, "error cannot be combined with duplicate or reorder: the attempt is not sent");
                injected = new InjectedError(0, null, null, e.HttpStatus, null);
            }
            if ((r.LatencyMs is null or 0) && injected is null && r.Duplicate != true && r.Reorder != true)
                return (null, "latency_ms, duplicate, reorder or error is required");
        }

        return (
            new FaultSpec(
                target.Value,
                r.Match?.Method,
                r.Match?.PathContains,
                r.Times,
                r.Probability ?? 1,
                r.LatencyMs ?? 0,
                injected,
                r.Duplicate == true,
                r.Reorder == true
            ),
            null
        );
    }

    private static FaultDto Dto(Fault fault)
    {
        var s = fault.Spec;
        var graph = s.Target == FaultTarget.Graph;
        return new FaultDto(fault.Id, graph ? "graph" : "webhooks", s.Probability)
        {
            Match =
                s.Method is null && s.PathContains is null
                    ? null
                    : new FaultMatchDto { Method = s.Method, PathContains = s.PathContains },
            Times = s.Times,
            Remaining = fault.Remaining,
            LatencyMs = s.LatencyMs > 0 ? s.LatencyMs : null,
            Error =
                s.Error is not { } e ? null
                : graph
                    ? new FaultErrorDto
                    {
                        Code = e.Code,
                        ErrorSubcode = e.Subcode,
                        Message = e.Message,
                        HttpStatus = e.HttpStatus,
                        Type = e.Type,
                    }
                : new FaultErrorDto { HttpStatus = e.HttpStatus },
            Duplicate = s.Duplicate ? true : null,
            Reorder = s.Reorder ? true : null,
        };
    }
}
