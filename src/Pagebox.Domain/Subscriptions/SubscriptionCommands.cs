using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;

namespace Pagebox.Domain.Subscriptions;

/// <summary>
/// Webhook subscriptions, both layers (docs/spec/webhooks.md §1): the app's callback and fields per object, and the
/// apps installed on a Page with their fields. Nothing is delivered unless both name the field.
/// </summary>
public static class SubscriptionCommands
{
    public static readonly IReadOnlySet<string> Objects = new HashSet<string>(StringComparer.Ordinal)
    {
        "page",
        "instagram",
        "user",
        "permissions",
        "application",
    };

    /// <param name="obj">The subscription's object: <c>instagram</c> fields are Instagram's names (singular), others
    /// Messenger's.</param>
    /// <param name="fields">The subscribed fields as given.</param>
    /// <param name="parameter">The request parameter, for the error message.</param>
    public static DomainError? ValidateFields(IReadOnlyList<string> fields, string parameter, string obj = "page")
    {
        if (fields.Count == 0)
            return DomainError.Missing(parameter);
        var known = WebhookFields.KnownFor(obj);
        foreach (var f in fields)
        {
            if (!known.Contains(f))
                return DomainError.Invalid(parameter, $"Param {parameter}[{f}] is not a valid subscription field");
        }
        return null;
    }

    /// <summary>POST /{APP-ID}/subscriptions after a successful handshake: fields add to those already
    /// subscribed.</summary>
    public static AppSubscription Subscribe(
        IStoreSession s,
        string appId,
        string obj,
        string callbackUrl,
        string verifyToken,
        IReadOnlyList<string> fields
    )
    {
        var existing = s.GetAppSubscription(appId, obj);
        var merged = existing is null ? fields.Distinct().ToList() : existing.Fields.Union(fields).ToList();
        var subscription = new AppSubscription(appId, obj, callbackUrl, verifyToken, merged);
        s.Apply(new SaveAppSubscription(subscription));
        return subscription;
    }

    /// <summary>DELETE /{APP-ID}/subscriptions: with fields, removes those; without, the whole object.</summary>
    public static void Unsubscribe(IStoreSession s, string appId, string? obj, IReadOnlyList<string>? fields)
    {
        foreach (var existing in s.GetAppSubscriptions(appId))
        {
            if (obj is not null && existing.Object != obj)
                continue;
            var left = fields is null ? [] : existing.Fields.Except(fields).ToList();
            if (left.Count == 0)
                s.Apply(new DeleteAppSubscription(appId, existing.Object));
            else
                s.Apply(new SaveAppSubscription(existing with { Fields = left }));
        }
    }

    /// <summary>
    /// POST /{PAGE-ID}/subscribed_apps: installs the token's app on the Page with exactly these fields. An app back
    /// after its webhooks were disabled (or any app whose delivery to this Page failed) gets the held events first, in
    /// order.
    /// </summary>
    public static void InstallOnPage(IStoreSession s, string pageId, string appId, IReadOnlyList<string> fields)
    {
        s.Apply(new SavePageSubscription(new PageSubscription(pageId, appId, fields.Distinct().ToList())));
        s.Apply(new ResumeWebhooks(appId, pageId));
    }

    public static void UninstallFromPage(IStoreSession s, string pageId, string appId) =>
        s.Apply(new DeletePageSubscription(pageId, appId));
}
