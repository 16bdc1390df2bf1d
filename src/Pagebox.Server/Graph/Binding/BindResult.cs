using System.Diagnostics.CodeAnalysis;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph.Binding;

/// <summary>Either the bound parameters of a request or the reason its body could not be read.</summary>
internal sealed class BindResult
{
    private BindResult(GraphParameters? parameters, DomainError? error)
    {
        Parameters = parameters;
        Error = error;
    }

    public GraphParameters? Parameters { get; }

    public DomainError? Error { get; }

    [MemberNotNullWhen(true, nameof(Parameters))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Parameters is not null;

    public static BindResult Ok(GraphParameters parameters) => new(parameters, null);

    public static BindResult Fail(DomainError error) => new(null, error);
}
