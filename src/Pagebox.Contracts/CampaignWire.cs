using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

/// <summary>Body of <c>POST /_pagebox/apps/{app}/ad_accounts</c>.</summary>
/// <param name="PageId">The linked Page (a Page of the app, or one linked to it).</param>
/// <param name="Currency">ISO 4217 code, USD by default.</param>
/// <param name="BalanceCents">A prepaid balance; absent: postpaid, no balance limit.</param>
/// <param name="SpendCapCents">The account's total spending limit.</param>
/// <param name="PricePerMessageCents">What one delivered message costs (1 by default).</param>
/// <param name="Country">ISO 3166 alpha-2 country of the business, US by default.</param>
/// <param name="Timezone">IANA time zone of the account; the Page's by default.</param>
/// <param name="Permissions">The app's permissions; all three the API needs by default.</param>
public sealed record AdAccountCreateRequest(
    string? PageId,
    string? Currency,
    long? BalanceCents,
    long? SpendCapCents,
    long? PricePerMessageCents,
    string? Country,
    string? Timezone,
    IReadOnlyList<string>? Permissions
);

/// <summary>Body of <c>PATCH /_pagebox/ad_accounts/{id}</c>: what to change.</summary>
/// <param name="BalanceCents">Sets the prepaid balance.</param>
/// <param name="AddBalanceCents">Adds funds to the prepaid balance.</param>
/// <param name="SpendCapCents">Sets the spending limit.</param>
/// <param name="PricePerMessageCents">Sets the price of a delivered message.</param>
/// <param name="Country">Sets the business's country.</param>
/// <param name="Permissions">Replaces the app's permissions.</param>
public sealed record AdAccountPatchRequest(
    long? BalanceCents,
    long? AddBalanceCents,
    long? SpendCapCents,
    long? PricePerMessageCents,
    string? Country,
    IReadOnlyList<string>? Permissions
);

/// <summary>An ad account on the world face.</summary>
/// <param name="Id"><c>act_</c> and the account id.</param>
/// <param name="AccountId">The numeric account id.</param>
/// <param name="Currency">ISO 4217 code.</param>
/// <param name="BalanceCents">The prepaid balance; null for a postpaid account.</param>
public sealed record AdAccountDto(
    string Id,
    string AccountId,
    string Currency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? BalanceCents
)
{
    /// <summary>The app that owns the account.</summary>
    public string? AppId { get; init; }

    /// <summary>The linked Page.</summary>
    public string? PageId { get; init; }

    /// <summary>The business id webhooks carry.</summary>
    public string? BusinessId { get; init; }

    /// <summary>The spending limit.</summary>
    public long? SpendCapCents { get; init; }

    /// <summary>Everything the account spent.</summary>
    public long? AmountSpentCents { get; init; }

    /// <summary>Business country.</summary>
    public string? Country { get; init; }

    /// <summary>IANA time zone.</summary>
    public string? Timezone { get; init; }

    /// <summary>Price of a delivered message.</summary>
    public long? PricePerMessageCents { get; init; }

    /// <summary>The app's permissions.</summary>
    public IReadOnlyList<string>? Permissions { get; init; }

    /// <summary>The account's campaigns with their spend.</summary>
    public IReadOnlyList<AdAccountCampaignDto>? Campaigns { get; init; }
}

/// <summary>One campaign of an ad account on the world face.</summary>
/// <param name="Id">The campaign's message id (what sends name).</param>
/// <param name="Name">Name.</param>
/// <param name="Status">ACTIVE, WARMING_UP, SCHEDULED, COMPLETED or DELETED.</param>
/// <param name="SpendCents">What its deliveries cost.</param>
/// <param name="Sent">Accepted sends.</param>
/// <param name="Delivered">Delivered messages.</param>
public sealed record AdAccountCampaignDto(
    string Id,
    string Name,
    string Status,
    long SpendCents,
    long Sent,
    long Delivered
)
{
    /// <summary>Daily budget.</summary>
    public long? DailyBudget { get; init; }

    /// <summary>Lifetime budget.</summary>
    public long? LifetimeBudget { get; init; }

    /// <summary>Meta's estimated daily cap of a campaign created without a budget.</summary>
    public long? EstimatedDailyCap { get; init; }
}

