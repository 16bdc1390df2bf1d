namespace Pagebox.Domain.Errors;

/// <summary>
/// The closed set of reasons the platform refuses a request. Only Server/Errors/GraphErrors.cs knows
/// how each one looks on the wire (code, subcode, type, HTTP status, message).
/// </summary>
public enum DomainErrorKind
{
    /// <summary>A bug or an infrastructure failure: Graph's unknown error (code 1).</summary>
    Internal = 0,

    // Request shape and authentication.
    InvalidParameter = 1,
    MissingParameter = 2,
    MalformedBody = 3,
    BodyTooLarge = 4,
    MissingAccessToken = 5,
    InvalidAccessToken = 6,
    InvalidAppSecretProof = 7,
    AppSecretProofRequired = 8,
    UnsupportedRequest = 9,
    UnknownPath = 10,
    AppTokenRequired = 11,

    // Standard messaging.
    UnknownRecipient = 20,
    OutsideWindow = 21,
    MessageAndSenderAction = 22,
    EmptyMessage = 23,
    PersonBlockedPage = 24,
    MessagingDisabled = 25,
    NoMessagingPermission = 26,
    CommerceDisabled = 27,
    PageRestricted = 28,
    RateLimited = 29,
    DeprecatedTag = 30,
    ActivityAlreadyReplied = 31,
    CannotReplyToActivity = 32,
    HumanAgentPermissionRequired = 33,
    PageBlockedForAbuse = 34,

    // Webhook subscriptions.
    CallbackVerificationFailed = 40,

    // Marketing messages.
    OptInRequestDuplicate = 60,
    OptInVolumeLimit = 61,
    OptInRequestsBarred = 62,
    MarketingTooSoon = 63,
    TokenStopped = 64,
    TokenInvalid = 65,
    TokenExpired = 66,
    MarketingRetired = 67,
    FollowUpNotAllowed = 68,

    // Attachments (Attachment Upload API and attachment_id on sends).
    AttachmentTypeMismatch = 70,
    AttachmentTooLarge = 71,
    InvalidAttachmentId = 72,

    // Handover protocol (conversation routing).
    ThreadOwnedByAnotherApp = 80,
    NotThreadOwner = 81,

    // The platform's policy enforcement (messaging_policy_enforcement block).
    BlockedByPolicy = 90,

    // Tenancy: one app's credentials never reach another app's.
    TokenOfAnotherApp = 91,

    // Marketing Messages API for Messenger (the successor, Domain/Campaigns): the reason is DomainError.PaidReason.
    PaidMarketing = 92,
    PermissionRequired = 93,

    // The world face (docs/spec/control-api.md): an unknown app, Page, person or message is a 404, a change the
    // world's state forbids a 409; its invalid input is InvalidParameter (400). The Detail is the whole message.
    NotFound = 100,
    Conflict = 101,
}

/// <summary>A refusal decided by a rule. <see cref="Parameter"/> names the offending parameter where there is
/// one.</summary>
public sealed record DomainError(DomainErrorKind Kind, string? Parameter = null, string? Detail = null)
{
    /// <summary>For <see cref="DomainErrorKind.MarketingTooSoon"/>: when the token may be used again.</summary>
    public DateTimeOffset? NextEligibleTime { get; init; }

    /// <summary>For <see cref="DomainErrorKind.UnsupportedRequest"/>: the HTTP verb and object id of the
    /// request.</summary>
    public string? Verb { get; init; }

    /// <summary>
    /// Why the rule refused, for the developer, in plain words. Never part of the platform's answer (Meta sends no such
    /// text): the Server puts it in the <c>X-Pagebox-Hint</c> response header.
    /// </summary>
    public string? Hint { get; init; }

    /// <summary>For <see cref="DomainErrorKind.PaidMarketing"/>: which of the successor API's refusals.</summary>
    public Campaigns.PaidMarketingReason? PaidReason { get; init; }

    /// <summary>For waiting-type refusals of the successor API: how long until a retry can succeed.</summary>
    public long? RemainingSeconds { get; init; }

    public static DomainError Invalid(string parameter, string detail) =>
        new(DomainErrorKind.InvalidParameter, parameter, detail);

    public static DomainError Missing(string parameter) => new(DomainErrorKind.MissingParameter, parameter);

    public static DomainError Unsupported(string verb, string objectId) =>
        new(DomainErrorKind.UnsupportedRequest, objectId) { Verb = verb };

    public static DomainError Of(DomainErrorKind kind, string? detail = null) => new(kind, null, detail);

    /// <summary>The world face's 404: no such <paramref name="what"/>.</summary>
    public static DomainError NotFound(string what, string id) => NotFound($"Unknown {what} {id}");

    /// <summary>The world face's 404, said in <paramref name="message"/>.</summary>
    public static DomainError NotFound(string message) => new(DomainErrorKind.NotFound, null, message);

    /// <summary>The world face's 409: the world's state forbids the change.</summary>
    public static DomainError Conflict(string message) => new(DomainErrorKind.Conflict, null, message);

    /// <summary>The world face's 400: the request itself is wrong, said in <paramref name="message"/>.</summary>
    public static DomainError InvalidRequest(string message) => new(DomainErrorKind.InvalidParameter, null, message);

    public override string ToString() => $"{Kind}({Parameter}: {Detail})";
}

/// <summary>Thrown only inside a store command to abort it with a domain error; the store rolls the command
/// back.</summary>
public sealed class DomainException(DomainError error) : Exception(error.ToString())
{
    public DomainError Error { get; } = error;
}
