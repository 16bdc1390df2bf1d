namespace Pagebox.Server.Cli;

/// <summary>
/// <c>pagebox health [--url URL]</c>: exit 0 when <c>GET /_pagebox/health</c> answers 200, 1 otherwise; the container's
/// HEALTHCHECK (its base image has no curl). By default the Pagebox of this machine: 127.0.0.1 on PAGEBOX_PORT (8480).
/// </summary>
internal static class HealthCommand
{
    public const string Usage = """
        Usage: pagebox health [--url URL]
          --url URL   the Pagebox to check (default http://127.0.0.1:PAGEBOX_PORT, PAGEBOX_PORT defaults to 8480)

        Exits 0 when GET /_pagebox/health answers 200, 1 otherwise (the container's HEALTHCHECK).
        """;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var span = args.Span;
        if (span.IndexOfAny("-h", "--help") >= 0)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var port = Environment.GetEnvironmentVariable("PAGEBOX_PORT") is { Length: > 0 } p ? p : "8480";
        var url = $"http://127.0.0.1:{port}";
        if (span is ["--url", var given])
            url = given;
        else if (span.Length > 0)
        {
            Console.Error.WriteLine("pagebox: health takes only --url URL (see 'pagebox health --help')");
            return ServeCommand.ExitUsage;
        }

        if (!Uri.TryCreate(url.TrimEnd('/') + "/_pagebox/health", UriKind.Absolute, out var health))
        {
            Console.Error.WriteLine($"pagebox: --url must be an absolute URL, got '{url}'");
            return ServeCommand.ExitUsage;
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            Timeout = TimeSpan.FromSeconds(3),
        };
        try
        {
            using var response = await http.GetAsync(health);
            var body = await response.Content.ReadAsStringAsync();
            Console.WriteLine($"{(int)response.StatusCode} {body}");
            return response.IsSuccessStatusCode ? 0 : ServeCommand.ExitFailure;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"pagebox: {health} did not answer: {ex.Message}");
            return ServeCommand.ExitFailure;
        }
    }
}
