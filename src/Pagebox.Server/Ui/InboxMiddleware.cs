using System.Diagnostics;
using Pagebox.Server.Endpoints;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Ui;

/// <summary>
/// What the inbox page needs from every request: Graph calls go into the app's <see cref="GraphJournal"/> (answer
/// included, refused calls too, faulted ones too), and any call that may have written tells the <see
/// cref="ChangeFeed"/>. The answer is copied as it is written (at most <see cref="MaxBodyChars"/> bytes kept);
/// parameters are those the endpoint bound, kept by reference and rendered only when someone reads the journal.
/// </summary>
internal sealed class InboxMiddleware(
    RequestDelegate next,
    GraphJournal journal,
    ChangeFeed changes,
    GraphServices g,
    Hosting.PageboxMetrics metrics
)
{
    public const int MaxBodyChars = 16 * 1024;

    public async Task InvokeAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var writes = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (path.StartsWith("/_pagebox", StringComparison.Ordinal))
        {
            await next(http);
            if (writes && http.Response.StatusCode < 400)
                changes.Notify(null);
            return;
        }
        if (!journal.Enabled)
        {
            await next(http);
            CountSend(http, path);
            if (writes)
                changes.Notify(null);
            return;
        }

        // :: Step 1: run the call with its answer copied on the way out.
        var started = Stopwatch.GetTimestamp();
        var original = http.Response.Body;
        await using var capture = new CaptureStream(original, MaxBodyChars);
        http.Response.Body = capture;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        CountSend(http, path);

        // :: Step 2: whose call was it? The app of its token, else the app of the Page or app in its path.
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var bound = http.Features.Get<BindResult>();
        var appId = await AppOfAsync(http, bound?.Parameters, path) ?? GraphJournal.Unattributed;
        var clock = appId.Length > 0 ? await g.Directory.ClockAsync(appId) : null;
        var now = clock?.GetUtcNow() ?? g.Directory.Real.GetUtcNow();
        journal.Add(
            appId,
            new JournalEntry(
                journal.NextId(),
                now,
                http.Request.Method,
                path,
                bound?.Parameters,
                bound?.Parameters is null && http.Request.QueryString.HasValue ? http.Request.QueryString.Value : null,
                http.Response.StatusCode,
                Math.Round(elapsed, 2),
                capture.Text()
            )
        );
        if (writes)
            changes.Notify(appId.Length > 0 ? appId : null);
    }

    /// <summary>A Send API call (POST …/messages, the successor's /act_…/messages too) counts by outcome and
    /// code.</summary>
    private void CountSend(HttpContext http, string path)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !path.EndsWith("/messages", StringComparison.Ordinal))
            return;
        metrics.Send(path.Contains("/act_", StringComparison.Ordinal), http.Features.Get<Hosting.GraphRefusal>());
    }

    private async ValueTask<string?> AppOfAsync(HttpContext http, GraphParameters? parameters, string path)
    {
        var token = parameters?.AccessToken ?? TokenOf(http.Request);
        if (token is not null)
        {
            if (GraphAuth.IsAppToken(token))
            {
                if (await GraphAuth.AppOfAppTokenAsync(token, g.Directory) is { } app)
                    return app.Id;
            }
            else if (await g.Directory.GetTokenAsync(token) is { } pageToken)
                return pageToken.AppId;
        }
        // No known token: a refused call still belongs to the app whose Page or app id it names.
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var id =
            segments.Length > 0 && GraphVersionConstraint.IsVersion(segments[0])
                ? segments.ElementAtOrDefault(1)
                : segments.ElementAtOrDefault(0);
        if (id is null || !id.All(char.IsAsciiDigit))
            return null;
        if (await g.Directory.GetPageAsync(id) is { } page)
            return page.AppId;
        return (await g.Directory.GetAppAsync(id))?.Id;
    }

    private static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (
            header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || header.StartsWith("OAuth ", StringComparison.OrdinalIgnoreCase)
        )
            return header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }

    /// <summary>Writes through to the response and keeps the first bytes.</summary>
    private sealed class CaptureStream(Stream inner, int max) : Stream
    {
        private readonly MemoryStream _kept = new();
        private long _total;

        public string? Text()
        {
            if (_total == 0)
                return null;
            var text = System.Text.Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
            return _total > max ? text + $"… ({_total} bytes)" : text;
        }

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            _total += bytes.Length;
            var room = max - (int)_kept.Length;
            if (room > 0)
                _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(
            ReadOnlyMemory<byte> buffer,
            CancellationToken cancellationToken = default
        )
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _kept.Dispose();
            base.Dispose(disposing);
        }
    }
}
