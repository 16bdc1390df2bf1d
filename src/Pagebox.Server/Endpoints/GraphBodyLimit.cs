namespace Pagebox.Server.Endpoints;

/// <summary>
/// Endpoint metadata: this Graph endpoint reads bodies up to <paramref name="Bytes"/> instead of the general
/// <c>PAGEBOX_MAX_BODY_BYTES</c> (whichever is larger). The Attachment Upload API takes 25 MB files; nothing else should.
/// </summary>
internal sealed record GraphBodyLimit(long Bytes);
