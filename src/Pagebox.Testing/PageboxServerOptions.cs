namespace Pagebox.Testing;

/// <summary>How <see cref="PageboxServer.StartAsync(PageboxServerOptions?, CancellationToken)"/> starts
/// Pagebox.</summary>
public sealed class PageboxServerOptions
{
    /// <summary>
    /// Where the SQLite store lives. Null (the default) makes a fresh temporary directory that is deleted when the
    /// server is disposed: ephemeral data, nothing shared between runs.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>The world face's bearer key; null generates one per server (see <see
    /// cref="PageboxServer.AdminKey"/>).</summary>
    public string? AdminKey { get; set; }

    /// <summary>The rule set: <c>2023</c>, <c>2024</c>, <c>2025-09</c> (default) or <c>retired</c>.</summary>
    public string Policy { get; set; } = "2025-09";

    /// <summary>The Graph version <see cref="PageboxServer.GraphBaseUrl"/> and <see cref="PageboxServer.Graph"/>
    /// use.</summary>
    public string GraphVersion { get; set; } = Client.GraphClient.DefaultVersion;

    /// <summary>A webhook answer slower than this counts as failed (the platform's 5 s by default).</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Makes generated ids reproducible.</summary>
    public int? Seed { get; set; }

    /// <summary>The server's log level (<c>Warning</c> by default; <c>None</c> silences it).</summary>
    public string LogLevel { get; set; } = "Warning";

    /// <summary>Create the demo app, Page and person (off by default: each test makes its own).</summary>
    public bool Demo { get; set; }

    /// <summary>
    /// <c>disk</c> (the default: every commit fsynced, as <c>pagebox serve</c> does) or <c>process</c> (opt-in: no
    /// fsync per commit; an answered write survives a crash of the server, not of the machine, and a lone write is
    /// several times faster on a slow disk). A throwaway test store rarely needs more than <c>process</c>.
    /// </summary>
    public string Durability { get; set; } = "disk";
}
