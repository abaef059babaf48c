using System.Text.Json.Nodes;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// A strategy against forgetting, as hooks into the fixed <see cref="Trainer"/> skeleton. Every hook is a no-op by
/// default; the config's strategy list composes plugins, and hooks run in that order. A plugin returns a batch or a
/// loss and keeps its own state; it never reaches into another plugin.
/// </summary>
internal interface IStrategyPlugin
{
    /// <summary>Reshapes the curriculum into stages (joint training merges them into one).</summary>
    IReadOnlyList<TrainingStage> PlanStages(IReadOnlyList<TrainingStage> stages) => stages;

    /// <summary>A stage is about to train.</summary>
    void OnStageStart(StageContext context) { }

    /// <summary>How many slots of each batch this plugin fills itself (the rest is the stage's new data).</summary>
    int ReservedSlots(StageContext context) => 0;

    /// <summary>Adds or replaces samples of the batch about to be trained (replay adds buffered samples).</summary>
    void ComposeBatch(StageContext context, List<TrainingSample> batch) { }

    /// <summary>
    /// A loss term added to the batch's cross-entropy (distillation, regularisers), or null. <paramref name="answerLogits"/>
    /// are the model's logits at the batch's answer positions ([N, V], rows in <see cref="TrainingBatch.AnswerPositions"/> order).
    /// </summary>
    Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits) => null;

    /// <summary>The optimiser stepped on a batch whose new (not replayed) samples are <paramref name="newSamples"/>.</summary>
    void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples) { }

    /// <summary>The stage finished training (before its evaluation).</summary>
    void OnStageEnd(StageContext context) { }

    /// <summary>Lets a plugin prepare the model to answer questions of <paramref name="domainId"/> (adapter routing).</summary>
    void BeforeEvaluate(string domainId) { }

    /// <summary>Facts about the plugin for metrics.json (for example the buffer's size and bytes).</summary>
    void Report(JsonObject report) { }
}
