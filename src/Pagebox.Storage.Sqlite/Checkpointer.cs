using Microsoft.Data.Sqlite;

namespace Pagebox.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database on a thread and connection of its own, so no commit waits for a checkpoint
/// (SQLite's automatic one runs inside the COMMIT that crosses 1000 pages: a lone write then paid two extra fsyncs and
/// the copy, the p99 that bench/Scenario measured). Durability is the same: with <see cref="SqliteDurability.Disk"/>
/// every commit's WAL frames are fsynced by the commit itself (<c>synchronous=FULL</c>); with
/// <see cref="SqliteDurability.Process"/> they are not, and SQLite syncs the WAL before a checkpoint copies it. A
/// checkpoint only moves committed pages. PASSIVE never blocks the writer or the readers: a page still read under an
/// older snapshot is left for the next round.
/// </summary>
internal sealed class Checkpointer : IDisposable
{
    /// <summary>Commits between two checkpoints (each commit adds a few pages; SQLite's default is 1000
    /// pages).</summary>
    private const int CommitsPerCheckpoint = 200;

    /// <summary>At most this long between a commit and the checkpoint that covers it.</summary>
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _checkpoint;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _commits;

    public Checkpointer(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        _checkpoint = _connection.CreateCommand();
        _checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        _thread = new Thread(Loop) { IsBackground = true, Name = "pagebox-sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>The writer committed a batch (called on the writer thread; costs an increment, and a wake-up every so
    /// often).</summary>
    public void Committed()
    {
        if (Interlocked.Increment(ref _commits) % CommitsPerCheckpoint == 1)
            _wake.Set();
    }

    private void Loop()
    {
        var seen = 0;
        while (!_stopping)
        {
            // Woken after CommitsPerCheckpoint commits, or a second has passed: checkpoint whatever was committed
            // since.
            _wake.WaitOne(Idle);
            if (_stopping)
                break;
            var commits = Volatile.Read(ref _commits);
            if (commits == seen)
                continue;
            try
            {
                _checkpoint.ExecuteNonQuery();
                seen = commits;
            }
            catch (SqliteException)
            {
                // Busy or locked: the next round tries again; the WAL only grows meanwhile.
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _checkpoint.Dispose();
        _connection.Dispose();
        _wake.Dispose();
    }
}
