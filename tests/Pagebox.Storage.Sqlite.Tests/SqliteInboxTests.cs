using System.Text;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Domain.Webhooks;
using Pagebox.Testing;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>What the inbox page reads from the store: each delivery attempt with the bot's answer, message personas, listings.</summary>
public sealed class SqliteInboxTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-store-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private SqliteStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_dir, "pagebox.db"), new Encoder(), _time);
        await _store.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { /* best effort */ }
    }

    private Task<bool> SeedAsync(string app, string page, long clockOffsetMs = 0) => _store.WriteAsync(s =>
    {
        s.Apply(new SaveApp(new AppRecord(app, "app " + app, "secret", false, clockOffsetMs, _time.GetUtcNow())));
        s.Apply(new SavePage(new PageRecord(page, app, "page", Platform.Messenger, "UTC", new PageSettings())));
        s.Apply(new SaveAppSubscription(new AppSubscription(app, "page", "http://127.0.0.1:1/hook", "v", ["message_reads"])));
        s.Apply(new RecordWebhook(app, "page", new ReadEvent(page, "psid", _time.GetUtcNow(), _time.GetUtcNow(), Platform.Messenger)));
        return true;
    });

    private static byte[] Join(IReadOnlyList<PendingEvent> events) => Encoding.UTF8.GetBytes(string.Join('|', events.Select(e => e.EventJson)));

    [Fact]
    public async Task RecordAttempt_WithTheBotsAnswer_KeptPerAttemptOnTheAppsClock()
    {
        await SeedAsync("app", "page", clockOffsetMs: 3_600_000);
        var d = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(d.Id, false, 500, "HTTP 500", _time.GetUtcNow().AddHours(1).AddSeconds(5), answer: new DeliveryAnswer("<h1>oops</h1>", 12));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(d.Id, true, 200, null, null, answer: new DeliveryAnswer("EVENT_RECEIVED", 3));

        var attempts = await _store.Outbox.ListAttemptsAsync("app", [d.Id]);

        Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
        Assert.Equal([500, 200], attempts.Select(a => a.Status ?? 0));
        Assert.Equal(["<h1>oops</h1>", "EVENT_RECEIVED"], attempts.Select(a => a.Answer));
        Assert.Equal(["HTTP 500", null], attempts.Select(a => a.Error));
        Assert.Equal(_time.GetUtcNow().AddHours(1), attempts[1].Time); // the app's clock, an hour ahead
        Assert.Equal(12, attempts[0].DurationMs);
        var entry = await _store.Outbox.GetAsync("app", d.Id);
        Assert.Equal(DeliveryStatus.Delivered, entry!.Status);
        Assert.Equal(2, entry.Attempts);
        Assert.Null(await _store.Outbox.GetAsync("another app", d.Id));
        Assert.Empty(await _store.Outbox.ListAttemptsAsync("another app", [d.Id]));
    }

    [Fact]
    public async Task RecordAttempt_WithoutAnAnswer_StillCounted()
    {
        await SeedAsync("app", "page");
        var d = Assert.Single(await _store.Outbox.ClaimDueAsync(Join, 100, TimeSpan.FromMinutes(1)));
        await _store.Outbox.RecordAttemptAsync(d.Id, false, null, "timeout", nextAttempt: null);

        var attempt = Assert.Single(await _store.Outbox.ListAttemptsAsync("app", [d.Id]));
        Assert.Null(attempt.Status);
        Assert.Null(attempt.Answer);
        Assert.Equal("timeout", attempt.Error);
    }

    [Fact]
    public async Task MessagePersona_Saved_ListedForItsConversationAndGoneWithTheApp()
    {
        await SeedAsync("app", "page");
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveMessage(new StoredMessage("m_1", "page", "psid", MessageDirection.FromPage, MessageKind.Standard, _time.GetUtcNow(), "{\"text\":\"a\"}", "app")));
            s.Apply(new SaveMessage(new StoredMessage("m_2", "page", "psid", MessageDirection.FromPage, MessageKind.Standard, _time.GetUtcNow(), "{\"text\":\"b\"}", "app")));
            s.Apply(new SaveMessagePersona("m_1", "page", "777"));
            return true;
        });

        var personas = await _store.ReadAsync(s => s.GetMessagePersonas("page", "psid"));
        Assert.Equal("777", Assert.Single(personas, p => p.Key == "m_1").Value);
        Assert.Empty(await _store.ReadAsync(s => s.GetMessagePersonas("page", "other psid")));

        await _store.WriteAsync(s => { s.Apply(new DeleteApp("app")); return true; });
        Assert.Empty(await _store.ReadAsync(s => s.GetMessagePersonas("page", "psid")));
    }

    [Fact]
    public async Task Listings_AppsPersonsConversationsTokens_AllOfThemInOrder()
    {
        await SeedAsync("a1", "p1");
        await SeedAsync("a2", "p2");
        await _store.WriteAsync(s =>
        {
            s.Apply(new SavePerson(new PersonRecord("ada", "Ada", "UTC", "en_US")));
            s.Apply(new SavePerson(new PersonRecord("bob", "Bob", "UTC", "en_US")));
            s.Apply(new SaveConversation(new Conversation("p1", "ada", "psid-1", null, false, _time.GetUtcNow())));
            s.Apply(new SaveConversation(new Conversation("p2", "ada", "psid-2", null, true, _time.GetUtcNow())));
            return true;
        });

        var (apps, persons, ofAda, ofPage) = await _store.ReadAsync(s => (s.ListApps(10), s.ListPersons(10), s.GetConversationsOfPerson("ada"), s.GetConversationsOfPage("p2", 10)));

        Assert.Equal(["a1", "a2"], apps.Select(a => a.Id));
        Assert.Equal(["ada", "bob"], persons.Select(p => p.Id));
        Assert.Equal(["psid-1", "psid-2"], ofAda.Select(c => c.Psid));
        Assert.True(Assert.Single(ofPage).Blocked);
        Assert.Single(await _store.ReadAsync(s => s.ListApps(1)));
    }

    private sealed class Encoder : IWebhookEventEncoder
    {
        public string Encode(WebhookEvent e) => e.GetType().Name;
    }
}
