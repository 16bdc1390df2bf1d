namespace Pagebox.Domain.Store;

/// <summary>
/// One table of a state snapshot: its columns and its rows, each value a <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="bool"/>, <see cref="byte"/> array or null. The names are the store's own (the
/// two stores share one schema); columns one dialect alone has (PostgreSQL's ordering sequences) are left out. The
/// rows of an imported document are read from it as they are enumerated (once, in order): a store consumes them
/// one at a time and never needs them all in memory.
/// </summary>
public sealed record StateTable(string Name, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows);

/// <summary>
/// The whole state of a store (<paramref name="AppId"/> null), or one app's part of it: the app, its Pages and all
/// that happened on them, and the persons who met them. Server settings (the admin key) are never part of it. The
/// tables of an imported document stream from it: each enumeration is a pass over the document.
/// </summary>
public sealed record StateSnapshot(string? AppId, int SchemaVersion, IEnumerable<StateTable> Tables);

/// <summary>What an import wrote.</summary>
public sealed record StateImportResult(int Tables, long Rows);

/// <summary>A snapshot the store cannot take as it is (an unknown table or column, a value of the wrong type, a
/// duplicate key); nothing was written.</summary>
public sealed class StateImportException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Migrations: the newest schema version this build knows, and the one the database holds.</summary>
public sealed record SchemaState(int Expected, int Applied, int Pending);

/// <summary>
/// Moving state in and out of a store (the world face's export, import and reset; <c>--import</c>, <c>--seed-file</c>).
/// An import runs as one command: everything is written, or nothing.
/// </summary>
public interface IStateTransfer
{
    Task<StateSnapshot> ExportStateAsync(string? appId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A whole-state snapshot replaces everything the store holds (server settings kept); an app's snapshot replaces
    /// that app's part (the app, its Pages and their activity) and the persons it names, and leaves the rest alone.
    /// </summary>
    Task<StateImportResult> ImportStateAsync(StateSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>Which migrations the database holds.</summary>
    Task<SchemaState> SchemaStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Unfinished outbox work: events not yet in a delivery, pending deliveries, failed deliveries.</summary>
    Task<OutboxDepth> OutboxDepthAsync(CancellationToken cancellationToken = default);
}

/// <summary>The webhook outbox's depth (metrics).</summary>
public sealed record OutboxDepth(long WaitingEvents, long PendingDeliveries, long FailedDeliveries);
