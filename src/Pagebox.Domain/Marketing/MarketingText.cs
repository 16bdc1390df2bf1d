using System.Text;

namespace Pagebox.Domain.Marketing;

/// <summary>How the marketing limits count characters (title ≤ 65, follow-up text ≤ 250).</summary>
public static class MarketingText
{
    /// <summary>
    /// Unicode code points (runes), not UTF-16 code units and not grapheme clusters. Meta says "characters" without
    /// defining them; its backend (Hack, <c>mb_strlen</c>) counts code points, so an emoji outside the BMP counts once
    /// (UTF-16 would count it twice) while a ZWJ family emoji counts as its several code points.
    /// </summary>
    public static int Length(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }
}
