using Pagebox.Domain.Webhooks;

namespace Pagebox.Storage.Sqlite.Tests;

/// <summary>Encodes a webhook event as its type's name: enough for tests that only count or order events.</summary>
internal sealed class NameEncoder : IWebhookEventEncoder
{
    public string Encode(WebhookEvent e) => e.GetType().Name;
}
