using System.Security.Cryptography;
using System.Text;

namespace Pagebox.Server.Webhooks;

/// <summary>
/// Signs the exact bytes sent: X-Hub-Signature-256 (documented) and the legacy X-Hub-Signature sha1, which several
/// widely used bot libraries still check.
/// </summary>
internal static class WebhookSigner
{
    public static string Sha256(byte[] body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    // HMAC-SHA1 is what the legacy header is; it is not our choice of algorithm.
#pragma warning disable CA5350
    public static string Sha1(byte[] body, string secret) =>
        "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body));
#pragma warning restore CA5350
}
