using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A module of the model that adapters can plug into (q, k, v, o, mlp_up, mlp_down of each block, the head, the token
/// embedding). It is a
/// plain object, not a module field, so attached adapters never enter the base model's state_dict; the projection adds
/// the attached layers' output to its own. A row mask ([B, 1, 1], 0/1) limits a layer to some samples of the batch
/// (a replayed sample goes through its own domain's adapter).
/// </summary>
internal sealed class AdapterSite(string path, string target, long inFeatures, long outFeatures, bool embedding = false)
{
    /// <summary>True for the token embedding: its input is token ids and <see cref="InFeatures"/> is the vocabulary size.</summary>
    public bool IsEmbedding { get; } = embedding;

    private readonly List<(LoraUpdate Layer, Tensor? RowMask)> _attached = [];

    /// <summary>The projection's module path in the base model, e.g. <c>blocks.0.attn.q</c> (PEFT names tensors by it).</summary>
    public string Path { get; } = path;
    /// <summary>The target name a config lists: q, k, v, o, mlp_up or mlp_down.</summary>
    public string Target { get; } = target;
    /// <summary>Input width of the projection.</summary>
    public long InFeatures { get; } = inFeatures;
    /// <summary>Output width of the projection.</summary>
    public long OutFeatures { get; } = outFeatures;

    /// <summary>How many layers are attached now.</summary>
    public int AttachedCount => _attached.Count;

    /// <summary>Adds <paramref name="layer"/>'s update, for every row or only where <paramref name="rowMask"/> is 1.</summary>
    public void Attach(LoraUpdate layer, Tensor? rowMask = null) => _attached.Add((layer, rowMask));

    /// <summary>Removes every attached layer: the projection is the base one again.</summary>
    public void DetachAll() => _attached.Clear();

    /// <summary>
    /// The projection's output <paramref name="baseOutput"/> of <paramref name="x"/> plus every attached update, in the
    /// host module's mode (<paramref name="training"/>: adapter dropout on or off).
    /// </summary>
    public Tensor Apply(Tensor x, Tensor baseOutput, bool training)
    {
        if (_attached.Count == 0) return baseOutput;
        var output = baseOutput;
        foreach (var (layer, mask) in _attached)
        {
            using var delta = layer.Update(x, training);
            var next = mask is null ? output + delta : output + delta * mask;
            if (!ReferenceEquals(output, baseOutput)) output.Dispose();
            output = next;
        }
        baseOutput.Dispose();
        return output;
    }
}
