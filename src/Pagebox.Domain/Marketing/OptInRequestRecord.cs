namespace Pagebox.Domain.Marketing;

/// <summary>
/// One offer of an opt-in request the Page sent (one per carousel element), kept so the person's tap can make the
/// token and so later requests can be checked for duplicates. A "Continue messages" prompt (re-opt-in, 2023 rules)
/// is an offer too: <see cref="ReOptInToken"/> names the token it refreshes.
/// </summary>
public sealed record OptInRequestRecord(
    string Mid,
    int Element,
    string PageId,
    string Psid,
    string Title,
    string Payload,
    string? ImageUrl,
    TokenFrequency Frequency,
    ReOptIn ReOptIn,
    string? TimeZone,
    DateTimeOffset SentAt,
    string? ReOptInToken = null
)
{
    public SentOptInRequest AsSent => new(Title, ImageUrl, SentAt);
}
