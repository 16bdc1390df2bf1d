namespace Pagebox.Domain.Model;

/// <summary>How the platform's limits count characters (text ≤ 2000, titles ≤ 65 or 80, follow-ups ≤ 250, …).</summary>
public static class Characters
{
    /// <summary>
    /// Unicode code points (runes), not UTF-16 code units and not grapheme clusters. Meta says "characters" without
    /// defining them; its backend (Hack, <c>mb_strlen</c>) counts code points, so an emoji outside the BMP counts once
    /// (UTF-16 would count it twice) while a ZWJ family emoji counts as its several code points.
    /// </summary>
    public static int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
            count++;
        return count;
    }
}
