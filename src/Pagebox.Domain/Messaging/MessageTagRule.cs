using Pagebox.Domain.Errors;

namespace Pagebox.Domain.Messaging;

/// <summary>
/// What a message tag allows, whoever the recipient is (PSID, notification message token, comment, user_ref):
/// 1. CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE and POST_PURCHASE_UPDATE are retired: from 2026-04-27 00:00 UTC on the
///    app's clock every request carrying one is refused with code 100 (Meta's send-messages page: "Effective April
///    27th, 2026, all API requests containing the Message Tags CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE, and
///    POST_PURCHASE_UPDATE will receive error code 100").
/// 2. CUSTOMER_FEEDBACK only with the customer feedback template (<c>template_type: customer_feedback</c>): "the tag
///    can only be used with the customer feedback template. Use in any other form is prohibited and will fail".
/// 3. HUMAN_AGENT only for an app with the Human Agent permission (App Review; off until granted, as on the platform).
/// "Carrying" means the <c>tag</c> parameter is present, whatever <c>messaging_type</c> says (the stricter reading of
/// "all API requests containing"). The windows of the tags are <see cref="SendPolicy.CheckWindow"/>'s.
/// </summary>
public static class MessageTagRule
{
    /// <summary>The retirement instant: midnight UTC starting 2026-04-27 (Meta gives the day, not the zone).</summary>
    public static readonly DateTimeOffset Retirement = new(2026, 4, 27, 0, 0, 0, TimeSpan.Zero);

    public const string HumanAgent = "HUMAN_AGENT";
    public const string CustomerFeedback = "CUSTOMER_FEEDBACK";
    public const string CustomerFeedbackTemplate = "customer_feedback";

    public static readonly IReadOnlySet<string> RetiredTags = new HashSet<string>(StringComparer.Ordinal)
    {
        "CONFIRMED_EVENT_UPDATE",
        "ACCOUNT_UPDATE",
        "POST_PURCHASE_UPDATE",
    };

    public static bool IsRetired(string? tag, DateTimeOffset now) =>
        tag is not null && RetiredTags.Contains(tag) && now >= Retirement;

    /// <summary>Null when the request's tag (if any) may be used now by this app.</summary>
    public static DomainError? Check(SendCommand cmd, bool humanAgentPermission, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cmd);
        switch (cmd.Tag)
        {
            case null:
                return null;
            case var retired when IsRetired(retired, now):
                return Retired(retired);
            case CustomerFeedback when cmd.Message?.TemplateType != CustomerFeedbackTemplate:
                return DomainError.Invalid(
                    "tag",
                    "Param tag CUSTOMER_FEEDBACK can only be used with the customer feedback template "
                        + "(message[attachment][payload][template_type] customer_feedback)"
                ) with
                {
                    Hint =
                        "the CUSTOMER_FEEDBACK tag is for the customer feedback template only (Meta: \"Use in any "
                        + "other form is prohibited and will fail\")",
                };
            case HumanAgent when !humanAgentPermission:
                return DomainError.Of(DomainErrorKind.HumanAgentPermissionRequired) with
                {
                    Hint =
                        "the app has no Human Agent permission (off by default, as on the platform, where App Review "
                        + "grants it); grant it with PATCH /_pagebox/apps/{app} {\"human_agent_permission\": true}",
                };
            default:
                return null;
        }
    }

    /// <summary>The refusal of a retired tag (also used by <see cref="SendPolicy.CheckWindow"/>).</summary>
    public static DomainError Retired(string tag) =>
        DomainError.Of(DomainErrorKind.DeprecatedTag, tag) with
        {
            Hint =
                $"tag {tag} was retired on 2026-04-27 (app clock, UTC); outside the 24-hour window use HUMAN_AGENT "
                + $"(7 days, Human Agent permission), a UTILITY template or marketing messages",
        };
}
