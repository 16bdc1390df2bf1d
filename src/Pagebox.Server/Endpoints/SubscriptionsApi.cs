using System.Globalization;
using System.Security.Cryptography;
using Pagebox.Contracts;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Store;
using Pagebox.Domain.Subscriptions;
using Pagebox.Server.Errors;

namespace Pagebox.Server.Endpoints;

/// <summary>
/// Webhook subscriptions as on the platform: /{APP-ID}/subscriptions with the app token (and the hub.challenge
/// handshake), /{PAGE-ID}/subscribed_apps with the Page token.
/// </summary>
internal static class SubscriptionsApi
{
    private const string GraphVersion = "v24.0";

    public static async Task<IResult> SubscribeAsync(AppCall call, HttpContext http, GraphServices g)
    {
        var (p, app) = call;

        if (!p.TryGetRequiredString("object", out var obj, out var error))
            return GraphErrors.Result(error);
        if (!SubscriptionCommands.Objects.Contains(obj))
            return GraphErrors.Result(
                DomainError.Invalid(
                    "object",
                    "Param object must be one of {page, instagram, user, permissions, application} - got "
                        + $"\"{obj}\""
                )
            );
        if (!p.TryGetRequiredString("callback_url", out var callback, out error))
            return GraphErrors.Result(error);
        if (
            !Uri.TryCreate(callback, UriKind.Absolute, out var callbackUri)
            || callbackUri.Scheme is not ("http" or "https")
        )
            return GraphErrors.Result(DomainError.Invalid("callback_url", "Param callback_url must be a valid URL"));
        if (!p.TryGetStringList("fields", out var fields, out error))
            return GraphErrors.Result(error ?? DomainError.Missing("fields"));
        if (SubscriptionCommands.ValidateFields(fields, "fields", obj) is { } fieldError)
            return GraphErrors.Result(fieldError);
        if (!p.TryGetRequiredString("verify_token", out var verifyToken, out error))
            return GraphErrors.Result(error);

        // The platform calls the callback before it accepts the subscription.
        if (await HandshakeAsync(g, callbackUri, verifyToken, http.RequestAborted) is { } handshakeError)
            return GraphErrors.Result(DomainError.Of(DomainErrorKind.CallbackVerificationFailed, handshakeError));

        return await SucceedAsync(
            g,
            http,
            s => SubscriptionCommands.Subscribe(s, app.Id, obj, callback, verifyToken, fields)
        );
    }

    /// <summary>GET callback?hub.mode=subscribe&amp;hub.challenge=N&amp;hub.verify_token=T must answer 200 with
    /// N.</summary>
    private static async Task<string?> HandshakeAsync(
        GraphServices g,
        Uri callback,
        string verifyToken,
        CancellationToken ct
    )
    {
        var challenge = RandomNumberGenerator
            .GetInt32(100_000_000, int.MaxValue)
            .ToString(CultureInfo.InvariantCulture);
        var separator = string.IsNullOrEmpty(callback.Query) ? "?" : "&";
        var url =
            $"{callback}{separator}hub.mode=subscribe&hub.challenge={challenge}&hub.verify_token="
            + $"{Uri.EscapeDataString(verifyToken)}";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(g.Options.WebhookTimeout);
        try
        {
            using var response = await g
                .HttpClients.CreateClient(Webhooks.WebhookDispatcher.HttpClientName)
                .GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if ((int)response.StatusCode != 200)
                return $"The URL couldn't be validated. Callback verification failed with the following errors: HTTP "
                    + $"Status Code = {(int)response.StatusCode}";
            // Only the status code goes back to the caller, never what the server answered: Meta quotes the start of
            // the answer, but a local emulator that did so would read any server on the machine or its network for
            // whoever can subscribe an app. Only a little more than the challenge is read.
            if (!await AnswersChallengeAsync(response, challenge, timeout.Token))
                return $"The URL couldn't be validated. Response does not match challenge, expected value=\""
                    + $"{challenge}\" (HTTP Status Code = 200)";
            return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "The URL couldn't be validated. Callback verification failed with the following errors: Operation "
                + "timed out";
        }
        catch (HttpRequestException ex)
        {
            // Not ex.Message: for an answer that is not HTTP it quotes the server ("invalid status line: 'SSH-2.0-…'").
            return $"The URL couldn't be validated. Callback verification failed with the following errors: "
                + $"{Describe(ex.HttpRequestError)}";
        }
        catch (IOException)
        {
            return $"The URL couldn't be validated. Callback verification failed with the following errors: "
                + $"{Describe(HttpRequestError.ResponseEnded)}";
        }
    }

