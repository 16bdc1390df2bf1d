using System.Globalization;
using System.Text.Json;
using Pagebox.Contracts;
using Pagebox.Domain.Store;
using Pagebox.Server.Ui;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The state as one JSON document (docs/control-api.md, "State"): <c>GET /_pagebox/export[?app=]</c>,
/// <c>POST /_pagebox/import</c> (all or nothing), <c>POST /_pagebox/apps/{app}/reset</c>. The document is the store's
/// own tables, columns and rows, so nothing of the world is lost on the way; it is read and written here by hand
/// (Utf8JsonWriter, and World/StateDocument's Utf8JsonReader as the document streams): no reflection on this path
/// either.
/// </summary>
internal static class StateApi
{
    /// <summary>The document format's version (the <c>pagebox_state</c> field).</summary>
    public const int FormatVersion = World.StateDocument.FormatVersion;

    public static async Task<IResult> ExportAsync(HttpContext http, GraphServices g)
    {
        var app = http.Request.Query["app"].ToString();
        if (app.Length > 0 && await g.Directory.GetAppAsync(app) is null)
            return WorldApi.Error(404, $"Unknown app {app}");
        var snapshot = await g.Store.ExportStateAsync(app.Length > 0 ? app : null, http.RequestAborted);
        return Results.Stream(
            async body =>
            {
                await using var w = new Utf8JsonWriter(
                    body,
                    new JsonWriterOptions
                    {
                        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    }
                );
                Write(w, snapshot, g.Directory.Real.GetUtcNow());
                await w.FlushAsync();
            },
            "application/json"
        );
    }

    public static void Write(Utf8JsonWriter w, StateSnapshot snapshot, DateTimeOffset exportedAt)
    {
        w.WriteStartObject();
        w.WriteNumber("pagebox_state", FormatVersion);
        w.WriteNumber("schema_version", snapshot.SchemaVersion);
        if (snapshot.AppId is null)
            w.WriteNull("app");
        else
            w.WriteString("app", snapshot.AppId);
        w.WriteString("exported_at", exportedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        w.WriteStartObject("tables");
        foreach (var t in snapshot.Tables)
        {
            w.WriteStartObject(t.Name);
            w.WriteStartArray("columns");
            foreach (var c in t.Columns)
                w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteStartArray("rows");
            foreach (var row in t.Rows)
            {
                w.WriteStartArray();
                foreach (var v in row)
                {
                    switch (v)
                    {
                        case null:
                            w.WriteNullValue();
                            break;
                        case long l:
                            w.WriteNumberValue(l);
                            break;
                        case int i:
                            w.WriteNumberValue(i);
                            break;
                        case double d:
                            w.WriteNumberValue(d);
                            break;
                        case bool b:
                            w.WriteBooleanValue(b);
                            break;
                        case string s:
                            w.WriteStringValue(s);
                            break;
                        case byte[] bytes:
                            w.WriteStartObject();
                            w.WriteBase64String("base64", bytes);
                            w.WriteEndObject();
                            break;
                        default:
                            w.WriteStringValue(Convert.ToString(v, CultureInfo.InvariantCulture));
                            break;
                    }
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static async Task<IResult> ImportAsync(HttpContext http, GraphServices g, GraphJournal journal)
    {
        // A state can be far larger than any other body (a million tokens): no size limit here, and the body is
        // spooled to a temporary file, never held in memory, then read as it streams (World/StateDocument).
        if (
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is
            { IsReadOnly: false } limit
        )
            limit.MaxRequestBodySize = null;
        await using var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), "pagebox-import-" + Guid.NewGuid().ToString("N") + ".json"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.None,
            bufferSize: 64 * 1024,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous
        );
        await http.Request.Body.CopyToAsync(spool, http.RequestAborted);
        StateSnapshot snapshot;
        try
        {
            snapshot = World.StateDocument.Open(spool);
        }
        catch (JsonException ex)
        {
            return WorldApi.Error(400, $"The body is not JSON: {ex.Message}");
        }
        catch (StateImportException ex)
        {
            return WorldApi.Error(400, $"Not imported: {ex.Message}");
        }
        return await ImportSnapshotAsync(snapshot, g, journal, http.RequestAborted);
    }

    public static async Task<IResult> ImportSnapshotAsync(
        StateSnapshot snapshot,
        GraphServices g,
        GraphJournal journal,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var result = await g.Store.ImportStateAsync(snapshot, cancellationToken);
            Forget(snapshot, g, journal);
            return Results.Json(
                new StateImportDto(snapshot.AppId, result.Tables, result.Rows),
                UiJsonContext.Wire.StateImportDto
            );
        }
        catch (StateImportException ex)
        {
            return WorldApi.Error(400, $"Not imported, nothing was written: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return WorldApi.Error(400, $"Not imported, nothing was written: the body is not JSON: {ex.Message}");
        }
    }

    /// <summary>What this process remembers of the replaced state goes: cached apps, Pages and tokens, clocks,
    /// journals.</summary>
    private static void Forget(StateSnapshot snapshot, GraphServices g, GraphJournal journal)
    {
        if (snapshot.AppId is { } app)
        {
            g.Directory.Forget(app);
            journal.Forget(app);
        }
        else
        {
            g.Directory.ForgetAll();
            journal.ForgetAll();
        }
        g.Dispatcher.Wake();
    }

    /// <summary>POST /_pagebox/apps/{app}/reset: the app's world as if nothing had happened yet (ResetApp says what
    /// goes and what stays).</summary>
    public static async Task<IResult> ResetAsync(string app, GraphServices g, GraphJournal journal)
    {
        var existed = await g.Store.WriteAsync(s =>
        {
            if (s.GetApp(app) is null)
                return false;
            s.Apply(new ResetApp(app));
            return true;
        });
        if (!existed)
            return WorldApi.Error(404, $"Unknown app {app}");
        journal.Forget(app);
        return Results.NoContent();
    }
}
