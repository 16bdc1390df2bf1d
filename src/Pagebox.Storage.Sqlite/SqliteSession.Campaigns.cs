using Pagebox.Domain.Campaigns;

namespace Pagebox.Storage.Sqlite;

/// <summary>The successor API's facts and effects (Migrations/050_paid_marketing.sql).</summary>
internal sealed partial class SqliteSession
{
    public AdAccountRecord? GetAdAccount(string adAccountId) =>
        One($"SELECT {AccountColumns} FROM ad_accounts WHERE id = $1", ReadAccount, adAccountId);

    public IReadOnlyList<AdAccountRecord> GetAdAccountsOfApp(string appId) =>
        Many($"SELECT {AccountColumns} FROM ad_accounts WHERE app_id = $1 ORDER BY created_ms, id", ReadAccount, appId);

    public MessageCampaignRecord? GetMessageCampaign(string campaignId) =>
        One($"SELECT {CampaignColumns} FROM message_campaigns WHERE id = $1", ReadCampaign, campaignId);

    public IReadOnlyList<MessageCampaignRecord> ListMessageCampaigns(string adAccountId) =>
        Many(
            $"SELECT {CampaignColumns} FROM message_campaigns WHERE ad_account_id = $1 ORDER BY created_ms, id",
            ReadCampaign,
            adAccountId
        );

    public PaidMessageRecord? GetPaidMessageByMid(string mid) =>
        One($"SELECT {PaidColumns} FROM paid_messages WHERE mid = $1", ReadPaid, mid);

    public PaidMessageRecord? GetLastPaidMessageOnToken(string token) =>
        One(
            $"SELECT {PaidColumns} FROM paid_messages WHERE token = $1 ORDER BY sent_ms DESC, rowid DESC LIMIT 1",
            ReadPaid,
            token
        );

    public IReadOnlyList<PaidMessageRecord> GetPaidMessagesToPerson(string personId, DateTimeOffset since) =>
        Many(
            $"SELECT {PaidColumns} FROM paid_messages WHERE person_id = $1 AND sent_ms >= $2 ORDER BY sent_ms, rowid",
            ReadPaid,
            personId,
            since.ToUnixTimeMilliseconds()
        );

    public IReadOnlyList<PaidMessageRecord> GetUnreadPaidMessages(string pageId, string psid) =>
        Many(
            $"SELECT {PaidColumns} FROM paid_messages WHERE page_id = $1 AND psid = $2 AND read_ms IS NULL AND "
                + $"status = 1 ORDER BY sent_ms, rowid",
            ReadPaid,
            pageId,
            psid
        );

    public long GetPaidSpend(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until) =>
        One(
            "SELECT COALESCE(SUM(charged_cents), 0) FROM paid_messages WHERE ad_account_id = $1 AND ($2 = '' OR "
                + "campaign_id = $2) AND sent_ms >= $3 AND sent_ms < $4",
            r => r.GetInt64(0),
            adAccountId,
            campaignId ?? "",
            Bound(from),
            Bound(until)
        );

    public PaidStats GetPaidStats(string adAccountId, string? campaignId, DateTimeOffset from, DateTimeOffset until) =>
        One(
            "SELECT COUNT(*), COALESCE(SUM(status = 1), 0), COALESCE(SUM(read_ms IS NOT NULL), 0), "
                + "COALESCE(SUM(clicks), 0), COALESCE(SUM(charged_cents), 0), "
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
                + "UNION ALL SELECT MAX(time_ms) FROM friend_chats WHERE person_id = $1)",
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
                    $"INSERT OR REPLACE INTO ad_accounts ({AccountColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
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
                    $"INSERT OR REPLACE INTO message_campaigns ({CampaignColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
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
                // An upsert keeps the row's rowid (the order of sends at one instant); INSERT OR REPLACE would move an
                // updated send last.
                Exec(
                    $"INSERT INTO paid_messages ({PaidColumns}) VALUES "
                        + $"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) ON CONFLICT(tracking_id) DO UPDATE SET "
                        + "campaign_id=excluded.campaign_id, ad_account_id=excluded.ad_account_id, "
                        + "page_id=excluded.page_id, token=excluded.token, psid=excluded.psid, "
                        + "person_id=excluded.person_id, mid=excluded.mid, sent_ms=excluded.sent_ms, "
                        + "status=excluded.status, charged_cents=excluded.charged_cents, "
                        + "read_ms=excluded.read_ms, clicks=excluded.clicks, error=excluded.error",
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
                Exec(
                    "INSERT OR REPLACE INTO undeliverable_persons (person_id, reason) VALUES ($1,$2)",
                    personId,
                    reason
                );
                break;
            case SavePersonIdentifiers(var personId, var email, var phone):
                Exec(
                    "INSERT OR REPLACE INTO person_identifiers (person_id, email_sha256, phone_sha256) VALUES "
                        + "($1,$2,$3)",
                    personId,
                    email,
                    phone
                );
                break;
            case SaveCustomAudience(var a):
                Exec(
                    "INSERT OR REPLACE INTO custom_audiences (id, ad_account_id, page_id, name, description, "
                        + "created_ms) VALUES ($1,$2,$3,$4,$5,$6)",
                    a.Id,
                    a.AdAccountId,
                    a.PageId,
                    a.Name,
                    a.Description,
                    a.Created.ToUnixTimeMilliseconds()
                );
                break;
            default:
                throw new NotSupportedException($"No SQLite mapping for effect {effect.GetType().Name}");
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
