using Pagebox.Domain.Campaigns;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// A Graph call's request, bound and authenticated in one place before its handler runs: a handler takes one
/// (<see cref="PageCall"/>, <see cref="AppCall"/>, …) as a parameter and holds only its own logic. The type's static
/// <c>BindAsync</c> (minimal APIs' binding, generated code under Native AOT) only makes the value; <see
/// cref="GraphCallFilter"/> binds it after the fault filter, so a fault still fires before Graph looks at the request.
/// The checks and their order are <see cref="GraphServices.BindPageAsync"/>'s and <see
/// cref="GraphServices.BindAppAsync"/>'s (body, token, appsecret_proof, path id); a refusal answers as its Graph error
/// and the handler does not run.
/// </summary>
internal abstract class GraphCall
{
    /// <summary>Binds the parameters and authenticates the caller: null when the call goes on, else the
    /// refusal.</summary>
    public abstract Task<DomainError?> AuthenticateAsync(HttpContext http, GraphServices g);

    /// <summary>A route value of the call's path (<c>{id}</c>, <c>act_{account}</c>).</summary>
    protected static string RouteValue(HttpContext http, string name) =>
        http.Request.RouteValues.TryGetValue(name, out var value) && value is string s ? s : "";
}

/// <summary>A <see cref="GraphCall"/> that keeps what its binding found.</summary>
internal abstract class GraphCall<T> : GraphCall
    where T : class
{
    private T? _bound;

    /// <summary>What the binding found; only read by a handler, which runs once it is bound.</summary>
    protected T Bound =>
        _bound
        ?? throw new InvalidOperationException(
            $"{GetType().Name} is read before GraphCallFilter bound it (is its endpoint mapped on the Graph group?)."
        );

    protected abstract Task<Result<T>> ReadAsync(HttpContext http, GraphServices g);

    public sealed override async Task<DomainError?> AuthenticateAsync(HttpContext http, GraphServices g)
    {
        var read = await ReadAsync(http, g);
        if (!read.IsAccepted)
            return read.Error;
        _bound = read.Value;
        return null;
    }
}

/// <summary>A call made with a Page access token: its parameters and its caller.</summary>
internal abstract class PageTokenCall : GraphCall<PageRequest>
{
    public GraphParameters Parameters => Bound.Parameters;

    public PageCaller Caller => Bound.Caller;

    public void Deconstruct(out GraphParameters parameters, out PageCaller caller) =>
        (parameters, caller) = (Parameters, Caller);
}

/// <summary>A call on <c>/{PAGE-ID}/…</c> (or <c>/me/…</c>) with a Page access token, which must be that
/// Page's.</summary>
internal sealed class PageCall : PageTokenCall
{
    public static ValueTask<PageCall?> BindAsync(HttpContext http) => ValueTask.FromResult<PageCall?>(new());

    protected override Task<Result<PageRequest>> ReadAsync(HttpContext http, GraphServices g) =>
        g.BindPageAsync(http, RouteValue(http, "id"));
}

/// <summary>
/// A file upload on <c>/{PAGE-ID}/…</c> with a Page access token (<see cref="GraphBodyLimit"/>): as a <see
/// cref="PageCall"/>, but a multipart body over the endpoint's limit holds a file over Meta's, whatever else it holds.
/// </summary>
internal sealed class PageUploadCall : PageTokenCall
{
    public static ValueTask<PageUploadCall?> BindAsync(HttpContext http) =>
        ValueTask.FromResult<PageUploadCall?>(new());

    protected override async Task<Result<PageRequest>> ReadAsync(HttpContext http, GraphServices g)
    {
        var bound = await g.BindPageAsync(http, RouteValue(http, "id"));
        return bound.Error is { Kind: DomainErrorKind.BodyTooLarge } && g.StreamedUploadLimit(http) is not null
            ? DomainError.Of(DomainErrorKind.AttachmentTooLarge)
            : bound;
    }
}

/// <summary>
/// A call with a Page access token on a node that is not a Page (a conversation, a campaign, an audience, a persona):
/// any Page of the app may make it, as on <c>/me</c>; the handler checks the node is the caller's.
/// </summary>
internal sealed class NodeCall : PageTokenCall
{
    public static ValueTask<NodeCall?> BindAsync(HttpContext http) => ValueTask.FromResult<NodeCall?>(new());

    protected override Task<Result<PageRequest>> ReadAsync(HttpContext http, GraphServices g) =>
        g.BindPageAsync(http, "me");
}

/// <summary>A call on <c>/{APP-ID}/…</c> with an app token, which must be that app's.</summary>
internal sealed class AppCall : GraphCall<AppRequest>
{
    public GraphParameters Parameters => Bound.Parameters;

    public AppRecord App => Bound.App;

