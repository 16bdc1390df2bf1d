using System.Security.Cryptography;

namespace Pagebox.Domain.Model;

/// <summary>
/// Identifiers shaped like Meta's (docs/design-notes.md §5): numeric ids of Meta's lengths, <c>m_</c> message ids,
/// <c>EAA…</c> access tokens. Some client libraries validate these shapes. A seed makes a run reproducible.
/// </summary>
public sealed class IdGenerator
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The 64 characters of a message id in byte order, so a counter written with them sorts as it
    /// counts.</summary>
    private const string Ordered = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <summary>Characters of a message id that hold its counter: 11 × 6 bits hold any positive long.</summary>
    private const int MidCounterChars = 11;

    /// <summary>Where a seeded run's message counter starts (2023-11-14 in milliseconds × 1024, as an unseeded one's
    /// would), so its ids look like the others.</summary>
    private const long SeededMidCounter = 1_700_000_000_000L << 10;

    private readonly Random? _seeded;
    private readonly Lock _lock = new();
    private long _midCounter;

    public IdGenerator(int? seed = null)
    {
        _seeded = seed is null ? null : new Random(seed.Value);
        _midCounter = seed is null ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 10 : SeededMidCounter;
    }

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

    /// <summary>
    /// <c>m_</c> and 86 characters of <c>A-Za-z0-9-_</c>, as Meta's. The first 11 are a counter (the start's time in
    /// milliseconds × 1024, then one more per id) in <see cref="Ordered"/>, so ids made one after another sort one
    /// after another: the store's unique index of message ids then grows at its end, one page per commit, instead of
    /// touching a page at random for every message (the other 75 characters are random: an id stays unguessable).
    /// </summary>
    public string Mid()
    {
        Span<char> chars = stackalloc char[86];
        var counter = Interlocked.Increment(ref _midCounter);
        for (var i = MidCounterChars - 1; i >= 0; i--, counter >>= 6)
            chars[i] = Ordered[(int)(counter & 63)];
        Pick(chars[MidCounterChars..], Ordered);
        return "m_" + new string(chars);
    }

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
