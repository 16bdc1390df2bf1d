using Pagebox.Server.Endpoints;

namespace Pagebox.Server.Tests.Graph;

/// <summary>Which first path segments are a Graph version prefix (then the rest is the Graph path).</summary>
public sealed class GraphVersionConstraintTests
{
    [Theory]
    [InlineData("v24.0", true)]
    [InlineData("v2.6", true)]
    [InlineData("v25.0", true)]
    [InlineData("v100.12", true)]
    [InlineData("v24", false)]
    [InlineData("v.0", false)]
    [InlineData("v24.", false)]
    [InlineData("va.b", false)]
    [InlineData("version", false)]
    [InlineData("24.0", false)]
    [InlineData("V24.0", false)]
    [InlineData("", false)]
    public void IsVersion_Table(string segment, bool expected) =>
        Assert.Equal(expected, GraphVersionConstraint.IsVersion(segment));
}
