using Pagebox.Contracts;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Errors;

/// <summary>
/// The one way a Graph endpoint turns an outcome into an answer: an accepted value goes on to the endpoint's own
/// answer, a refusal answers as its Graph error (<see cref="GraphErrors.Result(DomainError)"/>).
/// </summary>
internal static class GraphAnswers
{
    /// <summary>The answer for an accepted value; a refusal answers as its Graph error.</summary>
    public static IResult Answer<T>(this Result<T> result, Func<T, IResult> answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return result.IsAccepted ? answer(result.Value) : GraphErrors.Result(result.Error);
    }

    /// <summary>Graph's <c>{"success": true}</c>, or the refusal when there is one.</summary>
    public static IResult Success(DomainError? refused = null) =>
        refused is null
            ? Results.Json(new SuccessResponse(true), PageboxJson.Wire.SuccessResponse)
            : GraphErrors.Result(refused);
}
