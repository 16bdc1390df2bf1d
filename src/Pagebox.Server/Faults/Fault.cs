namespace Pagebox.Server.Faults;

/// <summary>What a fault applies to: the app's Graph calls, or the webhook deliveries Pagebox makes to the
/// app.</summary>
internal enum FaultTarget
{
    Graph,
    Webhooks,
}

/// <summary>The error a fault answers with. For webhook faults only <see cref="HttpStatus"/> is used (as the attempt's
/// status).</summary>
internal sealed record InjectedError(int Code, int? Subcode, string? Message, int? HttpStatus, string? Type);

/// <summary>
/// One fault as asked for on the world face. <see cref="Times"/> null: until cleared. Graph faults match on
/// <see cref="Method"/> and <see cref="PathContains"/> (null matches anything); webhook faults apply to every POST
/// attempt of the app.
/// </summary>
internal sealed record FaultSpec(
    FaultTarget Target,
    string? Method,
    string? PathContains,
    int? Times,
    double Probability,
    int LatencyMs,
    InjectedError? Error,
    bool Duplicate,
    bool Reorder
)
{
    public TimeSpan Latency => TimeSpan.FromMilliseconds(LatencyMs);
}

/// <summary>A registered fault and how many times it will still fire (null: until cleared).</summary>
internal sealed record Fault(long Id, FaultSpec Spec, int? Remaining);
