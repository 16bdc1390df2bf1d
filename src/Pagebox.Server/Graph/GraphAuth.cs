using System.Security.Cryptography;
using System.Text;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;
using Pagebox.Server.Graph.Binding;

namespace Pagebox.Server.Graph;

/// <summary>A Graph call made with a Page access token.</summary>
internal sealed record PageCaller(PageRecord Page, AppRecord App, PageToken Token);

/// <summary>A bound and authenticated call with a Page access token: its parameters and its caller.</summary>
internal sealed record PageRequest(GraphParameters Parameters, PageCaller Caller);

/// <summary>A bound and authenticated call with an app token: its parameters and its app.</summary>
internal sealed record AppRequest(GraphParameters Parameters, AppRecord App);

/// <summary>
/// Access tokens and appsecret_proof (docs/spec/send-api.md §1.2–1.3). App tokens are <c>APP-ID|APP-SECRET</c>; Page
/// tokens open one Page for one app. With a Page token, <c>me</c> is that Page.
/// </summary>
internal static class GraphAuth
{
    public static async ValueTask<Result<PageCaller>> PageAsync(
        GraphParameters p,
        string pathId,
        PageboxDirectory directory,
        string verb
    )
    {
        if (p.AccessToken is not { } token)
            return DomainError.Of(DomainErrorKind.MissingAccessToken);
        if (token.Contains('|', StringComparison.Ordinal))
        {
            // An app token cannot act as a Page.
            var asApp = await AppAsync(p, directory);
            return asApp.IsAccepted ? DomainError.Unsupported(verb, pathId) : asApp.Error;
        }
        if (await directory.GetTokenAsync(token) is not { } pageToken)
            return DomainError.Of(DomainErrorKind.InvalidAccessToken);
        if (
            await directory.GetAppAsync(pageToken.AppId) is not { } app
            || await directory.GetPageAsync(pageToken.PageId) is not { } page
        )
            return DomainError.Of(DomainErrorKind.InvalidAccessToken);
        if (CheckProof(p, token, app) is { } proofError)
            return proofError;
        if (pathId != "me" && pathId != page.Id)
            return DomainError.Unsupported(verb, pathId);
        return new PageCaller(page, app, pageToken);
    }

    public static async ValueTask<Result<AppRecord>> AppAsync(GraphParameters p, PageboxDirectory directory)
    {
        if (p.AccessToken is not { } token)
            return DomainError.Of(DomainErrorKind.MissingAccessToken);
        if (!IsAppToken(token))
        {
            return await directory.GetTokenAsync(token) is null
                ? DomainError.Of(DomainErrorKind.InvalidAccessToken)
                : DomainError.Of(DomainErrorKind.AppTokenRequired);
        }
        if (await AppOfAppTokenAsync(token, directory) is not { } app)
            return DomainError.Of(DomainErrorKind.InvalidAccessToken, "Invalid OAuth access token signature.");
        if (CheckProof(p, token, app) is { } proofError)
            return proofError;
        return app;
    }

    /// <summary>
    /// The app behind any valid token: an app token's app, or the app a Page token was issued to; appsecret_proof is
    /// checked against that app (debug_token takes either kind of token).
    /// </summary>
    public static async ValueTask<Result<AppRecord>> CallerAppAsync(GraphParameters p, PageboxDirectory directory)
    {
        if (p.AccessToken is not { } token)
            return DomainError.Of(DomainErrorKind.MissingAccessToken);
        if (IsAppToken(token))
            return await AppAsync(p, directory);
        if (
            await directory.GetTokenAsync(token) is not { } pageToken
            || await directory.GetAppAsync(pageToken.AppId) is not { } app
        )
            return DomainError.Of(DomainErrorKind.InvalidAccessToken);
        if (CheckProof(p, token, app) is { } proofError)
            return proofError;
        return app;
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
