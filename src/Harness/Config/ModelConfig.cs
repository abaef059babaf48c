namespace Harness.Config;

/// <summary>The model architecture (nanoGPT-style decoder, or an MLP classifier for image benchmarks).</summary>
internal sealed record ModelConfig
{
    /// <summary>gpt: decoder-only transformer for question → answer text; mlp: classifier (image benchmarks).</summary>
    [ConfigChoice("gpt", "mlp")] public string Type { get; init; } = "gpt";
    /// <summary>Width of the residual stream.</summary>
    [ConfigRange(8, 8192)] public int DModel { get; init; } = 128;
    /// <summary>Transformer blocks.</summary>
    [ConfigRange(1, 128)] public int Layers { get; init; } = 2;
    /// <summary>Attention heads; must divide d_model.</summary>
    [ConfigRange(1, 128)] public int Heads { get; init; } = 4;
    /// <summary>Longest token sequence (prompt + answer + 3 markers) the model sees.</summary>
    [ConfigRange(8, 8192)] public int Context { get; init; } = 64;
    /// <summary>Dropout on embeddings, attention output and MLP output.</summary>
    [ConfigRange(0, 0.9)] public double Dropout { get; init; }
    /// <summary>Hidden layer widths of the MLP classifier.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [400, 400];
}
