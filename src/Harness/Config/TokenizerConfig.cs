namespace Harness.Config;

/// <summary>How text becomes token ids.</summary>
internal sealed record TokenizerConfig
{
    /// <summary>bpe: tiktoken byte-level BPE compacted to the ids the run's data uses plus all 256 bytes; char: one id per character.</summary>
    [ConfigChoice("bpe", "char")] public string Type { get; init; } = "bpe";
    /// <summary>The tiktoken encoding behind bpe.</summary>
    [ConfigChoice("cl100k_base", "gpt2")] public string Encoding { get; init; } = "cl100k_base";
}
