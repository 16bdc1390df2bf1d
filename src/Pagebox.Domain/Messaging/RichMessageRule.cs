using Pagebox.Domain.Errors;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Messaging;

/// <summary>Message forms that depend on the Page's platform.</summary>
public static class RichMessageRule
{
    /// <summary>
    /// The Sticker API sends through Messenger's Send API; Instagram documents no <c>sticker_id</c> (its sticker is the
    /// <c>like_heart</c> attachment), so Pagebox refuses it there (the stricter reading).
    /// </summary>
    public static DomainError? Check(PageRecord page, SendCommand cmd) =>
        page.Platform == Platform.Instagram && cmd.Message?.StickerId is not null
            ? DomainError.Invalid("message[sticker_id]", "Param message[sticker_id] is not supported on Instagram")
            : null;
}
