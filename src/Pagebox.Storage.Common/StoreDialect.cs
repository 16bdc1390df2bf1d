namespace Pagebox.Storage;

/// <summary>
/// The few words of SQL the two dialects say differently where the shared session (<see cref="StoreSession{T}"/>)
/// and outbox text (<see cref="StoreOutbox{TDialect}"/>) are otherwise the same. Static, so each store's statements
/// are built once (a static field of the closed generic session), never per command.
/// </summary>
internal interface IStoreDialect
{
    /// <summary>The column that keeps the insertion order of apps, persons, Pages and conversations.</summary>
    static abstract string InsertOrder { get; }

    /// <summary>The column that keeps the order of paid messages sent at one instant.</summary>
    static abstract string PaidOrder { get; }

    /// <summary>The scalar function of the larger of two values (SQLite's two-argument MAX, PostgreSQL's
    /// GREATEST).</summary>
    static abstract string Greatest { get; }

    /// <summary>What follows a guarded table's columns in a read: PostgreSQL's row version (<c>, xmin::text</c>),
    /// nothing on SQLite (its single writer needs no guard).</summary>
    static abstract string RowVersion { get; }

    /// <summary>The assignments that give a delivery's lease up (PostgreSQL also forgets the lease's owner).</summary>
    static abstract string ReleaseLease { get; }
}
