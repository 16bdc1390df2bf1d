using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pagebox.Client;
using Pagebox.Server.Hosting;

namespace Pagebox.Testing;

/// <summary>
/// Pagebox inside the test process, on a free loopback port, with an ephemeral store by default:
/// <code>
/// await using var pagebox = await PageboxServer.StartAsync();
/// var app = await pagebox.CreateAppAsync();          // app + Page + person + a subscribed webhook receiver
/// var bot = new HttpClient { BaseAddress = pagebox.GraphBaseUrl };
/// </code>
/// One server can carry thousands of tests: each makes its own app (own clock, Pages, persons, tokens, webhooks), so
/// tests do not see each other. <see cref="GetSharedAsync"/> gives one per test process.
/// </summary>
public sealed class PageboxServer : IAsyncDisposable
{
    private static readonly Lock SharedGate = new();
    private static Task<PageboxServer>? _shared;

    private readonly PageboxHost _host;
    private readonly TestServer _memory;
    private readonly string? _temporaryDirectory;
    private int _disposed;

    private PageboxServer(
        PageboxHost host,
        TestServer memory,
        PageboxServerOptions options,
        string dataDirectory,
        string? temporaryDirectory
    )
    {
        _host = host;
        _memory = memory;
        _temporaryDirectory = temporaryDirectory;
        DataDirectory = dataDirectory;
        AdminKey = host.AdminKey;
        BaseUrl = host.BaseUrl;
        GraphBaseUrl = new Uri(host.BaseUrl, options.GraphVersion.Trim('/') + "/");
        Http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        World = new WorldClient(Http, AdminKey);
        Graph = new GraphClient(Http, options.GraphVersion);
    }

    /// <summary>The server root on the loopback port, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>What a bot uses instead of <c>https://graph.facebook.com/v25.0/</c>:
    /// <c>http://127.0.0.1:PORT/v25.0/</c>.</summary>
    public Uri GraphBaseUrl { get; }

    /// <summary>The world face's bearer key.</summary>
    public string AdminKey { get; }

    /// <summary>Where the store lives (a temporary directory unless one was given).</summary>
    public string DataDirectory { get; }

    /// <summary>An <see cref="HttpClient"/> on <see cref="BaseUrl"/> over the loopback port.</summary>
    public HttpClient Http { get; }

    /// <summary>The world face: apps, Pages, persons and what they do, clocks, faults.</summary>
    public WorldClient World { get; }

    /// <summary>The Graph face, as a bot calls it.</summary>
    public GraphClient Graph { get; }

    /// <summary>Starts Pagebox; disposing the result stops it and deletes a temporary store.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public static async Task<PageboxServer> StartAsync(
        PageboxServerOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new PageboxServerOptions();
        if (options.Policy is not ("2023" or "2024" or "2025-09" or "retired"))
        {
            throw new InvalidOperationException($"Unknown policy '{options.Policy}': 2023, 2024, 2025-09 or retired.");
        }

        if (options.Durability is not ("disk" or "process"))
        {
            throw new InvalidOperationException($"Unknown durability '{options.Durability}': disk or process.");
        }