/// <summary>Body of <c>POST /_pagebox/persons/{person}/clicks</c>: the person taps a link in a message.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Mid">The message.</param>
/// <param name="Element">Carousel element (0-based).</param>
/// <param name="Button">A web_url button's index; absent: the card itself (its default_action).</param>
public sealed record PersonClickRequest(string? PageId, string? Mid, int? Element, int? Button);

/// <summary>What a click opened.</summary>
/// <param name="Mid">The message.</param>
/// <param name="Url">The link's URL.</param>
/// <param name="PaidMarketing">Whether it was a paid marketing message (then marketing_message_clicks follows).</param>
public sealed record PersonClickResult(string Mid, string Url, bool PaidMarketing);

/// <summary>Body of <c>PUT /_pagebox/persons/{person}/marketing/delivery</c>.</summary>
/// <param name="Fails">True: paid marketing messages to the person fail after acceptance.</param>
/// <param name="ErrorMessage">The <c>error_message</c> of marketing_message_delivery_failed.</param>
public sealed record MarketingDeliveryRequest(bool? Fails, string? ErrorMessage);

/// <summary>Body of <c>POST /_pagebox/persons/{person}/friend_chats</c>.</summary>
/// <param name="Threads">How many threads with friends the person is active in now (1 by default).</param>
/// <param name="PageId">Whose app's clock "now" is read on; by default the Page the person last wrote to.</param>
public sealed record FriendChatsRequest(int? Threads, string? PageId = null);

/// <summary>Body of <c>PUT /_pagebox/persons/{person}/identifiers</c>: what custom audience uploads match.</summary>
/// <param name="Email">Email address (normalised: trimmed, lowercase).</param>
/// <param name="Phone">Phone number (normalised: digits only, no leading zeros).</param>
public sealed record PersonIdentifiersRequest(string? Email, string? Phone);

/// <summary>The answer of <c>POST /act_{id}/messages</c>.</summary>
/// <param name="Success">True.</param>
/// <param name="MarketingMessageTrackingId">Names this send in the webhooks.</param>
public sealed record PaidSendResponse(bool Success, string MarketingMessageTrackingId);

/// <summary>The answer of <c>POST /{CUSTOM_AUDIENCE_ID}/users</c>.</summary>
/// <param name="AudienceId">The audience.</param>
/// <param name="SessionId">The upload session.</param>
/// <param name="NumReceived">Rows received.</param>
/// <param name="NumInvalidEntries">Rows refused.</param>
/// <param name="InvalidEntrySamples">Samples of refused rows.</param>
public sealed record AudienceUploadResponse(
    string AudienceId,
    string SessionId,
    int NumReceived,
    int NumInvalidEntries,
    IReadOnlyDictionary<string, string> InvalidEntrySamples
);

/// <summary>Source-generated JSON for the successor API's wire types.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(AdAccountCreateRequest))]
[JsonSerializable(typeof(AdAccountPatchRequest))]
[JsonSerializable(typeof(AdAccountDto))]
[JsonSerializable(typeof(IReadOnlyList<AdAccountDto>))]
[JsonSerializable(typeof(PersonClickRequest))]
[JsonSerializable(typeof(PersonClickResult))]
[JsonSerializable(typeof(MarketingDeliveryRequest))]
[JsonSerializable(typeof(FriendChatsRequest))]
[JsonSerializable(typeof(PersonIdentifiersRequest))]
[JsonSerializable(typeof(PaidSendResponse))]
[JsonSerializable(typeof(AudienceUploadResponse))]
[JsonSerializable(typeof(GraphList<CreatedId>))]
public sealed partial class CampaignJsonContext : JsonSerializerContext;

/// <summary>The successor API's JSON, with the same options as <see cref="PageboxJson.Wire"/>.</summary>
public static class CampaignJson
{
    /// <summary>The wire context.</summary>
    public static CampaignJsonContext Wire { get; } = new(PageboxJson.WireOptions());
}
