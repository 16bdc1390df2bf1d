using Pagebox.Server.Graph.Binding;
using Xunit;

namespace Pagebox.Server.Tests.Graph.Binding;

public sealed class GraphPathTests
{
    [Theory]
    [InlineData("/v24.0/123/messages", "123/messages", "24.0")]
    [InlineData("/v2.6/me/messages", "me/messages", "2.6")]
    [InlineData("/v25.0/me/messages/", "me/messages", "25.0")]
    [InlineData("/v100.12/x", "x", "100.12")]
    [InlineData("/me/messages", "me/messages", null)]
    [InlineData("me/messages", "me/messages", null)]
    [InlineData("/notification_messages_ABC", "notification_messages_ABC", null)]
    [InlineData("//v24.0//123//messages//", "123/messages", "24.0")]
    [InlineData("/v24.0", "", "24.0")]
    [InlineData("/v24.0/", "", "24.0")]
    [InlineData("/", "", null)]
    [InlineData("", "", null)]
    [InlineData(null, "", null)]
    [InlineData("/v24/123", "v24/123", null)]
    [InlineData("/v.0/123", "v.0/123", null)]
    [InlineData("/v24./123", "v24./123", null)]
    [InlineData("/va.b/123", "va.b/123", null)]
    [InlineData("/version/123", "version/123", null)]
    [InlineData("/123/v24.0", "123/v24.0", null)]
    public void Normalize_Table(string? path, string expected, string? expectedVersion)
    {
        Assert.Equal(expected, GraphPath.Normalize(path, out var version));
        Assert.Equal(expectedVersion, version);
        Assert.Equal(expected, GraphPath.Normalize(path));
    }
}
