using System.Text.Json.Nodes;
using Harness.Models;
using Harness.Training;
using TorchSharp.Modules;
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

    /// <summary>Tensors the plugin owns and trains in this stage besides the model's own (adapters).</summary>
    IEnumerable<Parameter> Parameters(StageContext context) => [];

    /// <summary>The batch is collated and about to go through the model (per-sample adapter masks).</summary>
    void OnBatch(StageContext context, TrainingBatch batch) { }

    /// <summary>
    /// A loss term added to the batch's cross-entropy (distillation, regularisers), or null. <paramref name="answerLogits"/>
    /// are the model's logits at the batch's answer positions ([N, V], rows in <see cref="TrainingBatch.AnswerPositions"/> order).
    /// </summary>
    Tensor? ExtraLoss(StageContext context, TrainingBatch batch, Tensor answerLogits) => null;

    /// <summary>The optimiser stepped on a batch whose new (not replayed) samples are <paramref name="newSamples"/>.</summary>
    void OnStepEnd(StageContext context, IReadOnlyList<TrainingSample> newSamples) { }

    /// <summary>The stage finished training (before its evaluation).</summary>
    void OnStageEnd(StageContext context) { }

    /// <summary>
    /// The route of each question (an adapter's domain index, or -1 for none), or null if this plugin does not route.
    /// <paramref name="knownDomain"/> is the questions' domain when known (evaluation), else -1.
    /// </summary>
    int[]? Route(IReadOnlyList<string> questions, int knownDomain) => null;

    /// <summary>Prepares the model to answer questions routed to <paramref name="route"/> (attaches that adapter).</summary>
    void Activate(int route) { }

    /// <summary>Writes what the plugin adds to a finished run (adapters) into <paramref name="runDirectory"/>.</summary>
    void WriteOutputs(string runDirectory) { }

    /// <summary>Reads back what <see cref="WriteOutputs"/> wrote, to answer questions with <paramref name="model"/>.</summary>
    void LoadOutputs(string runDirectory, GptModel model, Device device) { }

    /// <summary>
    /// Puts everything the plugin carries from one stage to the next (buffers, anchors, adapters, counters, random
    /// generator states) into <paramref name="state"/>: a checkpoint after a stage, from which a resumed run must
    /// continue exactly as this one does.
    /// </summary>
    void SaveState(PluginState state) { }

    /// <summary>In a resumed run, before its next stage starts: takes back what <see cref="SaveState"/> stored.</summary>
    void LoadState(PluginState state, ResumeContext context) { }

    /// <summary>Facts about the plugin for metrics.json (for example the buffer's size and bytes).</summary>
    void Report(JsonObject report) { }
}
