using System.Security.Cryptography;
using System.Text;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Graph;

/// <summary>A Graph call made with a Page access token.</summary>
internal sealed record PageCaller(PageRecord Page, AppRecord App, PageToken Token);

/// <summary>
/// Access tokens and appsecret_proof (docs/spec/send-api.md §1.2–1.3). App tokens are <c>APP-ID|APP-SECRET</c>; Page
/// tokens
/// open one Page for one app. With a Page token, <c>me</c> is that Page.
/// </summary>
internal static class GraphAuth
{
    public static async ValueTask<(PageCaller? Caller, DomainError? Error)> PageAsync(
        GraphParameters p,
        string pathId,
        PageboxDirectory directory,
        string verb
    )
    {
        if (p.AccessToken is not { } token)
            return (null, DomainError.Of(DomainErrorKind.MissingAccessToken));
        if (token.Contains('|', StringComparison.Ordinal))
        {
            // An app token cannot act as a Page.
            var (appCaller, appError) = await AppAsync(p, directory);
            return (null, appError ?? DomainError.Unsupported(verb, pathId));
        }
        if (await directory.GetTokenAsync(token) is not { } pageToken)
            return (null, DomainError.Of(DomainErrorKind.InvalidAccessToken));
        if (
            await directory.GetAppAsync(pageToken.AppId) is not { } app
            || await directory.GetPageAsync(pageToken.PageId) is not { } page
        )
            return (null, DomainError.Of(DomainErrorKind.InvalidAccessToken));
        if (CheckProof(p, token, app) is { } proofError)
            return (null, proofError);
        if (pathId != "me" && pathId != page.Id)
            return (null, DomainError.Unsupported(verb, pathId));
        return (new PageCaller(page, app, pageToken), null);
    }

    public static async ValueTask<(AppRecord? App, DomainError? Error)> AppAsync(
        GraphParameters p,
        PageboxDirectory directory
    )
    {
        if (p.AccessToken is not { } token)
            return (null, DomainError.Of(DomainErrorKind.MissingAccessToken));
        if (!IsAppToken(token))
        {
            return await directory.GetTokenAsync(token) is null
                ? (null, DomainError.Of(DomainErrorKind.InvalidAccessToken))
                : (null, DomainError.Of(DomainErrorKind.AppTokenRequired));
        }
        if (await AppOfAppTokenAsync(token, directory) is not { } app)
            return (null, DomainError.Of(DomainErrorKind.InvalidAccessToken, "Invalid OAuth access token signature."));
        if (CheckProof(p, token, app) is { } proofError)
            return (null, proofError);
        return (app, null);
    }

    /// <summary>
    /// The app behind any valid token: an app token's app, or the app a Page token was issued to; appsecret_proof is
    /// checked against that app (debug_token takes either kind of token).
    /// </summary>
    public static async ValueTask<(AppRecord? App, DomainError? Error)> CallerAppAsync(
        GraphParameters p,
        PageboxDirectory directory
    )
    {
        if (p.AccessToken is not { } token)
            return (null, DomainError.Of(DomainErrorKind.MissingAccessToken));
        if (IsAppToken(token))
            return await AppAsync(p, directory);
        if (
            await directory.GetTokenAsync(token) is not { } pageToken
            || await directory.GetAppAsync(pageToken.AppId) is not { } app
        )
            return (null, DomainError.Of(DomainErrorKind.InvalidAccessToken));
        if (CheckProof(p, token, app) is { } proofError)
            return (null, proofError);
        return (app, null);
    }

    private static DomainError? CheckProof(GraphParameters p, string token, AppRecord app)
    {
        if (p.AppSecretProof is { } proof)
            return FixedEquals(Proof(token, app.Secret), proof.ToLowerInvariant())
                ? null
                : DomainError.Of(DomainErrorKind.InvalidAppSecretProof);
        return app.RequireAppSecretProof ? DomainError.Of(DomainErrorKind.AppSecretProofRequired) : null;
    }

    /// <summary>Lowercase hex HMAC-SHA256 of the token keyed with the app secret.</summary>
    public static string Proof(string token, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(token)));

    public static bool IsAppToken(string token) => token.Contains('|', StringComparison.Ordinal);

    /// <summary>The app an <c>APP-ID|APP-SECRET</c> token names, when the secret is right; null otherwise.</summary>
    public static async ValueTask<AppRecord?> AppOfAppTokenAsync(string token, PageboxDirectory directory)
    {
        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0)
            return null;
        var app = await directory.GetAppAsync(token[..bar]);
        return app is not null && FixedEquals(app.Secret, token[(bar + 1)..]) ? app : null;
    }

    /// <summary>Compares secrets in constant time.</summary>
    public static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
