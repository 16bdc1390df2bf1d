using System.Diagnostics.CodeAnalysis;
using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Marketing;

/// <summary>
/// What a marketing rule decided: a value (the normalised input, or the new state to store) or a refusal.
/// Rules return values only; the caller turns them into store effects.
/// </summary>
public sealed class RuleResult<T>
    where T : class
{
    private RuleResult(T? value, DomainError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsAccepted => Error is null;

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Design",
        "CA1000",
        Justification = "The factory of the result type, named by the type it makes."
    )]
    public static RuleResult<T> Accept(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Design",
        "CA1000",
        Justification = "The factory of the result type, named by the type it makes."
    )]
    public static RuleResult<T> Reject(DomainError error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator RuleResult<T>(DomainError error) => Reject(error);

    public override string ToString() => IsAccepted ? $"Accepted({Value})" : $"Rejected({Error})";
}
