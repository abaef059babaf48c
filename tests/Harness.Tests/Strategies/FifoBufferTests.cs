using Harness.Data;
using Harness.Strategies;
using Harness.Training;

namespace Harness.Tests.Strategies;

public sealed class FifoBufferTests
{
    private static ReplayEntry Item(int i) => new(new TrainingSample([i], 0, 0));

    [Fact]
    public void Offer_MoreThanCapacity_KeepsTheNewestInOrder()
    {
        // Given a ring of 5
        var buffer = new FifoBuffer(5);

        // When 12 samples are offered
        var stored = Enumerable.Range(0, 12).Select(i => buffer.Offer(Item(i))).ToList();

        // Then every offer was stored, and the ring holds the last 5, oldest first
        Assert.All(stored, Assert.True);
        Assert.Equal([7, 8, 9, 10, 11], buffer.Items.Select(e => e.Sample.Tokens[0]));
        Assert.Equal(5, buffer.Count);
        Assert.Equal(12, buffer.Seen);
        Assert.Equal(5 * sizeof(int), buffer.Bytes);
    }

    [Fact]
    public void Offer_FewerThanCapacity_KeepsAllInOrder()
    {
        // Given a ring of 5 offered 3
        var buffer = new FifoBuffer(5);
        for (int i = 0; i < 3; i++) buffer.Offer(Item(i));

        // Then
        Assert.Equal([0, 1, 2], buffer.Items.Select(e => e.Sample.Tokens[0]));
    }

    [Fact]
    public void Sample_AfterWrapping_DrawsOnlyTheNewest()
    {
        // Given a ring of 3 offered 10
        var buffer = new FifoBuffer(3);
        for (int i = 0; i < 10; i++) buffer.Offer(Item(i));

        // When 100 are drawn
        var drawn = buffer.Sample(100, new StableRandom(4)).Select(e => e.Sample.Tokens[0]).ToList();

        // Then only 7, 8, 9 appear, each of them
        Assert.Equal([7, 8, 9], drawn.Distinct().Order());
    }
}
