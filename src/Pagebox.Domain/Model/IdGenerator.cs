using System.Security.Cryptography;

namespace Pagebox.Domain.Model;

/// <summary>
/// Identifiers shaped like Meta's (DESIGN-NOTES §5): numeric ids of Meta's lengths, <c>m_</c> message ids,
/// <c>EAA…</c> access tokens. Some client libraries validate these shapes. A seed makes a run reproducible.
/// </summary>
public sealed class IdGenerator
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly Random? _seeded;
    private readonly Lock _lock = new();

    public IdGenerator(int? seed = null) => _seeded = seed is null ? null : new Random(seed.Value);

    public string AppId() => Numeric(16);
    public string PageId() => Numeric(15);
    public string PersonId() => Numeric(15);
    public string Psid() => Numeric(16);
    public string NotificationToken() => Numeric(19);
    public string PostId() => Numeric(15);
    public string AppSecret() => Hex(16);
    public string AdminKey() => "pbx_" + Chars(32, Alnum);
    public string PageAccessToken() => "EAA" + Chars(180, Alnum);
    public string Mid() => "m_" + Chars(86, Alnum + "-_");

    private string Numeric(int length)
    {
        Span<char> chars = stackalloc char[length];
        chars[0] = (char)('1' + Next(9));
        for (var i = 1; i < length; i++) chars[i] = (char)('0' + Next(10));
        return new string(chars);
    }

    private string Hex(int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        Fill(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private string Chars(int length, string alphabet)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = alphabet[Next(alphabet.Length)];
        return new string(chars);
    }

    private int Next(int max)
    {
        if (_seeded is null) return RandomNumberGenerator.GetInt32(max);
        lock (_lock) return _seeded.Next(max);
    }

    private void Fill(Span<byte> buffer)
    {
        if (_seeded is null) { RandomNumberGenerator.Fill(buffer); return; }
        lock (_lock) _seeded.NextBytes(buffer);
    }
}
