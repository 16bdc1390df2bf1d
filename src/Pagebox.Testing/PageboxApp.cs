using Pagebox.Client;

namespace Pagebox.Testing;

/// <summary>What <see cref="PageboxAppOptions"/> asks <see cref="PageboxServer.CreateAppAsync"/> for.</summary>
public sealed class PageboxAppOptions
{
    /// <summary>The webhook fields of a Messenger bot that sends marketing messages.</summary>
    public static IReadOnlyList<string> DefaultFields { get; } =
    ["messages", "message_echoes", "message_deliveries", "message_reads", "messaging_optins", "messaging_postbacks"];

    /// <summary>Start a <see cref="WebhookReceiver"/> and subscribe it (default true).</summary>
    public bool Webhooks { get; set; } = true;

    /// <summary>The fields subscribed on the app and the Page.</summary>
    public IReadOnlyList<string> Fields { get; set; } = DefaultFields;

    /// <summary>The <c>hub.verify_token</c> of the subscription.</summary>
    public string VerifyToken { get; set; } = "verify-me";

    /// <summary>The app's name (generated when null).</summary>
    public string? AppName { get; set; }

    /// <summary>The Page's name (generated when null).</summary>
    public string? PageName { get; set; }

    /// <summary>The person's name (generated when null).</summary>
    public string? PersonName { get; set; }

    /// <summary>IANA time zone of the Page and the person (UTC when null).</summary>
    public string? Timezone { get; set; }
}

/// <summary>An app with a Page, a person and (usually) a subscribed webhook receiver; its own clock and data.</summary>
public sealed class PageboxApp : IAsyncDisposable
{
    internal PageboxApp(PageboxServer server, AppSetup setup, WebhookReceiver? webhooks)
    {
        Server = server;
        App = setup.App;
        Page = setup.Page;
        PersonId = setup.PersonId;
        Webhooks = webhooks;
    }

    /// <summary>The server the app lives on.</summary>
    public PageboxServer Server { get; }

    /// <summary>The app: id and secret.</summary>
    public AppInfo App { get; }

    /// <summary>The Page: id and Page access token.</summary>
    public PageInfo Page { get; }

    /// <summary>The person (world-face id; their PSID comes with their first message).</summary>
    public string PersonId { get; }

    /// <summary>The subscribed receiver, or null when <see cref="PageboxAppOptions.Webhooks"/> was off.</summary>
    public WebhookReceiver? Webhooks { get; }

    /// <summary>The receiver, or an exception saying the app was made without one.</summary>
    /// <exception cref="InvalidOperationException">The app has no receiver.</exception>
    public WebhookReceiver RequireWebhooks() =>
        Webhooks ?? throw new InvalidOperationException("This app was created with Webhooks = false.");

    /// <summary>The person writes <paramref name="text"/> to the Page (opens the 24-hour window); returns their PSID
    /// and the mid.</summary>
    public Task<WriteResult> PersonWritesAsync(string text, CancellationToken cancellationToken = default) =>
        Server.World.WriteAsync(PersonId, Page.Id, text, cancellationToken: cancellationToken);

    /// <summary>Moves the app's clock forward.</summary>
    public Task<DateTimeOffset> AdvanceClockAsync(TimeSpan by, CancellationToken cancellationToken = default) =>
        Server.World.AdvanceClockAsync(App.Id, by, cancellationToken);

    /// <summary>Stops the receiver (the app stays on the server).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Webhooks is not null)
        {
            await Webhooks.DisposeAsync();
        }
    }
}