        var temporary = options.DataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "pagebox-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))
            : null;
        var dataDirectory = Path.GetFullPath(options.DataDirectory ?? temporary!);
        Directory.CreateDirectory(dataDirectory);
        var hostOptions = new PageboxOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            DataDirectory = dataDirectory,
            AdminKey = options.AdminKey ?? "pbx_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
            Policy = options.Policy,
            Demo = false,
            Seed = options.Seed,
            WebhookTimeout = options.WebhookTimeout,
            LogLevel = options.LogLevel,
            Durability = options.Durability,
        };

        try
        {
            var host = await PageboxHost.StartAsync(hostOptions, time: null, AddInMemoryServer, cancellationToken);
            var memory = ((InMemoryServer)host.Services.GetRequiredService<IServer>()).Memory;
            return new PageboxServer(host, memory, options, dataDirectory, temporary);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>
    /// One server for the whole test process, started on first use with default options and stopped when the process
    /// exits: the cheapest way for many test classes (xunit v3, NUnit, MSTest alike) to share Pagebox. Give every test
    /// its own app (<see cref="CreateAppAsync"/>). Do not dispose it.
    /// </summary>
    public static Task<PageboxServer> GetSharedAsync()
    {
        lock (SharedGate)
        {
            if (_shared is null || _shared.IsFaulted || _shared.IsCanceled)
            {
                _shared = StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    if (_shared is { IsCompletedSuccessfully: true } started)
                    {
                        started.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    }
                };
            }

            return _shared;
        }
    }

    /// <summary>
    /// An <see cref="HttpMessageHandler"/> that hands requests to Pagebox in memory, without a socket: for a bot's <see
    /// cref="HttpClient"/> (<c>new HttpClient(pagebox.CreateHandler()) { BaseAddress = pagebox.GraphBaseUrl }</c>). The
    /// same server, store and webhooks as over the port.
    /// </summary>
    public HttpMessageHandler CreateHandler() => _memory.CreateHandler();

    /// <summary>An <see cref="HttpClient"/> over <see cref="CreateHandler"/>, based at <paramref name="baseAddress"/>
    /// (default <see cref="GraphBaseUrl"/>).</summary>
    public HttpClient CreateInMemoryClient(Uri? baseAddress = null) =>
        new(CreateHandler()) { BaseAddress = baseAddress ?? GraphBaseUrl };

    /// <summary>
    /// An app, a Messenger Page and a person in one call, and (unless <see cref="PageboxAppOptions.Webhooks"/> is off)
    /// a <see cref="WebhookReceiver"/> subscribed to the app and the Page for <see cref="PageboxAppOptions.Fields"/>,
    /// checking both signatures with the app secret. Dispose the result to stop the receiver; the app stays.
    /// </summary>
    /// <exception cref="PageboxApiException">The world face refused a call.</exception>
    /// <exception cref="GraphApiException">A subscription was refused.</exception>
    public async Task<PageboxApp> CreateAppAsync(
        PageboxAppOptions? options = null,
        CancellationToken cancellationToken = default
    )
    {
        options ??= new PageboxAppOptions();
        var setup = await World.CreateAppSetupAsync(
            options.AppName,
            options.PageName,
            options.PersonName,
            options.Timezone,
            cancellationToken
        );
        if (!options.Webhooks)
        {
            return new PageboxApp(this, setup, null);
        }

        var receiver = await WebhookReceiver.StartAsync(setup.App.Secret, options.VerifyToken, cancellationToken);
        try
        {
            (
                await Graph.SubscribeAppAsync(
                    setup.App.Id,
                    setup.App.Secret,
                    receiver.CallbackUrl,
                    options.VerifyToken,
                    options.Fields,
                    cancellationToken: cancellationToken
                )
            ).EnsureSuccess();
            (
                await Graph.SubscribePageAsync(setup.Page.Id, setup.Page.AccessToken, options.Fields, cancellationToken)
            ).EnsureSuccess();
            return new PageboxApp(this, setup, receiver);
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops Pagebox and deletes a temporary store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Http.Dispose();
        await _host.DisposeAsync();
        DeleteQuietly(_temporaryDirectory);
    }

    /// <inheritdoc />
    public override string ToString() => $"Pagebox at {BaseUrl}";

    private static void AddInMemoryServer(WebApplicationBuilder builder)
    {
        // The builder registered Kestrel as IServer already; keep it under a key and serve through both.
        var services = builder.Services;
        var kestrel = services.Last(d => d.ServiceType == typeof(IServer) && !d.IsKeyedService);
        services.Remove(kestrel);
        const string key = "pagebox-kestrel";
        if (kestrel.ImplementationType is { } type)
        {
            services.AddKeyedSingleton(typeof(IServer), key, type);
        }
        else if (kestrel.ImplementationFactory is { } factory)
        {
            services.AddKeyedSingleton(typeof(IServer), key, (sp, _) => factory(sp));
        }
        else
        {
            services.AddKeyedSingleton(typeof(IServer), key, kestrel.ImplementationInstance!);
        }

        services.AddSingleton<IServer>(sp => new InMemoryServer(
            sp.GetRequiredKeyedService<IServer>(key),
            new TestServer(sp, sp.GetRequiredService<IOptions<TestServerOptions>>())
        ));
    }

    private static void DeleteQuietly(string? directory)
    {
        if (directory is null)
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
        catch (UnauthorizedAccessException) { }
    }
}
