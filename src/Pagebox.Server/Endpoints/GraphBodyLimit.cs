namespace Pagebox.Server.Endpoints;

/// <summary>
/// Endpoint metadata: this Graph endpoint takes files. Its multipart bodies may be up to <paramref name="Bytes"/>
/// instead of the general <c>PAGEBOX_MAX_BODY_BYTES</c> (whichever is larger) and are streamed, part by part, never
/// held (<see cref="GraphServices.BindOnceAsync"/>); its other bodies keep the general limit. The Attachment Upload API
/// takes 25 MB files; nothing else should.
/// </summary>
internal sealed record GraphBodyLimit(long Bytes);
