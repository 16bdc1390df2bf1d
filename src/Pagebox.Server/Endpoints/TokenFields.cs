using System.Text.Json;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Marketing;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// The fields of a notification message token (SDK type <c>UserPageOneTimeOptInTokenSettings</c>) as the token list and
/// the token node show them, with Graph's <c>fields</c> parameter. Only fields Meta documents: nothing Pagebox-only.
/// </summary>
internal static class TokenFields
{
    public const string NodeType = "UserPageOneTimeOptInTokenSettings";

    /// <summary>What the list and the node show without <c>fields</c> (the seed's samples, in their order).</summary>
    private static readonly string[] Defaults =
    [
        "notification_messages_token",
        "recipient_id",
        "notification_messages_reoptin",
        "creation_timestamp",
        "token_expiry_timestamp",
        "user_token_status",
        "topic_title",
        "notification_messages_timezone",
        "next_eligible_time",
        // Only where it has a value: tokens of the 2023 rules.
        "notification_messages_frequency",
    ];

    /// <summary>The SDK type's fields before the Marketing Message API.</summary>
    private static readonly HashSet<string> Legacy = new(StringComparer.Ordinal)
    {
        "id",
        "creation_timestamp",
        "next_eligible_time",
        "notification_messages_frequency",
        "notification_messages_reoptin",
        "notification_messages_timezone",
        "notification_messages_token",
        "recipient_id",
        "token_expiry_timestamp",
        "topic_title",
        "user_token_status",
    };

    /// <summary>Added with the Marketing Message API (2025-09 rule set).</summary>
    private static readonly string[] MarketingMessageApi =
    [
        "next_eligible_time_for_paid_messaging",
        "custom_audience_ids",
    ];

    /// <summary>The fields to show: the defaults, or those named by <c>fields</c> (in that order, each once).</summary>
    public static Result<IReadOnlyList<string>> Parse(GraphParameters p, PolicyProfile profile)
    {
        var mmApi = TokenListPolicy.HasMarketingMessageApi(profile);
        // next_eligible_time_for_paid_messaging comes with the default fields: integrators read it from a plain list
        // call.
        IReadOnlyList<string> defaults = mmApi ? [.. Defaults, MarketingMessageApi[0]] : Defaults;
        if (!p.TryGetStringList("fields", out var requested, out var error))
            return error is not null ? error : Result<IReadOnlyList<string>>.Accept(defaults);
        var fields = new List<string>();
        foreach (var name in requested)
        {
            if (!Legacy.Contains(name) && !(mmApi && MarketingMessageApi.Contains(name)))
                return DomainError.Invalid(
                    "fields",
                    $"Tried accessing nonexisting field ({name}) on node type ({NodeType})"
                );
            if (!fields.Contains(name))
                fields.Add(name);
        }
        return Result<IReadOnlyList<string>>.Accept(fields.Count == 0 ? defaults : fields);
    }

    /// <summary>One token as a JSON object; a field without a value is left out, as Graph does. Times in Unix
    /// seconds.</summary>
    public static void Write(
        Utf8JsonWriter w,
        NotificationToken t,
        PolicyProfile profile,
        TimeZoneInfo pageZone,
        IReadOnlyList<string> fields
    )
    {
        w.WriteStartObject();
        foreach (var field in fields)
        {
            switch (field)
            {
                case "id":
                    w.WriteString(field, MarketingApi.TokenNodePrefix + t.Token);
                    break;
                case "notification_messages_token":
                    w.WriteString(field, t.Token);
                    break;
                case "recipient_id":
                    w.WriteString(field, t.Psid);
                    break;
                case "notification_messages_reoptin":
                    w.WriteString(field, MarketingWire.ToWire(t.ReOptIn));
                    break;
                case "creation_timestamp":
                    w.WriteNumber(field, t.Created.ToUnixTimeSeconds());
                    break;
                case "token_expiry_timestamp":
                    w.WriteNumber(field, MarketingCommands.ReportedExpiry(t).ToUnixTimeSeconds());
                    break;
                case "user_token_status":
                    w.WriteString(field, MarketingWire.ToWire(t.UserTokenStatus));
                    break;
                case "topic_title":
                    w.WriteString(field, t.Title);
                    break;
                case "notification_messages_timezone" when t.TimeZone is not null:
                    w.WriteString(field, t.TimeZone);
                    break;
                case "notification_messages_frequency" when t.Frequency is { } f:
                    w.WriteString(field, MarketingWire.ToWire(f));
                    break;
                case "next_eligible_time":
                    w.WriteNumber(field, NextEligible(t, profile, pageZone));
                    break;
                // Pagebox sends no paid marketing messages (no ad accounts), so a token is eligible for one since its
                // creation.
                case "next_eligible_time_for_paid_messaging":
                    w.WriteNumber(field, t.Created.ToUnixTimeSeconds());
                    break;
                // Only tokens matched in a Custom Audience upload carry it; Pagebox has no Custom Audiences.
                case "custom_audience_ids":
                    break;
            }
        }
        w.WriteEndObject();
    }

    /// <summary>Rounded up, so a bot that waits until that second is never refused; eligible since creation when
    /// nothing was sent.</summary>
    private static long NextEligible(NotificationToken t, PolicyProfile profile, TimeZoneInfo pageZone) =>
        FrequencyRule.NextEligibleTime(t, profile, pageZone) is { } next
            ? GraphErrors.CeilingUnixSeconds(next)
            : t.Created.ToUnixTimeSeconds();
}
