using System.Globalization;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Cli;

/// <summary>
/// <c>pagebox serve [--port 8480] [--host 127.0.0.1] [--data DIR] [--store sqlite|postgres] [--postgres CS]
/// [--admin-key KEY] [--policy PROFILE] [--no-demo] [--seed N]</c> (control-api.md, "Command line").
/// Flags override PAGEBOX_* environment variables, which override the defaults.
/// </summary>
internal static class ServeCommand
{
    public const string Usage = """
        Usage: pagebox serve [options]
          --host HOST              address to bind (PAGEBOX_HOST, default 127.0.0.1)
          --port PORT              port, 0 = any free port (PAGEBOX_PORT, default 8480)
          --data DIR               SQLite data directory (PAGEBOX_DATA, default ./pagebox-data)
          --store sqlite|postgres  store (PAGEBOX_STORE, default sqlite)
          --postgres CS            PostgreSQL connection string (PAGEBOX_POSTGRES)
          --admin-key KEY          world-face bearer key (PAGEBOX_ADMIN_KEY; generated when absent)
          --policy PROFILE         2023 | 2024 | 2025-09 | retired (PAGEBOX_POLICY, default 2025-09)
          --no-demo                do not create the demo app, Page and person (PAGEBOX_DEMO=0)
          --seed N                 reproducible ids (PAGEBOX_SEED)
          --webhook-timeout-ms N   a slower webhook answer counts as failed, 1..25000 (PAGEBOX_WEBHOOK_TIMEOUT_MS, default 5000)
          --log-level LEVEL        Trace..Critical (PAGEBOX_LOG_LEVEL, default Warning)
          --mm-webhook-envelope E  changes | messaging: Marketing Messages API webhooks (PAGEBOX_MM_WEBHOOK_ENVELOPE, default changes)
        """;

    /// <summary>Below the dispatcher's one-minute lease, with room for injected webhook latency (at most 30 s).</summary>
    public const int MaxWebhookTimeoutMs = 25_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] != "serve")
        {
            Console.Error.WriteLine($"Unknown command '{args[0]}'.\n{Usage}");
            return 2;
        }
        var (options, error) = Parse(args.AsSpan(1), Environment.GetEnvironmentVariable);
        if (error is not null)
        {
            Console.Error.WriteLine($"{error}\n{Usage}");
            return 2;
        }
        if (options!.Store != "sqlite")
        {
            Console.Error.WriteLine("--store postgres is not available yet; use the embedded SQLite store.");
            return 2;
        }

        await using var host = await PageboxHost.StartAsync(options);
        if (options.Demo)
        {
            var demo = await Demo.EnsureAsync(host.Services.GetRequiredService<IPageboxStore>(), host.Services.GetRequiredService<WorldCommands>(), TimeProvider.System);
            Demo.Print(Console.Out, host.BaseUrl, host.AdminKey, demo);
        }
        else
        {
            Console.WriteLine($"Admin key     {host.AdminKey}");
        }
        Console.WriteLine($"Pagebox listening on {host.BaseUrl.ToString().TrimEnd('/')} (data: {Path.GetFullPath(options.DataDirectory)}, policy {options.Policy})");
        Console.Out.Flush();
        await host.WaitForShutdownAsync();
        return 0;
    }

    public static (PageboxOptions? Options, string? Error) Parse(ReadOnlySpan<string> args, Func<string, string?> env)
    {
        var o = new PageboxOptions();
        if (env("PAGEBOX_HOST") is { } host) o.Host = host;
        if (env("PAGEBOX_PORT") is { } port && int.TryParse(port, CultureInfo.InvariantCulture, out var p)) o.Port = p;
        if (env("PAGEBOX_DATA") is { } data) o.DataDirectory = data;
        if (env("PAGEBOX_STORE") is { } store) o.Store = store;
        if (env("PAGEBOX_POSTGRES") is { } pg) o.PostgresConnectionString = pg;
        if (env("PAGEBOX_ADMIN_KEY") is { Length: > 0 } key) o.AdminKey = key;
        if (env("PAGEBOX_POLICY") is { } policy) o.Policy = policy;
        if (env("PAGEBOX_DEMO") is "0" or "false") o.Demo = false;
        if (env("PAGEBOX_SEED") is { } seed && int.TryParse(seed, CultureInfo.InvariantCulture, out var sd)) o.Seed = sd;
        if (env("PAGEBOX_WEBHOOK_TIMEOUT_MS") is { } wt)
        {
            if (!int.TryParse(wt, CultureInfo.InvariantCulture, out var ms) || ms is < 1 or > MaxWebhookTimeoutMs) return (null, $"PAGEBOX_WEBHOOK_TIMEOUT_MS must be 1..{MaxWebhookTimeoutMs}");
            o.WebhookTimeout = TimeSpan.FromMilliseconds(ms);
        }
        if (env("PAGEBOX_MAX_BODY_BYTES") is { } mb)
        {
            if (!long.TryParse(mb, CultureInfo.InvariantCulture, out var bytes) || bytes < 1024) return (null, "PAGEBOX_MAX_BODY_BYTES must be at least 1024");
            o.MaxBodyBytes = bytes;
        }
        if (env("PAGEBOX_LOG_LEVEL") is { } ll) o.LogLevel = ll;
        if (env("PAGEBOX_MM_WEBHOOK_ENVELOPE") is { } mm) o.PaidMarketingWebhookEnvelope = mm;

        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            if (flag == "--no-demo") { o.Demo = false; continue; }
            if (i + 1 >= args.Length) return (null, $"{flag} needs a value (or is unknown)");
            var value = args[++i];
            switch (flag)
            {
                case "--host": o.Host = value; break;
                case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port2) && port2 is >= 0 and <= 65535: o.Port = port2; break;
                case "--data": o.DataDirectory = value; break;
                case "--store" when value is "sqlite" or "postgres": o.Store = value; break;
                case "--postgres": o.PostgresConnectionString = value; break;
                case "--admin-key" when value.Length > 0: o.AdminKey = value; break;
                case "--policy": o.Policy = value; break;
                case "--seed" when int.TryParse(value, CultureInfo.InvariantCulture, out var s): o.Seed = s; break;
                case "--webhook-timeout-ms" when int.TryParse(value, CultureInfo.InvariantCulture, out var t) && t is > 0 and <= MaxWebhookTimeoutMs: o.WebhookTimeout = TimeSpan.FromMilliseconds(t); break;
                case "--log-level": o.LogLevel = value; break;
                case "--mm-webhook-envelope": o.PaidMarketingWebhookEnvelope = value; break;
                default: return (null, $"Bad option {flag} {value}");
            }
        }
        if (o.Policy is not ("2023" or "2024" or "2025-09" or "retired")) return (null, $"Unknown policy profile '{o.Policy}'");
        if (o.PaidMarketingWebhookEnvelope is not ("changes" or "messaging")) return (null, $"Unknown webhook envelope '{o.PaidMarketingWebhookEnvelope}' (changes or messaging)");
        return (o, null);
    }
}
