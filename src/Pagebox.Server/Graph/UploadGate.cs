namespace Pagebox.Server.Graph;

/// <summary>
/// Bounds the uploads read at once (PAGEBOX_MAX_CONCURRENT_UPLOADS): each streams through a small buffer, so the
/// bound keeps memory and disk-free CPU flat however many clients upload. Others wait for a slot, at most
/// <see cref="MaxWait"/>, then are refused as throttled (613, transient) and may retry.
/// </summary>
internal sealed class UploadGate(int slots) : IDisposable
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _slots = new(slots, slots);
    private int _waiting;

    public int Slots => slots;

    /// <summary>Uploads being read now.</summary>
    public int InUse => slots - _slots.CurrentCount;

    /// <summary>Uploads waiting for a slot.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>True with a slot (give it back with <see cref="Exit"/>); false when none freed up in time.</summary>
    public async Task<bool> EnterAsync(CancellationToken ct)
    {
        if (_slots.Wait(0, CancellationToken.None))
            return true;
        Interlocked.Increment(ref _waiting);
        try
        {
            return await _slots.WaitAsync(MaxWait, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
