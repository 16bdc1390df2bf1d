using System.Text.Json;
using System.Text.Json.Serialization;
using Pagebox.Contracts;

namespace Pagebox.Server.Hosting;

/// <summary>
/// The request and response bodies of the OpenAPI documents. The handlers read their bodies by hand (world face:
/// <c>WorldApi.BodyAsync</c> with a Contracts type; Graph face: form, query or JSON, parsed field by field), so the
/// generator cannot see them: this table says, per operation, which type each body is. World-face bodies are the
/// Contracts types themselves; the Graph face's requests are described by the shapes below, which exist only for the
/// documents (Graph's own parameter names, snake_case).
/// </summary>
internal static partial class ApiDocs
{
    /// <summary>One operation's bodies: what it takes (null: no body) and what it answers with which status.</summary>
    internal sealed record Body(Type? Request, Type? Response, string Status = "200");

    /// <summary>A person's action: takes <typeparamref name="TRequest"/>, answers 201 with what it produced.</summary>
    private static Body PersonAction<TRequest>() => new(typeof(TRequest), typeof(PersonActionResult), "201");

    /// <summary>World-face operations (<c>METHOD path</c>, the route's constraints left out).</summary>
    internal static readonly Dictionary<string, Body> WorldBodies = new(StringComparer.Ordinal)
    {
        ["POST _pagebox/apps"] = new(typeof(CreateAppRequest), typeof(AppDto), "201"),
        ["GET _pagebox/apps/{app}"] = new(null, typeof(AppDto)),
        ["PATCH _pagebox/apps/{app}"] = new(typeof(CreateAppRequest), typeof(AppDto)),
        ["POST _pagebox/apps/{app}/pages"] = new(typeof(CreatePageRequest), typeof(PageDto), "201"),
        ["GET _pagebox/apps/{app}/clock"] = new(null, typeof(ClockDto)),
        ["POST _pagebox/apps/{app}/clock"] = new(typeof(ClockRequest), typeof(ClockDto)),
        ["GET _pagebox/apps/{app}/webhook-deliveries"] = new(null, typeof(IReadOnlyList<DeliveryDto>)),
        ["GET _pagebox/apps/{app}/webhook-deliveries/{id}"] = new(null, typeof(DeliveryDetailDto)),
        ["POST _pagebox/apps/{app}/faults"] = new(typeof(FaultRequest), typeof(FaultDto), "201"),
        ["GET _pagebox/apps/{app}/faults"] = new(null, typeof(IReadOnlyList<FaultDto>)),
        ["PATCH _pagebox/pages/{page}"] = new(typeof(PagePatchRequest), typeof(PageDto)),
        ["GET _pagebox/pages/{page}/psids/{psid}"] = new(null, typeof(PsidDto)),
        ["POST _pagebox/persons"] = new(typeof(CreatePersonRequest), typeof(PersonDto), "201"),
        ["POST _pagebox/persons/{person}/messages"] = new(
            typeof(PersonMessageRequest),
            typeof(PersonMessageResult),
            "201"
        ),
        ["POST _pagebox/persons/{person}/reads"] = new(typeof(PageRefRequest), typeof(PsidDto)),
        ["POST _pagebox/persons/{person}/postbacks"] = new(typeof(PostbackRequest), typeof(PsidDto), "201"),
        ["POST _pagebox/persons/{person}/referrals"] = new(typeof(ReferralRequest), typeof(PsidDto), "201"),
        ["POST _pagebox/persons/{person}/comments"] = new(typeof(CommentRequest), typeof(CommentResult), "201"),
        ["POST _pagebox/persons/{person}/checkbox"] = new(typeof(CheckboxRequest), typeof(CheckboxResult), "201"),
        ["POST _pagebox/persons/{person}/optins"] = new(typeof(OptInTapRequest), typeof(OptInTapResult), "201"),
        ["POST _pagebox/persons/{person}/marketing/stop"] = new(
            typeof(MarketingStopRequest),
            typeof(MarketingStopResult)
        ),
        ["POST _pagebox/persons/{person}/marketing/resume"] = new(
            typeof(MarketingStopRequest),
            typeof(MarketingStopResult)
        ),
        ["POST _pagebox/persons/{person}/blocks"] = new(typeof(PageRefRequest), typeof(PsidDto), "201"),
        ["GET _pagebox/persons/{person}/conversations/{page}"] = new(null, typeof(ConversationDto)),
        ["POST _pagebox/persons/{person}/reactions"] = PersonAction<ReactionRequest>(),
        ["POST _pagebox/persons/{person}/edits"] = PersonAction<EditRequest>(),
        ["POST _pagebox/persons/{person}/response-feedback"] = PersonAction<ResponseFeedbackRequest>(),
        ["POST _pagebox/persons/{person}/customer-feedback"] = PersonAction<CustomerFeedbackRequest>(),
        ["POST _pagebox/persons/{person}/unsend"] = PersonAction<MessageRefRequest>(),
        ["POST _pagebox/persons/{person}/story-mentions"] = PersonAction<StoryMentionRequest>(),
        ["POST _pagebox/persons/{person}/links"] = PersonAction<LinkRequest>(),
        ["POST _pagebox/persons/{person}/send-to-messenger"] = PersonAction<SendToMessengerRequest>(),
        ["POST _pagebox/persons/{person}/ad-clicks"] = PersonAction<AdClickRequest>(),
        ["POST _pagebox/pages/{page}/policy-enforcement"] = new(
            typeof(PolicyEnforcementRequest),
            typeof(PolicyEnforcementResult),
            "201"
        ),
        ["GET _pagebox/server"] = new(null, typeof(ServerInfoDto)),
        ["GET _pagebox/apps"] = new(null, typeof(IReadOnlyList<AppListItem>)),
        ["GET _pagebox/apps/{app}/tokens"] = new(null, typeof(IReadOnlyList<TokenRowDto>)),
        ["GET _pagebox/apps/{app}/journal"] = new(null, typeof(IReadOnlyList<JournalEntryDto>)),
        ["GET _pagebox/journal"] = new(null, typeof(IReadOnlyList<JournalEntryDto>)),
        ["GET _pagebox/apps/{app}/pages"] = new(null, typeof(AppPagesDto)),
        ["GET _pagebox/apps/{app}/persons"] = new(null, typeof(AppPersonsDto)),
        ["POST _pagebox/import"] = new(typeof(JsonElement), typeof(StateImportDto)),
        ["GET _pagebox/export"] = new(null, typeof(JsonElement)),
        ["GET _pagebox/pages/{page}/persons"] = new(null, typeof(IReadOnlyList<PagePersonDto>)),
        ["GET _pagebox/pages/{page}/attachments/{id}"] = new(null, typeof(AttachmentDto)),
        ["GET _pagebox/persons"] = new(null, typeof(IReadOnlyList<PersonListItem>)),
        ["GET _pagebox/persons/{person}"] = new(null, typeof(PersonListItem)),
        ["GET _pagebox/persons/{person}/threads/{page}"] = new(null, typeof(ThreadDto)),
        ["POST _pagebox/apps/{app}/ad_accounts"] = new(typeof(AdAccountCreateRequest), typeof(AdAccountDto), "201"),
        ["GET _pagebox/apps/{app}/ad_accounts"] = new(null, typeof(IReadOnlyList<AdAccountDto>)),
        ["GET _pagebox/ad_accounts/{id}"] = new(null, typeof(AdAccountDto)),
        ["PATCH _pagebox/ad_accounts/{id}"] = new(typeof(AdAccountPatchRequest), typeof(AdAccountDto)),
        ["POST _pagebox/persons/{person}/clicks"] = new(typeof(PersonClickRequest), typeof(PersonClickResult), "201"),
        ["PUT _pagebox/persons/{person}/marketing/delivery"] = new(
            typeof(MarketingDeliveryRequest),
            typeof(MarketingDeliveryRequest)
        ),
        ["POST _pagebox/persons/{person}/friend_chats"] = new(
            typeof(FriendChatsRequest),
            typeof(FriendChatsRequest),
            "201"
        ),
        ["PUT _pagebox/persons/{person}/identifiers"] = new(
            typeof(PersonIdentifiersRequest),
            typeof(PersonIdentifiersRequest)
        ),
        ["GET _pagebox/health"] = new(null, typeof(HealthDto)),
        ["GET _pagebox/health/ready"] = new(null, typeof(ReadinessDto)),
    };

