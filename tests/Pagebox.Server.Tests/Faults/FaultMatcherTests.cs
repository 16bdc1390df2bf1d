using System.Text;
using System.Text.Json;
using Pagebox.Server.Faults;

namespace Pagebox.Server.Tests.Faults;

/// <summary>The pure parts of faults: which fault fires for a call, how it is used up, and reversing a webhook's
/// entries.</summary>
public sealed class FaultMatcherTests
{
    private static Fault Graph(
        long id,
        string? method = null,
        string? path = null,
        double probability = 1,
        int? times = null
    ) =>
        new(
            id,
            new FaultSpec(
                FaultTarget.Graph,
                method,
                path,
                times,
                probability,
                0,
                new InjectedError(2, null, null, null, null),
                false,
                false
            ),
            times
        );

    private static Func<double> Draws(params double[] values)
    {
        var queue = new Queue<double>(values);
        return () => queue.Dequeue();
    }

    private static readonly Func<double> NoDraw = () => throw new InvalidOperationException("no draw expected");

    [Theory]
    [InlineData(null, null, "POST", "/v25.0/1/messages", true)]
    [InlineData("POST", null, "post", "/1/messages", true)]
    [InlineData("GET", null, "POST", "/1/messages", false)]
    [InlineData(null, "/messages", "POST", "/v25.0/1/MESSAGES", true)]
    [InlineData(null, "/subscribed_apps", "POST", "/1/messages", false)]
    [InlineData("POST", "/messages", "GET", "/1/messages", false)]
    public void Matches_MethodAndPath_EveryGivenMemberMustMatch(
        string? method,
        string? path,
        string callMethod,
        string callPath,
        bool expected
    ) =>
        Assert.Equal(
            expected,
            FaultMatcher.Matches(Graph(1, method, path).Spec, FaultTarget.Graph, callMethod, callPath)
        );

    [Fact]
    public void Pick_WebhookFault_NeverMatchesGraphCall()
    {
        var webhook = new Fault(
            1,
            new FaultSpec(FaultTarget.Webhooks, null, null, null, 1, 10, null, false, false),
            null
        );

        Assert.Equal(-1, FaultMatcher.Pick([webhook], FaultTarget.Graph, "POST", "/1/messages", NoDraw));
        Assert.Equal(0, FaultMatcher.Pick([webhook], FaultTarget.Webhooks, "POST", "", NoDraw));
    }

    [Fact]
    public void Pick_TwoMatching_FirstAddedWins() =>
        Assert.Equal(0, FaultMatcher.Pick([Graph(1), Graph(2)], FaultTarget.Graph, "POST", "/1/messages", NoDraw));

    [Fact]
    public void Pick_FirstLosesItsDraw_NextGetsItsChance() =>
        Assert.Equal(
            1,
            FaultMatcher.Pick(
                [Graph(1, probability: 0.5), Graph(2, probability: 0.5)],
                FaultTarget.Graph,
                "POST",
                "/x",
                Draws(0.7, 0.2)
            )
        );

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(1.0, true)]
    public void Fires_ZeroOrOne_NoDrawTaken(double probability, bool expected) =>
        Assert.Equal(expected, FaultMatcher.Fires(probability, NoDraw));

    [Theory]
    [InlineData(0.3, 0.29, true)]
    [InlineData(0.3, 0.3, false)]
    public void Fires_Between_DrawBelowProbabilityFires(double probability, double draw, bool expected) =>
        Assert.Equal(expected, FaultMatcher.Fires(probability, Draws(draw)));

    [Fact]
    public void AfterFiring_Counts_DownToGone()
    {
        var fault = Graph(1, times: 2);

        var once = FaultMatcher.AfterFiring(fault);

        Assert.Equal(1, once!.Remaining);
        Assert.Null(FaultMatcher.AfterFiring(once));
        var forever = Graph(2);
        Assert.Same(forever, FaultMatcher.AfterFiring(forever));
    }

    [Fact]
    public void ReverseEntries_ThreeEntries_ReversedWithExactBytes()
    {
        const string a = """{"id":"1","time":1,"messaging":[{"message":{"text":"caf\u00e9 \/ 1"}}]}""";
        const string b = """{"id":"1","time":2,"messaging":[{"message":{"text":"two"}}]}""";
        const string c = """{"id":"1","time":3,"messaging":[{"message":{"text":"\ud83d\ude00"}}]}""";
        var body = Encoding.UTF8.GetBytes($$"""{"object":"page","entry":[{{a}},{{b}},{{c}}]}""");

        var reversed = Encoding.UTF8.GetString(WebhookFaults.ReverseEntries(body));

        Assert.Equal($$"""{"object":"page","entry":[{{c}},{{b}},{{a}}]}""", reversed);
        using var _ = JsonDocument.Parse(reversed);
    }

    [Theory]
    [InlineData("""{"object":"page","entry":[{"id":"1"}]}""")]
    [InlineData("""{"object":"page","entry":[]}""")]
    [InlineData("""{"object":"page"}""")]
    [InlineData("""[1,2]""")]
    public void ReverseEntries_NothingToReorder_SameBytes(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);

        Assert.Same(body, WebhookFaults.ReverseEntries(body));
    }
}
