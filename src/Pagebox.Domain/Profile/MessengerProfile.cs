using Pagebox.Domain.Errors;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Profile;

/// <summary>
/// The Messenger Profile API (<c>/{PAGE-ID}/messenger_profile</c>): the Page's get_started button, greeting,
/// persistent menu, ice breakers and the rest, kept as the bot sent them. Bots set it at start-up; Pagebox stores it
/// so the inbox and the person's taps can use it.
/// </summary>
public static class MessengerProfile
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "account_linking_url",
        "commands",
        "description",
        "get_started",
        "greeting",
        "ice_breakers",
        "payment_settings",
        "persistent_menu",
        "subject_to_new_eu_privacy_rules",
        "target_audience",
        "title",
        "whitelisted_domains",
        "home_url",
    ];

    private static readonly HashSet<string> Known = new(Fields, StringComparer.Ordinal);

    public static bool IsField(string name) => Known.Contains(name);

    public static DomainError NoFieldError() =>
        DomainError.Invalid("fields", $"Requires one of the params: {string.Join(',', Fields)}");

    /// <summary>Sets the given fields (the rest stay as they were).</summary>
    public static DomainError? Set(IStoreSession s, string pageId, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
            return NoFieldError();
        foreach (var (field, json) in values)
            s.Apply(new SaveProfileField(pageId, field, json));
        return null;
    }

    public static DomainError? Delete(IStoreSession s, string pageId, IReadOnlyList<string> fields)
    {
        foreach (var field in fields)
        {
            if (!IsField(field))
                return DomainError.Invalid(
                    "fields",
                    $"Param fields[{field}] must be one of {{{string.Join(", ", Fields)}}}"
                );
        }
        foreach (var field in fields)
            s.Apply(new DeleteProfileField(pageId, field));
        return null;
    }
}
