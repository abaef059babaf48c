using System.Text.Json.Nodes;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Strategies;

/// <summary>
/// One plugin's part of a checkpoint: plain values as JSON, tensors by name, and samples by reference (a replay buffer
/// holds curriculum samples, which a resumed run rebuilds from the data, so a checkpoint names them by position).
/// Saving puts tensors in as they are (the checkpoint is written before anything changes them); loading hands out
/// tensors the checkpoint owns, so a plugin copies what it keeps.
/// </summary>
internal sealed class PluginState(JsonObject values, IDictionary<string, Tensor> tensors, SampleIndex samples)
{
    /// <summary>Plain values (counters, report entries, random generator states).</summary>
    public JsonObject Values => values;

    /// <summary>The run's samples, for <see cref="SampleIndex.Id"/> and <see cref="SampleIndex.Sample"/>.</summary>
    public SampleIndex Samples => samples;

    /// <summary>Stores <paramref name="tensor"/> under <paramref name="name"/> (unique within the plugin).</summary>
    public void Put(string name, Tensor tensor) => tensors.Add(name, tensor);

    /// <summary>The tensor stored under <paramref name="name"/>, on the device, detached from every dispose scope: the caller owns it.</summary>
    public Tensor Take(string name, Device device) =>
        Stored(name).to(device).clone().DetachFromDisposeScope();

    /// <summary>Stores host numbers as a tensor (sample ids, counts).</summary>
    public void PutInts(string name, IEnumerable<int> numbers) => Put(name, tensor(numbers.ToArray(), ScalarType.Int32));

    /// <summary>Host numbers stored by <see cref="PutInts"/>.</summary>
    public int[] Ints(string name) => Stored(name).data<int>().ToArray();

    /// <summary>Stores host floats as a tensor (DER++ logits).</summary>
    public void PutFloats(string name, IEnumerable<float> numbers) => Put(name, tensor(numbers.ToArray(), ScalarType.Float32));

    /// <summary>Host floats stored by <see cref="PutFloats"/>.</summary>
    public float[] Floats(string name) => Stored(name).cpu().data<float>().ToArray();

    private Tensor Stored(string name) =>
        tensors.TryGetValue(name, out var stored) ? stored : throw new InvalidDataException($"checkpoint: tensor '{name}' is missing");

    /// <summary>Names stored that start with <paramref name="prefix"/>, in order.</summary>
    public IReadOnlyList<string> Names(string prefix) => tensors.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    /// <summary>A required value.</summary>
    public JsonNode Value(string key) => values[key] ?? throw new InvalidDataException($"checkpoint: value '{key}' is missing");
}
