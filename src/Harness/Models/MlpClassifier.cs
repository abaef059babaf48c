using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>A plain multilayer perceptron classifier (ReLU hidden layers), the model of the classic MNIST benchmarks.</summary>
internal sealed class MlpClassifier : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>input → hidden[0] → … → classes.</summary>
    public MlpClassifier(int inputSize, IReadOnlyList<int> hidden, int classes) : base(nameof(MlpClassifier))
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int width = inputSize;
        for (int i = 0; i < hidden.Count; i++)
        {
            modules.Add(($"fc{i}", nn.Linear(width, hidden[i])));
            modules.Add(($"relu{i}", nn.ReLU()));
            width = hidden[i];
        }
        modules.Add(("out", nn.Linear(width, classes)));
        layers = nn.Sequential(modules);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => layers.forward(x.flatten(1)); // [B, ...] → [B, classes]
}
