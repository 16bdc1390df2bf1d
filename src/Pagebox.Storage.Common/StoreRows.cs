using System.Data.Common;
using Pagebox.Domain.Attachments;
using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Storage;

/// <summary>
/// The column lists and row readers both stores share: the tables have the same columns in both dialects, so a row
/// reads the same way from either reader. Compiled into each store (linked source, no assembly of its own); the
/// dialect pieces (upserts, <c>FOR UPDATE</c>, <c>rowid</c> against <c>seq</c>, <c>xmin</c> versions) stay in each
/// store's session. Booleans are read with <see cref="DbDataReader.GetBoolean"/>, which SQLite answers from its
/// integer 0/1.
/// </summary>
internal static class StoreRows
{
    public const string AppColumns = "id, name, secret, require_proof, clock_offset_ms, created_ms, human_agent";

    public const string PersonColumns = "id, name, timezone, locale";

    public const string PageColumns =
        "id, app_id, name, platform, timezone, messaging_enabled, commerce_enabled, restricted, "
        + "pages_messaging, optin_requests_allowed, send_rate_per_second, abusive";

    public const string ConversationColumns = "page_id, person_id, psid, last_inbound_ms, blocked, created_ms";

    public const string MessageColumns = "mid, page_id, psid, direction, kind, time_ms, message, app_id";

    public const string TokenColumns =
        "token, page_id, psid, person_id, title, payload, timezone, frequency, reoptin, status, user_token_status, "
        + "created_ms, updated_ms, expires_ms, last_send_ms, followups_sent, first_followup_ms, followup_open, "
        + "followup_opened_ms";

    public const string OptInColumns =
        "mid, element, page_id, psid, title, payload, image_url, frequency, reoptin, timezone, sent_ms, reoptin_token";

    public const string PersonaColumns = "id, page_id, name, picture_url, created_ms, deleted_ms";

    public const string AttachmentColumns =
        "id, page_id, type, url, content_type, size_bytes, file_name, created_ms, sha256";

    public const string CommentColumns = "comment_id, post_id, page_id, person_id, text, created_ms, replied_ms";

    public const string UserRefColumns = "user_ref, page_id, person_id, created_ms, used_ms";

    public const string AccountColumns =
        "id, app_id, page_id, business_id, currency, country, timezone, balance_cents, spend_cap_cents, "
        + "price_cents, permissions, created_ms";

    public const string CampaignColumns =
        "id, campaign_group_id, adset_id, ad_account_id, page_id, name, daily_budget, lifetime_budget, "
        + "estimated_cap, bid_amount, pixel_id, start_ms, end_ms, created_ms, deleted_ms";

    public const string PaidColumns =
        "tracking_id, campaign_id, ad_account_id, page_id, token, psid, person_id, mid, sent_ms, status, "
        + "charged_cents, read_ms, clicks, error";

    public const string AudienceColumns = "id, ad_account_id, page_id, name, description, created_ms";

    public static AppRecord ReadApp(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetBoolean(3),
            r.GetInt64(4),
            Ms(r.GetInt64(5)),
            r.GetBoolean(6)
        );

    /// <summary>The <see cref="PageColumns"/>, from column 0.</summary>
    public static PageRecord ReadPageRow(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            (Platform)r.GetInt32(3),
            r.GetString(4),
            new PageSettings(
                r.GetBoolean(5),
                r.GetBoolean(6),
                r.GetBoolean(7),
                r.GetBoolean(8),
                r.GetBoolean(9),
                r.IsDBNull(10) ? null : r.GetInt32(10),
                r.GetBoolean(11)
            )
        );

