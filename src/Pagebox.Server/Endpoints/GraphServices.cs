using Microsoft.Extensions.Options;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Messaging;
using Pagebox.Domain.Store;
using Pagebox.Domain.World;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;
using Pagebox.Server.Hosting;
using Pagebox.Server.Webhooks;

namespace Pagebox.Server.Endpoints;

/// <summary>What every endpoint may need, injected as one parameter (eShop's [AsParameters] services record).</summary>
internal sealed class GraphServices(
    IPageboxStore store,
    PageboxDirectory directory,
    MessagingCommands messaging,
    SendRouter sends,
    Domain.Marketing.MarketingCommands marketing,
    Domain.Personas.PersonaCommands personas,
    Domain.Attachments.AttachmentCommands attachments,
    WorldCommands world,
    WebhookDispatcher dispatcher,
    IHttpClientFactory httpClients,
    IOptions<PageboxOptions> options,
    UploadGate uploads
)
{
    public IPageboxStore Store => store;
    public PageboxDirectory Directory => directory;
    public MessagingCommands Messaging => messaging;
    public SendRouter Sends => sends;
    public Domain.Marketing.MarketingCommands Marketing => marketing;
    public Domain.Personas.PersonaCommands Personas => personas;
    public Domain.Attachments.AttachmentCommands Attachments => attachments;
    public WorldCommands World => world;
    public WebhookDispatcher Dispatcher => dispatcher;
    public IHttpClientFactory HttpClients => httpClients;
    public PageboxOptions Options => options.Value;
    public UploadGate Uploads => uploads;

    /// <summary>Binds the request's parameters, whatever their encoding.</summary>
    public async Task<Result<GraphParameters>> ReadParametersAsync(HttpContext http)
    {
        var bound = await BindOnceAsync(http);
        return bound.Succeeded ? bound.Parameters : bound.Error;
    }

    /// <summary>
    /// The request's parameters, read once: when faults are set, the fault filter (Faults/GraphFaultFilter) binds
    /// before the handler and keeps the result as a request feature; looking for it costs nothing when it is absent.
    /// </summary>
    public async ValueTask<BindResult> BindOnceAsync(HttpContext http)
    {
        if (http.Features.Get<BindResult>() is { } bound)
            return bound;
        bound = await ReadOnceAsync(http);
        http.Features.Set(bound); // kept for the journal of Graph calls (Ui/InboxMiddleware)
        return bound;
    }

    private async ValueTask<BindResult> ReadOnceAsync(HttpContext http)
    {
        if (StreamedUploadLimit(http) is not { } limit)
            return await GraphParameters.ReadAsync(http.Request, Options.MaxBodyBytes, http.RequestAborted);

        // A file upload: Kestrel's limit raised to the endpoint's, one of the bounded upload slots, files streamed
        // past.
        if (
            http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()
                is { IsReadOnly: false } kestrel
            && kestrel.MaxRequestBodySize < limit
        )
            kestrel.MaxRequestBodySize = limit;
        if (!await Uploads.EnterAsync(http.RequestAborted))
            return BindResult.Fail(DomainError.Of(DomainErrorKind.RateLimited));
        try
        {
            return await GraphParameters.ReadStreamedMultipartAsync(
                http.Request,
                limit,
                Options.MaxBodyBytes,
                http.RequestAborted
            );
        }
        finally
        {
            Uploads.Exit();
        }
    }

    /// <summary>
    /// For a multipart body on an endpoint that takes files (<see cref="GraphBodyLimit"/>): the endpoint's body limit
    /// (or PAGEBOX_MAX_BODY_BYTES when larger); its files are streamed. Null for everything else, which is read whole
    /// within PAGEBOX_MAX_BODY_BYTES.
    /// </summary>
    public long? StreamedUploadLimit(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<GraphBodyLimit>() is { } own
        && GraphParameters.IsMultipart(http.Request.ContentType)
            ? Math.Max(own.Bytes, Options.MaxBodyBytes)
            : null;

    /// <summary>Binds and authenticates a call made with a Page access token on /{PAGE-ID}/… or /me/….</summary>
    public async Task<Result<PageRequest>> BindPageAsync(HttpContext http, string pathId)
    {
        var bound = await ReadParametersAsync(http);
        if (!bound.IsAccepted)
            return bound.Error;
        var caller = await GraphAuth.PageAsync(bound.Value, pathId, Directory, http.Request.Method.ToLowerInvariant());
        return caller.IsAccepted ? new PageRequest(bound.Value, caller.Value) : caller.Error;
    }

    /// <summary>Binds and authenticates a call made with an app token on /{APP-ID}/…, which must be that app.</summary>
    public async Task<Result<AppRequest>> BindAppAsync(HttpContext http, string pathId)
    {
        var bound = await ReadParametersAsync(http);
        if (!bound.IsAccepted)
            return bound.Error;
        var app = await GraphAuth.AppAsync(bound.Value, Directory);
        if (!app.IsAccepted)
            return app.Error;
        return app.Value.Id == pathId
            ? new AppRequest(bound.Value, app.Value)
            : DomainError.Unsupported(http.Request.Method.ToLowerInvariant(), pathId);
    }

    /// <summary>Sends per Page in the current second (the Page's send_rate_per_second switch).</summary>
    public SendRateCounter SendRates { get; } = new(directory.Real);

    /// <summary>The clock of the app that owns the Page (read it inside a store command: times then follow commit
    /// order).</summary>
    public async ValueTask<TimeProvider> PageClockAsync(Domain.Model.PageRecord page) =>
        (TimeProvider?)await Directory.ClockAsync(page.AppId) ?? Directory.Real;

    /// <summary>The time on the clock of the app that owns the Page.</summary>
    public async ValueTask<DateTimeOffset> PageNowAsync(Domain.Model.PageRecord page) =>
        (await Directory.ClockAsync(page.AppId))?.GetUtcNow() ?? Directory.Real.GetUtcNow();
}
