using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace Pagebox.Testing;

/// <summary>
/// Kestrel and a <see cref="TestServer"/> behind one <see cref="IServer"/>: both serve the same application (same
/// pipeline, same services, same store), so a request through <see cref="TestServer.CreateHandler()"/> never opens a
/// socket while the bot under test and Pagebox's own webhook calls still have the loopback port. Features (the
/// listening addresses) are Kestrel's.
/// </summary>
internal sealed class InMemoryServer(IServer kestrel, TestServer memory) : IServer
{
    public IFeatureCollection Features => kestrel.Features;

    public TestServer Memory => memory;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        await ((IServer)memory).StartAsync(application, cancellationToken);
        await kestrel.StartAsync(application, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await kestrel.StopAsync(cancellationToken);
        await ((IServer)memory).StopAsync(cancellationToken);
    }

    public void Dispose()
    {
        kestrel.Dispose();
        memory.Dispose();
    }
}
