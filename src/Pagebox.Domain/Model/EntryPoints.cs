namespace Pagebox.Domain.Model;

/// <summary>A post of the Page (made when a person comments and no post is named).</summary>
public sealed record PostRecord(string PostId, string PageId, DateTimeOffset Created);

/// <summary>A person's comment on a Page post; the Page may answer it with one private reply.</summary>
public sealed record CommentRecord(
    string CommentId,
    string PostId,
    string PageId,
    string PersonId,
    string Text,
    DateTimeOffset Created,
    DateTimeOffset? RepliedAt
);

/// <summary>A tick of the Checkbox plugin: the Page may write once to <c>recipient.user_ref</c>.</summary>
public sealed record UserRefRecord(
    string UserRef,
    string PageId,
    string PersonId,
    DateTimeOffset Created,
    DateTimeOffset? UsedAt
);

/// <summary>A persona of the Page (Personas API): a name and picture a message can be sent as.</summary>
public sealed record PersonaRecord(
    string Id,
    string PageId,
    string Name,
    string PictureUrl,
    DateTimeOffset Created,
    DateTimeOffset? Deleted
);