    public void Deconstruct(out GraphParameters parameters, out AppRecord app) => (parameters, app) = (Parameters, App);

    public static ValueTask<AppCall?> BindAsync(HttpContext http) => ValueTask.FromResult<AppCall?>(new());

    protected override Task<Result<AppRequest>> ReadAsync(HttpContext http, GraphServices g) =>
        g.BindAppAsync(http, RouteValue(http, "id"));
}

/// <summary>
/// A call on <c>/act_{AD-ACCOUNT-ID}/…</c> with a Page access token of any Page of the app (Pagebox's stand-in for
/// Meta's system-user token): the caller's app. The account id must be numeric (any other id "does not exist"); whether
/// the app owns the account is the command's to say.
/// </summary>
internal sealed class AdAccountIdCall : GraphCall<PageRequest>
{
    public GraphParameters Parameters => Bound.Parameters;

    public string AppId => Bound.Caller.App.Id;

    public void Deconstruct(out GraphParameters parameters, out string appId) =>
        (parameters, appId) = (Parameters, AppId);

    public static ValueTask<AdAccountIdCall?> BindAsync(HttpContext http) =>
        ValueTask.FromResult<AdAccountIdCall?>(new());

    protected override Task<Result<PageRequest>> ReadAsync(HttpContext http, GraphServices g) =>
        ReadCallerAsync(http, g);

    /// <summary>The Page token's call, refused when the account id is not numeric.</summary>
    public static async Task<Result<PageRequest>> ReadCallerAsync(HttpContext http, GraphServices g)
    {
        ArgumentNullException.ThrowIfNull(g);
        var bound = await g.BindPageAsync(http, "me");
        var account = RouteValue(http, "account");
        return !bound.IsAccepted || SendRequestParser.IsNumericId(account)
            ? bound
            : DomainError.Unsupported(http.Request.Method.ToLowerInvariant(), AdAccountRecord.Prefix + account);
    }
}

/// <summary>A call on <c>/act_{AD-ACCOUNT-ID}</c> or below that reads the account: as an <see
/// cref="AdAccountIdCall"/>, and the account must be the caller's app's.</summary>
internal sealed class AdAccountCall : GraphCall<FoundAdAccount>
{
    public GraphParameters Parameters => Bound.Parameters;

    public AdAccountRecord Account => Bound.Account;

    public void Deconstruct(out GraphParameters parameters, out AdAccountRecord account) =>
        (parameters, account) = (Parameters, Account);

    public static ValueTask<AdAccountCall?> BindAsync(HttpContext http) => ValueTask.FromResult<AdAccountCall?>(new());

    protected override async Task<Result<FoundAdAccount>> ReadAsync(HttpContext http, GraphServices g)
    {
        var bound = await AdAccountIdCall.ReadCallerAsync(http, g);
        if (!bound.IsAccepted)
            return bound.Error;
        var (p, caller) = bound.Value;
        var account = RouteValue(http, "account");
        var verb = http.Request.Method.ToLowerInvariant();
        var found = await g.Store.ReadAsync(
            s => CampaignCommands.AccountOf(s, caller.App.Id, account, verb),
            http.RequestAborted
        );
        return found.Map(a => new FoundAdAccount(p, a));
    }
}

/// <summary>What an <see cref="AdAccountCall"/> binds: the call's parameters and the caller's account.</summary>
internal sealed record FoundAdAccount(GraphParameters Parameters, AdAccountRecord Account);

/// <summary>
/// Binds the <see cref="GraphCall"/> parameter of a Graph endpoint before its handler runs (added to the Graph group
/// after the fault filter, Routes.MapGraph); an endpoint without one is left as it is.
/// </summary>
internal static class GraphCallFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        var index = Array.FindIndex(
            context.MethodInfo.GetParameters(),
            p => p.ParameterType.IsAssignableTo(typeof(GraphCall))
        );
        if (index < 0)
            return next;
        return async invocation =>
        {
            var http = invocation.HttpContext;
            var call = invocation.GetArgument<GraphCall>(index);
            return
                await call.AuthenticateAsync(http, http.RequestServices.GetRequiredService<GraphServices>())
                    is { } refused
                ? GraphErrors.Result(refused)
                : await next(invocation);
        };
    }

    /// <summary>
    /// Binds a call where the handler first decides which call it is (<c>GET /{id}</c> looks at the id before it
    /// knows which token it takes), then goes on with it; a refusal answers as its Graph error.
    /// </summary>
    public static async Task<IResult> ThenAsync<TCall>(
        this TCall call,
        HttpContext http,
        GraphServices g,
        Func<TCall, Task<IResult>> next
    )
        where TCall : GraphCall
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(next);
        return await call.AuthenticateAsync(http, g) is { } refused ? GraphErrors.Result(refused) : await next(call);
    }
}
