using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

/// <summary>Body of POST /_pagebox/persons/{person}/reactions.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">A message the person received from the Page.</param>
/// <param name="Emoji">The reaction's emoji (required to react).</param>
/// <param name="Action">react (default) or unreact.</param>
public sealed record ReactionRequest(string? PageId, string? Mid, string? Emoji, string? Action);

/// <summary>Body of POST /_pagebox/persons/{person}/edits.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">A text message the person sent.</param>
/// <param name="Text">The new text.</param>
public sealed record EditRequest(string? PageId, string? Mid, string? Text);

/// <summary>Body of POST /_pagebox/persons/{person}/response-feedback.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">A message an app sent to the person.</param>
/// <param name="Feedback">good (thumbs up) or bad (thumbs down).</param>
public sealed record ResponseFeedbackRequest(string? PageId, string? Mid, string? Feedback);

/// <summary>One answer of POST /_pagebox/persons/{person}/customer-feedback.</summary>
/// <param name="QuestionId">The question's id in the template.</param>
/// <param name="Payload">The score, as the template's scale gives it ("1" … "5" for CSAT).</param>
/// <param name="FollowUp">Free text, for a question with a follow_up.</param>
public sealed record FeedbackAnswerDto(string? QuestionId, string? Payload, string? FollowUp);

/// <summary>Body of POST /_pagebox/persons/{person}/customer-feedback.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">A customer feedback template the person received.</param>
/// <param name="Answers">One per question.</param>
public sealed record CustomerFeedbackRequest(string? PageId, string? Mid, IReadOnlyList<FeedbackAnswerDto>? Answers);

/// <summary>Body naming a Page and a message (POST /_pagebox/persons/{person}/unsend).</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">The message.</param>
public sealed record MessageRefRequest(string? PageId, string? Mid);

/// <summary>Body of POST /_pagebox/persons/{person}/story-mentions.</summary>
/// <param name="PageId">Instagram Page (account).</param>
/// <param name="Url">The story's CDN URL (one is made when absent).</param>
public sealed record StoryMentionRequest(string? PageId, string? Url);

/// <summary>Body of POST /_pagebox/persons/{person}/links.</summary>
/// <param name="Url">m.me/{page}?ref=…, ig.me/m/{page}?ref=…, or m.me/rn/{page}?topic=…&amp;cadence=…</param>
/// <param name="PageId">The Page, when the URL names none (m.me/rn?topic=…).</param>
public sealed record LinkRequest(string? Url, string? PageId);

/// <summary>Body of POST /_pagebox/persons/{person}/send-to-messenger.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Ref">The plugin's data-ref.</param>
public sealed record SendToMessengerRequest(string? PageId, string? Ref);

/// <summary>Body of POST /_pagebox/persons/{person}/ad-clicks.</summary>
/// <param name="PageId">Page.</param>
/// <param name="AdId">The ad.</param>
/// <param name="Ref">The ad's ref, if it has one.</param>
/// <param name="Text">The message the person sends from the ad; none: the person only opens the thread.</param>
/// <param name="AdsContextData">ads_context_data as the webhook shows it (ad_title, photo_url, video_url, post_id,
/// product_id, flow_id).</param>
public sealed record AdClickRequest(
    string? PageId,
    string? AdId,
    string? Ref,
    string? Text,
    JsonElement? AdsContextData
);

/// <summary>Body of POST /_pagebox/pages/{page}/policy-enforcement.</summary>
/// <param name="Action">warning, block or unblock.</param>
/// <param name="Reason">Why (not on unblock); Meta's sample reason when absent.</param>
/// <param name="AppId">The app concerned; the Page's own app when absent.</param>
public sealed record PolicyEnforcementRequest(string? Action, string? Reason, string? AppId);

/// <summary>What a person's action did.</summary>
/// <param name="Psid">The person's PSID on that Page (absent when nothing happened).</param>
public sealed record PersonActionResult(string? Psid)
{
    /// <summary>The message made (story mention, ad message).</summary>
    public string? Mid { get; init; }

    /// <summary>How many times the message is edited now.</summary>
    public int? NumEdit { get; init; }

    /// <summary>The webhook event a link caused: referral, postback or optin.</summary>
    public string? Event { get; init; }

    /// <summary>The token a recurring-notification link made.</summary>
    public string? NotificationMessagesToken { get; init; }
}

/// <summary>A policy enforcement done.</summary>
/// <param name="PageId">Page.</param>
/// <param name="AppId">App.</param>
/// <param name="Action">warning, block or unblock.</param>
public sealed record PolicyEnforcementResult(string PageId, string AppId, string Action);

/// <summary>Source-generated JSON of the person-action wire types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(ReactionRequest))]
[JsonSerializable(typeof(EditRequest))]
[JsonSerializable(typeof(ResponseFeedbackRequest))]
[JsonSerializable(typeof(CustomerFeedbackRequest))]
[JsonSerializable(typeof(MessageRefRequest))]
[JsonSerializable(typeof(StoryMentionRequest))]
[JsonSerializable(typeof(LinkRequest))]
[JsonSerializable(typeof(SendToMessengerRequest))]
[JsonSerializable(typeof(AdClickRequest))]
[JsonSerializable(typeof(PolicyEnforcementRequest))]
[JsonSerializable(typeof(PersonActionResult))]
[JsonSerializable(typeof(PolicyEnforcementResult))]
public sealed partial class PersonActionsJsonContext : JsonSerializerContext
{
    /// <summary>The wire context with the options of <see cref="PageboxJson.Wire"/>.</summary>
    public static PersonActionsJsonContext Wire { get; } = new(PageboxJson.WireOptions());
}
