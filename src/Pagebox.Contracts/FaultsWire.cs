namespace Pagebox.Contracts;

/// <summary>Body of POST /_pagebox/apps/{app}/faults: what to do to the app's next Graph calls or webhook
/// deliveries.</summary>
public sealed record FaultRequest
{
    /// <summary><c>graph</c> (default) or <c>webhooks</c>.</summary>
    public string? Target { get; init; }

    /// <summary>Graph faults only: which calls; absent matches every call of the app.</summary>
    public FaultMatchDto? Match { get; init; }

    /// <summary>How many times the fault fires; absent: until cleared.</summary>
    public int? Times { get; init; }

    /// <summary>Chance (0..1) that a matching call or delivery is faulted; default 1.</summary>
    public double? Probability { get; init; }

    /// <summary>Delay before the answer (Graph) or before the POST (webhooks), in milliseconds.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>Graph: the error to answer. Webhooks: the attempt fails without being sent.</summary>
    public FaultErrorDto? Error { get; init; }

    /// <summary>Webhooks only: POST the same signed bytes twice.</summary>
    public bool? Duplicate { get; init; }

    /// <summary>Webhooks only: the POST carries its entries in reverse order.</summary>
    public bool? Reorder { get; init; }
}

/// <summary>Which Graph calls a fault applies to; every given member must match.</summary>
public sealed record FaultMatchDto
{
    /// <summary>HTTP method, case-insensitive (<c>POST</c>).</summary>
    public string? Method { get; init; }

    /// <summary>A substring of the request path, case-insensitive, version prefix included
    /// (<c>/messages</c>).</summary>
    public string? PathContains { get; init; }
}

/// <summary>The error a fault answers with.</summary>
public sealed record FaultErrorDto
{
    /// <summary>Graph error code (required for Graph faults).</summary>
    public int? Code { get; init; }

    /// <summary>Graph error_subcode.</summary>
    public int? ErrorSubcode { get; init; }

    /// <summary>Message; default <c>(#code) Injected fault</c>.</summary>
    public string? Message { get; init; }

    /// <summary>HTTP status (400–599); Graph default: the status Pagebox uses for that code, else 400.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Error type; default: the type Pagebox uses for that code, else OAuthException.</summary>
    public string? Type { get; init; }
}

/// <summary>A fault as registered, with what is left of it.</summary>
/// <param name="Id">Fault id.</param>
/// <param name="Target">graph or webhooks.</param>
/// <param name="Probability">Chance that a matching call is faulted.</param>
public sealed record FaultDto(long Id, string Target, double Probability)
{
    /// <summary>Which Graph calls it applies to.</summary>
    public FaultMatchDto? Match { get; init; }

    /// <summary>How many times it was asked to fire; absent: until cleared.</summary>
    public int? Times { get; init; }

    /// <summary>How many times it will still fire; absent: until cleared.</summary>
    public int? Remaining { get; init; }

    /// <summary>Delay in milliseconds.</summary>
    public int? LatencyMs { get; init; }

    /// <summary>The error it answers with.</summary>
    public FaultErrorDto? Error { get; init; }

    /// <summary>Webhooks: sent twice.</summary>
    public bool? Duplicate { get; init; }

    /// <summary>Webhooks: entries reversed.</summary>
    public bool? Reorder { get; init; }
}
