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
/// (Utf8JsonWriter, JsonDocument): no reflection on this path either.
/// </summary>
internal static class StateApi
{
    /// <summary>The document format's version (the <c>pagebox_state</c> field).</summary>
    public const int FormatVersion = 1;

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

    /// <summary>Reads a document; a malformed one names what is wrong (a JSON path) and nothing is written.</summary>
    public static StateSnapshot Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new StateImportException("the document must be a JSON object");
        if (!root.TryGetProperty("pagebox_state", out var format) || !format.TryGetInt32(out var version))
            throw new StateImportException("pagebox_state is required: this is not a Pagebox state document");
        if (version != FormatVersion)
            throw new StateImportException(
                $"pagebox_state {version} is not supported (this Pagebox reads {FormatVersion})"
            );
        string? app = null;
        if (root.TryGetProperty("app", out var appElement) && appElement.ValueKind != JsonValueKind.Null)
        {
            if (appElement.ValueKind != JsonValueKind.String || appElement.GetString() is not { Length: > 0 } a)
                throw new StateImportException("app must be an app id or null");
            app = a;
        }
        var schema = root.TryGetProperty("schema_version", out var sv) && sv.TryGetInt32(out var s) ? s : 0;
        if (!root.TryGetProperty("tables", out var tables) || tables.ValueKind != JsonValueKind.Object)
            throw new StateImportException("tables must be an object");
        var list = new List<StateTable>();
        foreach (var table in tables.EnumerateObject())
        {
            var where = $"tables.{table.Name}";
            if (table.Value.ValueKind != JsonValueKind.Object)
                throw new StateImportException($"{where} must be an object with columns and rows");
            if (
                !table.Value.TryGetProperty("columns", out var columns)
                || columns.ValueKind != JsonValueKind.Array
                || columns.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String)
            )
                throw new StateImportException($"{where}.columns must be an array of column names");
            if (!table.Value.TryGetProperty("rows", out var rows) || rows.ValueKind != JsonValueKind.Array)
                throw new StateImportException($"{where}.rows must be an array");
            var names = columns.EnumerateArray().Select(c => c.GetString()!).ToList();
            var parsed = new List<object?[]>(rows.GetArrayLength());
            var n = 0;
            foreach (var row in rows.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != names.Count)
                    throw new StateImportException($"{where}.rows[{n}] must be an array of {names.Count} values");
                var values = new object?[names.Count];
                var i = 0;
                foreach (var v in row.EnumerateArray())
                {
                    values[i] = v.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => v.GetString(),
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.Number when v.TryGetInt64(out var l) => l,
                        JsonValueKind.Number => v.GetDouble(),
                        JsonValueKind.Object
                            when v.TryGetProperty("base64", out var b)
                                && b.ValueKind == JsonValueKind.String
                                && b.TryGetBytesFromBase64(out var bytes) => bytes,
                        _ => throw new StateImportException(
                            $"{where}.rows[{n}][{i}]: {v.ValueKind} is not a value ({{\"base64\":…}} holds bytes)"
                        ),
                    };
                    i++;
                }
                parsed.Add(values);
                n++;
            }
            list.Add(new StateTable(table.Name, names, parsed));
        }
        return new StateSnapshot(app, schema, list);
    }

    public static async Task<IResult> ImportAsync(HttpContext http, GraphServices g, GraphJournal journal)
    {
        StateSnapshot snapshot;
        try
        {
            using var doc = await JsonDocument.ParseAsync(
                http.Request.Body,
                new JsonDocumentOptions { MaxDepth = 16 },
                http.RequestAborted
            );
            snapshot = Parse(doc.RootElement);
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
