using System.Text.RegularExpressions;
using Pagebox.Domain.Model;

namespace Pagebox.Domain.Tests.Model;

/// <summary>Message ids: Meta's shape, unique, in the order they are made (the store's index grows at its end), and
/// reproducible under a seed.</summary>
public sealed partial class IdGeneratorTests
{
    [GeneratedRegex("^m_[A-Za-z0-9_-]{86}$")]
    private static partial Regex MetaMid();

    [Fact]
    public void Mid_HasMetasShape()
    {
        var ids = new IdGenerator();

        for (var i = 0; i < 1000; i++)
        {
            Assert.Matches(MetaMid(), ids.Mid());
        }
    }

    [Fact]
    public void Mids_MadeOneAfterAnother_SortOneAfterAnotherAndNeverRepeat()
    {
        var ids = new IdGenerator();

        var made = Enumerable.Range(0, 20_000).Select(_ => ids.Mid()).ToList();

        Assert.Equal(made, made.Order(StringComparer.Ordinal));
        Assert.Equal(made.Count, made.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Mids_BeyondTheCounter_AreRandom()
    {
        var ids = new IdGenerator();

        // Two ids in a row share their counter's leading characters, never their random tail.
        var first = ids.Mid();
        var second = ids.Mid();

        Assert.NotEqual(first[^75..], second[^75..]);
        Assert.Equal(first[..8], second[..8]);
    }

    [Fact]
    public void Mids_UnderTheSameSeed_AreTheSame()
    {
        var a = new IdGenerator(seed: 42);
        var b = new IdGenerator(seed: 42);
        var c = new IdGenerator(seed: 43);

        var fromA = Enumerable.Range(0, 50).Select(_ => a.Mid()).ToList();
        var fromB = Enumerable.Range(0, 50).Select(_ => b.Mid()).ToList();
        var fromC = Enumerable.Range(0, 50).Select(_ => c.Mid()).ToList();

        Assert.Equal(fromA, fromB);
        Assert.NotEqual(fromA, fromC);
    }
}
