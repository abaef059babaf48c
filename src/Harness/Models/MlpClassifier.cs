using Harness.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A plain multilayer perceptron classifier (ReLU hidden layers), the model of the classic MNIST benchmarks (Hsu et
/// al. 2018; van de Ven &amp; Tolias 2019). Task-incremental learning's multi-head output is one output layer whose
/// rows outside a sample's task are masked: the same function as separate heads, and every strategy sees one tensor.
/// </summary>
internal sealed class MlpClassifier : ContinualModel
{
    /// <summary>A masked logit: far enough below any real logit that softmax gives it exactly 0, yet finite, so a
    /// KL term over masked rows stays 0 rather than NaN.</summary>
    private const float Masked = -1e4f;

    private readonly Sequential layers;
    private readonly int _inputSize, _classes;
    private readonly IReadOnlyList<int> _hidden;

    /// <summary>input → hidden[0] → … → classes.</summary>
    public MlpClassifier(int inputSize, IReadOnlyList<int> hidden, int classes) : base(nameof(MlpClassifier))
    {
        (_inputSize, _hidden, _classes) = (inputSize, hidden.ToList(), classes);
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
    public override Tensor forward(Tensor x) // [B, ...] → [B, classes]
    {
        if (ComputeType is null) return layers.forward(x.flatten(1));
        using var scope = NewDisposeScope();
        var h = x.flatten(1);
        foreach (var module in layers.children())
            h = module is Linear linear ? MixedPrecision.Linear(linear, h, ComputeType) : ((nn.Module<Tensor, Tensor>)module).forward(h);
        return h.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor AnswerLogits(TrainingBatch batch)
    {
        var logits = forward(batch.Inputs); // [B, classes]
        if (batch.HeadStarts is null || batch.HeadEnds is null) return logits;
        var outputs = arange(_classes, dtype: ScalarType.Int64, device: logits.device).unsqueeze(0); // [1, classes]
        var allowed = outputs.ge(batch.HeadStarts.unsqueeze(1)).logical_and(outputs.lt(batch.HeadEnds.unsqueeze(1))); // [B, classes]
        return logits.masked_fill(allowed.logical_not(), Masked);
    }

    /// <inheritdoc />
    public override Tensor UnmaskedLogits(TrainingBatch batch) => forward(batch.Inputs); // [B, classes]

    /// <inheritdoc />
    public override MlpClassifier Copy() => CopyInto(() => new MlpClassifier(_inputSize, _hidden, _classes));
}
