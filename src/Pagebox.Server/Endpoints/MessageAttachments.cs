using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pagebox.Domain.Model;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The Conversations API's <c>attachments</c> field of a message: its media as the Graph edge
/// <c>{"data":[{"id","mime_type","name","image_data"|"video_data"|"file_url"}]}</c>. Media comes from the stored
/// message object: <c>attachment</c> (a Page's send) or <c>attachments</c> (a person's message). Templates, stickers
/// and fallbacks are not media; a message without media has no <c>attachments</c> field, as Graph leaves out empty
/// edges.
/// </summary>
internal static class MessageAttachments
{
    private sealed record Media(string Type, string? Url);

    public static void Write(Utf8JsonWriter w, string property, StoredMessage m)
    {
        var media = Read(m.MessageJson);
        if (media.Count == 0)
            return;
        w.WriteStartObject(property);
        w.WriteStartArray("data");
        for (var i = 0; i < media.Count; i++)
        {
            var (type, url) = (media[i].Type, media[i].Url);
            w.WriteStartObject();
            w.WriteString("id", Id(m.Mid, i));
            w.WriteString("mime_type", MimeType(type, url));
            w.WriteString("name", Name(type, url, i));
            switch (type)
            {
                case "image" or "video":
                    w.WriteStartObject(type + "_data");
                    if (url is not null)
                    {
                        w.WriteString("url", url);
                        w.WriteString("preview_url", url);
                    }
                    w.WriteEndObject();
                    break;
                default:
                    if (url is not null)
                        w.WriteString("file_url", url);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static List<Media> Read(string json)
    {
        var list = new List<Media>();
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return list;
            if (root.TryGetProperty("attachment", out var one))
                Add(list, one);
            if (root.TryGetProperty("attachments", out var many) && many.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in many.EnumerateArray())
                    Add(list, a);
            }
        }
        catch (JsonException)
        {
            // A stored message is always JSON; an unreadable one simply has no media.
        }
        return list;
    }

    private static void Add(List<Media> list, JsonElement a)
    {
        if (
            a.ValueKind != JsonValueKind.Object
            || !a.TryGetProperty("type", out var t)
            || t.ValueKind != JsonValueKind.String
        )
            return;
        var type = t.GetString()!.ToLowerInvariant();
        if (type is not ("image" or "video" or "audio" or "file"))
            return;
        string? url = null;
        if (
            a.TryGetProperty("payload", out var payload)
            && payload.ValueKind == JsonValueKind.Object
            && payload.TryGetProperty("url", out var u)
            && u.ValueKind == JsonValueKind.String
        )
            url = u.GetString();
        list.Add(new Media(type, url));
    }

    /// <summary>A numeric id, stable for the message and the attachment's place in it (Meta's are numeric
    /// strings).</summary>
    private static string Id(string mid, int index)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{mid}#{index}"));
        var n = BitConverter.ToUInt64(hash, 0) % 900_000_000_000_000UL + 100_000_000_000_000UL;
        return n.ToString(CultureInfo.InvariantCulture);
    }

    private static string? FileName(string? url) =>
        url is not null
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && Path.GetFileName(uri.AbsolutePath) is { Length: > 0 } name
            ? name
            : null;

    private static string Name(string type, string? url, int index) => FileName(url) ?? $"{type}-{index + 1}";

    private static string MimeType(string type, string? url)
    {
        var ext = Path.GetExtension(FileName(url) ?? "").ToLowerInvariant();
        return ext switch
        {
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".jpg" or ".jpeg" => "image/jpeg",
            ".mp4" => "video/mp4",
            ".mov" => "video/quicktime",
            ".mp3" => "audio/mpeg",
            ".m4a" => "audio/mp4",
            ".ogg" => "audio/ogg",
            ".wav" => "audio/wav",
            ".pdf" => "application/pdf",
            _ => type switch
            {
                "image" => "image/jpeg",
                "video" => "video/mp4",
                "audio" => "audio/mpeg",
                _ => "application/octet-stream",
            },
        };
    }
}
