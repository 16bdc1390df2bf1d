using System.Diagnostics.Metrics;

namespace Pagebox.Domain.Store;

/// <summary>
/// What the stores measure (System.Diagnostics.Metrics, exported at /_pagebox/metrics): how many commands each commit
/// carried. SQLite's single writer commits many per fsync (group commit); PostgreSQL commits each command alone.
/// </summary>
public static class StoreMetrics
{
    public const string MeterName = "Pagebox.Store";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>(
        "pagebox.store.commit.batch_size",
        unit: "{command}",
        description: "Commands committed together in one transaction",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] }
    );

    private static readonly KeyValuePair<string, object?> Sqlite = new("store", "sqlite");
    private static readonly KeyValuePair<string, object?> Postgres = new("store", "postgres");

    public static void SqliteCommit(int commands) => BatchSizes.Record(commands, Sqlite);

    public static void PostgresCommit() => BatchSizes.Record(1, Postgres);
}
