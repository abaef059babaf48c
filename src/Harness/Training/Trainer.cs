using System.Diagnostics;
using System.Globalization;
using Harness.Config;
using Harness.Data;
using Harness.Metrics;
using Harness.Models;
using Harness.Strategies;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The one fixed training skeleton. Evaluate every domain (row "initial"); then for each stage: plugins start the
/// stage, each batch is the stage's new data plus what plugins add, the loss is cross-entropy plus plugin terms, the
/// optimiser steps, plugins see the step; at the stage's end every domain is evaluated again (one matrix row).
/// Loss points and matrix rows also go to <paramref name="board"/> (TensorBoard) as they are made, if given.
/// After the evaluation before training and after each stage, <see cref="StageFinished"/> gets the trainer's state (the
/// runner writes a checkpoint from it); <see cref="Run"/> with a checkpoint continues after its last finished stage.
/// </summary>
internal sealed class Trainer(
    ContinualModel model,
    Device device,
    IReadOnlyList<IStrategyPlugin> plugins,
    IDomainEvaluation evaluation,
    RunLog log,
    ExperimentConfig config,
    TrainingBoard? board = null)
{
    /// <summary>Stop requests (SIGINT, SIGTERM), honoured after the current step or domain evaluation.</summary>
    public StopSignal? Stop { get; init; }

    /// <summary>Called at every stage boundary (0 = after the evaluation before training) with the trainer's state.</summary>
    public Action<TrainerSnapshot>? StageFinished { get; init; }

    /// <summary>
    /// Trains <paramref name="curriculum"/> stage by stage, scoring every domain before and after each; with
    /// <paramref name="resume"/>, the stages it finished are not trained again.
    /// </summary>
    public TrainingResult Run(CurriculumSamples curriculum, RunCheckpoint? resume = null)
    {
        var ids = curriculum.DomainIds;
        IReadOnlyList<TrainingStage> stages = ids
            .Select((id, i) => new TrainingStage(id, [i], curriculum.Train[i], curriculum.Epochs[i]))
            .ToList();
        foreach (var plugin in plugins) stages = plugin.PlanStages(stages);

        var rows = new EvaluationRows(ids);
        var trained = new HashSet<int>();
        var memory = new HostMemory();
        using var loop = new StepLoop(model, device, log, config.Training, board is null ? null : board.Loss, Stop, memory);
        var batchOrder = StableRandom.For(config.Seed, "batches");
        var samples = new SampleIndex(curriculum);
        TrainerSnapshot Snapshot(int completed) => new(completed, stages.Count, model, plugins, samples, rows, loop, batchOrder);
        int first = 0;
        if (resume is null)
        {
            EvaluateRow(rows, ids, trained, AccuracyMatrix.InitialStage, "before training", memory);
            StageFinished?.Invoke(Snapshot(0));
        }
        else
        {
            first = resume.CompletedStages;
            if (resume.StageCount != stages.Count || first > stages.Count)
                throw new HarnessInputException($"checkpoint: {resume.Describe()}, but this config plans {stages.Count} stages");
            resume.Restore(Snapshot(first), new ResumeContext(model, device, ids));
            foreach (var stage in stages.Take(first)) trained.UnionWith(stage.Domains);
            log.Line($"resumed: {resume.Describe()}");
        }
        for (int s = first; s < stages.Count; s++)
        {
            var stage = stages[s];
            var context = new StageContext(s, stages.Count, stage, model, device, config.Training.BatchSize, ids);
            foreach (var plugin in plugins) plugin.OnStageStart(context);
            TrainStage(loop, context, batchOrder);
            foreach (var plugin in plugins) plugin.OnStageEnd(context);
            trained.UnionWith(stage.Domains);
            EvaluateRow(rows, ids, trained, stage.Name, $"after stage {s + 1}/{stages.Count} {stage.Name}", memory);
            StageFinished?.Invoke(Snapshot(s + 1));
        }
        return new TrainingResult(rows.Exact(), rows.Tokens(), rows.Heldout(), rows.Routing(), loop.Tokens, loop.Seconds, loop.LossCurve)
        {
            SkippedBatches = loop.SkippedBatches,
        };
    }

    private void TrainStage(StepLoop loop, StageContext context, StableRandom batchOrder)
    {
        var stage = context.Stage;
        int reserved = plugins.Sum(p => p.ReservedSlots(context));
        int newPerBatch = Math.Max(1, config.Training.BatchSize - reserved);
        var batches = new EpochBatches(stage.Samples, newPerBatch, batchOrder, dropLast: false);
        int totalSteps = batches.StepsPerEpoch * stage.Epochs;
        IReadOnlyList<TrainingSample> newSamples = [];
        var label = $"stage {context.StageIndex + 1}/{context.StageCount} {stage.Name}";
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {stage.Samples.Count} samples, {stage.Epochs} epochs, {totalSteps} steps, batch {newPerBatch} new + {reserved} from strategies"));

        IReadOnlyList<TrainingSample> NextBatch(int step)
        {
            newSamples = batches.At(step);
            var batch = newSamples.ToList();
            foreach (var plugin in plugins) plugin.ComposeBatch(context, batch);
            return batch;
        }

        Tensor? ExtraLoss(TrainingBatch batch, Tensor logits)
        {
            Tensor? total = null;
            foreach (var plugin in plugins)
                if (plugin.ExtraLoss(context, batch, logits) is { } term) total = total is null ? term : total + term;
            return total;
        }

        loop.Run(label, totalSteps, config.Training.Lr, NextBatch, ExtraLoss,
            _ =>
            {
                foreach (var plugin in plugins) plugin.OnStepEnd(context, newSamples);
            },
            plugins.SelectMany(p => p.Parameters(context)).ToList(),
            batch =>
            {
                foreach (var plugin in plugins) plugin.OnBatch(context, batch);
            });
    }

    /// <summary>Evaluates every domain into one new row; <paramref name="trained"/> are the domains trained so far.</summary>
    private void EvaluateRow(EvaluationRows rows, IReadOnlyList<string> ids, IReadOnlyCollection<int> trained, string label, string when, HostMemory memory)
    {
        var clock = Stopwatch.StartNew();
        var scores = Enumerable.Range(0, ids.Count).Select(j =>
        {
            Stop?.ThrowIfRequested($"evaluation {when}");
            return evaluation.Score(model, j);
        }).ToList();
        rows.Add(label, scores);
        memory.Release(); // decoding's tensors are freed: give their pages back before the next stage
        board?.Evaluation(rows.Exact(), trained);
        var line = string.Join(", ", ids.Select((id, j) => string.Create(CultureInfo.InvariantCulture, $"{id} {scores[j].Accuracy:F2}")));
        log.Line(string.Create(CultureInfo.InvariantCulture, $"eval {when}: {line} ({clock.Elapsed.TotalSeconds:F1} s)"));
    }
}
