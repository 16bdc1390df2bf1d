using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// The yardstick of bench/run.sh: the same host shape as Pagebox (slim builder, minimal API, Kestrel on
// loopback, Warning logs, no Server header) answering POST /v24.0/{id}/messages with a fixed body.
// Pagebox's Send API figures are read as a fraction of this one's, measured in the same run, because
// absolute numbers on a shared 2-core machine mean little.
//
//   dotnet Baseline.dll [--port N]     N = 0 (default) picks a free port; the URL is printed.
var port = args is ["--port", var p] ? int.Parse(p, CultureInfo.InvariantCulture) : 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();

var answer = """{"recipient_id":"1","message_id":"m_x"}"""u8.ToArray();
app.MapPost(
    "/v24.0/{id}/messages",
    async (HttpContext http) =>
    {
        // Drain the whole body, as Pagebox must before it can answer; parse nothing.
        var reader = http.Request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(http.RequestAborted);
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
                break;
        }
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer, http.RequestAborted);
    }
);

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"Baseline listening on {address}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
