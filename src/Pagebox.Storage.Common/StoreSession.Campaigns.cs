using Pagebox.Domain.Campaigns;

namespace Pagebox.Storage;

/// <summary>
/// The successor API's facts and effects (Migrations/050_paid_marketing.sql). On PostgreSQL a command that spends locks
/// its ad account and campaign (<see cref="Lock"/>), so budgets and caps hold across processes.
/// </summary>
internal abstract partial class StoreSession<TDialect>
{
    private static readonly string LastPaidOnToken =
        $"SELECT {PaidColumns} FROM paid_messages WHERE token = $1 ORDER BY sent_ms DESC, {TDialect.PaidOrder} DESC "
        + "LIMIT 1";

    private static readonly string PaidToPerson =
        $"SELECT {PaidColumns} FROM paid_messages WHERE person_id = $1 AND sent_ms >= $2 ORDER BY sent_ms, "
        + TDialect.PaidOrder;

    private static readonly string UnreadPaid =
        $"SELECT {PaidColumns} FROM paid_messages WHERE page_id = $1 AND psid = $2 AND read_ms IS NULL AND "
        + $"status = 1 ORDER BY sent_ms, {TDialect.PaidOrder}";

    private static readonly string UpsertAccount = Upsert("ad_accounts", AccountColumns, "id");
    private static readonly string UpsertCampaign = Upsert("message_campaigns", CampaignColumns, "id");
    private static readonly string UpsertPaid = Upsert("paid_messages", PaidColumns, "tracking_id");
    private static readonly string UpsertUndeliverable = Upsert(
        "undeliverable_persons",
        "person_id, reason",
        "person_id"
    );
    private static readonly string UpsertIdentifiers = Upsert(
        "person_identifiers",
        "person_id, email_sha256, phone_sha256",
        "person_id"
    );
    private static readonly string UpsertAudience = Upsert("custom_audiences", AudienceColumns, "id");

    public AdAccountRecord? GetAdAccount(string adAccountId) =>
        One($"SELECT {AccountColumns} FROM ad_accounts WHERE id = $1" + Lock, ReadAccount, adAccountId);

    public IReadOnlyList<AdAccountRecord> GetAdAccountsOfApp(string appId) =>
        Many($"SELECT {AccountColumns} FROM ad_accounts WHERE app_id = $1 ORDER BY created_ms, id", ReadAccount, appId);

    public MessageCampaignRecord? GetMessageCampaign(string campaignId) =>
        One($"SELECT {CampaignColumns} FROM message_campaigns WHERE id = $1" + Lock, ReadCampaign, campaignId);

    public IReadOnlyList<MessageCampaignRecord> ListMessageCampaigns(string adAccountId) =>
        Many(
            $"SELECT {CampaignColumns} FROM message_campaigns WHERE ad_account_id = $1 ORDER BY created_ms, id",
            ReadCampaign,
            adAccountId
        );

    public PaidMessageRecord? GetPaidMessageByMid(string mid) =>
        One($"SELECT {PaidColumns} FROM paid_messages WHERE mid = $1", ReadPaid, mid);

    public PaidMessageRecord? GetLastPaidMessageOnToken(string token) => One(LastPaidOnToken, ReadPaid, token);

    public IReadOnlyList<PaidMessageRecord> GetPaidMessagesToPerson(string personId, DateTimeOffset since) =>
        Many(PaidToPerson, ReadPaid, personId, since.ToUnixTimeMilliseconds());

    public IReadOnlyList<PaidMessageRecord> GetUnreadPaidMessages(string pageId, string psid) =>
        Many(UnreadPaid, ReadPaid, pageId, psid);

    public long GetPaidSpend(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until) =>
        One(
            "SELECT CAST(COALESCE(SUM(charged_cents), 0) AS BIGINT) FROM paid_messages WHERE ad_account_id = $1 AND "
                + "($2 = '' OR campaign_id = $2) AND sent_ms >= $3 AND sent_ms < $4",
            r => r.GetInt64(0),
            adAccountId,
            campaignId ?? "",
            Bound(from),
            Bound(until)
        );

    public PaidStats GetPaidStats(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until) =>
        One(
            "SELECT COUNT(*), COUNT(CASE WHEN status = 1 THEN 1 END), COUNT(read_ms), "
                + "CAST(COALESCE(SUM(clicks), 0) AS BIGINT), CAST(COALESCE(SUM(charged_cents), 0) AS BIGINT), "
                + "(SELECT MIN(sent_ms) FROM paid_messages WHERE ad_account_id = $1 AND ($2 = '' OR campaign_id = $2)) "
                + "FROM paid_messages WHERE ad_account_id = $1 AND ($2 = '' OR campaign_id = $2) AND sent_ms >= $3 "
                + "AND sent_ms < $4",
            ReadPaidStats,
            adAccountId,
            campaignId ?? "",
            Bound(from),
            Bound(until)
        )!;

    public IReadOnlyList<OrganicActivity> GetOrganicActivity(string personId, DateTimeOffset since) =>
        Many(
            "SELECT c.page_id, m.time_ms FROM conversations c JOIN messages m ON m.psid = c.psid WHERE c.person_id = "
                + "$1 AND m.direction = 1 AND m.time_ms >= $2 "
                + "UNION ALL SELECT thread, time_ms FROM friend_chats WHERE person_id = $1 AND time_ms >= $2",
            ReadOrganicActivity,
            personId,
            since.ToUnixTimeMilliseconds()
        );

