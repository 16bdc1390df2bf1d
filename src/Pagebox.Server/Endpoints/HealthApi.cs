using Pagebox.Contracts;
using Pagebox.Domain.Store;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// Health without the admin key. <c>/_pagebox/health</c> is readiness: 200 when the store's database answers now,
/// 503 with the reason when it does not (a load balancer then sends requests to another instance).
/// <c>/_pagebox/health/live</c> is liveness: the process serves HTTP, whatever the database does (restarting it would
/// not bring the database back).
/// </summary>
internal static class HealthApi
{
    public static async Task<IResult> ReadyAsync(IPageboxStore store, Microsoft.Extensions.Options.IOptions<PageboxOptions> options, HttpContext http)
    {
        var problem = await store.ProbeAsync(http.RequestAborted);
        var dto = new HealthDto(problem is null ? "ok" : "unavailable")
        {
            Store = options.Value.Store,
            Database = problem is null ? "reachable" : "unreachable",
            Error = problem,
        };
        return Results.Json(dto, PageboxJson.Wire.HealthDto, statusCode: problem is null ? 200 : 503);
    }

    public static IResult Live() => Results.Json(new HealthDto("ok"), PageboxJson.Wire.HealthDto);
}
