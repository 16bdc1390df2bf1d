using System.Text.Json;

namespace Pagebox.Server.World;

/// <summary>Finds the postback button a person taps in a message the Page sent (button, generic and media
/// templates).</summary>
internal static class Buttons
{
    public static ((string Title, string Payload)? Button, string? Why) Find(string messageJson, int element, int index)
    {
        using var doc = JsonDocument.Parse(messageJson);
        if (
            !doc.RootElement.TryGetProperty("attachment", out var attachment)
            || !attachment.TryGetProperty("payload", out var payload)
            || payload.ValueKind != JsonValueKind.Object
        )
            return (null, "That message has no buttons");
        JsonElement buttons;
        if (payload.TryGetProperty("buttons", out var direct) && direct.ValueKind == JsonValueKind.Array)
            buttons = direct;
        else if (payload.TryGetProperty("elements", out var elements) && elements.ValueKind == JsonValueKind.Array)
        {
            if (element < 0 || element >= elements.GetArrayLength())
                return (null, $"The message has elements 0..{elements.GetArrayLength() - 1}; got {element}");
            if (!elements[element].TryGetProperty("buttons", out buttons) || buttons.ValueKind != JsonValueKind.Array)
                return (null, $"Element {element} has no buttons");
        }
        else
            return (null, "That message has no buttons");
        if (index < 0 || index >= buttons.GetArrayLength())
            return (null, $"The message has buttons 0..{buttons.GetArrayLength() - 1}; got {index}");
        var button = buttons[index];
        var type =
            button.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "postback")
            return (null, $"Button {index} is a {type ?? "untyped"} button, not a postback button");
        var title =
            button.TryGetProperty("title", out var ti) && ti.ValueKind == JsonValueKind.String ? ti.GetString()! : "";
        var data = button.TryGetProperty("payload", out var pl)
            ? (pl.ValueKind == JsonValueKind.String ? pl.GetString()! : pl.GetRawText())
            : "";
        return ((title, data), null);
    }
}
