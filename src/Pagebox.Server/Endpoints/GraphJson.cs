using System.Text;
using System.Text.Json;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// A Graph answer written by hand with a <see cref="Utf8JsonWriter"/> (field selection, paging, batch answers):
/// relaxed escaping as everywhere Pagebox writes JSON (<see cref="RelaxedJson.WriterOptions"/>), sent as
/// <c>application/json; charset=UTF-8</c> like Graph's own answers.
/// </summary>
internal static class GraphJson
{
    public const string ContentType = "application/json; charset=UTF-8";

    public static IResult Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, RelaxedJson.WriterOptions))
            write(w);
        return Text(buffer);
    }

    public static async Task<IResult> WriteAsync(Func<Utf8JsonWriter, Task> write)
    {
        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer, RelaxedJson.WriterOptions))
            await write(w);
        return Text(buffer);
    }

    private static IResult Text(MemoryStream buffer) =>
        Results.Text(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), ContentType);
}
