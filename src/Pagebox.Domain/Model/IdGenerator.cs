using System.Security.Cryptography;

namespace Pagebox.Domain.Model;

/// <summary>
/// Identifiers shaped like Meta's (docs/design-notes.md §5): numeric ids of Meta's lengths, <c>m_</c> message ids,
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

    public string AttachmentId() => Numeric(16);

    public string PersonaId() => Numeric(15);

    public string AppSecret() => Hex(16);

    /// <summary>Always from the OS's cryptographic generator, even with a seed: a reproducible run must not make the
    /// admin key guessable.</summary>
    public static string AdminKey()
    {
        Span<char> chars = stackalloc char[32];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = Alnum[RandomNumberGenerator.GetInt32(Alnum.Length)];
        return "pbx_" + new string(chars);
    }

    public string PageAccessToken() => "EAA" + Chars(180, Alnum);

    public string Mid() => "m_" + Chars(86, Alnum + "-_");

    private string Numeric(int length)
    {
        Span<char> chars = stackalloc char[length];
        Pick(chars, "0123456789");
        if (chars[0] == '0')
            chars[0] = (char)('1' + (chars[^1] % 9));
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
        Pick(chars, alphabet);
        return new string(chars);
    }

    /// <summary>
    /// Fills <paramref name="chars"/> from <paramref name="alphabet"/> with one random draw for the whole id (one call
    /// per character cost hundreds of microseconds per message id). Bytes at or above the largest multiple of the
    /// alphabet's size are skipped, so every character is equally likely.
    /// </summary>
    private void Pick(Span<char> chars, string alphabet)
    {
        var limit = 256 - (256 % alphabet.Length);
        Span<byte> random = stackalloc byte[chars.Length * 2];
        var filled = 0;
        while (filled < chars.Length)
        {
            Fill(random);
            foreach (var b in random)
            {
                if (b >= limit)
                    continue;
                chars[filled++] = alphabet[b % alphabet.Length];
                if (filled == chars.Length)
                    break;
            }
        }
    }

    private void Fill(Span<byte> buffer)
    {
        if (_seeded is null)
        {
            RandomNumberGenerator.Fill(buffer);
            return;
        }
        lock (_lock)
            _seeded.NextBytes(buffer);
    }
}
