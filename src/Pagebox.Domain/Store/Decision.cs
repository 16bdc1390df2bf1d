using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Store;

/// <summary>
/// The outcome of a command: a value, or a refusal. A command applies its effects through the session as it decides
/// them, so they commit in the command's transaction; a refusal applies none.
/// </summary>
public readonly record struct Decision<T>(T? Value, DomainError? Error)
{
    public bool IsAccepted => Error is null;

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Design",
        "CA1000",
        Justification = "The factory of the result type, named by the type it makes."
    )]
    public static Decision<T> Accept(T value) => new(value, null);

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Design",
        "CA1000",
        Justification = "The factory of the result type, named by the type it makes."
    )]
    public static Decision<T> Reject(DomainError error) => new(default, error);

    public static implicit operator Decision<T>(DomainError error) => Reject(error);
}
