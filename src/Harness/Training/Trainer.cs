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
/// </summary>
internal sealed class Trainer(
    GptModel model,
    Device device,
    IReadOnlyList<IStrategyPlugin> plugins,
    Evaluator evaluator,
    RunLog log,
    ExperimentConfig config,
    TrainingBoard? board = null)
{
    /// <summary>Trains the curriculum <paramref name="domains"/>, whose encoded training samples are <paramref name="samples"/>.</summary>
    public TrainingResult Run(IReadOnlyList<DomainData> domains, IReadOnlyList<IReadOnlyList<TrainingSample>> samples)
    {
        IReadOnlyList<TrainingStage> stages = domains
            .Select((d, i) => new TrainingStage(d.Id, [i], samples[i], config.Curriculum[i].Epochs ?? config.Training.Epochs))
            .ToList();
        foreach (var plugin in plugins) stages = plugin.PlanStages(stages);

        var rows = new EvaluationRows(domains);
        var trained = new HashSet<int>();
        EvaluateRow(rows, domains, trained, AccuracyMatrix.InitialStage, "before training");
        var loop = new StepLoop(model, device, log, config.Training, board is null ? null : board.Loss);
        var batchOrder = StableRandom.For(config.Seed, "batches");
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            var context = new StageContext(s, stages.Count, stage, model, device, config.Training.BatchSize, domains);
            foreach (var plugin in plugins) plugin.OnStageStart(context);
            TrainStage(loop, context, batchOrder);
            foreach (var plugin in plugins) plugin.OnStageEnd(context);
            trained.UnionWith(stage.Domains);
            EvaluateRow(rows, domains, trained, stage.Name, $"after stage {s + 1}/{stages.Count} {stage.Name}");
        }
        return new TrainingResult(rows.Exact(), rows.Tokens(), rows.Heldout(), rows.Routing(), loop.Tokens, loop.Seconds, loop.LossCurve);
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

    /// <summary>The routing plugin's choice for each question (every row is evaluated through it), or null.</summary>
    private int[]? Route(IReadOnlyList<QaPair> pairs, int domain)
    {
        return plugins.Route(pairs.Select(p => p.Prompt).ToList(), domain);
    }

    private void Activate(int route) => plugins.Activate(route);

    /// <summary>Evaluates every domain into one new row; <paramref name="trained"/> are the domains trained so far.</summary>
    private void EvaluateRow(EvaluationRows rows, IReadOnlyList<DomainData> domains, IReadOnlyCollection<int> trained,
        string label, string when)
    {
        var clock = Stopwatch.StartNew();
        var exact = new double[domains.Count];
        var tokens = new double[domains.Count];
        var heldout = new double[domains.Count];
        var routing = new double[domains.Count];
        for (int j = 0; j < domains.Count; j++)
        {
            var routes = Route(domains[j].Test, j);
            var score = evaluator.Score(model, domains[j].Test, j, domains[j].Id, routes, Activate);
            (exact[j], tokens[j]) = (score.ExactMatch, score.TokenAccuracy);
            routing[j] = routes is null ? double.NaN : routes.Count(r => r == j) / (double)routes.Length;
            heldout[j] = domains[j].Heldout.Count > 0
                ? evaluator.Score(model, domains[j].Heldout, j, domains[j].Id, Route(domains[j].Heldout, j), Activate).ExactMatch
                : double.NaN;
        }
        rows.Add(label, exact, tokens, heldout, routing);
        board?.Evaluation(rows.Exact(), trained);
        var scores = string.Join(", ", domains.Select((d, j) => string.Create(CultureInfo.InvariantCulture, $"{d.Id} {exact[j]:F2}")));
        log.Line(string.Create(CultureInfo.InvariantCulture, $"eval {when}: {scores} ({clock.Elapsed.TotalSeconds:F1} s)"));
    }
}
