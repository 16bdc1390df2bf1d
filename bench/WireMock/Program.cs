using System.Globalization;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

// bench/run.sh's WireMock.Net: POST /v24.0/{id}/messages answered by a fixed stub, and POST
// /templated/v24.0/{id}/messages by a templated one that echoes the recipient from the body (Handlebars + JsonPath), as
// a user of WireMock would write to get Pagebox's answer shape.
//
//   dotnet WireMock.dll [--port N]     N = 0 (default) picks a free port; the URL is printed.
var port = args is ["--port", var p] ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
var url = $"http://127.0.0.1:{(port == 0 ? FreePort() : port)}";
var server = WireMockServer.Start(
    new WireMockServerSettings
    {
        Urls = [url],
        StartAdminInterface = false,
        ReadStaticMappings = false,
        Logger = new WireMock.Logging.WireMockNullLogger(),
        MaxRequestLogCount = 0,
    }
);
server
    .Given(Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/v24\\.0/[^/]+/messages$")).UsingPost())
    .RespondWith(
        Response
            .Create()
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody("""{"recipient_id":"1","message_id":"m_x"}""")
    );
server
    .Given(
        Request.Create().WithPath(new WireMock.Matchers.RegexMatcher("^/templated/v24\\.0/[^/]+/messages$")).UsingPost()
    )
    .RespondWith(
        Response
            .Create()
            .WithStatusCode(200)
            .WithHeader("Content-Type", "application/json")
            .WithBody(
                """{"recipient_id":"{{JsonPath.SelectToken request.body "$.recipient.id"}}","message_id":"m_x"}"""
            )
            .WithTransformer()
    );
Console.WriteLine($"WireMock listening on {url}");
Console.Out.Flush();
var stop = new TaskCompletionSource();
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.TrySetResult();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
server.Stop();

static int FreePort()
{
    using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    l.Start();
    return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
}
