using Pagebox.Domain.Model;
using Pagebox.Domain.Store;

namespace Pagebox.Domain.Tests.Model;

/// <summary>These numbers are in databases: changing one silently changes stored data (Garnet's PersistedEnumStabilityTests).</summary>
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
    }
}
