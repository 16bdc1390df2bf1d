using Pagebox.Contracts;
using Pagebox.Server.Errors;
using Pagebox.Server.Graph;

namespace Pagebox.Server.Endpoints;

/// <summary>POST /{PAGE-ID}/messages and /me/messages.</summary>
internal static class SendApi
{
    public static async Task<IResult> SendAsync(string id, HttpContext http, GraphServices g)
    {
        var (p, caller, error) = await g.BindPageAsync(http, id);
        if (error is not null) return error;
        var (command, parseError) = SendRequestParser.Parse(p!, caller!.App.Id, caller.Page.Id);
        if (parseError is not null) return GraphErrors.Result(parseError);
        var now = await g.PageNowAsync(caller.Page);
        var decision = await g.Store.WriteAsync(s => g.Sends.Send(s, caller.Page, command!, now), http.RequestAborted);
        if (!decision.IsAccepted) return GraphErrors.Result(decision.Error!);
        var sent = decision.Value!;
        return Results.Json(new SendResponse(sent.RecipientId, sent.MessageId) { AttachmentId = sent.AttachmentId }, PageboxJsonContext.Default.SendResponse);
    }
}
