using Harness.Adapters;

namespace Harness.Tests.Adapters;

public sealed class KeywordRouterTests
{
    private static readonly IReadOnlyList<IReadOnlyList<string>> Keywords =
    [
        ["+", "-", "*"],          // 0 math
        ["春", "月", "山"],        // 1 poetry
        ["war", "first", "the"],  // 2 history
    ];

    [Theory]
    [InlineData("12+7", 0)]
    [InlineData("春眠不觉晓", 1)]
    [InlineData("The First World War begins", 2)]
    [InlineData("THE WAR", 2)] // case-insensitive
    public void Route_PicksTheDomainWithTheMostKeywords(string question, int expected)
    {
        var router = new KeywordRouter(Keywords, defaultDomain: -1);
        Assert.Equal(expected, router.Route([question], -1, [0, 1, 2])[0]);
    }

    [Fact]
    public void Route_CountsDistinctKeywords_AndPrefersMoreMatches()
    {
        // "-" is a math keyword, but "first" and "the" are two history ones
        var router = new KeywordRouter(Keywords, defaultDomain: -1);
        Assert.Equal(2, router.Route(["First Rose Bowl; Michigan 49 - the 0"], -1, [0, 1, 2])[0]);
    }

    [Fact]
    public void Route_NoMatch_GoesToTheDefaultDomain_OrTheBase()
    {
        Assert.Equal(1, new KeywordRouter(Keywords, defaultDomain: 1).Route(["hello"], -1, [0, 1, 2])[0]);
        Assert.Equal(-1, new KeywordRouter(Keywords, defaultDomain: -1).Route(["hello"], -1, [0, 1, 2])[0]);
    }

    [Fact]
    public void Route_IgnoresDomainsWithoutAnAdapterYet()
    {
        // Given only math trained so far, a poetry question matches no trained domain
        var router = new KeywordRouter(Keywords, defaultDomain: 1);
        Assert.Equal(-1, router.Route(["春眠不觉晓"], -1, [0])[0]); // the default (poetry) has no adapter either
        Assert.Equal(0, router.Route(["春 1+1"], -1, [0])[0]);
    }
}