    public DateTimeOffset? GetLastOrganicActivity(string personId) =>
        One(
            "SELECT MAX(t) FROM (SELECT MAX(m.time_ms) AS t FROM conversations c JOIN messages m ON m.psid = c.psid "
                + "WHERE c.person_id = $1 AND m.direction = 1 "
                + "UNION ALL SELECT MAX(time_ms) FROM friend_chats WHERE person_id = $1) x",
            ReadTimeOrNull,
            personId
        );

    // Organic: standard messages (kind 1), either side; not opt-in requests, marketing, follow-ups, sender actions or
    // paid.
    public DateTimeOffset? GetLastOrganicMessage(string pageId, string psid) =>
        One(
            "SELECT MAX(time_ms) FROM messages WHERE psid = $1 AND page_id = $2 AND kind = 1",
            ReadTimeOrNull,
            psid,
            pageId
        );

    public string? GetUndeliverableReason(string personId) =>
        One("SELECT reason FROM undeliverable_persons WHERE person_id = $1", r => r.GetString(0), personId);

    public IReadOnlyList<(string PersonId, string? EmailSha256, string? PhoneSha256)> GetPersonIdentifiers() =>
        Many(
            "SELECT person_id, email_sha256, phone_sha256 FROM person_identifiers ORDER BY person_id",
            ReadPersonIdentifiers
        );

    public CustomAudienceRecord? GetCustomAudience(string audienceId) =>
        One($"SELECT {AudienceColumns} FROM custom_audiences WHERE id = $1", ReadAudience, audienceId);

    private void ApplyCampaign(CampaignEffect effect)
    {
        switch (effect)
        {
            case SaveAdAccount(var a):
                Exec(
                    UpsertAccount,
                    a.Id,
                    a.AppId,
                    a.PageId,
                    a.BusinessId,
                    a.Currency,
                    a.Country,
                    a.TimeZone,
                    a.BalanceCents,
                    a.SpendCapCents,
                    a.PricePerMessageCents,
                    string.Join(',', a.Permissions),
                    a.Created.ToUnixTimeMilliseconds()
                );
                break;
            case SaveMessageCampaign(var c):
                Exec(
                    UpsertCampaign,
                    c.Id,
                    c.CampaignGroupId,
                    c.AdSetId,
                    c.AdAccountId,
                    c.PageId,
                    c.Name,
                    c.DailyBudget,
                    c.LifetimeBudget,
                    c.EstimatedDailyCap,
                    c.BidAmount,
                    c.PixelId,
                    c.StartTime.ToUnixTimeMilliseconds(),
                    c.EndTime?.ToUnixTimeMilliseconds(),
                    c.Created.ToUnixTimeMilliseconds(),
                    c.Deleted?.ToUnixTimeMilliseconds()
                );
                break;
            case SavePaidMessage(var m):
                Exec(
                    UpsertPaid,
                    m.TrackingId,
                    m.CampaignId,
                    m.AdAccountId,
                    m.PageId,
                    m.Token,
                    m.Psid,
                    m.PersonId,
                    m.Mid,
                    m.SentAt.ToUnixTimeMilliseconds(),
                    (int)m.Status,
                    m.ChargedCents,
                    m.ReadAt?.ToUnixTimeMilliseconds(),
                    m.Clicks,
                    m.Error
                );
                break;
            case RecordFriendChat(var personId, var thread, var at):
                Exec(
                    "INSERT INTO friend_chats (person_id, thread, time_ms) VALUES ($1,$2,$3)",
                    personId,
                    thread,
                    at.ToUnixTimeMilliseconds()
                );
                break;
            case SetUndeliverable(var personId, null):
                Exec("DELETE FROM undeliverable_persons WHERE person_id = $1", personId);
                break;
            case SetUndeliverable(var personId, var reason):
                Exec(UpsertUndeliverable, personId, reason);
                break;
            case SavePersonIdentifiers(var personId, var email, var phone):
                Exec(UpsertIdentifiers, personId, email, phone);
                break;
            case SaveCustomAudience(var a):
                Exec(
                    UpsertAudience,
                    a.Id,
                    a.AdAccountId,
                    a.PageId,
                    a.Name,
                    a.Description,
                    a.Created.ToUnixTimeMilliseconds()
                );
                break;
            default:
                throw new NotSupportedException($"No {GetType().Name} mapping for effect {effect.GetType().Name}");
        }
    }

    /// <summary>An app's ad accounts go with it, and everything of the Pages it owns.</summary>
    private void DeleteCampaignData(string appId)
    {
        const string accounts =
            "SELECT id FROM ad_accounts WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE app_id = $1)";
        Exec(
            $"DELETE FROM paid_messages WHERE ad_account_id IN ({accounts}) OR page_id IN (SELECT id FROM pages "
                + $"WHERE app_id = $1)",
            appId
        );
        Exec($"DELETE FROM message_campaigns WHERE ad_account_id IN ({accounts})", appId);
        Exec($"DELETE FROM custom_audiences WHERE ad_account_id IN ({accounts})", appId);
        Exec("DELETE FROM ad_accounts WHERE app_id = $1 OR page_id IN (SELECT id FROM pages WHERE app_id = $1)", appId);
    }
}
