using System.Text.RegularExpressions;

namespace Pagebox.Domain.Campaigns;

/// <summary>
/// <c>{{first_name}}</c>, <c>{{last_name}}</c> and <c>{{full_name}}</c> in titles, subtitles and texts (Meta: "For a
/// user named John Doe, the rendered message title will be 'New sale for you, John!'"). Any other <c>{{…}}</c> cannot
/// be resolved (2300038). The first name is the name up to its first space, the last name the rest.
/// </summary>
public static partial class PersonalizationMacros
{
    [GeneratedRegex(@"\{\{([^{}]*)\}\}")]
    private static partial Regex Macro();

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "first_name",
        "last_name",
        "full_name",
    };

    public static bool HasUnknown(string text) => Macro().Matches(text).Any(m => !Known.Contains(m.Groups[1].Value));

    public static string Render(string text, string fullName)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
            return text;
        var space = fullName.IndexOf(' ', StringComparison.Ordinal);
        var first = space < 0 ? fullName : fullName[..space];
        var last = space < 0 ? "" : fullName[(space + 1)..];
        return Macro()
            .Replace(
                text,
                m =>
                    m.Groups[1].Value switch
                    {
                        "first_name" => first,
                        "last_name" => last,
                        "full_name" => fullName,
                        _ => m.Value,
                    }
            );
    }
}
