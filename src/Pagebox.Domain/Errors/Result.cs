using System.Diagnostics.CodeAnalysis;

namespace Pagebox.Domain.Errors;

/// <summary>
/// The one outcome shape of Pagebox: a value, or a refusal from the closed set of <see cref="DomainError"/>s. Rules
/// return it with the normalised input or the new state; store commands apply their effects through the session as
/// they decide them, so a refusal applies none. Checking <see cref="IsAccepted"/> tells the compiler which of
/// <see cref="Value"/> and <see cref="Error"/> is set, so callers need no <c>!</c>.
/// </summary>
/// <remarks>A struct: the Send API's hot path returns one per request. <c>default</c> is not a result.</remarks>
public readonly record struct Result<T>
{
    private Result(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsAccepted => Error is null;

    [SuppressMessage("Design", "CA1000", Justification = "The factory of the result type, named by the type it makes.")]
    public static Result<T> Accept(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    [SuppressMessage("Design", "CA1000", Justification = "The factory of the result type, named by the type it makes.")]
    public static Result<T> Reject(DomainError error) =>
        new(default, error ?? throw new ArgumentNullException(nameof(error)));

    [SuppressMessage("Usage", "CA2225", Justification = "Accept is the named alternative.")]
    public static implicit operator Result<T>(T value) => Accept(value);

    [SuppressMessage("Usage", "CA2225", Justification = "Reject is the named alternative.")]
    public static implicit operator Result<T>(DomainError error) => Reject(error);

    /// <summary>The value of an accepted result mapped; a refusal passes through.</summary>
    public Result<TOut> Map<TOut>(Func<T, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return IsAccepted ? Result<TOut>.Accept(map(Value)) : Result<TOut>.Reject(Error);
    }

    public override string ToString() => IsAccepted ? $"Accepted({Value})" : $"Rejected({Error})";
}
