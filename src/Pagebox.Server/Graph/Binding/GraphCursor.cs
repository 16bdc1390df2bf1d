using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Pagebox.Domain.Errors;
using Pagebox.Domain.Store;

namespace Pagebox.Server.Graph.Binding;

/// <summary>
/// The opaque cursors of Graph list edges (<c>paging.cursors.before</c>/<c>after</c>, and the <c>after</c>
/// parameter that brings one back): base64url, unpadded, of the position's text. What the position is belongs to
/// the edge: a message id, or a conversation's last update and PSID (<see cref="Conversation"/>).
/// </summary>
internal static class GraphCursor
{
    public static string Encode(string position) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(position));

    /// <summary>The position a cursor encodes; null when it is not base64url.</summary>
    public static string? Decode(string cursor)
    {
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(cursor));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>after</c> parameter read into the edge's position: absent → null; not a string → its error; not a
    /// cursor of this edge (<paramref name="decode"/> gives null) → 100 "Param after is not a valid cursor".
    /// </summary>
    public static DomainError? ReadAfter<T>(GraphParameters p, Func<string, T?> decode, out T? after)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(decode);
        after = null;
        if (!p.TryGetString("after", out var text, out var error))
            return error;
        after = decode(text);
        return after is null ? DomainError.Invalid("after", "Param after is not a valid cursor") : null;
    }

    /// <summary>A conversation list's cursor: the conversation's last update (Unix ms) and its PSID.</summary>
    public static string Conversation(ConversationSummary c) =>
        Encode($"{c.Updated.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}:{c.Conversation.Psid}");

    /// <summary>The position of a conversation list's cursor; null when it is not one.</summary>
    public static ConversationCursor? ConversationAfter(string cursor)
    {
        if (Decode(cursor) is not { } text)
            return null;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return
            colon > 0
            && long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? new ConversationCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), text[(colon + 1)..])
            : null;
    }
}
