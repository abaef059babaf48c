using Harness.Models;
using Harness.Strategies;
using static TorchSharp.torch;

namespace Harness.Adapters;

/// <summary>
/// A LoRA adapter (Hu et al. 2021): one <see cref="LoraLayer"/> for every projection of the model whose target is in
/// <see cref="Targets"/>. It lives outside the model (the model only gets its layers attached at its
/// <see cref="AdapterSite"/>s), so the base's state_dict stays the base's.
/// </summary>
internal sealed class LoraAdapter : IDisposable
{
    private readonly List<(AdapterSite Site, LoraUpdate Layer)> _layers;

    /// <summary>The adapter's name: a domain id, or <c>shared</c>.</summary>
    public string Name { get; }
    /// <summary>Rank r of every update.</summary>
    public int Rank { get; }
    /// <summary>The LoRA alpha (updates are scaled by alpha / r).</summary>
    public double Alpha { get; }
    /// <summary>Dropout on the adapter's input while training.</summary>
    public double Dropout { get; }
    /// <summary>The projections adapted: any of q, k, v, o, mlp_up, mlp_down.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>A fresh adapter (B = 0, so the model's outputs are unchanged) over <paramref name="model"/>'s projections.</summary>
    public LoraAdapter(string name, GptModel model, IReadOnlyList<string> targets, int rank, double alpha, double dropout, Device device)
    {
        Name = name;
        Rank = rank;
        Alpha = alpha;
        Dropout = dropout;
        Targets = targets;
        _layers = model.AdapterSites
            .Where(site => targets.Contains(site.Target))
            .Select(site => (site, site.IsEmbedding
                ? (LoraUpdate)new LoraEmbedding(site.InFeatures, site.OutFeatures, rank, alpha, device)
                : new LoraLayer(site.InFeatures, site.OutFeatures, rank, alpha, dropout, device)))
            .ToList();
        if (_layers.Count == 0) throw new ArgumentException($"adapter {name}: no projection matches targets {string.Join(", ", targets)}");
    }

    /// <summary>The trainable tensors, for the optimiser.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => _layers.SelectMany(l => l.Layer.parameters());

    /// <summary>Trainable parameter count.</summary>
    public long ParameterCount => Parameters().Sum(p => p.numel());

    /// <summary>
    /// Plugs every layer into its module, for all rows, or only for the samples a mask marks: <paramref name="sampleMask"/>
    /// ([B, 1, 1]) at the token-level modules, <paramref name="answerMask"/> ([N, 1], one row per answer position) at the
    /// head, which training applies to the answer positions only.
    /// </summary>
    public void AttachTo(Tensor? sampleMask = null, Tensor? answerMask = null)
    {
        foreach (var (site, layer) in _layers) site.Attach(layer, site.Target == "head" ? answerMask : sampleMask);
    }

    /// <summary>Freezes the adapter (its stage is over) or makes it trainable.</summary>
    public void SetTrainable(bool trainable)
    {
        foreach (var parameter in Parameters()) parameter.requires_grad = trainable;
    }

    /// <summary>
    /// Tensors named as PEFT names them: <c>base_model.model.{module path}.lora_A.weight</c> ([r, in]) and <c>lora_B.weight</c>
    /// ([out, r]); for the embedding <c>lora_embedding_A</c> ([r, vocab]) and <c>lora_embedding_B</c> ([d_model, r]).
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> NamedTensors() => _layers
        .SelectMany(l => l.Layer.NamedWeights.Select(w => ($"{PeftLayout.TensorPrefix}{l.Site.Path}.{w.Suffix}", w.Tensor)))
        .ToList();

    /// <summary>Overwrites the layers' weights with <paramref name="tensors"/> (by PEFT name); every layer must be present with its shape.</summary>
    public void Load(SafeTensorsContent tensors, string source)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in NamedTensors())
        {
            if (!tensors.Contains(name)) throw new Config.HarnessInputException($"{source}: tensor {name} is missing");
            var stored = tensors[name];
            if (!stored.shape.SequenceEqual(tensor.shape))
                throw new Config.HarnessInputException(
                    $"{source}: tensor {name} has shape [{string.Join(", ", stored.shape)}], expected [{string.Join(", ", tensor.shape)}]");
            tensor.copy_(stored);
        }
    }

    /// <summary>Puts the adapter's weights into a checkpoint under <paramref name="prefix"/>.</summary>
    public void SaveState(PluginState state, string prefix)
    {
        foreach (var (name, tensor) in NamedTensors()) state.Put($"{prefix}.{name}", tensor);
    }

    /// <summary>Overwrites the adapter's weights with what <see cref="SaveState"/> stored under <paramref name="prefix"/>.</summary>
    public void LoadState(PluginState state, string prefix, Device device)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in NamedTensors())
        {
            using var stored = state.Take($"{prefix}.{name}", device);
            tensor.copy_(stored);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, layer) in _layers) layer.Dispose();
    }
}
