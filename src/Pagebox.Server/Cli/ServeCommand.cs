using System.Globalization;
using System.Reflection;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Cli;

/// <summary>
/// <c>pagebox serve [--port 8480] [--host 127.0.0.1] [--data DIR] [--store sqlite|postgres] [--postgres CS]
/// [--admin-key KEY] [--policy PROFILE] [--no-demo] [--seed N]</c> (docs/spec/control-api.md, "Command line").
/// Flags override PAGEBOX_* environment variables, which override the defaults.
/// </summary>
/// <remarks>
/// Exit codes: 0 after a clean stop (SIGTERM) or for help and version; 2 for a bad command line or configuration; 1 for
/// a start that fails (port in use, data directory not writable or used by another Pagebox, database unreadable).
/// Every failure is one line on stderr, and is found before anything is written.
/// </remarks>
internal static class ServeCommand
{
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    public const string Usage = """
        Usage: pagebox serve [options]
          --host HOST              address to bind: an IP address or localhost (PAGEBOX_HOST, default 127.0.0.1)
          --port PORT              port, 0 = any free port (PAGEBOX_PORT, default 8480)
          --data DIR               SQLite data directory (PAGEBOX_DATA, default ./pagebox-data)
          --store sqlite|postgres  store (PAGEBOX_STORE, default sqlite)
          --postgres CS            PostgreSQL connection string (PAGEBOX_POSTGRES)
          --postgres-pool N        PostgreSQL commands in flight, one connection each, 1..500
                                   (PAGEBOX_POSTGRES_POOL, default 16)
          --admin-key KEY          world-face bearer key (PAGEBOX_ADMIN_KEY; generated when absent)
          --policy PROFILE         2023 | 2024 | 2025-09 | retired (PAGEBOX_POLICY, default 2025-09)
          --no-demo                do not create the demo app, Page and person (PAGEBOX_DEMO=0)
          --seed N                 reproducible ids (PAGEBOX_SEED)
          --ephemeral              a throwaway SQLite store in a temp directory, removed at exit
                                   (PAGEBOX_EPHEMERAL=1)
          --durability D           disk: every commit is fsynced, an answered write survives a power loss
                                   (default); process: no fsync per commit, an answered write survives a
                                   crash or kill of Pagebox, not of the machine (faster lone writes; the
                                   default of --ephemeral). SQLite only (PAGEBOX_DURABILITY)
          --import FILE            import a state document (GET /_pagebox/export) at start (PAGEBOX_IMPORT)
          --seed-file FILE         create the apps, Pages, persons, subscriptions and tokens a JSON seed
                                   file declares (PAGEBOX_SEED_FILE; also --seed FILE)
          --webhook-timeout-ms N   a slower webhook answer counts as failed, 1..25000
                                   (PAGEBOX_WEBHOOK_TIMEOUT_MS, default 5000)
          --journal-size N         Graph calls kept per app for the developer's view, 0 = off
                                   (PAGEBOX_JOURNAL_SIZE, default 500)
          --log-level LEVEL        Trace..Critical (PAGEBOX_LOG_LEVEL, default Warning)
          --mm-webhook-envelope E  changes | messaging: Marketing Messages API webhooks
                                   (PAGEBOX_MM_WEBHOOK_ENVELOPE, default changes)
          -h, --help               this help
          --version                the version
        """;

    public const string MainUsage = """
        Usage: pagebox <command> [options]

        Commands:
          serve      run Pagebox (the Graph face and the world face) on a local port
          receive    a webhook endpoint for your first steps: answers the handshake, checks signatures, prints events
          health     exit 0 when the Pagebox on this machine answers /_pagebox/health (the container's HEALTHCHECK)
          help       this help, or 'pagebox help serve', 'pagebox help receive'
          version    the version

        Options:
          -h, --help   help (also after a command: 'pagebox serve --help')
          --version    the version

        """;

    /// <summary>Below the dispatcher's one-minute lease, with room for injected webhook latency (at most 30
    /// s).</summary>
    public const int MaxWebhookTimeoutMs = 25_000;

