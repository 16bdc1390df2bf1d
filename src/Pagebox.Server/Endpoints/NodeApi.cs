using Pagebox.Contracts;

namespace Pagebox.Server.Endpoints;

/// <summary>GET /{id}: the Page node for a Page token (<c>/me</c> included), a person by PSID, or a
/// notification_messages_{TOKEN} node.</summary>
internal static class NodeApi
{
    /// <summary>Which node the id names decides which token the call takes (debug_token and an app's node take an app
    /// token), so the call is bound here, once that is known, rather than before.</summary>
    public static async Task<IResult> GetAsync(string id, HttpContext http, GraphServices g)
    {
        if (id.StartsWith(MarketingApi.TokenNodePrefix, StringComparison.Ordinal))
            return await new NodeCall().ThenAsync(http, g, call => MarketingApi.TokenAsync(id, call, http, g));
        if (await CampaignsApi.CampaignAsync(id, http, g) is { } campaign)
            return await new NodeCall().ThenAsync(http, g, call => CampaignsApi.NodeAsync(id, campaign, call, http, g));
        if (id == "debug_token")
            return await TokenApi.DebugAsync(http, g);
        if (await TokenApi.TryAppNodeAsync(id, http, g) is { } appNode)
            return appNode;
        return await new NodeCall().ThenAsync(http, g, call => PageNodeAsync(id, call, http, g));
    }

    /// <summary>A PSID is read with the token of its Page (User Profile API); anything else must be the Page
    /// itself.</summary>
    private static async Task<IResult> PageNodeAsync(string id, NodeCall call, HttpContext http, GraphServices g)
    {
        var (p, caller) = call;
        if (ConversationsApi.IsNodeId(id))
            return await ConversationsApi.NodeAsync(id, p, caller, http, g);
        if (id != "me" && id != caller.Page.Id)
            return await PersonasApi.TryGetAsync(id, caller, http, g)
                ?? await ProfileApi.UserAsync(id, p, caller, http, g);
        return Results.Json(new PageNode(caller.Page.Id, caller.Page.Name), PageboxJson.Wire.PageNode);
    }

    /// <summary>DELETE /{id}: a marketing messages campaign, else a persona.</summary>
    public static async Task<IResult> DeleteAsync(string id, NodeCall call, HttpContext http, GraphServices g) =>
        await CampaignsApi.CampaignAsync(id, http, g) is { } campaign
            ? await CampaignsApi.DeleteAsync(id, campaign, call, http, g)
            : await PersonasApi.DeleteAsync(id, call, http, g);
}
