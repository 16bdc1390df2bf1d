using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Personas;

/// <summary>The Personas API (docs/spec/send-api.md §4.4): create, list, read, and soft-delete a Page's
/// personas.</summary>
public sealed class PersonaCommands(IdGenerator ids)
{
    public const int MaxNameLength = 50;

    public Result<PersonaRecord> Create(
        IStoreSession s,
        PageRecord page,
        string? name,
        string? pictureUrl,
        DateTimeOffset now
    )
    {
        if (string.IsNullOrWhiteSpace(name))
            return DomainError.Missing("name");
        if (Messaging.MessageContentRule.Length(name) > MaxNameLength)
            return DomainError.Invalid("name", $"Param name must be at most {MaxNameLength} characters");
        if (string.IsNullOrWhiteSpace(pictureUrl))
            return DomainError.Missing("profile_picture_url");
        if (!Uri.TryCreate(pictureUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return DomainError.Invalid("profile_picture_url", "Param profile_picture_url must be a URL");
        var persona = new PersonaRecord(ids.PersonaId(), page.Id, name, pictureUrl, now, null);
        s.Apply(new SavePersona(persona));
        return persona;
    }

    /// <summary>Deleting is soft: messages sent as the persona keep it; new sends with it are refused.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Performance",
        "CA1822",
        Justification = "A command of the group, called through the injected instance like its siblings."
    )]
    public DomainError? Delete(IStoreSession s, PageRecord page, string personaId, DateTimeOffset now)
    {
        if (s.GetPersona(personaId) is not { Deleted: null } persona || persona.PageId != page.Id)
            return DomainError.Unsupported("delete", personaId);
        s.Apply(new SavePersona(persona with { Deleted = now }));
        return null;
    }
}
