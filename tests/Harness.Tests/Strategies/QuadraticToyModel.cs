using Harness.Models;
using Harness.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Tests.Strategies;

/// <summary>
/// A "model" that is one weight vector θ, for regulariser tests on a toy quadratic loss ½ a (θ − t)²: its gradient is
/// known in closed form, so importances can be computed by hand.
/// </summary>
internal sealed class QuadraticToyModel : ContinualModel
{
    private readonly Parameter theta;

    public QuadraticToyModel(float[] start) : base(nameof(QuadraticToyModel))
    {
        theta = new Parameter(tensor(start));
        RegisterComponents();
    }

    public Parameter Theta => theta;

    public double[] Values => theta.data<float>().ToArray().Select(v => (double)v).ToArray();

    /// <summary>½ a Σ (θ − target)².</summary>
    public Tensor Loss(double a, float[] target) => (theta - tensor(target)).square().sum() * (a / 2);

    public override Tensor forward(Tensor x) => x;

    public override Tensor AnswerLogits(TrainingBatch batch) => throw new NotSupportedException("a toy without logits");

    public override ContinualModel Copy() => throw new NotSupportedException("a toy without copies");
}