    public static PageToken ReadPageToken(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));

    public static PersonRecord ReadPerson(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));

    public static Conversation ReadConversation(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), MsOrNull(r, 3), r.GetBoolean(4), Ms(r.GetInt64(5)));

    /// <summary>A <see cref="ConversationColumns"/> row followed by its last update and message count.</summary>
    public static ConversationSummary ReadConversationSummary(DbDataReader r) =>
        new(ReadConversation(r), Ms(r.GetInt64(6)), r.GetInt32(7));

    public static StoredMessage ReadMessage(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            (MessageDirection)r.GetInt32(3),
            (MessageKind)r.GetInt32(4),
            Ms(r.GetInt64(5)),
            r.GetString(6),
            StringOrNull(r, 7)
        );

    public static NotificationToken ReadToken(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            StringOrNull(r, 6),
            r.IsDBNull(7) ? null : (TokenFrequency)r.GetInt32(7),
            (ReOptIn)r.GetInt32(8),
            (TokenStatus)r.GetInt32(9),
            (UserTokenStatus)r.GetInt32(10),
            Ms(r.GetInt64(11)),
            Ms(r.GetInt64(12)),
            MsOrNull(r, 13),
            MsOrNull(r, 14),
            r.GetInt32(15),
            MsOrNull(r, 16),
            r.GetBoolean(17),
            MsOrNull(r, 18)
        );

    public static OptInRequestRecord ReadOptIn(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetInt32(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            StringOrNull(r, 6),
            (TokenFrequency)r.GetInt32(7),
            (ReOptIn)r.GetInt32(8),
            StringOrNull(r, 9),
            Ms(r.GetInt64(10)),
            StringOrNull(r, 11)
        );

    public static PostRecord ReadPost(DbDataReader r) => new(r.GetString(0), r.GetString(1), Ms(r.GetInt64(2)));

    public static CommentRecord ReadComment(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            Ms(r.GetInt64(5)),
            MsOrNull(r, 6)
        );

    public static UserRefRecord ReadUserRef(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), Ms(r.GetInt64(3)), MsOrNull(r, 4));

    /// <summary>The <see cref="PersonaColumns"/>, from column 0.</summary>
    public static PersonaRecord ReadPersonaRow(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Ms(r.GetInt64(4)), MsOrNull(r, 5));

    public static AttachmentRecord ReadAttachment(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            StringOrNull(r, 3),
            StringOrNull(r, 4),
            NullableLong(r, 5),
            StringOrNull(r, 6),
            Ms(r.GetInt64(7)),
            StringOrNull(r, 8)
        );

    public static AdAccountRecord ReadAccount(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            r.GetString(6),
            NullableLong(r, 7),
            NullableLong(r, 8),
            r.GetInt64(9),
            SplitFields(r.GetString(10)),
            Ms(r.GetInt64(11))
        );

    public static MessageCampaignRecord ReadCampaign(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            NullableLong(r, 6),
            NullableLong(r, 7),
            NullableLong(r, 8),
            NullableLong(r, 9),
            StringOrNull(r, 10),
            Ms(r.GetInt64(11)),
            MsOrNull(r, 12),
            Ms(r.GetInt64(13)),
            MsOrNull(r, 14)
        );

    public static PaidMessageRecord ReadPaid(DbDataReader r) =>
        new(
            r.GetString(0),
            r.GetString(1),
            r.GetString(2),
            r.GetString(3),
            r.GetString(4),
            r.GetString(5),
            r.GetString(6),
            StringOrNull(r, 7),
            Ms(r.GetInt64(8)),
            (PaidMessageStatus)r.GetInt32(9),
            r.GetInt64(10),
            MsOrNull(r, 11),
            r.GetInt32(12),
            StringOrNull(r, 13)
        );

    /// <summary>Count, delivered, read, clicks, spend, then the first send (null when none).</summary>
    public static PaidStats ReadPaidStats(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), MsOrNull(r, 5));

    public static OrganicActivity ReadOrganicActivity(DbDataReader r) => new(r.GetString(0), Ms(r.GetInt64(1)));

    public static CustomAudienceRecord ReadAudience(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), StringOrNull(r, 4), Ms(r.GetInt64(5)));

    public static (string PersonId, string? EmailSha256, string? PhoneSha256) ReadPersonIdentifiers(DbDataReader r) =>
        (r.GetString(0), StringOrNull(r, 1), StringOrNull(r, 2));

    /// <summary>A nullable time in column 0 (MAX over no rows).</summary>
    public static DateTimeOffset? ReadTimeOrNull(DbDataReader r) => MsOrNull(r, 0);

    /// <summary>A time range's end as milliseconds, the open ends as the extremes of a long.</summary>
    public static long Bound(DateTimeOffset t) =>
        t == DateTimeOffset.MinValue ? long.MinValue
        : t == DateTimeOffset.MaxValue ? long.MaxValue
        : t.ToUnixTimeMilliseconds();

    public static long? NullableLong(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);

    private static string? StringOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? MsOrNull(DbDataReader r, int i) => r.IsDBNull(i) ? null : Ms(r.GetInt64(i));

    public static DateTimeOffset Ms(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>A comma-separated column (fields, permissions) as its items; the empty text as none.</summary>
    public static string[] SplitFields(string csv) => csv.Length == 0 ? [] : csv.Split(',');

    /// <summary>
    /// An upsert that writes every column and keeps the row (and its SQLite rowid) when its key exists: what
    /// INSERT OR REPLACE says, without deleting the old row. Both dialects read it alike.
    /// </summary>
    public static string Upsert(string table, string columns, string key)
    {
        var names = columns.Split(", ");
        var values = string.Join(
            ",",
            names.Select((_, i) => "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
        );
        var keys = key.Split(", ");
        var updates = string.Join(", ", names.Where(n => !keys.Contains(n)).Select(n => $"{n}=excluded.{n}"));
        return updates.Length == 0
            ? $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT({key}) DO NOTHING"
            : $"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT({key}) DO UPDATE SET {updates}";
    }
}