    private static string Describe(HttpRequestError error) =>
        error switch
        {
            HttpRequestError.NameResolutionError => "Couldn't resolve the host name",
            HttpRequestError.ConnectionError => "Couldn't connect to server",
            HttpRequestError.SecureConnectionError => "SSL connection failed",
            HttpRequestError.ResponseEnded => "The connection closed before a full answer",
            HttpRequestError.InvalidResponse
            or HttpRequestError.ExtendedConnectNotSupported
            or HttpRequestError.VersionNegotiationError => "The answer was not valid HTTP",
            _ => "The request failed",
        };

    /// <summary>Whether the body is exactly the challenge; reads at most a few bytes more than it.</summary>
    private static async Task<bool> AnswersChallengeAsync(
        HttpResponseMessage response,
        string challenge,
        CancellationToken ct
    )
    {
        var buffer = new byte[challenge.Length + 2];
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), ct)) > 0)
            read += n;
        return read == challenge.Length && System.Text.Encoding.ASCII.GetString(buffer, 0, read) == challenge;
    }

    public static async Task<IResult> ListAsync(AppCall call, HttpContext http, GraphServices g)
    {
        var app = call.App;
        var subscriptions = await g.Store.ReadAsync(s => s.GetAppSubscriptions(app.Id), http.RequestAborted);
        var items = subscriptions.Select(Item).ToList();
        return Results.Json(new GraphList<AppSubscriptionItem>(items), PageboxJson.Wire.GraphListAppSubscriptionItem);
    }

    public static AppSubscriptionItem Item(Domain.Model.AppSubscription s) =>
        new(s.Object, s.CallbackUrl, true, [.. s.Fields.Select(f => new SubscriptionField(f, GraphVersion))]);

    public static async Task<IResult> UnsubscribeAsync(AppCall call, HttpContext http, GraphServices g)
    {
        var (p, app) = call;
        if (p.OptionalString("object", out var obj) is { } error)
            return GraphErrors.Result(error);
        IReadOnlyList<string>? fields = null;
        if (p.TryGetStringList("fields", out var list, out error))
            fields = list;
        else if (error is not null)
            return GraphErrors.Result(error);
        return await SucceedAsync(g, http, s => SubscriptionCommands.Unsubscribe(s, app.Id, obj, fields));
    }

    public static async Task<IResult> InstallAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        if (!p.TryGetStringList("subscribed_fields", out var fields, out var fieldsError))
            return GraphErrors.Result(fieldsError ?? DomainError.Missing("subscribed_fields"));
        if (
            SubscriptionCommands.ValidateFields(
                fields,
                "subscribed_fields",
                Domain.Webhooks.WebhookFanout.ObjectOf(caller.Page.Platform)
            ) is
            { } invalid
        )
            return GraphErrors.Result(invalid);
        return await SucceedAsync(
            g,
            http,
            s => SubscriptionCommands.InstallOnPage(s, caller.Page.Id, caller.App.Id, fields)
        );
    }

    public static async Task<IResult> InstalledAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var caller = call.Caller;
        var installs = await g.Store.ReadAsync(
            s => s.GetPageSubscriptions(caller.Page.Id).Select(i => (i, App: s.GetApp(i.AppId))).ToList(),
            http.RequestAborted
        );
        var items = installs
            .Where(x => x.App is not null)
            .Select(x => new SubscribedAppItem(
                "Business",
                $"https://pagebox.local/apps/{x.App!.Id}",
                x.App.Name,
                x.App.Id,
                x.i.Fields
            ))
            .ToList();
        return Results.Json(new GraphList<SubscribedAppItem>(items), PageboxJson.Wire.GraphListSubscribedAppItem);
    }

    public static async Task<IResult> UninstallAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var caller = call.Caller;
        return await SucceedAsync(
            g,
            http,
            s => SubscriptionCommands.UninstallFromPage(s, caller.Page.Id, caller.App.Id)
        );
    }

    /// <summary>Applies a subscription change, then answers Graph's <c>{"success": true}</c>.</summary>
    private static async Task<IResult> SucceedAsync(GraphServices g, HttpContext http, Action<IStoreSession> change)
    {
        await g.Store.WriteAsync(
            s =>
            {
                change(s);
                return true;
            },
            http.RequestAborted
        );
        return GraphAnswers.Success();
    }
}
