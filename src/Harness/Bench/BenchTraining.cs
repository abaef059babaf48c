using System.Diagnostics;
using Harness.Config;
using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// The two ways the bench trains: the Harness <see cref="Trainer"/> with its plugins (timed between stage boundaries,
/// without evaluation), and a bare TorchSharp loop over already collated batches, as one would write it by hand.
/// </summary>
internal static class BenchTraining
{
    /// <summary>One stage boundary of a trainer run: wall seconds since the start, tokens and optimiser steps so far.</summary>
    public sealed record Boundary(double Seconds, long Tokens, long Steps);

    /// <summary>
    /// Trains <paramref name="model"/> through <paramref name="curriculum"/> with <paramref name="config"/>'s strategies
    /// (plus <paramref name="recorder"/>, if given) as a run would, but scoring nothing; returns the boundaries (index 0 =
    /// before the first stage, k = after stage k). The plugins are disposed afterwards.
    /// </summary>
    public static IReadOnlyList<Boundary> Trainer(ContinualModel model, Device device, ExperimentConfig config, CurriculumSamples curriculum,
        ITextTokenizer? tokenizer, BatchRecorder? recorder = null)
    {
        var plugins = StrategyFactory.Create(config, tokenizer).Concat(recorder is null ? [] : [recorder]).ToList();
        try
        {
            var boundaries = new List<Boundary>();
            using var log = new RunLog(TextWriter.Null, interactive: false);
            var clock = Stopwatch.StartNew();
            var trainer = new Trainer(model, device, plugins, new NoEvaluation(), log, config)
            {
                StageFinished = snapshot => boundaries.Add(new Boundary(clock.Elapsed.TotalSeconds, snapshot.Loop.Tokens, snapshot.Loop.Progress.GlobalStep)),
            };
            trainer.Run(curriculum);
            return boundaries;
        }
        finally
        {
            plugins.DisposeAll();
        }
    }

    /// <summary>The work between two boundaries of <see cref="Trainer"/>.</summary>
    public static BenchSample Between(IReadOnlyList<Boundary> boundaries, int from, int to) => new(
        boundaries[to].Seconds - boundaries[from].Seconds,
        (int)(boundaries[to].Steps - boundaries[from].Steps),
        boundaries[to].Tokens - boundaries[from].Tokens);

    /// <summary>
    /// The hand-written loop: AdamW, cross-entropy at the loss positions, TorchSharp's clip_grad_norm_, one step per
    /// batch, a dispose scope per step. The batches are collated before the clock starts.
    /// </summary>
    public static BenchSample BareLoop(ContinualModel model, Device device, IReadOnlyList<IReadOnlyList<TrainingSample>> batches, TrainingConfig training)
    {
        var collated = batches.Select(b => new TrainingBatch(b, device)).ToList();
        try
        {
            model.train();
            var parameters = model.parameters().ToList();
            using var optimizer = optim.AdamW(parameters, training.Lr, 0.9, 0.999, training.AdamEps, training.WeightDecay);
            var clock = Stopwatch.StartNew();
            foreach (var batch in collated)
            {
                using var scope = NewDisposeScope();
                var loss = nn.functional.cross_entropy(model.AnswerLogits(batch), batch.AnswerTargets);
                optimizer.zero_grad();
                loss.backward();
                if (training.GradClip > 0) nn.utils.clip_grad_norm_(parameters, training.GradClip);
                optimizer.step();
            }
            return new BenchSample(clock.Elapsed.TotalSeconds, collated.Count, collated.Sum(b => b.TokenCount));
        }
        finally
        {
            foreach (var batch in collated) batch.Dispose();
        }
    }
}
