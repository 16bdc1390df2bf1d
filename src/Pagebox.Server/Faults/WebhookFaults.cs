using System.Text.Json;

namespace Pagebox.Server.Faults;

/// <summary>What a webhook fault does to the bytes of a POST.</summary>
internal static class WebhookFaults
{
    /// <summary>A webhook POST is not held back longer than this: with the answer timeout it must fit in the
    /// dispatcher's one-minute lease.</summary>
    public const int MaxLatencyMs = 30_000;

    /// <summary>
    /// The envelope with its <c>entry</c> array in reverse order. Each entry keeps its exact bytes (Meta's escaping
    /// included) and everything around the array is untouched; the result is signed like any body. A body with fewer
    /// than two entries, or not shaped like an envelope, comes back as it is.
    /// </summary>
    public static byte[] ReverseEntries(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return body;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEntry = reader.ValueTextEquals("entry"u8);
            reader.Read();
            if (!isEntry || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }

            var open = (int)reader.TokenStartIndex;
            var items = new List<Range>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                items.Add(start..(int)reader.BytesConsumed);
            }
            if (items.Count < 2)
                return body;

            var close = (int)reader.TokenStartIndex;
            using var result = new MemoryStream(body.Length);
            result.Write(body, 0, open + 1);
            for (var i = items.Count - 1; i >= 0; i--)
            {
                result.Write(body.AsSpan(items[i]));
                if (i > 0)
                    result.WriteByte((byte)',');
            }
            result.Write(body, close, body.Length - close);
            return result.ToArray();
        }
        return body;
    }
}
