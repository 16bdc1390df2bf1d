namespace Pagebox.Contracts;

/// <summary>The Send API's answer.</summary>
/// <param name="RecipientId">The PSID the message went to; absent for user_ref sends.</param>
/// <param name="MessageId">The message id; absent for sender actions.</param>
public sealed record SendResponse(string? RecipientId, string? MessageId)
{
    /// <summary>The saved attachment's id, when it was sent with <c>is_reusable: true</c>.</summary>
    public string? AttachmentId { get; init; }
}

/// <summary>Graph's error envelope: <c>{"error":{…}}</c>.</summary>
/// <param name="Error">The error.</param>
public sealed record GraphErrorEnvelope(GraphError Error);

/// <summary>One Graph error, as the platform renders it.</summary>
/// <param name="Message">Developer-facing text, prefixed <c>(#code)</c> for API errors.</param>
/// <param name="Type">OAuthException, GraphMethodException, or PageboxError on the world face.</param>
/// <param name="Code">The error code.</param>
/// <param name="ErrorSubcode">The subcode, omitted when there is none.</param>
/// <param name="FbtraceId">An opaque id of the request.</param>
public sealed record GraphError(string Message, string Type, int Code, int? ErrorSubcode, string? FbtraceId)
{
    /// <summary>Set on throttling errors.</summary>
    public bool? IsTransient { get; init; }

    /// <summary>Extra data where Meta documents it (the successor API's <c>remaining_seconds</c>).</summary>
    public System.Text.Json.JsonElement? ErrorData { get; init; }
}

/// <summary><c>{"success": true}</c>.</summary>
/// <param name="Success">Always true.</param>
public sealed record SuccessResponse(bool Success);

/// <summary>One field of an app subscription.</summary>
/// <param name="Name">The field name.</param>
/// <param name="Version">The Graph version the field is pinned to.</param>
public sealed record SubscriptionField(string Name, string Version);

/// <summary>An item of <c>GET /{APP-ID}/subscriptions</c>.</summary>
/// <param name="Object">page or instagram.</param>
/// <param name="CallbackUrl">Where events are POSTed.</param>
/// <param name="Active">Whether the subscription is active.</param>
/// <param name="Fields">The subscribed fields.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming",
    "CA1720",
    Justification = "Object is the platform's own field name (page, instagram)."
)]
public sealed record AppSubscriptionItem(
    string Object,
    string CallbackUrl,
    bool Active,
    IReadOnlyList<SubscriptionField> Fields
);

/// <summary>An item of <c>GET /{PAGE-ID}/subscribed_apps</c>.</summary>
/// <param name="Category">The app's category.</param>
/// <param name="Link">The app's link.</param>
/// <param name="Name">The app's name.</param>
/// <param name="Id">The app id.</param>
/// <param name="SubscribedFields">The fields this app receives for the Page.</param>
public sealed record SubscribedAppItem(
    string Category,
    string Link,
    string Name,
    string Id,
    IReadOnlyList<string> SubscribedFields
);

/// <summary>A Graph list: <c>{"data":[…]}</c>, with paging where the edge pages.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Data">The items.</param>
public sealed record GraphList<T>(IReadOnlyList<T> Data)
{
    /// <summary>Cursors and next/previous links.</summary>
    public GraphPaging? Paging { get; init; }
}

/// <summary>Graph's paging object.</summary>
/// <param name="Cursors">The before/after cursors.</param>
public sealed record GraphPaging(GraphCursors Cursors)
{
    /// <summary>Absolute URL of the next page; absent on the last page.</summary>
    public string? Next { get; init; }

    /// <summary>Absolute URL of the previous page.</summary>
    public string? Previous { get; init; }
}

/// <summary>Opaque cursors.</summary>
/// <param name="Before">Cursor of the first item.</param>
/// <param name="After">Cursor of the last item.</param>
public sealed record GraphCursors(string Before, string After);

/// <summary>Page node: <c>GET /{PAGE-ID}</c>.</summary>
/// <param name="Id">The Page id.</param>
/// <param name="Name">The Page name.</param>
public sealed record PageNode(string Id, string Name);

/// <summary>A persona (Personas API).</summary>
/// <param name="Name">Shown name.</param>
/// <param name="ProfilePictureUrl">Picture URL.</param>
/// <param name="Id">Persona id, for <c>persona_id</c>.</param>
public sealed record PersonaNode(string Name, string ProfilePictureUrl, string Id);

/// <summary><c>{"id": "…"}</c>: what create-style POSTs answer.</summary>
/// <param name="Id">The new object's id.</param>
public sealed record CreatedId(string Id);
