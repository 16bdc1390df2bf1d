namespace Pagebox.Server.Hosting;

/// <summary>Every option has a command-line flag and a PAGEBOX_* environment variable (README,
/// "Configuration").</summary>
public sealed class PageboxOptions
{
    /// <summary>PAGEBOX_HOST / --host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>PAGEBOX_PORT / --port; 0 picks a free port.</summary>
    public int Port { get; set; } = 8480;

    /// <summary>PAGEBOX_DATA / --data: where the SQLite database lives.</summary>
    public string DataDirectory { get; set; } = "./pagebox-data";

    /// <summary>PAGEBOX_STORE / --store: sqlite or postgres.</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>PAGEBOX_POSTGRES / --postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>PAGEBOX_POSTGRES_POOL / --postgres-pool: PostgreSQL commands in flight at once (one connection
    /// each).</summary>
    public int PostgresPoolSize { get; set; } = 16;

    /// <summary>PAGEBOX_ADMIN_KEY / --admin-key; generated and stored on first start when absent.</summary>
    public string? AdminKey { get; set; }

    /// <summary>PAGEBOX_POLICY / --policy: 2023, 2024, 2025-09 (default) or retired.</summary>
    public string Policy { get; set; } = "2025-09";

    /// <summary>PAGEBOX_DEMO=0 / --no-demo.</summary>
    public bool Demo { get; set; } = true;

    /// <summary>PAGEBOX_SEED / --seed: makes generated ids reproducible.</summary>
    public int? Seed { get; set; }

    /// <summary>PAGEBOX_WEBHOOK_TIMEOUT_MS / --webhook-timeout-ms: a slower answer counts as failed (Meta: 5
    /// s).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>PAGEBOX_MAX_BODY_BYTES: larger Graph bodies are refused (1 MB).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>PAGEBOX_MAX_CONCURRENT_UPLOADS: attachment uploads read at once; others wait for a slot (8).</summary>
    public int MaxConcurrentUploads { get; set; } = 8;

    /// <summary>PAGEBOX_JOURNAL_SIZE / --journal-size: Graph calls kept per app for the developer's view (in memory); 0
    /// turns the journal off.</summary>
    public int JournalSize { get; set; } = 500;

    /// <summary>
    /// PAGEBOX_EPHEMERAL=1 / --ephemeral: a throwaway store: SQLite in a fresh temporary directory, removed when the
    /// process exits (the data directory is ignored).
    /// </summary>
    public bool Ephemeral { get; set; }

    /// <summary>
    /// PAGEBOX_DURABILITY / --durability: <c>disk</c> (every commit fsynced: an acknowledged write survives a power
    /// loss) or <c>process</c> (opt-in: it survives a crash or kill of Pagebox, not of the machine; no fsync per
    /// commit). Null: <c>process</c> for an ephemeral store (thrown away at exit anyway), <c>disk</c> otherwise. SQLite
    /// only.
    /// </summary>
    public string? Durability { get; set; }

    /// <summary>The durability in force: <see cref="Durability"/>, or its default.</summary>
    public string EffectiveDurability => Durability ?? (Ephemeral ? "process" : "disk");

    /// <summary>PAGEBOX_IMPORT / --import FILE: a state document (GET /_pagebox/export) imported at start, before the
    /// demo.</summary>
    public string? ImportFile { get; set; }

    /// <summary>PAGEBOX_SEED_FILE / --seed-file FILE (or --seed FILE): a declarative world created at start
    /// (docs/control-api.md, "Seed file").</summary>
    public string? SeedFile { get; set; }

    /// <summary>PAGEBOX_LOG_LEVEL / --log-level.</summary>
    public string LogLevel { get; set; } = "Warning";

    /// <summary>
    /// PAGEBOX_MM_WEBHOOK_ENVELOPE / --mm-webhook-envelope: how the Marketing Messages API's webhooks
    /// (marketing_message_*) are enveloped, which Meta does not document: <c>changes</c> (default, entry[].changes[]
    /// with field and value) or <c>messaging</c> (the flat payload in entry[].messaging[]).
    /// </summary>
    public string PaidMarketingWebhookEnvelope { get; set; } = "changes";
}
