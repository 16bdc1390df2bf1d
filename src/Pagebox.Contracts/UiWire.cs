using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pagebox.Contracts;

// The world-face answers the inbox page and the developer's view read (Server/Endpoints/UiApi.cs). They have their own
// source-generated context, so this feature adds no line to the shared PageboxJsonContext.

/// <summary>An app in the list of apps.</summary>
/// <param name="Id">App id.</param>
/// <param name="Name">App name.</param>
/// <param name="Now">The app's clock.</param>
/// <param name="Pages">The app's Pages.</param>
public sealed record AppListItem(string Id, string Name, DateTimeOffset Now, IReadOnlyList<PageSummaryDto> Pages);

/// <summary>A Page, briefly.</summary>
/// <param name="Id">Page id.</param>
/// <param name="Name">Page name.</param>
/// <param name="Platform">messenger or instagram.</param>
/// <param name="AppId">The app that owns the Page.</param>
public sealed record PageSummaryDto(string Id, string Name, string Platform, string AppId);

/// <summary>A person in the list of persons, with the Pages they have met.</summary>
/// <param name="Id">Person id.</param>
/// <param name="Name">Name.</param>
/// <param name="Timezone">IANA time zone.</param>
/// <param name="Locale">Locale.</param>
/// <param name="Conversations">One per Page met.</param>
public sealed record PersonListItem(
    string Id,
    string Name,
    string Timezone,
    string Locale,
    IReadOnlyList<PersonConversationDto> Conversations
);

/// <summary>A person's conversation with a Page.</summary>
/// <param name="PageId">Page.</param>
/// <param name="Psid">The person's id for that Page.</param>
/// <param name="Blocked">Whether the person blocked the Page.</param>
/// <param name="LastInbound">The person's last message or tap, on the app's clock.</param>
public sealed record PersonConversationDto(string PageId, string Psid, bool Blocked, DateTimeOffset? LastInbound);

/// <summary>A person as a Page knows them.</summary>
/// <param name="PersonId">Person.</param>
/// <param name="Name">Name.</param>
/// <param name="Psid">PSID for this Page.</param>
/// <param name="Blocked">Whether the person blocked the Page.</param>
/// <param name="WindowOpenUntil">When the standard messaging window closes; null when never opened.</param>
/// <param name="Created">First contact.</param>
public sealed record PagePersonDto(
    string PersonId,
    string Name,
    string Psid,
    bool Blocked,
    DateTimeOffset? WindowOpenUntil,
    DateTimeOffset Created
);

/// <summary>What the server runs with.</summary>
/// <param name="Policy">The marketing rule set in force (--policy).</param>
/// <param name="RuleSets">Every rule set, with its frequency rule.</param>
public sealed record ServerInfoDto(string Policy, IReadOnlyList<RuleSetDto> RuleSets);

/// <summary>A dated marketing rule set.</summary>
/// <param name="Name">2023, 2024, 2025-09 or retired.</param>
/// <param name="Frequency">Its frequency rule, in words.</param>
public sealed record RuleSetDto(string Name, string Frequency);

/// <summary>A conversation as the person's Messenger shows it, with what the inbox page needs around it.</summary>
/// <param name="Person">The person.</param>
/// <param name="Page">The Page.</param>
/// <param name="Psid">The person's PSID; null before the first contact.</param>
/// <param name="Blocked">Whether the person blocked the Page.</param>
/// <param name="Now">The app's clock.</param>
/// <param name="WindowOpenUntil">When the standard messaging window closes.</param>
/// <param name="Messages">Oldest first, without sender actions.</param>
public sealed record ThreadDto(
    PersonDto Person,
    PageSummaryDto Page,
    string? Psid,
    bool Blocked,
    DateTimeOffset Now,
    DateTimeOffset? WindowOpenUntil,
    IReadOnlyList<ThreadMessageDto> Messages
)
{
    /// <summary>The Page shows the typing indicator (typing_on, no later message, less than 20 s ago).</summary>
    public bool Typing { get; init; }

    /// <summary>When the typing indicator goes out by itself.</summary>
    public DateTimeOffset? TypingUntil { get; init; }

    /// <summary>When the Page last marked the conversation seen (mark_seen).</summary>
    public DateTimeOffset? SeenAt { get; init; }

    /// <summary>The person's marketing topics with this Page.</summary>
    public IReadOnlyList<TopicDto> Topics { get; init; } = [];

    /// <summary>The Page's Messenger Profile as set (get_started, greeting, persistent_menu, ice_breakers,
    /// …).</summary>
    public JsonElement? Profile { get; init; }
}

