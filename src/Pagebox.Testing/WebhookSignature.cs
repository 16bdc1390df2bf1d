using System.Security.Cryptography;
using System.Text;

namespace Pagebox.Testing;

/// <summary>
/// The two signature headers Meta puts on a webhook POST: <c>X-Hub-Signature-256: sha256=HEX</c> and the legacy
/// <c>X-Hub-Signature: sha1=HEX</c>, both HMACs over the exact raw body bytes keyed with the app secret, lowercase hex
/// (Meta: "Webhooks for Messenger", validating payloads).
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header of the SHA-256 signature.</summary>
    public const string Sha256HeaderName = "X-Hub-Signature-256";

    /// <summary>The legacy header of the SHA-1 signature.</summary>
    public const string Sha1HeaderName = "X-Hub-Signature";

    /// <summary>The full header value <c>sha256=…</c> for <paramref name="body"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    /// <summary>The full header value <c>sha1=…</c> for <paramref name="body"/>.</summary>
    public static string Sha1(ReadOnlySpan<byte> body, string appSecret) =>
        // Meta's legacy X-Hub-Signature header is defined as HMAC-SHA1; we check it, we do not choose it.
#pragma warning disable CA5350
        "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(appSecret), body));
#pragma warning restore CA5350

    /// <summary>Constant-time check of a received <c>X-Hub-Signature-256</c> value (exact, lowercase hex).</summary>
    public static bool VerifySha256(ReadOnlySpan<byte> body, string appSecret, string? headerValue) =>
        FixedTimeEquals(Sha256(body, appSecret), headerValue);

    /// <summary>Constant-time check of a received <c>X-Hub-Signature</c> value (exact, lowercase hex).</summary>
    public static bool VerifySha1(ReadOnlySpan<byte> body, string appSecret, string? headerValue) =>
        FixedTimeEquals(Sha1(body, appSecret), headerValue);

    private static bool FixedTimeEquals(string expected, string? actual) =>
        actual is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
