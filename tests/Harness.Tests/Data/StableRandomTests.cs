using Harness.Data;

namespace Harness.Tests.Data;

public sealed class StableRandomTests
{
    [Fact]
    public void NextUInt64_SeedZero_MatchesSplitMix64Reference()
    {
        // Given splitmix64 seeded with 0, whose first outputs are published with the reference implementation
        var random = new StableRandom(0);

        // Then the sequence is pinned (a change here silently changes every run's data split)
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, random.NextUInt64());
    }

    [Fact]
    public void For_SameSeedAndLabel_GivesSameSequence()
    {
        // Given two generators made the same way
        var a = StableRandom.For(7, "split:math");
        var b = StableRandom.For(7, "split:math");

        // Then they agree
        Assert.Equal(Enumerable.Range(0, 100).Select(_ => a.NextUInt64()), Enumerable.Range(0, 100).Select(_ => b.NextUInt64()));
    }

    [Theory]
    [InlineData(7, "split:math", 8, "split:math")]
    [InlineData(7, "split:math", 7, "split:poetry")]
    public void For_OtherSeedOrLabel_GivesOtherSequence(int seedA, string labelA, int seedB, string labelB)
    {
        // Given generators differing in seed or label
        var a = StableRandom.For(seedA, labelA);
        var b = StableRandom.For(seedB, labelB);

        // Then their first outputs differ
        Assert.NotEqual(Enumerable.Range(0, 4).Select(_ => a.NextUInt64()), Enumerable.Range(0, 4).Select(_ => b.NextUInt64()));
    }

    [Fact]
    public void Shuffle_AnyList_IsAPermutationAndDeterministic()
    {
        // Given 0..99 shuffled twice with the same seed
        var first = Enumerable.Range(0, 100).ToList();
        var second = Enumerable.Range(0, 100).ToList();
        new StableRandom(42).Shuffle(first);
        new StableRandom(42).Shuffle(second);

        // Then both orders are equal, a permutation, and not the identity
        Assert.Equal(first, second);
        Assert.Equal(Enumerable.Range(0, 100), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), first);
    }

    [Fact]
    public void NextAndNextDouble_ManyDraws_StayInRange()
    {
        // Given one generator
        var random = new StableRandom(3);

        // Then ints are in [0, 7) and doubles in [0, 1)
        for (int i = 0; i < 10_000; i++)
        {
            Assert.InRange(random.Next(7), 0, 6);
            double d = random.NextDouble();
            Assert.True(d is >= 0 and < 1, $"{d}");
        }
    }
}
