using Pagebox.Server.Endpoints;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Faults;

/// <summary>
/// Makes the Graph calls of an app slow or failed as its faults say (docs/spec/control-api.md, "Faults"). The call
/// belongs to the app of its access token: a Page token's app, or the app of an <c>APP-ID|SECRET</c> app token. A call
/// whose token Pagebox does not know is never faulted, and nothing else about the call is checked first (no
/// appsecret_proof, no path id): a fault is the network failing before Graph looked at the request.
/// </summary>
internal sealed class GraphFaultFilter(FaultRegistry faults, GraphServices g) : IEndpointFilter
{
    /// <summary>However long a fault asks for, a Graph answer is not held back longer than this.</summary>
    public const int MaxLatencyMs = 60_000;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!faults.AnyGraph)
            return await next(context);

        // :: Step 1: whose call is it? The parameters are bound once, here, and kept for the handler.
        var http = context.HttpContext;
        var bound = await g.BindOnceAsync(http);
        http.Features.Set(bound);
        if (bound.Parameters?.AccessToken is not { } token || await AppOfAsync(token) is not { } appId)
            return await next(context);

        // :: Step 2: does one of its faults fire?
        if (faults.TakeGraph(appId, http.Request.Method, http.Request.Path.Value ?? "") is not { } fault)
            return await next(context);

        // :: Step 3: the delay (a real one: a bot's timeouts and retries are what is being tested), then the error or
        // the call.
        if (fault.LatencyMs > 0)
        {
            try
            {
                await Task.Delay(fault.Latency, http.RequestAborted);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }
        }
        return fault.Error is { } e
            ? GraphErrors.Result(e.Code, e.Subcode, e.Message, e.HttpStatus, e.Type)
            : await next(context);
    }

    private async ValueTask<string?> AppOfAsync(string token) =>
        GraphAuth.IsAppToken(token)
            ? (await GraphAuth.AppOfAppTokenAsync(token, g.Directory))?.Id
            : (await g.Directory.GetTokenAsync(token))?.AppId;
}
