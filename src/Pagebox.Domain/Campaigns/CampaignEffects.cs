using Pagebox.Domain.Store;

namespace Pagebox.Domain.Campaigns;

/// <summary>The effects of the successor API; a store applies them in the command's transaction like every
/// effect.</summary>
public abstract record CampaignEffect : Effect;

public sealed record SaveAdAccount(AdAccountRecord Account) : CampaignEffect;

public sealed record SaveMessageCampaign(MessageCampaignRecord Campaign) : CampaignEffect;

public sealed record SavePaidMessage(PaidMessageRecord Message) : CampaignEffect;

/// <summary>The person chatted in a thread that is not a Page's (a friend's): organic activity for the
/// F-caps.</summary>
public sealed record RecordFriendChat(string PersonId, string Thread, DateTimeOffset At) : CampaignEffect;

/// <summary>Whether paid messages to the person fail after acceptance (null reason: they are delivered
/// again).</summary>
public sealed record SetUndeliverable(string PersonId, string? Reason) : CampaignEffect;

/// <summary>A person's hashed identifiers (SHA-256 hex of the normalised email and phone), for custom audience
/// matching.</summary>
public sealed record SavePersonIdentifiers(string PersonId, string? EmailSha256, string? PhoneSha256) : CampaignEffect;

public sealed record SaveCustomAudience(CustomAudienceRecord Audience) : CampaignEffect;
