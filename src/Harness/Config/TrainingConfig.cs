namespace Harness.Config;

/// <summary>Optimiser and schedule of each stage (a fresh optimiser per stage).</summary>
internal sealed record TrainingConfig
{
    /// <summary>adamw (Adam with decoupled weight decay; weight_decay 0 is plain Adam) or sgd (with momentum; weight decay as L2).</summary>
    [ConfigChoice("adamw", "sgd")] public string Optimizer { get; init; } = "adamw";
    /// <summary>A fresh optimiser for every stage (true), or one kept through the curriculum so its moment estimates carry over.</summary>
    public bool ResetOptimizer { get; init; } = true;
    /// <summary>SGD momentum (0 = plain SGD).</summary>
    [ConfigRange(0, 0.999)] public double Momentum { get; init; }
    /// <summary>Samples per step (new plus replayed).</summary>
    [ConfigRange(1, 65536)] public int BatchSize { get; init; } = 64;
    /// <summary>Passes over the stage's new data.</summary>
    [ConfigRange(1, 100_000)] public int Epochs { get; init; } = 40;
    /// <summary>Peak learning rate.</summary>
    [ConfigRange(1e-7, 10)] public double Lr { get; init; } = 2e-3;
    /// <summary>AdamW decoupled weight decay.</summary>
    [ConfigRange(0, 10)] public double WeightDecay { get; init; } = 0.01;
    /// <summary>Adam epsilon; 1e-8 lets unused token rows drift and makes later domains unlearnable on small models.</summary>
    [ConfigRange(1e-12, 1)] public double AdamEps { get; init; } = 1e-5;
    /// <summary>Share of each stage, at its end, over which the learning rate decays linearly to min_lr_ratio · lr.</summary>
    [ConfigRange(0, 1)] public double DecayFraction { get; init; } = 0.3;
    /// <summary>Final learning rate as a share of lr.</summary>
    [ConfigRange(0, 1)] public double MinLrRatio { get; init; } = 0.1;
    /// <summary>Global gradient-norm clip; 0 = off.</summary>
    [ConfigRange(0, 1e6)] public double GradClip { get; init; } = 1.0;
    /// <summary>
    /// A non-finite loss: stop (the run fails with the stage, step and domain named; the stages before it stay in the
    /// checkpoint) or skip_batch (that batch takes no step; skipped batches are counted in metrics.json).
    /// </summary>
    [ConfigChoice("stop", "skip_batch")] public string OnNonfinite { get; init; } = "stop";
    /// <summary>
    /// fp32, or bf16: the matrix products compute in bfloat16 while weights, gradients, optimiser and loss stay float32
    /// (mixed precision; for GPUs with bf16 units, it runs on a CPU too). Pretraining stays fp32: its base is shared.
    /// </summary>
    [ConfigChoice("fp32", "bf16")] public string Precision { get; init; } = "fp32";
    /// <summary>Refuse a run whose estimated memory (weights, optimiser, teacher, regulariser anchors, buffer) is above this many MiB; 0 = 80% of this machine's memory.</summary>
    [ConfigRange(0, 1e9)] public double MaxMemoryMb { get; init; }
    /// <summary>Steps between log lines and loss-curve points.</summary>
    [ConfigRange(1, 1_000_000)] public int LogEvery { get; init; } = 25;
}
