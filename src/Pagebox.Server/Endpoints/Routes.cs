using Pagebox.Domain.Errors;
using Pagebox.Server.Errors;
using Pagebox.Server.Faults;

namespace Pagebox.Server.Endpoints;

/// <summary>The whole HTTP surface on one screen (mailpit's server.go habit).</summary>
internal static class Routes
{
    public static void Map(WebApplication app)
    {
        // :: The Graph face, with or without a version prefix (/v2.6/ … /v25.0/).
        MapGraph(app.MapGroup(""));
        MapGraph(app.MapGroup("/{version:graphversion}"));

        // :: The world face.
        app.MapGet("/_pagebox/health", HealthApi.ReadyAsync);
        app.MapGet("/_pagebox/health/live", HealthApi.Live);
        app.MapGet("/_pagebox/health/ready", HealthApi.ReadyDetailedAsync);
        app.MapGet("/_pagebox/avatars/{id}.png", (string id) => ProfileApi.Avatar());
        app.MapGet("/_pagebox/previews", AdAccountsApi.Preview);
        var world = app.MapGroup("/_pagebox").AddEndpointFilter<AdminKeyFilter>();
        world.MapPost("/apps", WorldApi.CreateAppAsync);
        world.MapGet("/apps/{app}", WorldApi.GetAppAsync);
        world.MapMethods("/apps/{app}", ["PATCH"], WorldApi.PatchAppAsync);
        world.MapDelete("/apps/{app}", WorldApi.DeleteAppAsync);
        world.MapPost("/apps/{app}/pages", WorldApi.CreatePageAsync);
        world.MapGet("/apps/{app}/clock", WorldApi.GetClockAsync);
        world.MapPost("/apps/{app}/clock", WorldApi.SetClockAsync);
        world.MapGet("/apps/{app}/webhook-deliveries", WorldApi.DeliveriesAsync);
        world.MapPost("/apps/{app}/webhook-deliveries/{id:long}/replay", WorldApi.ReplayAsync);
        world.MapPost("/apps/{app}/faults", FaultsApi.AddAsync);
        world.MapGet("/apps/{app}/faults", FaultsApi.ListAsync);
        world.MapDelete("/apps/{app}/faults", FaultsApi.ClearAsync);
        world.MapMethods("/pages/{page}", ["PATCH"], WorldApi.PatchPageAsync);
        world.MapGet("/pages/{page}/psids/{psid}", WorldApi.PsidAsync);
        world.MapPost("/persons", WorldApi.CreatePersonAsync);
        world.MapPost("/persons/{person}/messages", WorldApi.WriteAsync);
        world.MapPost("/persons/{person}/reads", WorldApi.ReadAsync);
        world.MapPost("/persons/{person}/postbacks", WorldApi.PostbackAsync);
        world.MapPost("/persons/{person}/referrals", WorldApi.ReferralAsync);
        world.MapPost("/persons/{person}/comments", WorldApi.CommentAsync);
        world.MapPost("/persons/{person}/checkbox", WorldApi.CheckboxAsync);
        world.MapPost("/persons/{person}/optins", WorldApi.OptInAsync);
        world.MapPost("/persons/{person}/marketing/stop", WorldApi.StopMarketingAsync);
        world.MapPost("/persons/{person}/marketing/resume", WorldApi.ResumeMarketingAsync);
        world.MapPost("/persons/{person}/blocks", WorldApi.BlockAsync);
        world.MapDelete("/persons/{person}/blocks/{page}", WorldApi.UnblockAsync);
        world.MapGet("/persons/{person}/conversations/{page}", WorldApi.ConversationAsync);
        // What a person does beyond writing, and the platform's policy enforcement (PersonActionsApi).
        world.MapPost("/persons/{person}/reactions", PersonActionsApi.ReactAsync);
        world.MapPost("/persons/{person}/edits", PersonActionsApi.EditAsync);
        world.MapPost("/persons/{person}/response-feedback", PersonActionsApi.ResponseFeedbackAsync);
        world.MapPost("/persons/{person}/customer-feedback", PersonActionsApi.CustomerFeedbackAsync);
        world.MapPost("/persons/{person}/unsend", PersonActionsApi.UnsendAsync);
        world.MapPost("/persons/{person}/story-mentions", PersonActionsApi.StoryMentionAsync);
        world.MapPost("/persons/{person}/links", PersonActionsApi.LinkAsync);
        world.MapPost("/persons/{person}/send-to-messenger", PersonActionsApi.SendToMessengerAsync);
        world.MapPost("/persons/{person}/ad-clicks", PersonActionsApi.AdClickAsync);
        world.MapPost("/pages/{page}/policy-enforcement", PersonActionsApi.PolicyEnforcementAsync);

        // :: The inbox page and the developer's view (Ui/, Endpoints/UiApi.cs): static files, and what they read.
        app.MapGet(
            "/",
            (HttpContext http) =>
                Ui.UiAssets.WantsPage(http.Request)
                    ? Results.Redirect(Ui.UiAssets.Prefix)
                    : GraphErrors.Result(new DomainError(DomainErrorKind.UnknownPath, http.Request.Path.Value))
        );
        app.MapGet("/_pagebox/ui/{*path}", Ui.UiAssets.Serve);
        app.MapPost("/_pagebox/ui/session", Ui.UiAssets.LoginAsync);
        app.MapDelete("/_pagebox/ui/session", Ui.UiAssets.Logout);
        world.MapGet("/server", UiApi.ServerInfo);
        world.MapGet("/events", UiApi.EventsAsync);
        world.MapGet("/apps", UiApi.AppsAsync);
        world.MapGet("/apps/{app}/tokens", UiApi.TokensAsync);
        world.MapGet("/apps/{app}/journal", UiApi.JournalAsync);
        world.MapGet("/journal", UiApi.UnattributedJournal);
        // An app's listings and the state as one document (ListingsApi, StateApi).
        world.MapGet("/apps/{app}/pages", ListingsApi.PagesAsync);
        world.MapGet("/apps/{app}/persons", ListingsApi.PersonsAsync);
        world.MapPost("/apps/{app}/reset", StateApi.ResetAsync);
        world.MapGet("/export", StateApi.ExportAsync);
        world.MapPost("/import", StateApi.ImportAsync);
        world.MapGet("/apps/{app}/webhook-deliveries/{id:long}", UiApi.DeliveryAsync);
        world.MapGet("/pages/{page}/persons", UiApi.PagePersonsAsync);
        world.MapGet("/pages/{page}/attachments/{id}", AttachmentsApi.WorldGetAsync);
        world.MapGet("/persons", UiApi.PersonsAsync);
        world.MapGet("/persons/{person}", UiApi.PersonAsync);
        world.MapGet("/persons/{person}/threads/{page}", UiApi.ThreadAsync);

        // The Marketing Messages API for Messenger (the successor): ad accounts and the person's side of paid messages.
        world.MapPost("/apps/{app}/ad_accounts", AdAccountsApi.CreateAsync);
        world.MapGet("/apps/{app}/ad_accounts", AdAccountsApi.ListAsync);
        world.MapGet("/ad_accounts/{id}", AdAccountsApi.GetAsync);
        world.MapMethods("/ad_accounts/{id}", ["PATCH"], AdAccountsApi.PatchAsync);
        world.MapPost("/persons/{person}/clicks", AdAccountsApi.ClickAsync);
        world.MapPut("/persons/{person}/marketing/delivery", AdAccountsApi.DeliveryAsync);
        world.MapPost("/persons/{person}/friend_chats", AdAccountsApi.FriendChatsAsync);
        world.MapPut("/persons/{person}/identifiers", AdAccountsApi.IdentifiersAsync);
        // Unknown paths: a catch-all route ordered after every other, as MapFallback maps it, but without its default
        // pattern (which skips paths that look like file names, /me/picture.jpg) and bound by generated code like the
        // rest (MapFallback's generated overload dropped the pattern; the runtime-bound one is not AOT-safe).
        world.Map("{*path}", () => WorldApi.Error(404, "No such world-face endpoint")).WithOrder(int.MaxValue);

        // :: Anything else is a Graph path Pagebox does not know.
        app.Map(
                "{*path}",
                (HttpContext http) =>
                    GraphErrors.Result(new DomainError(DomainErrorKind.UnknownPath, http.Request.Path.Value))
            )
            .WithOrder(int.MaxValue);
    }

