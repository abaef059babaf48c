using System.Diagnostics;
using System.Globalization;
using System.Text;
using Harness.Config;
using Harness.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The optimiser loop shared by pretraining and every stage: a fresh optimiser, the flat-then-decay schedule, gradient
/// clipping, a dispose scope per step, a guard against non-finite losses, and a check for a stop request after every
/// step. A step reads nothing back from the device except at the logging interval (<see cref="NonFiniteWatch"/>;
/// every step with skip_batch). <paramref name="lossLogged"/>, if given, sees each point of <see cref="LossCurve"/> as it is added.
/// </summary>
internal sealed class StepLoop(ContinualModel model, Device device, RunLog log, TrainingConfig training,
    Action<long, double>? lossLogged = null, StopSignal? stop = null, HostMemory? memory = null) : IDisposable
{
    private (OptimizerHelper Optimizer, List<Parameter> Parameters)? _kept; // reset_optimizer: false
    private byte[]? _pendingOptimizerState; // a resumed run's kept optimiser, loaded when it is made again
    /// <summary>Tokens trained on so far, for throughput.</summary>
    public long Tokens { get; private set; }
    /// <summary>Seconds spent in optimiser steps so far.</summary>
    public double Seconds { get; private set; }
    /// <summary>Loss at each logging point: (global step, loss).</summary>
    public List<(long Step, double Loss)> LossCurve { get; } = [];
    private readonly HostMemory _memory = memory ?? new HostMemory(); // trimmed at log lines when the process has grown
    /// <summary>Batches skipped for a non-finite loss (<c>on_nonfinite: skip_batch</c>).</summary>
    public long SkippedBatches { get; private set; }
    private long _globalStep;

    /// <summary>The counters a checkpoint keeps, so a resumed run's steps, tokens and loss curve continue.</summary>
    public StepLoopProgress Progress => new(_globalStep, Tokens, Seconds, SkippedBatches, LossCurve.ToList());

    /// <summary>Continues from <paramref name="progress"/> and, if given, the kept optimiser's state (reset_optimizer: false).</summary>
    public void Restore(StepLoopProgress progress, byte[]? optimizerState)
    {
        _globalStep = progress.GlobalStep;
        Tokens = progress.Tokens;
        Seconds = progress.Seconds;
        SkippedBatches = progress.SkippedBatches;
        LossCurve.Clear();
        LossCurve.AddRange(progress.LossCurve);
        _pendingOptimizerState = optimizerState;
    }

    /// <summary>The kept optimiser's state (moments, step counts), or null when each stage starts a fresh one.</summary>
    public byte[]? OptimizerState()
    {
        if (_kept is not { } kept) return null;
        using var memory = new MemoryStream();
        using (var writer = new BinaryWriter(memory, Encoding.UTF8, leaveOpen: true))
            kept.Optimizer.save_state_dict(writer);
        return memory.ToArray();
    }

    /// <summary>
    /// Runs <paramref name="totalSteps"/> steps; <paramref name="nextBatch"/> gives the samples of step i and
    /// <paramref name="extraLoss"/> may add terms to the loss (it gets the logits at the batch's answer positions, [N, V]);
    /// <paramref name="afterStep"/> runs after each optimiser step. The optimiser trains the model's parameters that
    /// require grad plus <paramref name="extraParameters"/> (adapters); <paramref name="beforeForward"/> sees each
    /// collated batch first.
    /// </summary>
    public void Run(string label, int totalSteps, double peakLr, Func<int, IReadOnlyList<TrainingSample>> nextBatch,
        Func<TrainingBatch, Tensor, Tensor?> extraLoss, Action<int> afterStep,
        IEnumerable<Parameter>? extraParameters = null, Action<TrainingBatch>? beforeForward = null)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).Concat(extraParameters ?? []).ToList();
        if (parameters.Count == 0) throw new InvalidOperationException($"{label}: nothing to train (every parameter is frozen)");
        var optimizer = Optimizer(parameters, peakLr);
        try
        {
            Steps(label, totalSteps, peakLr, nextBatch, extraLoss, afterStep, beforeForward, parameters, optimizer);
        }
        finally
        {
            if (training.ResetOptimizer) optimizer.Dispose();
        }
    }

    private void Steps(string label, int totalSteps, double peakLr, Func<int, IReadOnlyList<TrainingSample>> nextBatch,
        Func<TrainingBatch, Tensor, Tensor?> extraLoss, Action<int> afterStep, Action<TrainingBatch>? beforeForward,
        List<Parameter> parameters, OptimizerHelper optimizer)
    {
        var clock = Stopwatch.StartNew();
        long tokensAtLog = Tokens; // throughput per logging interval, not since the first stage
        double secondsAtLog = Seconds;
        bool skipBad = training.OnNonfinite == "skip_batch";
        using var watch = new NonFiniteWatch(device, skipBad ? 1 : training.LogEvery);
        model.train();
        for (int step = 0; step < totalSteps; step++)
        {
            double lr = LearningRateSchedule.At(step, totalSteps, peakLr, training.DecayFraction, training.MinLrRatio);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            using var scope = NewDisposeScope();
            using var batch = new TrainingBatch(nextBatch(step), device);
            beforeForward?.Invoke(batch);
            var logits = model.AnswerLogits(batch); // [N, V], answer positions only
            var loss = batch.Loss(logits);
            if (extraLoss(batch, logits) is { } extra) loss = loss + extra;
            optimizer.zero_grad();
            loss.backward();
            var norm = training.GradClip > 0 ? GradientClipping.ClipByNorm(parameters, training.GradClip) : null;
            watch.Observe(step, loss, norm);
            // The host reads the device only at a logging step (always a stage's last), or every step to skip batches:
            // a NaN in between reaches the weights, but the run stops at the next log line, before any checkpoint.
            bool logNow = (step + 1) % training.LogEvery == 0 || step + 1 == totalSteps;
            if ((logNow || skipBad) && watch.FirstNonFinite() is { } bad)
            {
                var (what, value) = double.IsFinite(bad.Loss) ? ("gradient norm", bad.Norm) : ("loss", bad.Loss);
                SkipNonFinite(label, (int)bad.Step, totalSteps, what, value);
                continue;
            }
            optimizer.step();
            afterStep(step);
            Tokens += batch.TokenCount;
            _globalStep++;
            stop?.ThrowIfRequested($"{label} step {step + 1}/{totalSteps}");

            if (!logNow) continue;
            _memory.Release();
            double lossValue = loss.item<float>();
            double elapsed = clock.Elapsed.TotalSeconds;
            double tokensPerSecond = (Tokens - tokensAtLog) / Math.Max(1e-9, Seconds + elapsed - secondsAtLog);
            tokensAtLog = Tokens;
            secondsAtLog = Seconds + elapsed;
            LossCurve.Add((_globalStep, lossValue));
            lossLogged?.Invoke(_globalStep, lossValue);
            var eta = TimeSpan.FromSeconds(elapsed / (step + 1) * (totalSteps - step - 1));
            log.Step(label, step + 1, totalSteps, lossValue, lr, tokensPerSecond, eta, batch.Samples[0].Image is null ? "tok" : "img");
        }
        Seconds += clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// A non-finite <paramref name="what"/> (the loss, or the gradient norm) at <paramref name="step"/>: with
    /// <c>on_nonfinite: skip_batch</c> the batch is counted and skipped; otherwise the run stops with the stage,
    /// step and domain named.
    /// </summary>
    private void SkipNonFinite(string label, int step, int totalSteps, string what, double value)
    {
        var where = $"{label} step {step + 1}/{totalSteps}";
        if (training.OnNonfinite != "skip_batch")
            throw new NonFiniteLossException(string.Create(CultureInfo.InvariantCulture,
                $"{where}: the {what} is {value} (training.on_nonfinite: stop; skip_batch skips such batches)"));
        SkippedBatches++;
        _globalStep++;
        log.Line(string.Create(CultureInfo.InvariantCulture, $"{where}: the {what} is {value}; batch skipped (training.on_nonfinite: skip_batch)"));
        stop?.ThrowIfRequested(where);
    }

    /// <summary>
    /// A fresh optimiser per stage, or with <c>reset_optimizer: false</c> the first stage's one again (its moment
    /// estimates carry over, as in Hsu et al. 2018's code), which needs the same parameters in every stage.
    /// </summary>
    private OptimizerHelper Optimizer(List<Parameter> parameters, double lr)
    {
        if (training.ResetOptimizer) return NewOptimizer(parameters, lr);
        if (_kept is { } kept)
        {
            if (!kept.Parameters.SequenceEqual(parameters, ReferenceEqualityComparer.Instance))
                throw new InvalidOperationException("reset_optimizer: false needs the same trainable parameters in every stage (adapters add their own)");
            return kept.Optimizer;
        }
        var optimizer = NewOptimizer(parameters, lr);
        if (_pendingOptimizerState is { } state)
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            optimizer.load_state_dict(reader);
            optimizer.to(device);
            _pendingOptimizerState = null;
        }
        _kept = (optimizer, parameters);
        return optimizer;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _kept?.Optimizer.Dispose();
        _kept = null;
    }

    /// <summary>The configured optimiser over <paramref name="parameters"/>; its learning rate is set every step.</summary>
    private OptimizerHelper NewOptimizer(IEnumerable<Parameter> parameters, double lr) => training.Optimizer switch
    {
        "sgd" => optim.SGD(parameters, lr, training.Momentum, weight_decay: training.WeightDecay),
        _ => optim.AdamW(parameters, lr, 0.9, 0.999, training.AdamEps, training.WeightDecay),
    };
}