    /// <summary>Graph-face operations Pagebox implements with a JSON (or form) body or a JSON answer.</summary>
    internal static readonly Dictionary<string, Body> GraphBodies = new(StringComparer.Ordinal)
    {
        ["POST {id}/messages"] = new(typeof(GraphSendRequest), typeof(SendResponse)),
        ["POST {id}/notification_messages_dev_support"] = new(typeof(GraphDevSupportRequest), typeof(SuccessResponse)),
        ["GET {id}/notification_message_tokens"] = new(null, typeof(GraphTokenList)),
        ["POST {id}/subscriptions"] = new(typeof(GraphSubscribeRequest), typeof(SuccessResponse)),
        ["GET {id}/subscriptions"] = new(null, typeof(GraphList<AppSubscriptionItem>)),
        ["POST {id}/subscribed_apps"] = new(typeof(GraphSubscribedAppsRequest), typeof(SuccessResponse)),
        ["GET {id}/subscribed_apps"] = new(null, typeof(GraphList<SubscribedAppItem>)),
        ["POST {id}/personas"] = new(typeof(GraphPersonaRequest), typeof(CreatedId)),
        ["GET {id}/personas"] = new(null, typeof(GraphList<PersonaNode>)),
        ["POST {id}/message_attachments"] = new(null, typeof(AttachmentIdResponse)),
        ["POST act_{account}/message_campaign"] = new(typeof(GraphCampaignRequest), typeof(CreatedId)),
        ["POST act_{account}/messages"] = new(typeof(GraphPaidSendRequest), typeof(PaidSendResponse)),
    };
}