/// <summary>One message of a thread.</summary>
/// <param name="Mid">Message id.</param>
/// <param name="From">page or person.</param>
/// <param name="Time">When, on the app's clock.</param>
/// <param name="Kind">standard, optin_request, marketing, followup or paid_marketing.</param>
/// <param name="Message">The message object as sent.</param>
public sealed record ThreadMessageDto(string Mid, string From, DateTimeOffset Time, string Kind, JsonElement Message)
{
    /// <summary>The persona the Page sent it as.</summary>
    public PersonaRefDto? Persona { get; init; }

    /// <summary>The reactions on the message: the person's (world face) and the Page's (Send API sender_action
    /// react).</summary>
    public IReadOnlyList<ReactionDto> Reactions { get; init; } = [];

    /// <summary>A paid marketing message (the Marketing Messages API for Messenger): its campaign.</summary>
    public PaidRefDto? Paid { get; init; }
}

/// <summary>A reaction on a message.</summary>
/// <param name="From">person or page.</param>
/// <param name="Emoji">The emoji.</param>
/// <param name="Reaction">Its category as the message_reactions webhook names it (smile, love, …, other); null for the
/// Page's.</param>
public sealed record ReactionDto(string From, string Emoji, string? Reaction);

/// <summary>The campaign a paid marketing message was sent in.</summary>
/// <param name="CampaignId">The campaign's (message's) id, as sends name it in message_id.</param>
/// <param name="CampaignName">The campaign's name.</param>
/// <param name="AdAccountId">act_ + digits.</param>
public sealed record PaidRefDto(string CampaignId, string CampaignName, string AdAccountId);

/// <summary>A persona, as a message shows it.</summary>
/// <param name="Id">Persona id.</param>
/// <param name="Name">Name shown.</param>
/// <param name="ProfilePictureUrl">Picture URL.</param>
public sealed record PersonaRefDto(string Id, string Name, string ProfilePictureUrl);

/// <summary>A marketing topic the person opted in to.</summary>
/// <param name="Token">The notification_messages_token.</param>
/// <param name="Title">The topic.</param>
/// <param name="Status">active or stopped.</param>
public sealed record TopicDto(string Token, string Title, string Status);

/// <summary>A row of the developer's tokens table.</summary>
/// <param name="Token">The token.</param>
/// <param name="PageId">Page.</param>
/// <param name="Psid">PSID.</param>
/// <param name="PersonId">Person.</param>
/// <param name="Topic">Title of the topic.</param>
/// <param name="Status">active or stopped.</param>
/// <param name="Created">Opt-in time.</param>
/// <param name="Updated">Last change.</param>
/// <param name="FollowUpsSent">Follow-ups sent since the opt-in.</param>
/// <param name="FollowUpOpen">Whether the next send may still be a follow-up.</param>
public sealed record TokenRowDto(
    string Token,
    string PageId,
    string Psid,
    string PersonId,
    string Topic,
    string Status,
    DateTimeOffset Created,
    DateTimeOffset Updated,
    int FollowUpsSent,
    bool FollowUpOpen
)
{
    /// <summary>The person's name.</summary>
    public string? PersonName { get; init; }

    /// <summary>The last regular marketing message on it.</summary>
    public DateTimeOffset? LastMarketingSend { get; init; }

    /// <summary>When the next regular marketing message may go under the rule set in force; null: now.</summary>
    public DateTimeOffset? NextEligible { get; init; }

    /// <summary>Whether a regular marketing message may go now (active, not blocked, not expired, not too
    /// soon).</summary>
    public bool EligibleNow { get; init; }

    /// <summary>The next eligible time under each rule set (2023, 2024, 2025-09); null: now.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset?> NextEligibleByRuleSet { get; init; } =
        new Dictionary<string, DateTimeOffset?>();

    /// <summary>Expiry (2023 rules only).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Frequency (2023 rules only).</summary>
    public string? Frequency { get; init; }

    /// <summary>Whether the person blocked the Page.</summary>
    public bool Blocked { get; init; }
}

