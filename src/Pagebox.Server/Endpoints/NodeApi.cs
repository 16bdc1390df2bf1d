using Pagebox.Contracts;
using Pagebox.Server.Errors;

namespace Pagebox.Server.Endpoints;

/// <summary>GET /{id}: the Page node for a Page token (<c>/me</c> included), a person by PSID, or a
/// notification_messages_{TOKEN} node.</summary>
internal static class NodeApi
{
    public static async Task<IResult> GetAsync(string id, HttpContext http, GraphServices g)
    {
        if (id.StartsWith(MarketingApi.TokenNodePrefix, StringComparison.Ordinal))
            return await MarketingApi.TokenAsync(id, http, g);
        if (await CampaignsApi.TryNodeAsync(id, http, g) is { } campaign)
            return campaign;
        if (id == "debug_token")
            return await TokenApi.DebugAsync(http, g);
        if (await TokenApi.TryAppNodeAsync(id, http, g) is { } appNode)
            return appNode;
        // A PSID is read with the token of its Page (User Profile API); anything else must be the Page itself.
        var bound = await g.BindPageAsync(http, "me");
        if (!bound.IsAccepted)
            return GraphErrors.Result(bound.Error);
        var (p, caller) = bound.Value;
        if (ConversationsApi.IsNodeId(id))
            return await ConversationsApi.NodeAsync(id, p, caller, http, g);
        if (id != "me" && id != caller.Page.Id)
            return await PersonasApi.TryGetAsync(id, caller, http, g)
                ?? await ProfileApi.UserAsync(id, p, caller, http, g);
        return Results.Json(new PageNode(caller.Page.Id, caller.Page.Name), PageboxJson.Wire.PageNode);
    }

    /// <summary>DELETE /{id}: a marketing messages campaign, else a persona.</summary>
    public static async Task<IResult> DeleteAsync(string id, HttpContext http, GraphServices g) =>
        await CampaignsApi.TryDeleteAsync(id, http, g) ?? await PersonasApi.DeleteAsync(id, http, g);
}
