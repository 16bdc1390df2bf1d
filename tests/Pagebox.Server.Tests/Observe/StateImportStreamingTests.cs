using System.Net;
using System.Text.Json.Nodes;

namespace Pagebox.Server.Tests.Observe;

/// <summary>
/// The state import read as it streams (World/StateDocument): still one transaction, so a bad row anywhere, even the
/// last of a large document, leaves nothing written, and the world face's error names the table and the row.
/// </summary>
public sealed class StateImportStreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A whole-state document of <paramref name="persons"/> persons cloned from one the server made; the
    /// persons table moved last, so its rows are the end of the document.</summary>
    private static async Task<(JsonNode Doc, JsonArray Rows, int Id)> DocumentWithPersonsAsync(
        PageboxServer server,
        int persons
    )
    {
        await server.World.CreatePersonAsync("Model", cancellationToken: Ct);
        var whole = await server.World.SendAsync(HttpMethod.Get, "_pagebox/export", cancellationToken: Ct);
        var doc = JsonNode.Parse(whole.RawBody)!;
        var tables = doc["tables"]!.AsObject();
        var table = tables["persons"]!.AsObject();
        tables.Remove("persons");
        var columns = table["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var id = columns.IndexOf("id");
        var model = table["rows"]!.AsArray()[0]!.AsArray();
        var rows = new JsonArray();
        for (var n = 0; n < persons; n++)
        {
            var row = model.DeepClone().AsArray();
            row[id] = "7100" + n.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);
            rows.Add(row);
        }
        table["rows"] = rows;
        tables["persons"] = table;
        return (doc, rows, id);
    }

    [Fact]
    public async Task Import_BadRowAtTheEndOfALargeDocument_NamesTableAndRowAndWritesNothing()
    {
        await using var server = await PageboxServer.StartAsync();
        var kept = await server.World.CreateAppAsync("kept", Ct);
        var (doc, rows, id) = await DocumentWithPersonsAsync(server, 20_000);
        // A text value of the last row of the last table: a number where the column holds text.
        var last = rows[^1]!.AsArray();
        var bad = Enumerable
            .Range(0, last.Count)
            .First(i => i != id && last[i]?.GetValueKind() == System.Text.Json.JsonValueKind.String);
        last[bad] = 42;

        var refused = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            doc.ToJsonString(),
            cancellationToken: Ct
        );

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        var message = refused.Body.GetProperty("error").GetProperty("message").GetString();
        Assert.Contains("tables.persons.rows[19999]", message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", message, StringComparison.Ordinal);
        // The whole-state import would have removed the app made before it, and added the first persons: neither.
        Assert.Equal(
            HttpStatusCode.OK,
            (await server.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{kept.Id}", cancellationToken: Ct)).Status
        );
        var first = rows[0]![id]!.GetValue<string>();
        Assert.Equal(
            HttpStatusCode.NotFound,
            (await server.World.SendAsync(HttpMethod.Get, $"_pagebox/persons/{first}", cancellationToken: Ct)).Status
        );
    }

    [Fact]
    public async Task Import_LargeDocument_WritesEveryRowInOneGo()
    {
        await using var server = await PageboxServer.StartAsync();
        var (doc, rows, id) = await DocumentWithPersonsAsync(server, 20_000);

        var imported = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            doc.ToJsonString(),
            cancellationToken: Ct
        );

        Assert.True(imported.IsSuccess, imported.RawBody);
        Assert.True(imported.Body.GetProperty("rows").GetInt64() >= 20_000, imported.RawBody);
        foreach (var n in new[] { 0, 12_345, 19_999 })
        {
            var person = rows[n]![id]!.GetValue<string>();
            var found = await server.World.SendAsync(
                HttpMethod.Get,
                $"_pagebox/persons/{person}",
                cancellationToken: Ct
            );
            Assert.Equal(HttpStatusCode.OK, found.Status);
        }
    }

    [Fact]
    public async Task Import_HeaderAfterTheTables_IsReadAllTheSame()
    {
        await using var server = await PageboxServer.StartAsync();
        var kept = await server.World.CreateAppAsync("exported", Ct);
        var whole = await server.World.SendAsync(HttpMethod.Get, "_pagebox/export", cancellationToken: Ct);
        var doc = JsonNode.Parse(whole.RawBody)!.AsObject();
        // Hand-written documents may put the format last: the header is read in a pass of its own.
        var tables = doc["tables"]!;
        doc.Remove("tables");
        var reordered = new JsonObject { ["tables"] = tables.DeepClone() };
        foreach (var (name, value) in doc)
            reordered[name] = value?.DeepClone();
        await server.World.SendAsync(HttpMethod.Delete, $"_pagebox/apps/{kept.Id}", cancellationToken: Ct);

        var imported = await server.World.SendAsync(
            HttpMethod.Post,
            "_pagebox/import",
            reordered.ToJsonString(),
            cancellationToken: Ct
        );

        Assert.True(imported.IsSuccess, imported.RawBody);
        Assert.Equal(
            HttpStatusCode.OK,
            (await server.World.SendAsync(HttpMethod.Get, $"_pagebox/apps/{kept.Id}", cancellationToken: Ct)).Status
        );
    }
}
