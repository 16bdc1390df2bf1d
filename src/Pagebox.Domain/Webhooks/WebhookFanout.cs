using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Webhooks;

/// <summary>
/// Who receives an event: every app installed on the Page (subscribed_apps) whose Page subscription and whose
/// app-level subscription for the Page's object both name the event's field. Since 2022-10-17 opt-in events go
/// to every such app, not only to the one that asked (marketing-messages.md §0).
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
            foreach (var (appId, fields) in subscribers)
            {
                if (fields.Contains(e.Field)) session.Apply(new RecordWebhook(appId, obj, e));
            }
        }
    }

    /// <summary>The apps that receive a Page's events, with the fields both layers name.</summary>
    public static IReadOnlyList<(string AppId, IReadOnlySet<string> Fields)> Subscribers(IStoreReader s, string pageId, string obj)
    {
        var list = new List<(string, IReadOnlySet<string>)>();
        foreach (var install in s.GetPageSubscriptions(pageId))
        {
            if (s.GetAppSubscription(install.AppId, obj) is not { } app) continue;
            var fields = install.Fields.Intersect(app.Fields, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
            if (fields.Count > 0) list.Add((install.AppId, fields));
        }
        return list;
    }
}
