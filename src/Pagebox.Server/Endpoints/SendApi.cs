using Pagebox.Contracts;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Endpoints;

/// <summary>POST /{PAGE-ID}/messages and /me/messages.</summary>
internal static class SendApi
{
    public static async Task<IResult> SendAsync(PageCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        var parsed = SendRequestParser.Parse(p, caller.App.Id, caller.Page.Id);
        if (!parsed.IsAccepted)
            return GraphErrors.Result(parsed.Error);
        var command = parsed.Value;
        if (g.SendRates.Take(caller.Page) is { } rateError)
            return GraphErrors.Result(rateError);
        // The app's clock is read inside the command, so times follow the order in which sends commit.
        var clock = await g.PageClockAsync(caller.Page);
        var decision = await g.Store.WriteAsync(
            s => g.Sends.Send(s, caller.Page, command, clock.GetUtcNow()),
            http.RequestAborted
        );
        if (!decision.IsAccepted)
            return GraphErrors.Result(decision.Error);
        var result = decision.Value;
        return Results.Json(
            new SendResponse(result.RecipientId, result.MessageId) { AttachmentId = result.AttachmentId },
            PageboxJson.Wire.SendResponse
        );
    }
}
