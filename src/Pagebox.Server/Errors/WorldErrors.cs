using Pagebox.Contracts;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Errors;

/// <summary>
/// How a refusal looks on the world face (docs/spec/control-api.md): the Graph-like envelope with type
/// <c>PageboxError</c>, its code the HTTP status. Unknown things are 404, conflicts with the world's state 409,
/// everything else 400; the message is the domain error's detail. The Graph face's table is <see cref="GraphErrors"/>.
/// </summary>
internal static class WorldErrors
{
    public static int Status(DomainError error) =>
        error.Kind switch
        {
            DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
            DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status400BadRequest,
        };

    public static IResult Result(DomainError error) => Result(Status(error), error.Detail ?? error.ToString());

    public static IResult Result(int status, string message) =>
        Results.Json(
            new GraphErrorEnvelope(new GraphError(message, "PageboxError", status, null, null)),
            PageboxJson.Wire.GraphErrorEnvelope,
            statusCode: status
        );
}
