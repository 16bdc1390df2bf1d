using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Pagebox.Contracts;
using Pagebox.Domain.Errors;

namespace Pagebox.Server.Errors;

/// <summary>How one domain error looks on the wire.</summary>
internal readonly record struct GraphErrorShape(
    int HttpStatus,
    string Type,
    int Code,
    int? Subcode,
    string Message,
    bool Transient = false
);

/// <summary>
/// The only place that knows Graph's error codes (docs/spec/send-api.md §1.6, §7; docs/spec/marketing-messages.md §6).
/// API errors are prefixed "(#code) "; token errors (190, 104) and appsecret_proof errors are not, as Graph does.
/// </summary>
internal static class GraphErrors
{
    private const string OAuth = "OAuthException";
    private const string Method = "GraphMethodException";

    public static GraphErrorShape Shape(DomainError e) =>
        e.Kind switch
        {
            DomainErrorKind.InvalidParameter => new(
                400,
                OAuth,
                100,
                null,
                $"(#100) {e.Detail ?? $"Invalid parameter {e.Parameter}"}"
            ),
            DomainErrorKind.MissingParameter => new(
                400,
                OAuth,
                100,
                null,
                $"(#100) The parameter {e.Parameter} is required"
            ),
            DomainErrorKind.MalformedBody => new(
                400,
                OAuth,
                100,
                null,
                $"(#100) {e.Detail ?? "The request body could not be parsed"}"
            ),
            DomainErrorKind.BodyTooLarge => new(
                400,
                OAuth,
                100,
                null,
                $"(#100) {e.Detail ?? "The request body is too large"}"
            ),
            DomainErrorKind.MissingAccessToken => new(
                400,
                OAuth,
                104,
                null,
                "An access token is required to request this resource."
            ),
            DomainErrorKind.InvalidAccessToken => new(
                400,
                OAuth,
                190,
                null,
                e.Detail ?? "Invalid OAuth access token - Cannot parse access token"
            ),
            DomainErrorKind.InvalidAppSecretProof => new(
                400,
                Method,
                100,
                null,
                "Invalid appsecret_proof provided in the API argument"
            ),
            DomainErrorKind.AppSecretProofRequired => new(
                400,
                Method,
                100,
                null,
                "API calls from the server require an appsecret_proof argument"
            ),
            DomainErrorKind.UnsupportedRequest => new(
                400,
                Method,
                100,
                33,
                $"Unsupported {e.Verb ?? "post"} request. Object with ID '{e.Parameter}' does not exist, cannot be "
                    + $"loaded due to missing permissions, or does not support this operation. Please read the Graph "
                    + $"API documentation at https://developers.facebook.com/docs/graph-api"
            ),
            DomainErrorKind.AppTokenRequired => new(
                400,
                OAuth,
                15,
                null,
                "(#15) This method must be called with an app access_token."
            ),
            DomainErrorKind.UnknownPath => new(400, OAuth, 2500, null, $"Unknown path components: {e.Parameter}"),

            DomainErrorKind.UnknownRecipient => new(400, OAuth, 100, 2018001, "(#100) No matching user found"),
            DomainErrorKind.OutsideWindow => new(
                400,
                OAuth,
                10,
                2018278,
                "(#10) This message is sent outside of allowed window. Learn more about the new policy here: "
                    + "https://developers.facebook.com/docs/messenger-platform/policy-overview"
            ),
            DomainErrorKind.MessageAndSenderAction => new(
                400,
                OAuth,
                100,
                2018014,
                "(#100) Cannot send both message and state at the same time."
            ),
            DomainErrorKind.EmptyMessage => new(400, OAuth, 100, 2018034, "(#100) Message cannot be empty."),
            DomainErrorKind.PersonBlockedPage => new(
                400,
                OAuth,
                551,
                1545041,
                "(#551) This person isn't available right now."
            ),
            DomainErrorKind.MessagingDisabled => new(
                400,
                OAuth,
                10904,
                null,
                "(#10904) The page has messages disabled in the settings"
            ),
            DomainErrorKind.NoMessagingPermission => new(
                403,
                OAuth,
                200,
                null,
                "(#200) Permissions error: the app does not have the pages_messaging permission for this Page"
            ),
            DomainErrorKind.CommerceDisabled => new(
                400,
                OAuth,
                2022,
                null,
                "(#2022) The ability to send commerce messages has been temporarily disabled for this application."
            ),
            DomainErrorKind.PageRestricted => new(
                400,
                OAuth,
                10,
                1893063,
                "(#10) You are temporarily restricted from sending messages."
            ),
            DomainErrorKind.PageBlockedForAbuse => new(
                400,
                OAuth,
                368,
                null,
                "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
            ),
            DomainErrorKind.HumanAgentPermissionRequired => new(
                400,
                OAuth,
                10,
                2018065,
                "(#10) This message is sent outside of allowed window. You need the Human Agent permission to be "
                    + "able to do it."
            ),
            DomainErrorKind.RateLimited => new(
                400,
                OAuth,
                613,
                null,
                "(#613) Calls to this api have exceeded the rate limit.",
                Transient: true
            ),
            // Observed since 2026-04-27: code 100 "Invalid parameter", subcode 1893061; what Pagebox adds goes in
            // X-Pagebox-Hint.
            DomainErrorKind.DeprecatedTag => new(400, OAuth, 100, 1893061, "(#100) Invalid parameter"),

            DomainErrorKind.ActivityAlreadyReplied => new(
                400,
                OAuth,
                10900,
                null,
                "(#10900) Activity already replied to"
            ),
            DomainErrorKind.CannotReplyToActivity => new(
                400,
                OAuth,
                10903,
                null,
                "(#10903) This user cant reply to this activity"
            ),
            DomainErrorKind.CallbackVerificationFailed => new(
                400,
                OAuth,
                2200,
                null,
                $"(#2200) callback verification failed: {e.Detail}"
            ),

            DomainErrorKind.OptInRequestDuplicate => new(
                400,
                OAuth,
                613,
                1893016,
                "(#613) Scope of service exceeded: You may not send multiple opt-in requests with the same topic to "
                    + "a user."
            ),
            DomainErrorKind.OptInVolumeLimit => new(400, OAuth, 9, 2018352, "(#9) User is performing too many actions"),
            DomainErrorKind.OptInRequestsBarred => new(
                400,
                OAuth,
                10,
                1404170,
                "(#10) Application does not have permission for this action"
            ),
            DomainErrorKind.MarketingTooSoon => new(
                403,
                OAuth,
                4,
                2018354,
                "(#4) Marketing Messages - There has to be a minimum delay between 2 notifications for the given "
                    + "notification",
                Transient: true
            ),
            DomainErrorKind.TokenStopped => new(
                400,
                OAuth,
                10,
                1893015,
                "(#10) This user has currently stopped notification messages for this topic"
            ),
            DomainErrorKind.TokenInvalid => new(400, OAuth, 100, null, "(#100) notification_messages_token is invalid"),
            DomainErrorKind.TokenExpired => new(
                400,
                OAuth,
                100,
                null,
                "(#100) notification_messages_token has expired"
            ),
            DomainErrorKind.MarketingRetired => new(
                400,
                OAuth,
                12,
                null,
                "(#12) Marketing messages (Recurring Notifications) on Messenger are deprecated and no longer "
                    + "available (retired policy profile)"
            ),
            DomainErrorKind.FollowUpNotAllowed => new(
                400,
                OAuth,
                100,
                null,
                $"(#100) {e.Detail ?? "Follow-up message not allowed"}"
            ),

            DomainErrorKind.AttachmentTypeMismatch => new(
                400,
                OAuth,
                100,
                2018047,
                $"(#100) Upload attachment failure. {e.Detail ?? "The attachment type does not match the file"}"
            ),
            DomainErrorKind.AttachmentTooLarge => new(
                400,
                OAuth,
                100,
                2018109,
                "(#100) Attachment size exceeds allowable limit"
            ),
            DomainErrorKind.InvalidAttachmentId => new(
                400,
                OAuth,
                100,
                2018074,
                $"(#100) Param {e.Parameter ?? "attachment_id"} does not name an attachment of this Page (unknown, "
                    + $"another Page's, or expired after 90 days)"
            ),
            DomainErrorKind.ThreadOwnedByAnotherApp => new(
                400,
                OAuth,
                10,
                2018300,
                "(#10) Message failed to send because another app is controlling this thread now."
            ),
            DomainErrorKind.NotThreadOwner => new(
                400,
                OAuth,
                10,
                null,
                $"(#10) {e.Detail ?? "Your app does not control this thread"}"
            ),
            DomainErrorKind.BlockedByPolicy => new(
                400,
                OAuth,
                368,
                null,
                "(#368) The action attempted has been deemed abusive or is otherwise disallowed"
            ),
            DomainErrorKind.TokenOfAnotherApp => new(
                400,
                OAuth,
                100,
                null,
                "(#100) The App_id in the input_token did not match the Viewing App"
            ),
            DomainErrorKind.PermissionRequired => new(
                403,
                OAuth,
                200,
                null,
                $"(#200) Requires {e.Parameter} permission to manage the object"
            ),
            DomainErrorKind.PaidMarketing when e.PaidReason is { } reason => PaidMarketingErrors.Shape(
                reason,
                e.Detail
            ),
            _ => new(500, OAuth, 1, 99, "An unknown error occurred"),
        };