/// <summary>One webhook delivery with what was sent and what the bot answered.</summary>
/// <param name="Id">Delivery id.</param>
/// <param name="PageId">Page.</param>
/// <param name="Fields">Fields of its events.</param>
/// <param name="Status">delivered, pending or failed.</param>
/// <param name="Attempts">Attempts so far.</param>
/// <param name="Created">On the app's clock.</param>
/// <param name="Body">The envelope as sent.</param>
/// <param name="Headers">The request headers Pagebox sends with it, both signatures included.</param>
/// <param name="AttemptLog">Each attempt, oldest first.</param>
public sealed record DeliveryDetailDto(
    long Id,
    string PageId,
    IReadOnlyList<string> Fields,
    string Status,
    int Attempts,
    DateTimeOffset Created,
    JsonElement Body,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<DeliveryAttemptDto> AttemptLog
)
{
    /// <summary>HTTP status of the last attempt.</summary>
    public int? LastStatus { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; init; }

    /// <summary>When the next attempt is due (pending only).</summary>
    public DateTimeOffset? NextAttempt { get; init; }

    /// <summary>Where it goes: the app's callback URL for the object.</summary>
    public string? CallbackUrl { get; init; }
}

/// <summary>One attempt of a delivery.</summary>
/// <param name="Attempt">1, 2, …</param>
/// <param name="Time">On the app's clock.</param>
public sealed record DeliveryAttemptDto(int Attempt, DateTimeOffset Time)
{
    /// <summary>HTTP status of the bot's answer; absent without an answer.</summary>
    public int? Status { get; init; }

    /// <summary>Why the attempt failed.</summary>
    public string? Error { get; init; }

    /// <summary>The start of the bot's answer body.</summary>
    public string? Answer { get; init; }

    /// <summary>How long the bot took, in milliseconds.</summary>
    public long? DurationMs { get; init; }
}

/// <summary>One Graph call of the journal.</summary>
/// <param name="Id">Increasing id.</param>
/// <param name="Time">When it was answered, on the app's clock.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path, version prefix included.</param>
/// <param name="Status">HTTP status of Pagebox's answer.</param>
/// <param name="Refused">Whether Pagebox refused it (an error envelope).</param>
/// <param name="DurationMs">How long Pagebox took.</param>
/// <param name="Parameters">The call's parameters as bound (query and body merged), secrets redacted.</param>
public sealed record JournalEntryDto(
    long Id,
    DateTimeOffset Time,
    string Method,
    string Path,
    int Status,
    bool Refused,
    double DurationMs,
    JsonElement Parameters
)
{
    /// <summary>Pagebox's answer body (cut at 16 KB).</summary>
    public string? Response { get; init; }

    /// <summary>The error code of a refused call.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>The error subcode of a refused call.</summary>
    public int? ErrorSubcode { get; init; }

    /// <summary>The error message of a refused call.</summary>
    public string? ErrorMessage { get; init; }
}

/// <summary>Body of POST /_pagebox/ui/session.</summary>
/// <param name="Key">The admin key.</param>
public sealed record UiSessionRequest(string? Key);

/// <summary>One change the inbox page hears of through /_pagebox/events.</summary>
/// <param name="Seq">Increasing number.</param>
/// <param name="AppId">The app concerned, when known.</param>
public sealed record ChangeDto(long Seq, string? AppId);

/// <summary>A page of a listing: the items and, when more follow, the address of the next page.</summary>
/// <param name="Total">How many items the whole listing holds.</param>
/// <param name="Next">The next page's path and query, or null on the last page.</param>
public sealed record ListingPagingDto(int Total, string? Next);

