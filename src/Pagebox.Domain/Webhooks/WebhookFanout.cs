using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Webhooks;

/// <summary>
/// Who receives an event: every app installed on the Page (subscribed_apps) whose Page subscription and whose
/// app-level subscription for the Page's object both name the event's field. Since 2022-10-17 opt-in events go
/// to every such app, not only to the one that asked (docs/spec/marketing-messages.md §0).
/// </summary>
public static class WebhookFanout
{
    public static string ObjectOf(Platform platform) => platform == Platform.Instagram ? "instagram" : "page";

    public static void Record(IStoreSession session, PageRecord page, params ReadOnlySpan<WebhookEvent> events)
    {
        var obj = ObjectOf(page.Platform);
        var subscribers = session.GetSubscribers(page.Id, obj);
        foreach (var e in events)
        {
            // Handover: while an app owns the thread, the others get the conversation's events under standby.
            var owner = subscribers.Count > 0 && HasStandby(e) ? session.GetThreadOwner(page.Id, e.Psid) : null;
            StandbyEvent? standby = null;
            foreach (var (appId, fields) in subscribers)
            {
                if (owner is null || appId == owner)
                {
                    if (fields.Contains(e.Field))
                        session.Apply(new RecordWebhook(appId, obj, e));
                }
                else if (fields.Contains(WebhookFields.Standby))
                    session.Apply(new RecordWebhook(appId, obj, standby ??= new StandbyEvent(e)));
            }
        }
    }

    /// <summary>The events that go to non-owners under standby (docs/spec/webhooks.md §4.1); the others reach every app
    /// as before.</summary>
    private static bool HasStandby(WebhookEvent e) =>
        e is PersonMessageEvent or ReadEvent or DeliveryEvent or PostbackEvent;

    /// <summary>Records an event for one app only (handover events), if it subscribed to the event's field on both
    /// layers.</summary>
    public static void RecordFor(IStoreSession session, PageRecord page, string appId, WebhookEvent e)
    {
        var obj = ObjectOf(page.Platform);
        foreach (var (subscriber, fields) in session.GetSubscribers(page.Id, obj))
        {
            if (subscriber == appId && fields.Contains(e.Field))
                session.Apply(new RecordWebhook(appId, obj, e));
        }
    }

    /// <summary>The apps that receive a Page's events, with the fields both layers name.</summary>
    public static IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> Subscribers(
        IStoreReader s,
        string pageId,
        string obj
    )
    {
        var list = new List<(string, IReadOnlySet<string>)>();
        foreach (var install in s.GetPageSubscriptions(pageId))
        {
            if (s.GetAppSubscription(install.AppId, obj) is not { } app)
                continue;
            var fields = install.Fields.Intersect(app.Fields, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            if (fields.Count > 0)
                list.Add((install.AppId, fields));
        }
        return list;
    }
}