    private static readonly string[] ValueFlags =
    [
        "--host",
        "--port",
        "--data",
        "--store",
        "--postgres",
        "--postgres-pool",
        "--admin-key",
        "--policy",
        "--seed",
        "--seed-file",
        "--import",
        "--webhook-timeout-ms",
        "--log-level",
        "--journal-size",
        "--mm-webhook-envelope",
        "--durability",
    ];

    public static string Version
    {
        get
        {
            var assembly = typeof(ServeCommand).Assembly;
            var version =
                assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString()
                ?? "0.0.0";
            return $"pagebox {version} (.NET {Environment.Version})";
        }
    }

    /// <summary>The journal keeps at most this many calls per app (each up to 16 KB of answer).</summary>
    public const int MaxJournalSize = 10_000;

    public static async Task<int> RunAsync(string[] args)
    {
        // :: Step 1: the verb, help and version: nothing is checked or written for these.
        if (args.Length == 0)
        {
            Console.Error.Write(MainUsage);
            return ExitUsage;
        }
        if (args is ["-h" or "--help" or "help"])
        {
            Console.Write(MainUsage);
            return 0;
        }
        if (args is ["help", "serve"] || (args[0] == "serve" && args.Skip(1).Any(a => a is "-h" or "--help")))
        {
            Console.WriteLine(Usage);
            return 0;
        }
        if (args[0] is "--version" or "-V" or "version" || (args[0] == "serve" && args.Skip(1).Contains("--version")))
        {
            Console.WriteLine(Version);
            return 0;
        }
        if (args is ["help", "receive"])
        {
            Console.WriteLine(ReceiveCommand.Usage);
            return 0;
        }
        if (args[0] == "receive")
            return await ReceiveCommand.RunAsync(args.AsMemory(1));
        if (args[0] == "health")
            return await HealthCommand.RunAsync(args.AsMemory(1));
        if (args is ["help", var topic, ..])
            return Fail($"no help for '{topic}' (commands: serve, receive)", ExitUsage, "pagebox --help");
        if (args[0] != "serve")
            return Fail($"unknown command '{args[0]}'", ExitUsage, "pagebox --help");

        // :: Step 2: the configuration (exit 2).
        var (options, error) = Parse(args.AsSpan(1), Environment.GetEnvironmentVariable);
        if (error is not null || options is null)
            return Fail(error ?? "bad options", ExitUsage, "pagebox serve --help");

        // :: Step 3: what would make the start fail, found before anything is written (exit 1). The port first: a
        // refused start leaves no data directory behind.
        if (options.Ephemeral && options.Store != StoreFactory.Sqlite)
            return Fail(
                "--ephemeral is a throwaway SQLite store; it cannot be combined with --store postgres",
                ExitUsage,
                "pagebox serve --help"
            );
        if (options.ImportFile is { } importFile && !File.Exists(importFile))
            return Fail($"--import: no such file {importFile}", ExitUsage, "pagebox serve --help");
        if (options.SeedFile is { } seedPath && !File.Exists(seedPath))
            return Fail($"--seed-file: no such file {seedPath}", ExitUsage, "pagebox serve --help");
        if (
            (
                StartChecks.Port(options)
                ?? (
                    options.Store == StoreFactory.Sqlite && !options.Ephemeral
                        ? StartChecks.DataDirectory(options)
                        : null
                )
            ) is
            { } problem
        )
            return Fail(problem, ExitFailure);

        // :: Step 4: the start. What still fails here (another Pagebox took the port in the meantime, an unreadable
        // database) is one line too.
        PageboxHost host;
        try
        {
            host = await PageboxHost.StartAsync(options);
        }
        catch (Exception ex) when (StartChecks.Describe(ex, options) is { } why)
        {
            // The one line says it; the trace is for a debugging session.
            if (Enum.TryParse<LogLevel>(options.LogLevel, true, out var level) && level <= LogLevel.Debug)
                Console.Error.WriteLine(ex);
            return Fail(why, ExitFailure);
        }

        await using (host)
        {
            DemoData? demo = null;
            try
            {
                if (options.Demo)
                {
                    demo = await Demo.EnsureAsync(
                        host.Services.GetRequiredService<IPageboxStore>(),
                        host.Services.GetRequiredService<WorldCommands>(),
                        TimeProvider.System
                    );
                    Demo.Print(Console.Out, host.BaseUrl, host.AdminKey, demo);
                }
                else
                {
                    // A key given by flag or environment is the caller's own: not printed again.
                    Console.WriteLine(
                        options.AdminKey is null
                            ? $"Admin key     {host.AdminKey}"
                            : "Admin key     (as given by --admin-key or PAGEBOX_ADMIN_KEY)"
                    );
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Fail($"could not prepare the demo data: {ex.Message}", ExitFailure);
            }
            // A key given by flag or environment is not printed again: the page then asks for it.
            Console.WriteLine(
                "Inbox page    "
                    + (
                        options.AdminKey is null
                            ? InboxUrl(host.BaseUrl, host.AdminKey)
                            : host.BaseUrl.ToString().TrimEnd('/') + Ui.UiAssets.Prefix
                    )
            );
            if (demo is not null)
            {
                var b = host.BaseUrl.ToString().TrimEnd('/');
                Console.WriteLine(
                    $"  as the demo person   {b}{Ui.UiAssets.Prefix}persons/{demo.PersonId}/pages/{demo.PageId}"
                );
                Console.WriteLine($"  the demo app         {b}{Ui.UiAssets.Prefix}apps/{demo.AppId}");
            }
            var data =
                options.Ephemeral ? $"EPHEMERAL store in {host.DataDirectory}, deleted at exit: nothing is kept"
                : options.Store == StoreFactory.Postgres ? "store: postgres"
                : $"data: {Path.GetFullPath(options.DataDirectory)}";
            if (options.Ephemeral)
                Console.WriteLine("Ephemeral     this store is thrown away when Pagebox stops (--ephemeral)");
            if (options.Store == StoreFactory.Sqlite && options.EffectiveDurability == "process")
                Console.WriteLine(
                    "Durability    process: commits are not fsynced; a crash of Pagebox loses nothing answered, a "
                        + "power loss may (--durability disk)"
                );
            Console.WriteLine(
                $"Pagebox listening on {host.BaseUrl.ToString().TrimEnd('/')} ({data}, policy {options.Policy})"
            );
            Console.Out.Flush();
            await host.WaitForShutdownAsync();
        }
        return 0;
    }

    private static int Fail(string message, int exitCode, string? seeAlso = null)
    {
        Console.Error.WriteLine(seeAlso is null ? $"pagebox: {message}" : $"pagebox: {message} (see '{seeAlso}')");
        return exitCode;
    }

    /// <summary>The inbox page's address with the admin key: the page keeps the key in a cookie and takes it off the
    /// address.</summary>
    public static string InboxUrl(Uri baseUrl, string adminKey) =>
        $"{baseUrl.ToString().TrimEnd('/')}{Ui.UiAssets.Prefix}?key={Uri.EscapeDataString(adminKey)}";

    public static (PageboxOptions? Options, string? Error) Parse(ReadOnlySpan<string> args, Func<string, string?> env)
    {
        var o = new PageboxOptions();
        if (env("PAGEBOX_HOST") is { } host)
            o.Host = host;
        if (env("PAGEBOX_EPHEMERAL") is { } ephemeral)
        {
            if (ephemeral is not ("1" or "0" or "true" or "false"))
                return (null, "PAGEBOX_EPHEMERAL must be 1 or 0");
            o.Ephemeral = ephemeral is "1" or "true";
        }
        if (env("PAGEBOX_IMPORT") is { Length: > 0 } import)
            o.ImportFile = import;
        if (env("PAGEBOX_SEED_FILE") is { Length: > 0 } seedFile)
            o.SeedFile = seedFile;
        if (env("PAGEBOX_PORT") is { } port)
        {
            if (!int.TryParse(port, CultureInfo.InvariantCulture, out var p) || p is < 0 or > 65535)
                return (null, $"PAGEBOX_PORT must be 0..65535, got '{port}'");
            o.Port = p;
        }
        if (env("PAGEBOX_DATA") is { } data)
            o.DataDirectory = data;
        if (env("PAGEBOX_STORE") is { } store)
        {
            if (store is not ("sqlite" or "postgres"))
                return (null, $"PAGEBOX_STORE must be sqlite or postgres, got '{store}'");
            o.Store = store;
        }
        if (env("PAGEBOX_POSTGRES") is { } pg)
            o.PostgresConnectionString = pg;
        if (env("PAGEBOX_POSTGRES_POOL") is { } pool)
        {
            if (!int.TryParse(pool, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 500)
                return (null, "PAGEBOX_POSTGRES_POOL must be 1..500");
            o.PostgresPoolSize = n;
        }
        if (env("PAGEBOX_ADMIN_KEY") is { Length: > 0 } key)
            o.AdminKey = key;
        if (env("PAGEBOX_POLICY") is { } policy)
            o.Policy = policy;
        if (env("PAGEBOX_DEMO") is "0" or "false")
            o.Demo = false;
        if (env("PAGEBOX_SEED") is { } seed)
        {
            if (!int.TryParse(seed, CultureInfo.InvariantCulture, out var sd))
                return (null, $"PAGEBOX_SEED must be an integer, got '{seed}'");
            o.Seed = sd;
        }
        if (env("PAGEBOX_WEBHOOK_TIMEOUT_MS") is { } wt)
        {
            if (!int.TryParse(wt, CultureInfo.InvariantCulture, out var ms) || ms is < 1 or > MaxWebhookTimeoutMs)
                return (null, $"PAGEBOX_WEBHOOK_TIMEOUT_MS must be 1..{MaxWebhookTimeoutMs}");
            o.WebhookTimeout = TimeSpan.FromMilliseconds(ms);
        }
        if (env("PAGEBOX_MAX_BODY_BYTES") is { } mb)
        {
            if (!long.TryParse(mb, CultureInfo.InvariantCulture, out var bytes) || bytes < 1024)
                return (null, "PAGEBOX_MAX_BODY_BYTES must be at least 1024");
            o.MaxBodyBytes = bytes;
        }
        if (env("PAGEBOX_MAX_CONCURRENT_UPLOADS") is { } mu)
        {
            if (!int.TryParse(mu, CultureInfo.InvariantCulture, out var uploads) || uploads is < 1 or > 1024)
                return (null, "PAGEBOX_MAX_CONCURRENT_UPLOADS must be 1..1024");
            o.MaxConcurrentUploads = uploads;
        }
        if (env("PAGEBOX_LOG_LEVEL") is { } ll)
            o.LogLevel = ll;
        if (env("PAGEBOX_JOURNAL_SIZE") is { } js)
        {
            if (!int.TryParse(js, CultureInfo.InvariantCulture, out var size) || size is < 0 or > MaxJournalSize)
                return (null, $"PAGEBOX_JOURNAL_SIZE must be 0..{MaxJournalSize}");
            o.JournalSize = size;
        }
        if (env("PAGEBOX_MM_WEBHOOK_ENVELOPE") is { } mm)
            o.PaidMarketingWebhookEnvelope = mm;
        if (env("PAGEBOX_DURABILITY") is { } durability)
        {
            if (durability is not ("disk" or "process"))
                return (null, $"PAGEBOX_DURABILITY must be disk or process, got '{durability}'");
            o.Durability = durability;
        }

        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag == "--no-demo")
            {
                o.Demo = false;
                continue;
            }
            if (flag == "--ephemeral")
            {
                o.Ephemeral = true;
                continue;
            }
            if (!ValueFlags.Contains(flag))
                return (null, flag.StartsWith('-') ? $"unknown option {flag}" : $"unexpected argument '{flag}'");
            if (i + 1 >= args.Length)
                return (null, $"{flag} needs a value");
            var value = args[++i];
            switch (flag)
            {
                case "--host":
                    o.Host = value;
                    break;
                case "--import" when value.Length > 0:
                    o.ImportFile = value;
                    break;
                case "--port"
                    when int.TryParse(value, CultureInfo.InvariantCulture, out var port2) && port2 is >= 0 and <= 65535:
                    o.Port = port2;
                    break;
                case "--port":
                    return (null, $"--port must be 0..65535, got '{value}'");
                case "--data" when value.Length > 0:
                    o.DataDirectory = value;
                    break;
                case "--data":
                    return (null, "--data needs a directory");
                case "--store" when value is "sqlite" or "postgres":
                    o.Store = value;
                    break;
                case "--store":
                    return (null, $"--store must be sqlite or postgres, got '{value}'");
                case "--postgres":
                    o.PostgresConnectionString = value;
                    break;
                case "--postgres-pool"
                    when int.TryParse(value, CultureInfo.InvariantCulture, out var n2) && n2 is >= 1 and <= 500:
                    o.PostgresPoolSize = n2;
                    break;
                case "--postgres-pool":
                    return (null, $"--postgres-pool must be 1..500, got '{value}'");
                case "--admin-key" when value.Length > 0:
                    o.AdminKey = value;
                    break;
                case "--admin-key":
                    return (null, "--admin-key must not be empty");
                case "--policy":
                    o.Policy = value;
                    break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var s):
                    o.Seed = s;
                    break;
                // a seed file, not the id seed
                case "--seed" when value.Length > 0 && !value.All(char.IsAsciiDigit):
                    o.SeedFile = value;
                    break;
                case "--seed":
                    return (null, $"--seed must be an integer (or a seed file), got '{value}'");
                case "--seed-file" when value.Length > 0:
                    o.SeedFile = value;
                    break;
                case "--webhook-timeout-ms"
                    when int.TryParse(value, CultureInfo.InvariantCulture, out var t)
                        && t is > 0 and <= MaxWebhookTimeoutMs:
                    o.WebhookTimeout = TimeSpan.FromMilliseconds(t);
                    break;
                case "--webhook-timeout-ms":
                    return (null, $"--webhook-timeout-ms must be 1..{MaxWebhookTimeoutMs}, got '{value}'");
                case "--log-level":
                    o.LogLevel = value;
                    break;
                case "--journal-size"
                    when int.TryParse(value, CultureInfo.InvariantCulture, out var j)
                        && j is >= 0 and <= MaxJournalSize:
                    o.JournalSize = j;
                    break;
                case "--journal-size":
                    return (null, $"--journal-size must be 0..{MaxJournalSize}, got '{value}'");
                case "--mm-webhook-envelope" when value is "changes" or "messaging":
                    o.PaidMarketingWebhookEnvelope = value;
                    break;
                case "--mm-webhook-envelope":
                    return (null, $"--mm-webhook-envelope must be changes or messaging, got '{value}'");
                case "--durability" when value is "disk" or "process":
                    o.Durability = value;
                    break;
                case "--durability":
                    return (null, $"--durability must be disk or process, got '{value}'");
            }
        }
        if (o.Policy is not ("2023" or "2024" or "2025-09" or "retired"))
            return (null, $"unknown --policy '{o.Policy}' (2023, 2024, 2025-09 or retired)");
        if (!Enum.TryParse<LogLevel>(o.LogLevel, ignoreCase: true, out _) || int.TryParse(o.LogLevel, out _))
            return (
                null,
                $"unknown --log-level '{o.LogLevel}' (Trace, Debug, Information, Warning, Error, Critical or None)"
            );
        if (o.Host != "localhost" && !System.Net.IPAddress.TryParse(o.Host, out _))
            return (null, $"--host must be an IP address or localhost, got '{o.Host}'");
        if (o.Store is not ("sqlite" or "postgres"))
            return (null, $"Unknown store '{o.Store}': sqlite or postgres");
        if (o.Store == "postgres" && o.Durability is not null)
            return (null, "--durability applies to the SQLite store; PostgreSQL's own settings decide its durability");
        if (o.Store == "postgres" && string.IsNullOrWhiteSpace(o.PostgresConnectionString))
            return (null, "--store postgres needs --postgres CONNECTION-STRING (or PAGEBOX_POSTGRES)");
        if (o.PaidMarketingWebhookEnvelope is not ("changes" or "messaging"))
            return (
                null,
                $"PAGEBOX_MM_WEBHOOK_ENVELOPE must be changes or messaging, got '{o.PaidMarketingWebhookEnvelope}'"
            );
        return (o, null);
    }
}
