using Harness.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

[Collection(TorchCollection.Name)]
public sealed class MlpClassifierTests
{
    [Fact]
    public void Forward_FlatImages_ReturnsOneLogitPerClass()
    {
        // Given a batch of 5 flattened 28×28 images
        torch.manual_seed(0);
        using var model = new MlpClassifier(784, [32, 16], 10);
        using var images = rand([5, 784]);

        // When
        using var logits = model.forward(images);

        // Then [B, classes]
        Assert.Equal([5L, 10L], logits.shape);
    }

    [Fact]
    public void Forward_ImagesWithChannelAxis_AreFlattened()
    {
        // Given [B, 1, 28, 28] images
        torch.manual_seed(0);
        using var model = new MlpClassifier(784, [32], 10);
        using var images = rand([4, 1, 28, 28]);

        // When
        using var logits = model.forward(images);

        // Then the same [B, classes]
        Assert.Equal([4L, 10L], logits.shape);
    }
}