    /// <summary>Unix seconds rounded up: at the second reported, the instant has been reached.</summary>
    public static long CeilingUnixSeconds(DateTimeOffset t)
    {
        var seconds = t.ToUnixTimeSeconds();
        return t > DateTimeOffset.FromUnixTimeSeconds(seconds) ? seconds + 1 : seconds;
    }

    public static IResult Result(DomainError error) => new GraphErrorResult(error);

    /// <summary>
    /// The store's database cannot be reached: Graph's code 2, "Please retry your request later", with is_transient
    /// (docs/spec/send-api.md §7), on HTTP 500 as Graph answers it.
    /// </summary>
    public static IResult Unavailable() =>
        new GraphErrorResult(
            null,
            new GraphErrorShape(
                500,
                OAuth,
                2,
                null,
                "An unexpected error has occurred. Please retry your request later.",
                Transient: true
            )
        );

    // Every shape this table knows, for the defaults of an error no domain error names.
    private static readonly GraphErrorShape[] Known =
    [
        .. Enum.GetValues<DomainErrorKind>().Select(k => Shape(new DomainError(k))),
    ];

    /// <summary>
    /// An error no domain error names: an injected fault (docs/spec/control-api.md, "Faults"). Status and type default
    /// to what this table uses for the same code and subcode, else for the same code, else 400 and OAuthException.
    /// </summary>
    public static IResult Result(int code, int? subcode, string? message, int? httpStatus, string? type)
    {
        var i = Array.FindIndex(Known, s => s.Code == code && s.Subcode == subcode);
        if (i < 0)
            i = Array.FindIndex(Known, s => s.Code == code);
        var shape = new GraphErrorShape(
            httpStatus ?? (i >= 0 ? Known[i].HttpStatus : 400),
            type ?? (i >= 0 ? Known[i].Type : OAuth),
            code,
            subcode,
            message ?? $"(#{code}) Injected fault"
        );
        return new GraphErrorResult(null, shape);
    }

