using System.Net;
using Microsoft.Extensions.Configuration.Json;

namespace Pagebox.Server.Hosting;

/// <summary>
/// The builder of every web host Pagebox starts: the server, <c>pagebox receive</c> and the Testing package's webhook
/// receiver. ASP.NET Core's defaults read <c>appsettings.json</c> from the working directory and watch that directory,
/// every folder below it included, for changes. A Pagebox started in a bot's project folder then took the bot's
/// Kestrel endpoints (and listened on the bot's own port) and its log levels, and every write to a data directory below
/// the working directory woke a file watcher: 7.6% of the server's CPU under a send load, and 2 861 inotify watches
/// when started at the top of this repository's parent folder. Pagebox is configured by its own options and
/// environment alone: no JSON settings file is read, nothing is watched, and the content root is Pagebox's own folder.
/// Kestrel listens on the one address given, and answers without a <c>Server</c> header.
/// </summary>
internal static class SlimHost
{
    /// <summary>A builder whose Kestrel listens on <paramref name="host"/> (an IP address, else <c>localhost</c>) and
    /// <paramref name="port"/> (0: a free one).</summary>
    public static WebApplicationBuilder CreateBuilder(string host, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(
            new WebApplicationOptions
            {
                // The host's own switch, read before the settings files are added: with it they are never watched.
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
                ContentRootPath = AppContext.BaseDirectory,
            }
        );
        foreach (var settingsFile in builder.Configuration.Sources.OfType<JsonConfigurationSource>().ToList())
            builder.Configuration.Sources.Remove(settingsFile);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            if (IPAddress.TryParse(host, out var ip))
                k.Listen(ip, port);
            else
                k.ListenLocalhost(port);
        });
        return builder;
    }
}
