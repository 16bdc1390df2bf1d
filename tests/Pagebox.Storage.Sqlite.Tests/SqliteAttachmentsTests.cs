using Pagebox.Domain.Attachments;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;
using Pagebox.Testing;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>Saved attachments (migration 006): read back as written, and cleared with their app.</summary>
public sealed class SqliteAttachmentsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pagebox-store-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _store = new SqliteStore(Path.Combine(_dir, "pagebox.db"), new NameEncoder(), new FakeTimeProvider(T0));
        await _store.InitializeAsync();
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveApp(new AppRecord("app", "app", "secret", false, 0, T0)));
            s.Apply(new SavePage(new PageRecord("page", "app", "page", Platform.Messenger, "UTC", new PageSettings())));
            return 0;
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        { /* best effort */
        }
    }

    [Fact]
    public async Task GetAttachment_UrlAndFileUploads_ReadBackAsSaved()
    {
        var byUrl = new AttachmentRecord(
            "1000000000000001",
            "page",
            "image",
            "https://example.com/a.png",
            null,
            null,
            null,
            T0
        );
        var byFile = new AttachmentRecord(
            "1000000000000002",
            "page",
            "video",
            null,
            "video/mp4",
            26_214_400,
            "clip.mp4",
            T0.AddMilliseconds(5)
        );
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveAttachment(byUrl));
            s.Apply(new SaveAttachment(byFile));
            return 0;
        });

        var read = await _store.ReadAsync(s =>
            (s.GetAttachment(byUrl.Id), s.GetAttachment(byFile.Id), s.GetAttachment("404"))
        );

        Assert.Equal(byUrl, read.Item1);
        Assert.Equal(byFile, read.Item2);
        Assert.Null(read.Item3);
    }

    [Fact]
    public async Task DeleteApp_ClearsItsPagesAttachments()
    {
        var saved = new AttachmentRecord(
            "1000000000000003",
            "page",
            "file",
            "https://example.com/a.pdf",
            null,
            null,
            null,
            T0
        );
        await _store.WriteAsync(s =>
        {
            s.Apply(new SaveAttachment(saved));
            return 0;
        });

        await _store.WriteAsync(s =>
        {
            s.Apply(new DeleteApp("app"));
            return 0;
        });

        Assert.Null(await _store.ReadAsync(s => s.GetAttachment(saved.Id)));
    }
}
