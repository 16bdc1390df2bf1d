using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

/// <summary>Source-generated JSON for every wire type: no reflection on the hot path (docs/design-notes.md
/// §6).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(SendResponse))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(GraphList<AppSubscriptionItem>))]
[JsonSerializable(typeof(GraphList<SubscribedAppItem>))]
[JsonSerializable(typeof(PageNode))]
[JsonSerializable(typeof(PersonaNode))]
[JsonSerializable(typeof(GraphList<PersonaNode>))]
[JsonSerializable(typeof(GraphList<ThreadOwnerItem>))]
[JsonSerializable(typeof(CreatedId))]
[JsonSerializable(typeof(AttachmentIdResponse))]
[JsonSerializable(typeof(AttachmentDto))]
[JsonSerializable(typeof(AppDto))]
[JsonSerializable(typeof(PageDto))]
[JsonSerializable(typeof(PersonDto))]
[JsonSerializable(typeof(PersonMessageResult))]
[JsonSerializable(typeof(PsidDto))]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(ClockDto))]
[JsonSerializable(typeof(IReadOnlyList<DeliveryDto>))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(FaultRequest))]
[JsonSerializable(typeof(FaultDto))]
[JsonSerializable(typeof(IReadOnlyList<FaultDto>))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(CreatePageRequest))]
[JsonSerializable(typeof(CreatePersonRequest))]
[JsonSerializable(typeof(PersonMessageRequest))]
[JsonSerializable(typeof(PageRefRequest))]
[JsonSerializable(typeof(ClockRequest))]
[JsonSerializable(typeof(PagePatchRequest))]
[JsonSerializable(typeof(CommentRequest))]
[JsonSerializable(typeof(CommentResult))]
[JsonSerializable(typeof(CheckboxRequest))]
[JsonSerializable(typeof(CheckboxResult))]
[JsonSerializable(typeof(PostbackRequest))]
[JsonSerializable(typeof(ReferralRequest))]
[JsonSerializable(typeof(OptInTapResult))]
[JsonSerializable(typeof(OptInTapRequest))]
[JsonSerializable(typeof(MarketingStopRequest))]
[JsonSerializable(typeof(MarketingStopResult))]
public sealed partial class PageboxJsonContext : JsonSerializerContext;
