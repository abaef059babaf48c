using Harness.Models;
using Harness.Training;

namespace Harness.Bench;

/// <summary>An evaluation that scores nothing, so a benchmarked training run times training alone.</summary>
internal sealed class NoEvaluation : IDomainEvaluation
{
    /// <inheritdoc />
    public DomainEvaluation Score(ContinualModel model, int domain) => new(0, double.NaN, double.NaN, double.NaN); // no score: 0, as the matrix needs one
}
