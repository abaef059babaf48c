using Harness.Config;
using Harness.Models;
using Harness.Tests.Training;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

/// <summary>training.precision: bf16 computes the projections in bfloat16 and keeps everything else float32.</summary>
[Collection(TorchCollection.Name)]
public sealed class MixedPrecisionTests
{
    private static ContinualModel Gpt()
    {
        manual_seed(3);
        return new GptModel(new ModelConfig { DModel = 32, Layers = 2, Heads = 2, Context = 16 }, 50);
    }

    private static ContinualModel Mlp()
    {
        manual_seed(3);
        return new MlpClassifier(64, [32, 32], 10);
    }

    private static Tensor Input(ContinualModel model) => model is GptModel
        ? randint(0, 50, [4, 12], ScalarType.Int64)
        : rand(4, 64);

    [Theory]
    [InlineData("gpt")]
    [InlineData("mlp")]
    public void Bf16_OutputsCloseToFloat32ButComputedInBfloat16_AndCopiesKeepIt(string kind)
    {
        // Given a model and an input
        using var model = kind == "gpt" ? Gpt() : Mlp();
        model.eval();
        manual_seed(4);
        using var input = Input(model);
        using var noGrad = no_grad();
        using var exact = model.forward(input);
        // When its projections compute in bfloat16
        model.SetComputeType(ScalarType.BFloat16);
        using var mixed = model.forward(input);
        // Then the outputs are float32, close to the float32 ones, yet not equal (bfloat16 keeps 8 bits of mantissa)
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        Assert.True(mixed.allclose(exact, rtol: 0.05, atol: 0.05), $"max difference {(mixed - exact).abs().max().item<float>()}");
        Assert.False(mixed.eq(exact).all().item<bool>());
        // ... the weights stay float32, and a copy (a distillation teacher) computes the same way
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var copy = model.Copy();
        using var copied = copy.forward(input);
        Assert.True(copied.eq(mixed).all().item<bool>());
    }

    [Fact]
    public void Bf16_Training_LowersTheLossWithFloat32WeightsAndGradients()
    {
        // Given the tiny task's GPT computing in bfloat16, and the same in float32
        using var tiny = new TinyTraining();
        tiny.Model.SetComputeType(ScalarType.BFloat16);
        using var exact = new TinyTraining();
        // When both train 60 steps from the same start
        tiny.Train(60);
        exact.Train(60);
        // Then the bf16 loss fell, along its own curve (it did compute in bfloat16), with float32 weights and gradients
        Assert.True(tiny.Loop.LossCurve[^1].Loss < tiny.Loop.LossCurve[0].Loss / 2,
            $"loss {tiny.Loop.LossCurve[0].Loss} → {tiny.Loop.LossCurve[^1].Loss}");
        Assert.NotEqual(exact.Loop.LossCurve.Select(p => p.Loss), tiny.Loop.LossCurve.Select(p => p.Loss));
        Assert.All(tiny.Model.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
        });
    }
}
