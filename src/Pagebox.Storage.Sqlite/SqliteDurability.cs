namespace Pagebox.Storage.Sqlite;

/// <summary>What an acknowledged write survives.</summary>
public enum SqliteDurability
{
    /// <summary>
    /// The default: every group commit is fsynced (<c>PRAGMA synchronous=FULL</c>) before any of its writes is
    /// answered, so an acknowledged write survives a crash of Pagebox, of the operating system or of the machine.
    /// </summary>
    Disk,

    /// <summary>
    /// Opt-in (<c>--durability process</c>, and what <c>--ephemeral</c> uses): the commit is handed to the operating
    /// system without an fsync (<c>PRAGMA synchronous=NORMAL</c> in WAL mode). An acknowledged write survives a crash
    /// or kill of Pagebox; a power loss or an operating-system crash may lose the last commits (never the database's
    /// consistency). A lone write then costs no disk flush.
    /// </summary>
    Process,
}
