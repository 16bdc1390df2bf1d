using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
using Pagebox.Storage.Sqlite;

namespace Pagebox.Server.Hosting;

/// <summary>A running Pagebox: the command line's <c>serve</c>, and the tests' in-process server on a loopback port.</summary>
public sealed class PageboxHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SqliteStore _store;

    private PageboxHost(WebApplication app, SqliteStore store, Uri baseUrl, string adminKey)
    {
        _app = app;
        _store = store;
        BaseUrl = baseUrl;
        AdminKey = adminKey;
    }

    public Uri BaseUrl { get; }

    public string AdminKey { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Opens the store, resolves the admin key, starts Kestrel and the webhook dispatcher.</summary>
    public static async Task<PageboxHost> StartAsync(PageboxOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(Enum.TryParse<LogLevel>(options.LogLevel, true, out var level) ? level : LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            if (IPAddress.TryParse(options.Host, out var ip)) k.Listen(ip, options.Port);
            else k.ListenLocalhost(options.Port);
        });

        // :: Step 1: the store, opened and migrated before anything listens.
        var encoder = new WebhookEncoder();
        var store = new SqliteStore(Path.Combine(options.DataDirectory, "pagebox.db"), encoder, time);
        await store.InitializeAsync(cancellationToken);
        var ids = new IdGenerator(options.Seed);
        var adminKey = options.AdminKey ?? await store.WriteAsync(s =>
        {
            if (s.GetSetting("admin_key") is { } existing) return existing;
            var key = IdGenerator.AdminKey();
            s.Apply(new SaveSetting("admin_key", key));
            return key;
        }, cancellationToken);

        // :: Step 2: services.
        var services = builder.Services;
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddSingleton(time);
        services.AddSingleton(ids);
        services.AddSingleton<IPageboxStore>(store);
        services.AddSingleton<PageboxDirectory>();
        services.AddSingleton<MessagingCommands>();
        services.AddSingleton(sp => new MarketingCommands(ids, sp.GetRequiredService<MessagingCommands>(),
            PolicyProfiles.TryParse(options.Policy, out var profile) ? profile : PolicyProfiles.Default, PlatformMessages.ReOptInPrompt));
        services.AddSingleton(new Domain.Campaigns.CampaignCommands(ids, PolicyProfiles.TryParse(options.Policy, out var paidProfile) ? paidProfile : PolicyProfiles.Default,
            options.PaidMarketingWebhookEnvelope == "messaging" ? Domain.Campaigns.PaidWebhookEnvelope.Messaging : Domain.Campaigns.PaidWebhookEnvelope.Changes));
        services.AddSingleton<EntryPointCommands>();
        services.AddSingleton<Domain.Personas.PersonaCommands>();
        services.AddSingleton<Domain.Attachments.AttachmentCommands>();
        services.AddSingleton<SendRouter>();
        services.AddSingleton<WorldCommands>();
        services.AddSingleton<FaultRegistry>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddSingleton<GraphServices>();
        services.AddSingleton(new AdminKey(adminKey));
        services.AddExceptionHandler<GraphExceptionHandler>();
        services.Configure<RouteOptions>(o => o.SetParameterPolicy<GraphVersionConstraint>(GraphVersionConstraint.Name));
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.MaxResponseContentBufferSize = 1024 * 1024)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, Contracts.PageboxJson.Wire));

        // :: Step 3: the pipeline and the routes.
        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        Routes.Map(app);
        // Build every endpoint now: a route or handler that cannot be bound fails the start, loudly, instead of
        // answering each request with an empty 500 (and the first request no longer pays for building them).
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources) _ = source.Endpoints;
        var dispatcher = app.Services.GetRequiredService<WebhookDispatcher>();
        store.EventsCommitted += dispatcher.Wake;

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return new PageboxHost(app, store, baseUrl, adminKey);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }
}