    public static string NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', 'A').Replace('/', 'B');
    }

    /// <summary>
    /// The envelope exactly as the platform renders it: message, type, code, error_subcode, is_transient, fbtrace_id.
    /// Nothing Pagebox-only goes in it (a bot that read such a field would break in production); what Pagebox knows
    /// beyond it is in <see cref="Hint"/>.
    /// </summary>
    public static GraphErrorEnvelope Envelope(DomainError error, out GraphErrorShape shape)
    {
        shape = Shape(error);
        // Only the successor API documents error_data (remaining_seconds on its waiting refusals).
        JsonElement? data = null;
        if (error.RemainingSeconds is { } remaining)
            data = JsonSerializer.SerializeToElement(
                new Dictionary<string, long> { ["remaining_seconds"] = remaining },
                ErrorDataContext.Default.DictionaryStringInt64
            );
        return new GraphErrorEnvelope(
            new GraphError(shape.Message, shape.Type, shape.Code, shape.Subcode, NewTraceId())
            {
                IsTransient = shape.Transient ? true : null,
                ErrorData = data,
            }
        );
    }

    /// <summary>The response header that carries Pagebox's explanation of a refusal (never part of the Graph
    /// body).</summary>
    public const string HintHeader = "X-Pagebox-Hint";

    /// <summary>
    /// Pagebox's explanation of a refusal, for the developer: what the rule saw (the next eligible time of a token, the
    /// switch that is on, …). Null when there is nothing to add to the platform's message.
    /// </summary>
    public static string? Hint(DomainError error)
    {
        var parts = new List<string>(2);
        if (error.NextEligibleTime is { } next)
            parts.Add(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"next_eligible_time {CeilingUnixSeconds(next)} ("
                        + $"{next.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}): the token may carry its "
                        + $"next regular marketing message then"
                )
            );
        if (error.Hint is { } hint)
            parts.Add(hint);
        return parts.Count == 0 ? null : HeaderSafe(string.Join("; ", parts));
    }

    /// <summary>Header values are ASCII without control characters: anything else becomes '?'.</summary>
    private static string HeaderSafe(string text) =>
        string.Create(
            text.Length,
            text,
            (span, t) =>
            {
                for (var i = 0; i < t.Length; i++)
                    span[i] = t[i] is >= ' ' and <= '~' ? t[i] : '?';
            }
        );
}

