using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;

namespace Pagebox.Server.Graph;

/// <summary>
/// The members of a message's template payload as both template readers check them (<see cref="TemplateLimits"/> for
/// the Send API, <see cref="PaidMessageParser"/> for paid marketing messages). Each refusal is code 100 naming the
/// parameter in Graph's bracket form (each reader's <c>at</c> names the owner).
/// </summary>
internal static class PayloadMembers
{
    /// <summary>The items of a required array member, <paramref name="min"/> to <paramref name="max"/> of them;
    /// <paramref name="at"/> names the array itself.</summary>
    public static DomainError? Items(JsonElement owner, string name, string at, int min, int max, out JsonElement array)
    {
        if (!owner.TryGetProperty(name, out array) || array.ValueKind == JsonValueKind.Null)
            return DomainError.Missing(at);
        if (array.ValueKind != JsonValueKind.Array)
            return DomainError.Invalid(at, $"Param {at} must be an array");
        var count = array.GetArrayLength();
        if (count >= min && count <= max)
            return null;
        return DomainError.Invalid(
            at,
            min == max
                ? $"Param {at} must have exactly {min} element"
                : $"Param {at} must have between {min} and {max} elements"
        );
    }

    /// <summary>The one object of an array member that must hold exactly one (<c>elements[0]</c>,
    /// <c>questions[0]</c>); <paramref name="at"/> names the owner.</summary>
    public static DomainError? Single(JsonElement owner, string name, string at, out JsonElement item)
    {
        item = default;
        if (Items(owner, name, $"{at}[{name}]", 1, 1, out var items) is { } error)
            return error;
        item = items[0];
        return Object(item, $"{at}[{name}][0]");
    }

    public static DomainError? Object(JsonElement e, string at) =>
        e.ValueKind == JsonValueKind.Object ? null : DomainError.Invalid(at, $"Param {at} must be an object");

    /// <summary>A string member: type, required (present and not empty), length in characters; its text is added to
    /// <paramref name="collect"/> when given.</summary>
    public static DomainError? Text(
        JsonElement owner,
        string name,
        string at,
        int max,
        bool required,
        List<string>? collect = null
    )
    {
        var param = $"{at}[{name}]";
        if (!owner.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? DomainError.Missing(param) : null;
        if (v.ValueKind != JsonValueKind.String)
            return DomainError.Invalid(param, $"Param {param} must be a string");
        var text = v.GetString()!;
        if (required && text.Length == 0)
            return DomainError.Missing(param);
        if (MessageContentRule.Length(text) > max)
            return DomainError.Invalid(param, $"Length of param {param} must be less than or equal to {max}");
        collect?.Add(text);
        return null;
    }
}
