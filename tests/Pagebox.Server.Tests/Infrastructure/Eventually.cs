using System.Diagnostics;

namespace Pagebox.Server.Tests.Infrastructure;

/// <summary>
/// Waits for a condition that is not signalled to the test (e.g. the dispatcher writing its log after the receiver
/// answered): re-checks it with a short pause until it holds or the timeout passes. This waits on the condition,
/// never for time itself to pass; time-based behaviour is driven by the app clock.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static async Task<T> WaitAsync<T>(
        Func<Task<T?>> probe,
        TimeSpan timeout,
        string because,
        Func<Task<string>>? describe = null
    )
        where T : struct
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (clock.Elapsed > timeout)
            {
                var state = describe is null ? "" : Environment.NewLine + await describe();
                throw new TimeoutException(
                    $"Timed out after {timeout.TotalSeconds:0.#} s waiting for {because}.{state}"
                );
            }

            await Task.Delay(Pause, TestContext.Current.CancellationToken);
        }
    }
}
