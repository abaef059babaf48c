using Harness.Models;

namespace Harness.Training;

/// <summary>How the trainer scores one domain after a stage: text question answering or image classification.</summary>
internal interface IDomainEvaluation
{
    /// <summary>Scores domain <paramref name="domain"/> with <paramref name="model"/> as it is now.</summary>
    DomainEvaluation Score(ContinualModel model, int domain);
}
