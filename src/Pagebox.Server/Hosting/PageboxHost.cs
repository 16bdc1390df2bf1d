using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;
using Pagebox.Server.Endpoints;
using Pagebox.Server.Errors;
using Pagebox.Server.Faults;
using Pagebox.Server.Graph;
using Pagebox.Server.Webhooks;
using Pagebox.Server.World;

namespace Pagebox.Server.Hosting;

/// <summary>A running Pagebox: the command line's <c>serve</c>, and the tests' in-process server on a loopback
/// port.</summary>
public sealed class PageboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IPageboxStore _store;
    private readonly string? _ephemeralDirectory;

    /// <summary>Where the SQLite database lives (the throwaway directory with --ephemeral).</summary>
    public string? DataDirectory => _ephemeralDirectory;

    private PageboxHost(
        WebApplication app,
        IPageboxStore store,
        Uri baseUrl,
        string adminKey,
        string? ephemeralDirectory
    )
    {
        _ephemeralDirectory = ephemeralDirectory;
        _app = app;
        _store = store;
        BaseUrl = baseUrl;
        AdminKey = adminKey;
    }

    /// <summary>All request headers must arrive within this (Kestrel's default is 30 s).</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A body slower than 1 KiB/s after a 5 s grace is dropped (Kestrel's default is 240 B/s).</summary>
    public static readonly Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate MinRequestBodyDataRate = new(
        bytesPerSecond: 1024,
        gracePeriod: TimeSpan.FromSeconds(5)
    );

    /// <summary>Where it listens: <c>http://127.0.0.1:PORT/</c> for a wildcard address.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The world face's bearer key in force (given, or generated and kept in the store).</summary>
    public string AdminKey { get; }

    /// <summary>The running application's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Opens the store, resolves the admin key, starts Kestrel and the webhook dispatcher.</summary>
    public static Task<PageboxHost> StartAsync(
        PageboxOptions options,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default
    ) => StartAsync(options, time, configure: null, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(PageboxOptions, TimeProvider?, CancellationToken)"/>, with a last say over the builder
    /// before anything is built: the Pagebox.Testing package puts an in-memory server beside Kestrel there.
    /// </summary>
    internal static async Task<PageboxHost> StartAsync(
        PageboxOptions options,
        TimeProvider? time,
        Action<WebApplicationBuilder>? configure,
        CancellationToken cancellationToken
    )
    {
        time ??= TimeProvider.System;
        var builder = SlimHost.CreateBuilder(options.Host, options.Port);
        builder.Logging.SetMinimumLevel(
            Enum.TryParse<LogLevel>(options.LogLevel, true, out var level) ? level : LogLevel.Warning
        );
        // A start that fails is reported once, in one line, by the command line; the host would add its stack trace.
        if (level > LogLevel.Debug)
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.WebHost.ConfigureKestrel(k =>
        {
            // A client that trickles its headers or body holds a connection (and an upload slot) for nothing: drop it.
            k.Limits.RequestHeadersTimeout = RequestHeadersTimeout;
            k.Limits.MinRequestBodyDataRate = MinRequestBodyDataRate;
        });

        configure?.Invoke(builder);

        // :: Step 1: the store, opened and migrated before anything listens. An ephemeral one lives in a fresh
        // temporary directory of its own, removed when the host is disposed (or by the next start's temp cleaner if
        // killed).
        string? ephemeral = null;
        if (options.Ephemeral)
        {
            ephemeral = Directory.CreateTempSubdirectory("pagebox-ephemeral-").FullName;
            options.DataDirectory = ephemeral;
            options.Store = StoreFactory.Sqlite;
        }
        var encoder = new WebhookEncoder();
        var store = await StoreFactory.OpenAsync(options, encoder, time, cancellationToken);
        WebApplication? built = null;
        try
        {
            return await StartCoreAsync(
                builder,
                options,
                time,
                store,
                encoder,
                a => built = a,
                ephemeral,
                cancellationToken
            );
        }
        catch
        {
            // A start that fails leaves nothing running: no listener, no dispatcher, no writer, no lock.
            if (built is not null)
            {
                try
                {
                    await built.StopAsync(CancellationToken.None);
                }
                catch (InvalidOperationException)
                { /* never started */
                }
                await built.DisposeAsync();
            }
            if (store is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
            DeleteEphemeral(ephemeral);
            throw;
        }
    }

    private static async Task<PageboxHost> StartCoreAsync(
        WebApplicationBuilder builder,
        PageboxOptions options,
        TimeProvider time,
        IPageboxStore store,
        WebhookEncoder encoder,
        Action<WebApplication> onBuilt,
        string? ephemeral,
        CancellationToken cancellationToken
    )
    {
        // :: Step 1b: a state document to start from (--import): all of it, or the start fails and nothing is written.
        if (options.ImportFile is { } importFile)
        {
            // Read as it streams (World/StateDocument): a state of any size in bounded memory.
            await using var file = new FileStream(
                importFile,
                FileMode.Open,
                FileAccess.Read,
                FileShare.Read,
                bufferSize: 64 * 1024
            );
            await store.ImportStateAsync(World.StateDocument.Open(file), cancellationToken);
        }

        var ids = new IdGenerator(options.Seed);
        // :: Step 1c: the declarative world to start from (--seed-file), after an imported state.
        if (options.SeedFile is { } seedFile)
            await World.SeedFile.ApplyAsync(seedFile, store, ids, time, cancellationToken);
        var adminKey =
            options.AdminKey
            ?? await store.WriteAsync(
                s =>
                {
                    if (s.GetSetting("admin_key") is { } existing)
                        return existing;
                    var key = IdGenerator.AdminKey();
                    s.Apply(new SaveSetting("admin_key", key));
                    return key;
                },
                cancellationToken
            );

        // :: Step 2: services.
        var services = builder.Services;
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(time);
        services.AddSingleton(ids);
        services.AddSingleton<IPageboxStore>(store);
        services.AddSingleton<PageboxDirectory>();
        services.AddSingleton<MessagingCommands>();
        services.AddSingleton(sp => new MarketingCommands(
            ids,
            sp.GetRequiredService<MessagingCommands>(),
            PolicyProfiles.TryParse(options.Policy, out var profile) ? profile : PolicyProfiles.Default,
            PlatformMessages.ReOptInPrompt
        ));
        services.AddSingleton(
            new Domain.Campaigns.CampaignCommands(
                ids,
                PolicyProfiles.TryParse(options.Policy, out var paidProfile) ? paidProfile : PolicyProfiles.Default,
                options.PaidMarketingWebhookEnvelope == "messaging"
                    ? Domain.Campaigns.PaidWebhookEnvelope.Messaging
                    : Domain.Campaigns.PaidWebhookEnvelope.Changes
            )
        );
        services.AddSingleton<EntryPointCommands>();
        services.AddSingleton<Domain.Personas.PersonaCommands>();
        services.AddSingleton<Domain.Attachments.AttachmentCommands>();
        services.AddSingleton<SendRouter>();
        services.AddSingleton<WorldCommands>();
        services.AddSingleton<PersonActionCommands>();
        services.AddSingleton<FaultRegistry>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<GraphServices>();
        services.AddSingleton<SubRequests>();
        services.AddSingleton(new UploadGate(Math.Max(1, options.MaxConcurrentUploads)));
        services.AddSingleton(new AdminKey(adminKey));
        services.AddSingleton<Ui.ChangeFeed>();
        services.AddSingleton(new Ui.GraphJournal(options.JournalSize));
        services.AddSingleton<PageboxMetrics>();
        services
            .AddOpenTelemetry()
            .WithMetrics(m =>
                m.AddMeter(PageboxMetrics.MeterName, Domain.Store.StoreMetrics.MeterName)
                    .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            );
        ApiDocs.Add(services);
        services.AddExceptionHandler<GraphExceptionHandler>();
        services.Configure<RouteOptions>(o =>
            o.SetParameterPolicy<GraphVersionConstraint>(GraphVersionConstraint.Name)
        );
        services
            .AddHttpClient(WebhookDispatcher.HttpClientName, c => c.MaxResponseContentBufferSize = 1024 * 1024)
            .ConfigurePrimaryHttpMessageHandler(() =>
                new SocketsHttpHandler
                {
                    UseProxy = false,
                    MaxConnectionsPerServer = 64,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                }
            );
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, Contracts.PageboxJson.Wire)
        );

        // No credential reaches a log, at any level (LogRedaction).
        RedactingLoggerProvider.WrapAll(services, new LogRedactor([adminKey]));

        // :: Step 3: the pipeline and the routes.
        var app = builder.Build();
        onBuilt(app);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        app.UseMiddleware<Ui.InboxMiddleware>(); // the journal of Graph calls and the inbox page's live updates
        app.MapPrometheusScrapingEndpoint("/_pagebox/metrics");
        ApiDocs.Map(app);
        Routes.Map(app);
        // Build every endpoint now: a route or handler that cannot be bound fails the start, loudly, instead of
        // answering each request with an empty 500 (and the first request no longer pays for building them).
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
            _ = source.Endpoints;
        // The Batch API's sub-requests go through routing and the same endpoints, inside the process (SubRequests).
        var subPipeline = ((IApplicationBuilder)app).New();
        subPipeline.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        subPipeline.UseRouting();
        subPipeline.UseEndpoints(e =>
        {
            foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
                e.DataSources.Add(source);
        });
        app.Services.GetRequiredService<SubRequests>().Use(subPipeline.Build());
        var dispatcher = app.Services.GetRequiredService<WebhookDispatcher>();
        store.EventsCommitted += dispatcher.Wake;

        await app.StartAsync(cancellationToken);
        var address = app
            .Services.GetRequiredService<IServer>()
            .Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var baseUrl = new Uri(
            address
                .Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
                .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
        );
        await WarmUpAsync(baseUrl, cancellationToken);
        return new PageboxHost(app, store, baseUrl, adminKey, ephemeral);
    }

    /// <summary>
    /// One call through the running pipeline before the start reports ready: routing builds its matcher (~300 routes)
    /// and the middleware its state on the first request, 85–150 ms that the caller's first call would otherwise pay
    /// (bench/startup.sh). Liveness answers without the store; a warm-up that fails leaves the start as it was.
    /// </summary>
    private static async Task WarmUpAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        try
        {
            using var _ = await http.GetAsync(new Uri(baseUrl, "_pagebox/health/live"), cancellationToken);
        }
        catch (Exception ex)
            when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Only the first caller's speed depends on it.
        }
    }

    /// <summary>Completes when the host stops (Ctrl+C, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops Kestrel and the dispatcher, closes the store and deletes an ephemeral data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_store is IAsyncDisposable disposable)
            await disposable.DisposeAsync();
        DeleteEphemeral(_ephemeralDirectory);
    }

    private static void DeleteEphemeral(string? directory)
    {
        if (directory is null)
            return;
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temp directory is left to the system's cleaner.
        }
    }
}
