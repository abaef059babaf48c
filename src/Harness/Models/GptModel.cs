using Harness.Config;
using Harness.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// A small GPT (Radford et al. 2018; layout after nanoGPT): token + learned position embeddings, pre-norm blocks,
/// a final LayerNorm and an output head. The head is deliberately not tied to the token embedding: tied weights let
/// rows of tokens absent from a stage drift and made a later domain unlearnable in our measurements.
/// </summary>
internal sealed class GptModel : ContinualModel
{
    // Module fields are named as their state_dict keys (TorchSharp uses the field name), nanoGPT style.
    private readonly Embedding tok_emb, pos_emb;
    private readonly Dropout dropout;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear head;

    /// <summary>The longest sequence this model accepts.</summary>
    public int Context { get; }

    /// <summary>Every projection adapters can plug into, block by block, then the output head (not part of the state_dict).</summary>
    public IReadOnlyList<AdapterSite> AdapterSites { get; }

    private readonly AdapterSite _headSite, _embeddingSite;

    /// <summary>A model for <paramref name="vocabSize"/> tokens shaped by <paramref name="config"/>.</summary>
    public GptModel(ModelConfig config, int vocabSize) : base(nameof(GptModel))
    {
        Context = config.Context;
        (_config, _vocabSize) = (config, vocabSize);
        tok_emb = nn.Embedding(vocabSize, config.DModel);
        pos_emb = nn.Embedding(config.Context, config.DModel);
        dropout = nn.Dropout(config.Dropout);
        blocks = new ModuleList<TransformerBlock>(
            Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock(config.DModel, config.Heads, config.Dropout, $"blocks.{i}")).ToArray());
        ln_f = nn.LayerNorm(config.DModel);
        head = nn.Linear(config.DModel, vocabSize, hasBias: false);
        RegisterComponents();
        // The head is a target too: a frozen head cannot put weight on tokens the base never produced (digits, for a base
        // pretrained on prose), so adapters over such a base need it to learn a domain with new answer tokens.
        // The same holds for the input side: the embeddings of tokens the base never saw are still random.
        _headSite = new AdapterSite("head", "head", config.DModel, vocabSize);
        _embeddingSite = new AdapterSite("tok_emb", "tok_emb", vocabSize, config.DModel, embedding: true);
        AdapterSites = blocks.SelectMany(b => b.Sites).Append(_headSite).Append(_embeddingSite).ToList();
        InitialiseWeights(config.Layers);
    }

    /// <summary>Logits for every position of <paramref name="tokens"/>.</summary>
    public override Tensor forward(Tensor tokens) // [B, T] → [B, T, V]
    {
        using var hidden = Hidden(tokens);
        return Head(hidden);
    }

    /// <summary>The final hidden states (after the last LayerNorm), before the output head.</summary>
    public Tensor Hidden(Tensor tokens) // [B, T] → [B, T, C]
    {
        using var scope = NewDisposeScope();
        long time = tokens.shape[1];
        if (time > Context) throw new ArgumentException($"sequence of {time} tokens exceeds the context of {Context}");
        var positions = arange(time, dtype: ScalarType.Int64, device: tokens.device); // [T]
        var x = Embed(tokens, positions); // [B, T, C]
        foreach (var block in blocks) x = block.forward(x);
        return ln_f.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decoding with a key/value cache: the final hidden states ([B, Tn, C]) of new tokens ([B, Tn]) at their own
    /// <paramref name="positions"/> ([B, Tn]; rows may be left-padded), attending to everything in <paramref name="cache"/>
    /// as <paramref name="mask"/> ([B, 1, Tn, Tcached + Tn], true = may attend) allows; their keys and values join the cache.
    /// </summary>
    public Tensor DecodeHidden(Tensor tokens, Tensor positions, Tensor mask, KeyValueCache cache)
    {
        using var scope = NewDisposeScope();
        var x = Embed(tokens, positions); // [B, Tn, C]
        for (int i = 0; i < blocks.Count; i++) x = blocks[i].Decode(x, cache, i, mask);
        return ln_f.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>Token plus position embeddings (positions [T] or per row [B, T]), then dropout: [B, T, C].</summary>
    private Tensor Embed(Tensor tokens, Tensor positions) =>
        dropout.forward(_embeddingSite.Apply(tokens, tok_emb.forward(tokens), training) + pos_emb.forward(positions));

    /// <summary>An empty cache for decoding <paramref name="rows"/> sequences of at most <paramref name="capacity"/> positions.</summary>
    public KeyValueCache NewCache(long rows, long capacity) =>
        new(blocks.Count, rows, _config.Heads, _config.DModel / _config.Heads, capacity, tok_emb.weight!.device);

    /// <summary>
    /// Output logits for hidden states of any leading shape. Training applies it only at the answer positions: the
    /// vocabulary-wide projection is the largest tensor of a step, and the other positions carry no loss.
    /// </summary>
    public Tensor Head(Tensor hidden) => _headSite.Apply(hidden, MixedPrecision.Linear(head, hidden, ComputeType), training); // [..., C] → [..., V]

    /// <summary>Normal(0, 0.02) weights, zero biases, residual projections scaled by 1/√(2·layers) (GPT-2).</summary>
    private void InitialiseWeights(int layers)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // the init functions return new handles to the same storage
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal)) nn.init.zeros_(parameter);
            else if (name.Contains("ln_", StringComparison.Ordinal)) nn.init.ones_(parameter);
            else
            {
                bool residual = name.EndsWith("o.weight", StringComparison.Ordinal) || name.EndsWith("mlp_down.weight", StringComparison.Ordinal);
                nn.init.normal_(parameter, 0, residual ? 0.02 / Math.Sqrt(2 * layers) : 0.02);
            }
        }
    }

    // Plain (non-Module, non-Tensor) fields: RegisterComponents ignores them, so they never enter the state_dict.
    private readonly ModelConfig _config;
    private readonly int _vocabSize;

    /// <inheritdoc />
    public override Tensor AnswerLogits(TrainingBatch batch) => Head(batch.AtAnswers(Hidden(batch.Inputs))); // [N, V]

    /// <inheritdoc />
    public override GptModel Copy() => CopyInto(() => new GptModel(_config, _vocabSize));
}