    private static void MapGraph(RouteGroupBuilder graph)
    {
        graph.AddEndpointFilter<GraphFaultFilter>();
        // A handler that takes a GraphCall (PageCall, AppCall, …) gets it bound and authenticated, after the faults.
        graph.AddEndpointFilterFactory(GraphCallFilter.Create);
        graph.MapPost("/", BatchApi.RunAsync);
        graph.MapPost("/{id}/messages", SendApi.SendAsync);
        graph.MapPost("/{id}/subscriptions", SubscriptionsApi.SubscribeAsync);
        graph.MapGet("/{id}/subscriptions", SubscriptionsApi.ListAsync);
        graph.MapDelete("/{id}/subscriptions", SubscriptionsApi.UnsubscribeAsync);
        graph.MapPost("/{id}/subscribed_apps", SubscriptionsApi.InstallAsync);
        graph.MapGet("/{id}/subscribed_apps", SubscriptionsApi.InstalledAsync);
        graph.MapDelete("/{id}/subscribed_apps", SubscriptionsApi.UninstallAsync);
        graph.MapGet("/{id}/notification_message_tokens", MarketingApi.ListAsync);
        graph.MapPost("/{id}/notification_messages_dev_support", MarketingApi.DevSupportAsync);
        graph.MapPost("/{id}/messenger_profile", ProfileApi.SetAsync);
        graph.MapGet("/{id}/messenger_profile", ProfileApi.GetAsync);
        graph.MapDelete("/{id}/messenger_profile", ProfileApi.DeleteAsync);
        graph.MapPost("/{id}/nlp_configs", ProfileApi.NlpConfigs);
        graph.MapPost("/{id}/personas", PersonasApi.CreateAsync);
        graph.MapGet("/{id}/personas", PersonasApi.ListAsync);
        graph.MapGet("/{id}/conversations", ConversationsApi.ListAsync);
        graph.MapGet("/{id}/messages", ConversationsApi.MessagesAsync); // GET only: POST /{id}/messages is the Send API
        graph.MapPost("/{id}/pass_thread_control", HandoverApi.PassAsync);
        graph.MapPost("/{id}/take_thread_control", HandoverApi.TakeAsync);
        graph.MapPost("/{id}/request_thread_control", HandoverApi.RequestAsync);
        graph.MapPost("/{id}/release_thread_control", HandoverApi.ReleaseAsync);
        graph.MapPost("/{id}/extend_thread_control", HandoverApi.ExtendAsync);
        graph.MapGet("/{id}/thread_owner", HandoverApi.OwnerAsync);
        graph.MapPost("/{id}/message_attachments", AttachmentsApi.UploadAsync).WithMetadata(AttachmentsApi.BodyLimit);
        // The Marketing Messages API for Messenger (campaigns on an ad account): act_ paths outrank /{id}/… (a literal
        // prefix).
        graph.MapPost("/act_{account}/message_campaign", CampaignsApi.CreateCampaignAsync);
        graph.MapPost("/act_{account}/messages", CampaignsApi.SendAsync);
        graph.MapGet("/act_{account}/ads", CampaignsApi.ListAdsAsync);
        graph.MapGet("/act_{account}/insights", CampaignsApi.AccountInsightsAsync);
        graph.MapGet("/act_{account}/message_delivery_estimate", CampaignsApi.EstimateAsync);
        graph.MapGet("/act_{account}/generatepreviews", CampaignsApi.PreviewAsync);
        graph.MapPost("/act_{account}/customaudiences", CampaignsApi.CreateAudienceAsync);
        graph.MapGet("/act_{account}", CampaignsApi.AccountNodeAsync);
        graph.MapGet("/{id}/insights", CampaignsApi.CampaignInsightsAsync);
        graph.MapPost("/{id}/users", CampaignsApi.UploadUsersAsync);
        graph.MapGet("/{id}", NodeApi.GetAsync);
        graph.MapDelete("/{id}", NodeApi.DeleteAsync);
    }
}
