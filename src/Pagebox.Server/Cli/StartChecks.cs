using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Pagebox.Server.Hosting;

namespace Pagebox.Server.Cli;

/// <summary>
/// What makes a start fail, found before anything is written, each as one line for the person at the terminal: the
/// port taken, the data directory not a directory or not writable. <see cref="Describe"/> words the failures only the
/// start itself meets.
/// </summary>
internal static class StartChecks
{
    /// <summary>Null when the port can be listened on: binding it and letting it go is the only way to know.</summary>
    public static string? Port(PageboxOptions options)
    {
        if (options.Port == 0)
            return null;
        var address = options.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Host);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, options.Port));
            socket.Listen();
            return null;
        }
        catch (SocketException ex)
        {
            return Port(ex, options);
        }
    }

    private static string Port(SocketException ex, PageboxOptions options) =>
        ex.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse =>
                $"port {options.Port} on {options.Host} is already in use: stop what listens there or pick another "
                    + $"--port",
            SocketError.AddressNotAvailable =>
                $"cannot listen on {options.Host}: no such address on this machine (--host)",
            SocketError.AccessDenied =>
                $"not allowed to listen on port {options.Port} (ports below 1024 need privileges): pick another --port",
            _ => $"cannot listen on {options.Host}:{options.Port}: {ex.Message}",
        };

    /// <summary>Null when the data directory exists and takes files, or can be created; nothing is left
    /// behind.</summary>
    public static string? DataDirectory(PageboxOptions options)
    {
        var dir = Path.GetFullPath(options.DataDirectory);
        if (File.Exists(dir))
            return $"the data directory {dir} is a file (--data)";
        if (!Directory.Exists(dir))
        {
            // The nearest existing folder above must take a new directory; creating it now would write before the
            // start.
            var parent = Path.GetDirectoryName(dir);
            while (parent is not null && !Directory.Exists(parent))
            {
                if (File.Exists(parent))
                    return $"cannot create the data directory {dir}: {parent} is a file (--data)";
                parent = Path.GetDirectoryName(parent);
            }
            return parent is null ? $"cannot create the data directory {dir} (--data)" : Writable(parent, dir);
        }
        return Writable(dir, dir);
    }

    /// <summary>Whether a file can be made in <paramref name="folder"/> (made and gone at once).</summary>
    private static string? Writable(string folder, string dataDir)
    {
        try
        {
            using var probe = new FileStream(
                Path.Combine(folder, $".pagebox-probe-{Environment.ProcessId}"),
                FileMode.CreateNew,
                FileAccess.Write,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose
            );
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return folder == dataDir
                ? $"the data directory {dataDir} is not writable: {ex.Message} (--data)"
                : $"cannot create the data directory {dataDir}: {folder} is not writable (--data)";
        }
    }

    /// <summary>A failed start as one line.</summary>
    public static string? Describe(Exception ex, PageboxOptions options) =>
        ex switch
        {
            Storage.Sqlite.StoreInUseException inUse => $"{inUse.Message} (--data)",
            IOException { InnerException: SocketException socket } => Port(socket, options),
            SocketException socket => Port(socket, options),
            World.SeedFileException seed => $"--seed-file {options.SeedFile}: {seed.Message}",
            Domain.Store.StateImportException bad => $"--import {options.ImportFile}: {bad.Message}",
            System.Text.Json.JsonException json => $"--import {options.ImportFile}: not JSON: {json.Message}",
            SqliteException sqlite =>
                $"cannot open the database in {Path.GetFullPath(options.DataDirectory)}: {sqlite.Message}",
            UnauthorizedAccessException or IOException =>
                $"cannot use the data directory {Path.GetFullPath(options.DataDirectory)}: {ex.Message}",
            InvalidOperationException when ex.InnerException is { } inner => Describe(inner, options)
                ?? $"could not start: {ex.Message}",
            _ => $"could not start: {ex.Message}",
        };
}
