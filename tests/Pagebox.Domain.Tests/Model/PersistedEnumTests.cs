using Pagebox.Domain.Marketing;
using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Tests.Model;

/// <summary>These numbers are in databases: changing one silently changes stored data (Garnet's
/// PersistedEnumStabilityTests).</summary>
public sealed class PersistedEnumTests
{
    [Fact]
    public void StoredEnums_KeepTheirNumbers()
    {
        Assert.Equal([1, 2], Enum.GetValues<Platform>().Select(v => (int)v));
        Assert.Equal([1, 2, 3, 4, 5, 6], Enum.GetValues<MessageKind>().Select(v => (int)v));
        Assert.Equal([1, 2], Enum.GetValues<MessageDirection>().Select(v => (int)v));
        Assert.Equal([1, 2, 3], Enum.GetValues<DeliveryStatus>().Select(v => (int)v));
        Assert.Equal(MessageKind.SenderAction, (MessageKind)5);
        Assert.Equal(MessageKind.PaidMarketing, (MessageKind)6);
        Assert.Equal([1, 2], Enum.GetValues<Pagebox.Domain.Campaigns.PaidMessageStatus>().Select(v => (int)v));
        Assert.Equal(DeliveryStatus.Failed, (DeliveryStatus)3);
        // Marketing message tokens and opt-in requests keep these columns as numbers (notification_tokens,
        // opt_in_requests).
        Assert.Equal(2, Enum.GetValues<TokenStatus>().Length);
        Assert.Equal([TokenStatus.Active, TokenStatus.Stopped], [(TokenStatus)1, (TokenStatus)2]);
        Assert.Equal(
            [TokenFrequency.Daily, TokenFrequency.Weekly, TokenFrequency.Monthly],
            [(TokenFrequency)1, (TokenFrequency)2, (TokenFrequency)3]
        );
        Assert.Equal(3, Enum.GetValues<TokenFrequency>().Length);
        Assert.Equal(
            [UserTokenStatus.NotRefreshed, UserTokenStatus.Refreshed],
            [(UserTokenStatus)1, (UserTokenStatus)2]
        );
        Assert.Equal(2, Enum.GetValues<UserTokenStatus>().Length);
        Assert.Equal([ReOptIn.Enabled, ReOptIn.Disabled], [(ReOptIn)1, (ReOptIn)2]);
        Assert.Equal(2, Enum.GetValues<ReOptIn>().Length);
    }
}
