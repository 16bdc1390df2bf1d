using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pagebox.Server.Tests.Infrastructure;

/// <summary>
/// HTTP on a bare socket, for what HttpClient will not send (a request without a Host header) and for servers that do
/// not speak proper HTTP (a fixed answer, whatever it is, to every connection).
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> as written and reads until the server closes (HTTP/1.0
    /// closes).</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string request, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port, ct);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var at = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, at < 0 ? "" : text[(at + 4)..]);
    }

    /// <summary>A server on a loopback port that answers every connection with the fixed answer it is given and counts
    /// them.</summary>
    public sealed class FixedServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _connections;

        public FixedServer(string answer)
        {
            _listener.Start();
            Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook");
            _loop = Task.Run(() => AcceptAsync(Encoding.UTF8.GetBytes(answer)));
        }

        public Uri Url { get; }

        /// <summary>How many connections it accepted.</summary>
        public int Connections => Volatile.Read(ref _connections);

        private async Task AcceptAsync(byte[] answer)
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    await using var stream = client.GetStream();
                    var buffer = new byte[8192];
                    var seen = new StringBuilder();
                    while (!seen.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0)
                            break;
                        seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                    await stream.WriteAsync(answer, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
            catch (IOException)
            {
                // A client that went away; the test is over.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (SocketException)
            {
                // The listener was stopped under a pending accept.
            }
            _stop.Dispose();
        }
    }
}
