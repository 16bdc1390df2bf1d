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

    public static void Record(IStoreSession session, PageRecord page, WebhookEvent e)
    {
        var obj = ObjectOf(page.Platform);
        foreach (var install in session.GetPageSubscriptions(page.Id))
        {
            if (!install.Fields.Contains(e.Field)) continue;
            var app = session.GetAppSubscription(install.AppId, obj);
            if (app is null || !app.Fields.Contains(e.Field)) continue;
            session.Apply(new RecordWebhook(install.AppId, obj, e));
        }
    }
}
