using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

/// <summary>Source-generated JSON for every wire type: no reflection on the hot path (DESIGN-NOTES §6).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendResponse))]
[JsonSerializable(typeof(GraphErrorEnvelope))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(GraphList<AppSubscriptionItem>))]
[JsonSerializable(typeof(GraphList<SubscribedAppItem>))]
[JsonSerializable(typeof(PageNode))]
[JsonSerializable(typeof(AppDto))]
[JsonSerializable(typeof(PageDto))]
[JsonSerializable(typeof(PersonDto))]
[JsonSerializable(typeof(PersonMessageResult))]
[JsonSerializable(typeof(PsidDto))]
[JsonSerializable(typeof(ConversationDto))]
[JsonSerializable(typeof(ClockDto))]
[JsonSerializable(typeof(IReadOnlyList<DeliveryDto>))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(CreateAppRequest))]
[JsonSerializable(typeof(CreatePageRequest))]
[JsonSerializable(typeof(CreatePersonRequest))]
[JsonSerializable(typeof(PersonMessageRequest))]
[JsonSerializable(typeof(PageRefRequest))]
[JsonSerializable(typeof(ClockRequest))]
[JsonSerializable(typeof(PagePatchRequest))]
public sealed partial class PageboxJsonContext : JsonSerializerContext;
