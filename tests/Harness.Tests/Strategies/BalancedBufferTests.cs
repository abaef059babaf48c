using Harness.Data;
using Harness.Strategies;
using Harness.Training;

namespace Harness.Tests.Strategies;

public sealed class BalancedBufferTests
{
    /// <summary>Sample i of <paramref name="domain"/>: tokens [domain, i].</summary>
    private static ReplayEntry Item(int domain, int i) => new(new TrainingSample([domain, i], 1, domain));

    private static void OfferDomain(BalancedBuffer buffer, int domain, int count)
    {
        for (int i = 0; i < count; i++) buffer.Offer(Item(domain, i));
    }

    [Fact]
    public void Offer_OneTwoThreeDomains_SharesCapacityEqually()
    {
        // Given a buffer of 12
        var buffer = new BalancedBuffer(12, new StableRandom(1));

        // When 20 samples of each of three domains arrive in turn, the shares after each are
        OfferDomain(buffer, 0, 20);
        Assert.Equal([(0, 12)], buffer.PerDomain);
        OfferDomain(buffer, 1, 20);
        Assert.Equal([(0, 6), (1, 6)], buffer.PerDomain);
        OfferDomain(buffer, 2, 20);
        Assert.Equal([(0, 4), (1, 4), (2, 4)], buffer.PerDomain);

        // And each part holds only its own domain's samples, no duplicates
        Assert.Equal(12, buffer.Count);
        Assert.Equal(12, buffer.Items.Select(e => (e.Sample.Tokens[0], e.Sample.Tokens[1])).Distinct().Count());
        Assert.All(buffer.Items, e => Assert.Equal(e.Sample.Domain, e.Sample.Tokens[0]));
        Assert.Equal(60, buffer.Seen);
    }

    [Fact]
    public void Offer_CapacityTenThreeDomains_GivesFourThreeThree()
    {
        // Given a buffer of 10 and three domains of 15
        var buffer = new BalancedBuffer(10, new StableRandom(2));

        // When
        for (int d = 0; d < 3; d++) OfferDomain(buffer, d, 15);

        // Then the extra slot goes to the first domain and the buffer stays full
        Assert.Equal([(0, 4), (1, 3), (2, 3)], buffer.PerDomain);
        Assert.Equal(10, buffer.Count);
    }

    [Fact]
    public void Offer_LongStreamOfOneDomain_KeepsAReservoirSampleNotTheFirstOnes()
    {
        // Given a buffer of 12 offered 200 samples of one domain
        var buffer = new BalancedBuffer(12, new StableRandom(3));
        OfferDomain(buffer, 0, 200);

        // Then it holds 12 distinct samples, and later ones replaced early ones (all first 12 survive with p ≈ 1e-16)
        Assert.Equal(12, buffer.Items.Select(e => e.Sample.Tokens[1]).Distinct().Count());
        Assert.Contains(buffer.Items, e => e.Sample.Tokens[1] >= 12);
    }

    [Fact]
    public void Offer_NewDomainShorterThanItsShare_LeavesNoSlotEmpty()
    {
        // Given a buffer of 12 full of domain 0, then only 2 samples of domain 1
        var buffer = new BalancedBuffer(12, new StableRandom(4));
        OfferDomain(buffer, 0, 20);
        OfferDomain(buffer, 1, 2);

        // Then domain 1 holds both and domain 0 keeps the rest
        Assert.Equal([(0, 10), (1, 2)], buffer.PerDomain);
    }

    [Theory]
    [InlineData(12, new[] { int.MaxValue }, new[] { 12 })]
    [InlineData(12, new[] { int.MaxValue, int.MaxValue }, new[] { 6, 6 })]
    [InlineData(12, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new[] { 4, 4, 4 })]
    [InlineData(10, new[] { int.MaxValue, int.MaxValue, int.MaxValue }, new[] { 4, 3, 3 })]
    [InlineData(12, new[] { 20, 2, 20 }, new[] { 5, 2, 5 })]
    [InlineData(12, new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(2, new[] { 5, 5, 5 }, new[] { 1, 1, 0 })]
    public void Split_Capacity_GivesFloorOrCeilSharesCappedByAvailable(int capacity, int[] available, int[] expected)
    {
        Assert.Equal(expected, BalancedShares.Split(capacity, available));
    }
}
