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
    public static async Task<IResult> ReadyAsync(
        IPageboxStore store,
        Microsoft.Extensions.Options.IOptions<PageboxOptions> options,
        HttpContext http
    )
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

    /// <summary>
    /// GET /_pagebox/health/ready: 200 when everything a request needs is there (the database answers, every migration
    /// this build carries is applied, the webhook dispatcher runs), else 503 naming what is not.
    /// </summary>
    public static async Task<IResult> ReadyDetailedAsync(
        IPageboxStore store,
        Microsoft.Extensions.Options.IOptions<PageboxOptions> options,
        Webhooks.WebhookDispatcher dispatcher,
        HttpContext http
    )
    {
        var problems = new List<string>();
        var problem = await store.ProbeAsync(http.RequestAborted);
        if (problem is not null)
            problems.Add(problem);
        SchemaState? schema = null;
        if (problem is null)
        {
            try
            {
                schema = await store.SchemaStateAsync(http.RequestAborted);
                if (schema.Pending > 0)
                    problems.Add(
                        $"{schema.Pending} migration(s) not applied (the database holds version {schema.Applied}, "
                            + $"this build {schema.Expected})"
                    );
            }
            catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException)
            {
                problems.Add($"migrations could not be read: {ex.Message}");
            }
        }
        if (!dispatcher.IsRunning)
            problems.Add("the webhook dispatcher is not running");
        var dto = new ReadinessDto(
            problems.Count == 0 ? "ok" : "unavailable",
            options.Value.Store,
            problem is null ? "reachable" : "unreachable",
            schema is null ? "unknown"
                : schema.Pending == 0 ? "applied"
                : "pending",
            dispatcher.IsRunning ? "running" : "stopped",
            schema?.Applied ?? 0
        )
        {
            Problems = problems.Count > 0 ? problems : null,
            Ephemeral = options.Value.Ephemeral ? true : null,
            Durability = options.Value.Store == StoreFactory.Sqlite ? options.Value.EffectiveDurability : null,
        };
        return Results.Json(dto, UiJsonContext.Wire.ReadinessDto, statusCode: problems.Count == 0 ? 200 : 503);
    }

    public static IResult Live() => Results.Json(new HealthDto("ok"), PageboxJson.Wire.HealthDto);
}
