using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Harness.Config;
using Harness.Metrics.IO;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// The data folder bench/pytorch_reference.py trains on: spec.json (both models' shapes and optimiser settings) and
/// the batches Harness recorded, collated as Harness collates them, as raw little-endian arrays.
/// </summary>
internal static class PyTorchSpec
{
    /// <summary>
    /// Writes <paramref name="folder"/>/spec.json and the batches as raw little-endian arrays: the GPT workload's
    /// timed-stage batches and the MLP workload's batches, with both models' shapes and optimiser settings.
    /// </summary>
    public static void Write(string folder, int threads, GptBench gpt, MlpBench mlp, Device device)
    {
        Directory.CreateDirectory(folder);
        var gptBatches = Batches(gpt.Recorded, device, (batch, i) => new JsonObject
        {
            ["inputs"] = Write(folder, $"gpt-{i}-inputs.bin", batch.Inputs),
            ["shape"] = Shape(batch.Inputs),
            ["positions"] = Write(folder, $"gpt-{i}-positions.bin", batch.AnswerPositions),
            ["targets"] = Write(folder, $"gpt-{i}-targets.bin", batch.AnswerTargets),
            ["count"] = batch.AnswerTargets.shape[0],
            ["tokens"] = batch.TokenCount,
        });
        var mlpBatches = Batches(mlp.Recorded, device, (batch, i) => new JsonObject
        {
            ["pixels"] = Write(folder, $"mlp-{i}-pixels.bin", batch.Inputs),
            ["shape"] = Shape(batch.Inputs),
            ["targets"] = Write(folder, $"mlp-{i}-targets.bin", batch.AnswerTargets),
            ["samples"] = batch.TokenCount,
        });
        var model = gpt.Config.Model;
        var spec = new JsonObject
        {
            ["threads"] = threads,
            ["seed"] = gpt.Config.Seed,
            ["gpt"] = new JsonObject
            {
                ["vocab_size"] = gpt.VocabSize,
                ["d_model"] = model.DModel,
                ["layers"] = model.Layers,
                ["heads"] = model.Heads,
                ["context"] = model.Context,
                ["dropout"] = model.Dropout,
                ["optimizer"] = Optimizer(gpt.Config.Training),
                ["grad_clip"] = gpt.Config.Training.GradClip,
                ["batches"] = gptBatches,
            },
            ["mlp"] = new JsonObject
            {
                ["input"] = mlp.Features,
                ["hidden"] = new JsonArray(mlp.Config.Model.Hidden.Select(h => (JsonNode)h).ToArray()),
                ["classes"] = mlp.Outputs,
                ["optimizer"] = Optimizer(mlp.Config.Training),
                ["grad_clip"] = mlp.Config.Training.GradClip,
                ["batches"] = mlpBatches,
            },
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "spec.json"), spec.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>Each recorded batch collated as Harness collates it, described (and its files written) by <paramref name="describe"/>.</summary>
    private static JsonArray Batches(IReadOnlyList<IReadOnlyList<TrainingSample>> recorded, Device device, Func<TrainingBatch, int, JsonObject> describe)
    {
        var batches = new JsonArray();
        for (int i = 0; i < recorded.Count; i++)
        {
            using var batch = new TrainingBatch(recorded[i], device);
            batches.Add(describe(batch, i));
        }
        return batches;
    }

    private static JsonArray Shape(Tensor tensor) => new(tensor.shape.Select(d => (JsonNode)d).ToArray());

    private static JsonObject Optimizer(TrainingConfig training) => new()
    {
        ["lr"] = training.Lr,
        ["betas"] = new JsonArray(0.9, 0.999),
        ["eps"] = training.AdamEps,
        ["weight_decay"] = training.WeightDecay,
    };

    /// <summary>Writes <paramref name="values"/> (on any device) as raw bytes; returns the file name.</summary>
    private static string Write(string folder, string name, Tensor values)
    {
        using var host = values.cpu().contiguous();
        byte[] bytes = host.dtype switch
        {
            ScalarType.Int64 => MemoryMarshal.AsBytes(host.data<long>().ToArray().AsSpan()).ToArray(),
            ScalarType.Float32 => MemoryMarshal.AsBytes(host.data<float>().ToArray().AsSpan()).ToArray(),
            var other => throw new ArgumentException($"cannot write {other}"),
        };
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
        return name;
    }

}
