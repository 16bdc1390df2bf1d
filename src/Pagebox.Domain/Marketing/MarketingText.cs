namespace Pagebox.Domain.Marketing;

/// <summary>How the marketing limits count characters (title ≤ 65, follow-up text ≤ 250): see <see
/// cref="Model.Characters"/>.</summary>
public static class MarketingText
{
    public static int Length(string text) => Model.Characters.Count(text);
}