/// <summary>Writes the Graph error envelope with the platform's headers (WWW-Authenticate on token errors).</summary>
/// <remarks>Made from a <see cref="DomainError"/>, or, without one, from a shape as given (an injected
/// fault).</remarks>
internal sealed class GraphErrorResult(DomainError? error, GraphErrorShape given = default) : IResult
{
    public DomainError? Error => error;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var shape = given;
        var envelope = error is not null
            ? GraphErrors.Envelope(error, out shape)
            : new GraphErrorEnvelope(
                new GraphError(shape.Message, shape.Type, shape.Code, shape.Subcode, GraphErrors.NewTraceId())
                {
                    IsTransient = shape.Transient ? true : null,
                }
            );
        var response = httpContext.Response;
        httpContext.Features.Set(new Hosting.GraphRefusal(shape.Code, shape.Subcode)); // for the metrics
        // suppress_response_codes=true: Graph answers 200 and leaves the error in the body (JavaScript SDKs use it).
        var suppress =
            httpContext.Request.Query.TryGetValue("suppress_response_codes", out var v)
            && v.ToString() is "true" or "1";
        response.StatusCode = suppress ? StatusCodes.Status200OK : shape.HttpStatus;
        // Graph names a bad token invalid_token and a missing one invalid_request.
        if (shape.Code is 190 or 104)
            response.Headers.WWWAuthenticate =
                $"OAuth \"Facebook Platform\" \"{(shape.Code == 104 ? "invalid_request" : "invalid_token")}\" \""
                + $"{shape.Message}\"";
        response.Headers["x-fb-trace-id"] = envelope.Error.FbtraceId;
        if (error is not null && GraphErrors.Hint(error) is { } hint)
            response.Headers[GraphErrors.HintHeader] = hint;
        // Throttled: the Business Use Case usage header says which Page hit its limit (docs/spec/send-api.md §8).
        if (error?.Kind == DomainErrorKind.RateLimited && error.Parameter is { } pageId)
            response.Headers["X-Business-Use-Case-Usage"] =
                $"{{\""
                + $"{pageId}\":[{{\"type\":\"messenger\",\"call_count\":100,\"total_cputime\":1,\"total_time\":1,"
                + $"\"estimated_time_to_regain_access\":0}}]}}";
        return response.WriteAsJsonAsync(
            envelope,
            PageboxJson.Wire.GraphErrorEnvelope,
            contentType: "application/json; charset=UTF-8"
        );
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, long>))]
internal sealed partial class ErrorDataContext : System.Text.Json.Serialization.JsonSerializerContext;
