using System.Collections.Concurrent;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;

namespace Pagebox.Server.Graph;

/// <summary>
/// Holds each Page's <see cref="SendRateWindow"/> for its <c>send_rate_per_second</c> switch, on the real clock
/// (<see cref="SendRateRule"/> decides).
/// </summary>
internal sealed class SendRateCounter(TimeProvider real)
{
    private sealed class Slot
    {
        public SendRateWindow Window;
    }

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Counts this send against the Page's rate; the refusal (613) when this second is full.</summary>
    public DomainError? Take(PageRecord page)
    {
        if (page.Settings.SendRatePerSecond is not { } limit)
            return null;
        var slot = _slots.GetOrAdd(page.Id, _ => new Slot());
        lock (slot)
        {
            var taken = SendRateRule.Take(slot.Window, limit, real.GetUtcNow(), page.Id);
            if (!taken.IsAccepted)
                return taken.Error;
            slot.Window = taken.Value;
            return null;
        }
    }
}
