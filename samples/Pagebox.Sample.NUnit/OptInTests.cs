using NUnit.Framework;
using Pagebox.Client;
using Pagebox.Testing;

namespace Pagebox.Sample.NUnit;

[TestFixture]
public sealed class OptInTests
{
    private PageboxServer _pagebox = null!;

    [OneTimeSetUp]
    public async Task StartPagebox() => _pagebox = await PageboxServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopPagebox() => await _pagebox.DisposeAsync();

    [Test]
    public async Task PersonTapsTheOptIn_BotReceivesTheTokenAndSendsOnIt()
    {
        await using var app = await _pagebox.CreateAppAsync();
        var write = await app.PersonWritesAsync("hello");
        var request = await _pagebox.Graph.SendOptInRequestAsync(
            app.Page.Id,
            app.Page.AccessToken,
            write.Psid,
            "Deals",
            "DEALS"
        );
        await _pagebox.World.OptInAsync(app.PersonId, app.Page.Id, request.MessageId!);

        var optin = (await app.RequireWebhooks().WaitForEventsAsync(e => e.Has("optin")))[0];
        Assert.That(optin.Webhook.SignaturesValid, Is.True);
        var token = optin["optin"].GetProperty("notification_messages_token").GetString()!;

        await app.AdvanceClockAsync(TimeSpan.FromMinutes(3));
        var sent = await _pagebox.Graph.SendMarketingTextAsync(app.Page.Id, app.Page.AccessToken, token, "New deals");
        Assert.That(sent.RecipientId, Is.EqualTo(write.Psid));

        var again = Assert.ThrowsAsync<GraphApiException>(() =>
            _pagebox.Graph.SendMarketingTextAsync(app.Page.Id, app.Page.AccessToken, token, "Too soon")
        );
        Assert.That(again!.Code, Is.EqualTo(4));
        Assert.That(again.Subcode, Is.EqualTo(2018354));
    }
}
