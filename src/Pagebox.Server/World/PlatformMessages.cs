using System.Text.Json;

namespace Pagebox.Server.World;

/// <summary>Messages the platform itself puts into a conversation.</summary>
internal static class PlatformMessages
{
    /// <summary>The "Continue messages" re-opt-in prompt (2023 rules) for a token, as a template the inbox can
    /// show.</summary>
    public static string ReOptInPrompt(Domain.Marketing.NotificationToken token)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("attachment");
            w.WriteString("type", "template");
            w.WriteStartObject("payload");
            w.WriteString("template_type", "notification_messages_reoptin");
            w.WriteString("title", token.Title);
            w.WriteString("text", "Continue messages");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
