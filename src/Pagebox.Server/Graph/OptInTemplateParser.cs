using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;

namespace Pagebox.Server.Graph;

/// <summary>
/// The notification_messages template's fields: strings as sent, enums read from their wire names (<see
/// cref="MarketingWire"/>), a wrong name kept as its refusal; the Domain's OptInTemplateRule judges them in its
/// order. A field of the wrong JSON type is refused here, before the rule.
/// </summary>
internal static class OptInTemplateParser
{
    private const string Prefix = "message[attachment][payload]";
    private const string Frequencies = "DAILY, WEEKLY, MONTHLY";
    private const string ReOptIns = "ENABLED, DISABLED";

    private delegate bool WireReader<T>(string wire, out T value);

    public static Result<OptInTemplate> Parse(JsonElement payload)
    {
        var fields = new Fields();
        var elements = Elements(payload, fields);
        if (!elements.IsAccepted)
            return elements.Error;
        var template = new OptInTemplate(
            fields.Text(payload, "title", Prefix),
            fields.Text(payload, "payload", Prefix),
            fields.Text(payload, "image_url", Prefix),
            fields.Enum<ImageAspectRatio>(
                payload,
                "image_aspect_ratio",
                Prefix,
                MarketingWire.TryParse,
                "HORIZONTAL, SQUARE"
            ),
            fields.Enum<CtaText>(
                payload,
                "notification_messages_cta_text",
                Prefix,
                MarketingWire.TryParse,
                "ALLOW, GET, GET_UPDATES, OPT_IN, SIGN_UP"
            ),
            fields.Text(payload, "notification_messages_timezone", Prefix),
            fields.Enum<TokenFrequency>(
                payload,
                "notification_messages_frequency",
                Prefix,
                MarketingWire.TryParse,
                Frequencies
            ),
            fields.Enum<ReOptIn>(payload, "notification_messages_reoptin", Prefix, MarketingWire.TryParse, ReOptIns),
            elements.Value.List
        );
        return fields.Error is null ? template : fields.Error;
    }

    /// <summary>The carousel's cards; null when there is no <c>elements</c>. Not an array, or a card not an object,
    /// is refused at once.</summary>
    private static Result<ElementList> Elements(JsonElement payload, Fields fields)
    {
        if (!payload.TryGetProperty("elements", out var list) || list.ValueKind == JsonValueKind.Null)
            return new ElementList(null);
        if (list.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid($"{Prefix}[elements]", $"Param {Prefix}[elements] must be an array");
        var elements = new List<OptInElement>();
        foreach (var e in list.EnumerateArray())
        {
            var path = $"{Prefix}[elements][{elements.Count}]";
            if (e.ValueKind != JsonValueKind.Object)
                return DomainError.Invalid(path, $"Param {path} must be an object");
            elements.Add(
                new OptInElement(
                    fields.Text(e, "title", path),
                    fields.Text(e, "payload", path),
                    fields.Text(e, "image_url", path),
                    fields.Enum<TokenFrequency>(
                        e,
                        "notification_messages_frequency",
                        path,
                        MarketingWire.TryParse,
                        Frequencies
                    ),
                    fields.Enum<ReOptIn>(e, "notification_messages_reoptin", path, MarketingWire.TryParse, ReOptIns)
                )
            );
        }
        return new ElementList(elements);
    }

    private sealed record ElementList(IReadOnlyList<OptInElement>? List);

    /// <summary>Reads the template's fields and keeps the first one of the wrong JSON type.</summary>
    private sealed class Fields
    {
        public DomainError? Error { get; private set; }

        /// <summary>A string field; null when absent, JSON null or not a string (then <see cref="Error"/>).</summary>
        public string? Text(JsonElement obj, string name, string path)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind == JsonValueKind.String)
                return v.GetString();
            Error ??= DomainError.Invalid($"{path}[{name}]", $"Param {path}[{name}] must be a string");
            return null;
        }

        /// <summary>An enum field by its wire name: null when absent; a name outside <paramref name="allowed"/> is
        /// its refusal, for the rule to report in its order.</summary>
        public Result<T>? Enum<T>(JsonElement obj, string name, string path, WireReader<T> read, string allowed)
            where T : struct
        {
            if (Text(obj, name, path) is not { } wire)
                return null;
            return read(wire, out var value)
                ? Result<T>.Accept(value)
                : DomainError.Invalid($"{path}[{name}]", $"Param {path}[{name}] must be one of {{{allowed}}}");
        }
    }
}