// :: The Graph face's request bodies, as Meta documents them (only the fields Pagebox reads). Shapes for the documents.

/// <summary>The Send API's body: a message, a sender action, or a marketing message on a token.</summary>
internal sealed record GraphSendRequest(
    GraphRecipient Recipient,
    string? MessagingType,
    GraphMessage? Message,
    string? SenderAction,
    string? Tag,
    string? NotificationType,
    string? PersonaId,
    JsonElement? Payload
);

/// <summary>Who the message is for: one of a PSID, a marketing-message token, a comment, a post or a
/// user_ref.</summary>
internal sealed record GraphRecipient(
    string? Id,
    string? NotificationMessagesToken,
    string? CommentId,
    string? PostId,
    string? UserRef
);

/// <summary>A message: text, or an attachment (a template: generic, button, media, notification_messages
/// opt-in request, customer feedback…), quick replies, metadata, a sticker.</summary>
internal sealed record GraphMessage(
    string? Text,
    GraphAttachment? Attachment,
    IReadOnlyList<GraphQuickReply>? QuickReplies,
    string? Metadata,
    long? StickerId
);

/// <summary>An attachment: <c>type</c> (template, image, video, audio, file) and its payload (a template's
/// <c>template_type</c> and fields, or a <c>url</c> / <c>attachment_id</c>).</summary>
internal sealed record GraphAttachment(string Type, JsonElement Payload);

/// <summary>A quick reply chip.</summary>
internal sealed record GraphQuickReply(string ContentType, string? Title, string? Payload, string? ImageUrl);

/// <summary><c>POST /{PAGE-ID}/notification_messages_dev_support</c>.</summary>
internal sealed record GraphDevSupportRequest(GraphRecipient Recipient, string DeveloperAction);

/// <summary><c>GET /{PAGE-ID}/notification_message_tokens</c>.</summary>
internal sealed record GraphTokenList(IReadOnlyList<GraphTokenItem> Data, GraphPaging? Paging);

/// <summary>One token of the list.</summary>
internal sealed record GraphTokenItem(
    string NotificationMessagesToken,
    string? Recipient,
    string? Title,
    string? Payload,
    string? NotificationMessagesTimezone,
    string? TokenExpiryTimestamp,
    string? UserTokenStatus,
    string? NextEligibleTime,
    string? CreationTimestamp
);

/// <summary><c>POST /{APP-ID}/subscriptions</c>.</summary>
internal sealed record GraphSubscribeRequest(string Object, string CallbackUrl, string Fields, string VerifyToken);

/// <summary><c>POST /{PAGE-ID}/subscribed_apps</c>.</summary>
internal sealed record GraphSubscribedAppsRequest(string SubscribedFields);

/// <summary><c>POST /{PAGE-ID}/personas</c>.</summary>
internal sealed record GraphPersonaRequest(string Name, string ProfilePictureUrl);

/// <summary><c>POST /act_{AD-ACCOUNT-ID}/message_campaign</c>.</summary>
internal sealed record GraphCampaignRequest(
    string Name,
    string PageId,
    long? DailyBudget,
    long? LifetimeBudget,
    string? StartTime,
    string? EndTime,
    long? BidAmount
);

/// <summary><c>POST /act_{AD-ACCOUNT-ID}/messages</c>: a paid marketing message on a legacy token.</summary>
internal sealed record GraphPaidSendRequest(
    string MessageId,
    GraphRecipient Recipient,
    GraphMessage Message,
    string? PageId
);

/// <summary>Source-generated metadata of the shapes above, snake_case as Graph names them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(GraphSendRequest))]
[JsonSerializable(typeof(GraphDevSupportRequest))]
[JsonSerializable(typeof(GraphTokenList))]
[JsonSerializable(typeof(GraphSubscribeRequest))]
[JsonSerializable(typeof(GraphSubscribedAppsRequest))]
[JsonSerializable(typeof(GraphPersonaRequest))]
[JsonSerializable(typeof(GraphCampaignRequest))]
[JsonSerializable(typeof(GraphPaidSendRequest))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ApiDocsJson : JsonSerializerContext;
