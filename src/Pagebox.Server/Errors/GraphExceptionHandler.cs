using Microsoft.AspNetCore.Diagnostics;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Store;

namespace Pagebox.Server.Errors;

/// <summary>
/// The unexpected becomes Graph's unknown-error envelope and a log line. Bad input never reaches here: binders
/// and rules answer it with code 100; a request Kestrel itself refuses (too large) gets the Graph error too.
/// </summary>
internal sealed partial class GraphExceptionHandler(ILogger<GraphExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(
        HttpContext httpContext,
        Exception exception,
        CancellationToken cancellationToken
    )
    {
        if (exception is BadHttpRequestException bad)
        {
            var kind =
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? DomainErrorKind.BodyTooLarge
                    : DomainErrorKind.MalformedBody;
            await GraphErrors.Result(new DomainError(kind, null, bad.Message)).ExecuteAsync(httpContext);
            return true;
        }
        if (exception is StoreUnavailableException unavailable)
        {
            // The database is down or was lost mid-request: Graph's transient error, so clients retry (world face:
            // 503).
            LogStoreUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, unavailable.Message);
            var world = httpContext.Request.Path.StartsWithSegments("/_pagebox", StringComparison.Ordinal);
            await (world ? Endpoints.WorldApi.Error(503, unavailable.Message) : GraphErrors.Unavailable()).ExecuteAsync(
                httpContext
            );
            return true;
        }
        LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
        await GraphErrors.Result(new DomainError(DomainErrorKind.Internal)).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string path, Exception ex);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Store unavailable on {Method} {Path}: {Reason}")]
    private static partial void LogStoreUnavailable(ILogger logger, string method, string path, string reason);
}