/// <summary>A Page of an app, with the app's access token for it.</summary>
/// <param name="Id">Page id.</param>
/// <param name="Name">Page name.</param>
/// <param name="Platform">messenger or instagram.</param>
/// <param name="Timezone">IANA time zone.</param>
/// <param name="AccessToken">The app's Page access token.</param>
public sealed record AppPageDto(string Id, string Name, string Platform, string Timezone, string? AccessToken);

/// <summary>GET /_pagebox/apps/{app}/pages.</summary>
/// <param name="Data">The Pages, in creation order.</param>
/// <param name="Paging">Where the next page is.</param>
public sealed record AppPagesDto(IReadOnlyList<AppPageDto> Data, ListingPagingDto Paging);

/// <summary>A person who met one of the app's Pages, with those conversations.</summary>
/// <param name="Id">Person id.</param>
/// <param name="Name">Name.</param>
/// <param name="Conversations">One per Page of the app the person met.</param>
public sealed record AppPersonDto(string Id, string Name, IReadOnlyList<PersonConversationDto> Conversations);

/// <summary>GET /_pagebox/apps/{app}/persons.</summary>
/// <param name="Data">The persons, by first contact.</param>
/// <param name="Paging">Where the next page is.</param>
public sealed record AppPersonsDto(IReadOnlyList<AppPersonDto> Data, ListingPagingDto Paging);

/// <summary>The answer of POST /_pagebox/import.</summary>
/// <param name="App">The app imported, or null for the whole state.</param>
/// <param name="Tables">Tables written.</param>
/// <param name="Rows">Rows written.</param>
public sealed record StateImportDto(string? App, int Tables, long Rows);

/// <summary>GET /_pagebox/health/ready: each thing readiness needs, and the verdict.</summary>
/// <param name="Status">ok or unavailable.</param>
/// <param name="Store">sqlite or postgres.</param>
/// <param name="Database">reachable or unreachable.</param>
/// <param name="Migrations">applied, or pending with how many.</param>
/// <param name="Dispatcher">running or stopped: the webhook dispatcher.</param>
/// <param name="SchemaVersion">The newest migration in the database.</param>
public sealed record ReadinessDto(
    string Status,
    string Store,
    string Database,
    string Migrations,
    string Dispatcher,
    int SchemaVersion
)
{
    /// <summary>What is wrong, when something is.</summary>
    public IReadOnlyList<string>? Problems { get; init; }

    /// <summary>Whether the store is a throwaway one (--ephemeral).</summary>
    public bool? Ephemeral { get; init; }

    /// <summary>The SQLite store's durability: <c>disk</c> or <c>process</c> (--durability); absent for
    /// PostgreSQL.</summary>
    public string? Durability { get; init; }
}

/// <summary>Source-generated JSON of the inbox page's answers (same options as <see
/// cref="PageboxJson.Wire"/>).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull
)]
[JsonSerializable(typeof(IReadOnlyList<AppListItem>))]
[JsonSerializable(typeof(IReadOnlyList<PersonListItem>))]
[JsonSerializable(typeof(PersonListItem))]
[JsonSerializable(typeof(IReadOnlyList<PagePersonDto>))]
[JsonSerializable(typeof(ServerInfoDto))]
[JsonSerializable(typeof(ThreadDto))]
[JsonSerializable(typeof(IReadOnlyList<TokenRowDto>))]
[JsonSerializable(typeof(DeliveryDetailDto))]
[JsonSerializable(typeof(IReadOnlyList<JournalEntryDto>))]
[JsonSerializable(typeof(UiSessionRequest))]
[JsonSerializable(typeof(ChangeDto))]
[JsonSerializable(typeof(AppPagesDto))]
[JsonSerializable(typeof(AppPersonsDto))]
[JsonSerializable(typeof(StateImportDto))]
[JsonSerializable(typeof(ReadinessDto))]
[JsonSerializable(typeof(string))]
public sealed partial class UiJsonContext : JsonSerializerContext
{
    /// <summary>The context with the wire's options (snake_case, nulls omitted, readable text).</summary>
    public static UiJsonContext Wire { get; } = new(PageboxJson.WireOptions());
}
