using System.Globalization;
using Harness.Config;

namespace Harness.Training;

/// <summary>
/// What a run will hold in memory, estimated from its config before anything is allocated: weights, gradients and
/// optimiser moments (fp32), a distillation teacher, regulariser anchors (Ω and θ* per kept anchor), the replay
/// buffer (token ids or image references, and DER++ logits), image data on the device, and activations of one batch
/// (a rough upper bound). The runner prints it and refuses a run above <c>training.max_memory_mb</c>.
/// </summary>
internal sealed record MemoryEstimate(long Weights, long Optimizer, long Teacher, long Anchors, long Buffer, long Data, long Activations)
{
    private const long Float = sizeof(float);

    /// <summary>Sum of the parts, in bytes.</summary>
    public long Total => Weights * 2 + Optimizer + Teacher + Anchors + Buffer + Data + Activations; // weights + their gradients

    /// <summary>
    /// The estimate for <paramref name="config"/> with <paramref name="inputs"/> (vocabulary, or image features),
    /// <paramref name="outputs"/> (vocabulary, or classes) and <paramref name="dataBytes"/> of data held on the device.
    /// </summary>
    public static MemoryEstimate For(ExperimentConfig config, long inputs, long outputs, long dataBytes)
    {
        var model = config.Model;
        long parameters = model.Type == "mlp" ? MlpParameters(inputs, model.Hidden, outputs) : GptParameters(model, inputs);
        var training = config.Training;
        long moments = training.Optimizer == "sgd" ? (training.Momentum > 0 ? 1 : 0) : 2;
        long stages = Math.Max(1, config.Benchmark?.Tasks ?? config.Curriculum.Count);
        long anchors = 0, teacher = 0, buffer = 0;
        foreach (var strategy in config.Strategies)
        {
            switch (strategy)
            {
                case DistillationStrategyConfig distillation:
                    // The teacher's weights, and its kept targets: a stage's samples (new and replayed), each with its
                    // answer rows (at most the context; one per image) over every output, up to teacher_cache_mb.
                    long rows = model.Type == "mlp" ? 1 : model.Context;
                    long samples = LargestStage(config) + config.Strategies.OfType<ReplayStrategyConfig>().Sum(r => (long)r.BufferSize);
                    // Task-incremental benchmarks distil each earlier head anew every batch and keep nothing.
                    long kept = config.Benchmark?.Scenario == "task" ? 0 : samples * rows * outputs * Float;
                    teacher = parameters * Float + Math.Min((long)distillation.TeacherCacheMb << 20, kept);
                    break;
                case EwcStrategyConfig ewc:
                    anchors += 2 * parameters * Float * (ewc.Online ? 1 : Math.Max(1, stages - 1));
                    break;
                case SiStrategyConfig:
                    anchors += 5 * parameters * Float; // Ω, θ*, and per stage ω, θ_prev, θ_start
                    break;
                case L2StrategyConfig:
                    anchors += parameters * Float; // θ* only: its importance is 1, not stored
                    break;
                case ReplayStrategyConfig replay:
                    long sample = model.Type == "mlp" ? 16 : model.Context * sizeof(int);
                    long logits = replay.StoreLogits ? (model.Type == "mlp" ? outputs : model.Context * outputs) * Float : 0;
                    buffer += replay.BufferSize * (sample + logits);
                    break;
            }
        }
        long batch = training.BatchSize;
        long activations = model.Type == "mlp"
            ? batch * (inputs + model.Hidden.Sum() + outputs) * Float * 3
            : batch * model.Context * (model.DModel * 16L * model.Layers + model.Context * model.Heads * model.Layers + outputs * 2) * Float;
        return new MemoryEstimate(parameters * Float, moments * parameters * Float, teacher, anchors, buffer, dataBytes, activations);
    }

    /// <summary>The most training samples one stage can have: the largest domain, or a benchmark task's cap (MNIST's 60,000 without one).</summary>
    private static long LargestStage(ExperimentConfig config) =>
        config.Benchmark is { } benchmark ? benchmark.TrainSize ?? 60_000 : config.Curriculum.Select(d => (long)d.TrainSize).DefaultIfEmpty(0).Max();

    /// <summary>The default limit: 80% of the memory this process may use (the machine's, or its container's).</summary>
    public static double DefaultLimitMb() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.8 / (1 << 20);

    /// <summary>One log line: every part and the total, in MiB.</summary>
    public string Describe(double limitMb) =>
        string.Create(CultureInfo.InvariantCulture, $"memory estimate: {Parts} (limit {limitMb:F0} MiB)");

    /// <summary>Every part and the total, in MiB.</summary>
    public string Parts =>
        $"weights {Mb(Weights)} + gradients {Mb(Weights)} + optimiser {Mb(Optimizer)} + teacher {Mb(Teacher)} + " +
        $"anchors {Mb(Anchors)} + replay buffer {Mb(Buffer)} + data {Mb(Data)} + activations {Mb(Activations)} = {Mb(Total)} MiB";

    /// <summary>Total in MiB.</summary>
    public double TotalMb => Total / (double)(1 << 20);

    private static string Mb(long bytes) => (bytes / (double)(1 << 20)).ToString("F1", CultureInfo.InvariantCulture);

    private static long MlpParameters(long inputs, IReadOnlyList<int> hidden, long outputs)
    {
        long total = 0, width = inputs;
        foreach (int h in hidden.Append((int)outputs))
        {
            total += width * h + h;
            width = h;
        }
        return total;
    }

    /// <summary>Token and position embeddings, per layer attention (4 d²) and MLP (8 d²) with norms and biases, the head.</summary>
    private static long GptParameters(ModelConfig model, long vocabulary)
    {
        long d = model.DModel;
        return vocabulary * d + model.Context * d + model.Layers * (12 * d * d + 13 * d) + 2 * d + d * vocabulary;
    }
}
