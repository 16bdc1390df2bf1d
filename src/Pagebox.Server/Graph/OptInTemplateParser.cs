using System.Text.Json;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Graph;

/// <summary>The notification_messages template's fields as raw strings; the Domain's OptInTemplateRule judges
/// them.</summary>
internal static class OptInTemplateParser
{
    private const string Prefix = "message[attachment][payload]";

    public static Result<Domain.Marketing.OptInTemplate> Parse(JsonElement payload)
    {
        var error = (DomainError?)null;
        string? Text(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.String)
                return v.GetString();
            error ??= DomainError.Invalid($"{path}[{name}]", $"Param {path}[{name}] must be a string");
            return null;
        }

        List<Domain.Marketing.OptInElement>? elements = null;
        if (payload.TryGetProperty("elements", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
                return DomainError.Invalid($"{Prefix}[elements]", $"Param {Prefix}[elements] must be an array");
            elements = [];
            var i = 0;
            foreach (var e in list.EnumerateArray())
            {
                var path = $"{Prefix}[elements][{i++}]";
                if (e.ValueKind != JsonValueKind.Object)
                    return DomainError.Invalid(path, $"Param {path} must be an object");
                elements.Add(
                    new Domain.Marketing.OptInElement(
                        Text(e, "title", path),
                        Text(e, "payload", path),
                        Text(e, "image_url", path),
                        Text(e, "notification_messages_frequency", path),
                        Text(e, "notification_messages_reoptin", path)
                    )
                );
            }
        }
        var template = new Domain.Marketing.OptInTemplate(
            Text(payload, "title", Prefix),
            Text(payload, "payload", Prefix),
            Text(payload, "image_url", Prefix),
            Text(payload, "image_aspect_ratio", Prefix),
            Text(payload, "notification_messages_cta_text", Prefix),
            Text(payload, "notification_messages_timezone", Prefix),
            Text(payload, "notification_messages_frequency", Prefix),
            Text(payload, "notification_messages_reoptin", Prefix),
            elements
        );
        return error is null ? template : error;
    }
}
