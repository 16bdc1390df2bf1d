using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;

namespace Pagebox.Server.Cli;

/// <summary>The demo app, Page and person a first start creates, so the README's curl lines work as printed.</summary>
internal sealed record DemoData(
    string AppId,
    string AppSecret,
    string PageId,
    string PageToken,
    string PersonId,
    string Psid
);

internal static class Demo
{
    public static Task<DemoData> EnsureAsync(IPageboxStore store, WorldCommands world, TimeProvider time) =>
        store.WriteAsync(s =>
        {
            if (s.GetSetting("demo") is { } existing)
            {
                var parts = existing.Split(' ');
                if (
                    s.GetApp(parts[0]) is { } app
                    && s.GetPageTokenFor(parts[1], parts[0]) is { } token
                    && s.GetConversation(parts[1], parts[2]) is { } c
                )
                    return new DemoData(app.Id, app.Secret, parts[1], token.Token, parts[2], c.Psid);
            }
            var demoApp = world.CreateApp(s, "Pagebox demo app", time.GetUtcNow());
            var (page, pageToken) = world
                .CreatePage(s, demoApp.Id, "Pagebox Demo Page", Platform.Messenger, "UTC")
                .Value;
            var person = world.CreatePerson(s, "Demo Person", "UTC", "en_US");
            // The demo person has met the Page already, so the PSID is known and the printed lines work as they are.
            var conversation = world.Contact(s, person, page, time.GetUtcNow());
            s.Apply(new SaveSetting("demo", $"{demoApp.Id} {page.Id} {person.Id}"));
            return new DemoData(demoApp.Id, demoApp.Secret, page.Id, pageToken.Token, person.Id, conversation.Psid);
        });

    public static void Print(TextWriter o, Uri baseUrl, string adminKey, DemoData d)
    {
        var b = baseUrl.ToString().TrimEnd('/');
        var written = $$"""{"page_id":"{{d.PageId}}","text":"hello"}""";
        var answer =
            $$$"""{"recipient":{"id":"{{{d.Psid}}}"},"messaging_type":"RESPONSE","message":{"text":"hi there"}}""";
        o.WriteLine(
            $"""

            Demo app      {d.AppId}   secret {d.AppSecret}
            Demo Page     {d.PageId}
            Page token    {d.PageToken}
            Demo person   {d.PersonId}   (PSID {d.Psid} for the demo Page)
            Admin key     {adminKey}

            Try it:
              # 1. the person writes to the Page
              curl -s -X POST {b}/_pagebox/persons/{d.PersonId}/messages -H 'Authorization: Bearer {adminKey}' \
                -H 'Content-Type: application/json' -d '{written}'
              # 2. the Page answers (within 24 hours of the person's message)
              curl -s -X POST '{b}/v24.0/{d.PageId}/messages?access_token={d.PageToken}' \
                -H 'Content-Type: application/json' -d '{answer}'
              # 3. read the conversation back
              curl -s {b}/_pagebox/persons/{d.PersonId}/conversations/{d.PageId} -H 'Authorization: Bearer {adminKey}'

            """
        );
    }
}
