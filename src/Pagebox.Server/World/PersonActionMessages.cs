using System.Text;
using System.Text.Json;
using Pagebox.Domain.World;

namespace Pagebox.Server.World;

/// <summary>The JSON side of person actions: reading a customer feedback template, rewriting an edited
/// message.</summary>
internal static class PersonActionMessages
{
    /// <summary>
    /// A stored Page message that is a customer feedback template (<c>attachment.payload.template_type</c>
    /// <c>customer_feedback</c>): the first screen's questions and <c>expires_in_days</c>; null for any other message.
    /// </summary>
    public static FeedbackTemplateFacts? ReadFeedbackTemplate(string messageJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(messageJson);
            var root = doc.RootElement;
            if (
                root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("attachment", out var a)
                || a.ValueKind != JsonValueKind.Object
                || !a.TryGetProperty("payload", out var payload)
                || payload.ValueKind != JsonValueKind.Object
                || !payload.TryGetProperty("template_type", out var tt)
                || tt.ValueKind != JsonValueKind.String
                || tt.GetString() != "customer_feedback"
            )
                return null;
            var questions = new List<FeedbackQuestion>();
            if (
                payload.TryGetProperty("feedback_screens", out var screens)
                && screens.ValueKind == JsonValueKind.Array
                && screens.GetArrayLength() > 0
                && screens[0].ValueKind == JsonValueKind.Object
                && screens[0].TryGetProperty("questions", out var list)
                && list.ValueKind == JsonValueKind.Array
            )
            {
                foreach (var q in list.EnumerateArray())
                {
                    if (q.ValueKind != JsonValueKind.Object)
                        continue;
                    var id =
                        q.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String
                            ? i.GetString()!
                            : null;
                    var type =
                        q.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                            ? t.GetString()!
                            : null;
                    if (id is null || type is null)
                        continue;
                    var followUp = q.TryGetProperty("follow_up", out var f) && f.ValueKind == JsonValueKind.Object;
                    questions.Add(new FeedbackQuestion(id, type.Trim(), followUp));
                }
            }
            int? expires =
                payload.TryGetProperty("expires_in_days", out var e)
                && e.ValueKind == JsonValueKind.Number
                && e.TryGetInt32(out var days)
                    ? days
                    : null;
            return new FeedbackTemplateFacts(questions, expires);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A person's text message with <paramref name="text"/> instead of its text; null unless it is a text
    /// message.</summary>
    public static Func<string, string?> RewriteText(string text) =>
        json =>
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                if (
                    root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("text", out var t)
                    || t.ValueKind != JsonValueKind.String
                    || root.TryGetProperty("attachments", out _)
                )
                    return null;
                using var buffer = new MemoryStream();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    foreach (var property in root.EnumerateObject())
                    {
                        if (property.Name == "text")
                            w.WriteString("text", text);
                        else
                            property.WriteTo(w);
                    }
                    w.WriteEndObject();
                }
                return Encoding.UTF8.GetString(buffer.ToArray());
            }
            catch (JsonException)
            {
                return null;
            }
        };
}
