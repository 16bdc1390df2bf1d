namespace Pagebox.Server.Faults;

/// <summary>
/// Which fault, if any, fires for one Graph call or webhook attempt. Pure: the faults in the order they were added,
/// the call, and a source of uniform draws in [0, 1) in; an index out.
/// </summary>
internal static class FaultMatcher
{
    /// <summary>
    /// The first fault that matches and wins its draw, or -1. A fault that matches but loses its draw is not used up,
    /// and the next one gets its chance: at most one fault fires per call. Draws are only taken for probabilities
    /// strictly between 0 and 1, so a seeded sequence is not disturbed by faults that always or never fire.
    /// </summary>
    public static int Pick(
        IReadOnlyList<Fault> faults,
        FaultTarget target,
        string method,
        string path,
        Func<double> draw
    )
    {
        for (var i = 0; i < faults.Count; i++)
        {
            var spec = faults[i].Spec;
            if (!Matches(spec, target, method, path))
                continue;
            if (Fires(spec.Probability, draw))
                return i;
        }
        return -1;
    }

    public static bool Matches(FaultSpec spec, FaultTarget target, string method, string path) =>
        spec.Target == target
        && (spec.Method is null || string.Equals(spec.Method, method, StringComparison.OrdinalIgnoreCase))
        && (spec.PathContains is null || path.Contains(spec.PathContains, StringComparison.OrdinalIgnoreCase));

    public static bool Fires(double probability, Func<double> draw) =>
        probability >= 1 || (probability > 0 && draw() < probability);

    /// <summary>The fault after it fired once: null when it is used up.</summary>
    public static Fault? AfterFiring(Fault fault) =>
        fault.Remaining switch
        {
            null => fault,
            <= 1 => null,
            { } n => fault with { Remaining = n - 1 },
        };
}
