namespace Harness.Tests;

/// <summary>
/// The smallest config that exercises the whole pipeline: math (with 8 held-out facts) plus a jsonl domain of
/// reversed words, a one-layer GPT of width 32, a few pretraining steps and replay. Runs in about a second.
/// </summary>
internal static class TinyConfig
{
    /// <summary>Words whose reversal is the "words" domain (30 distinct prompts).</summary>
    public static readonly string[] Words =
    [
        "stone", "river", "cloud", "apple", "tiger", "maple", "night", "light", "green", "bread",
        "chair", "table", "water", "sugar", "piano", "eagle", "ocean", "plant", "robot", "train",
        "lemon", "grape", "house", "mouse", "snake", "storm", "flame", "frost", "coral", "amber",
    ];

    /// <summary>The jsonl lines of the words domain.</summary>
    public static string WordsJsonl() =>
        string.Concat(Words.Select(w => $"{{\"prompt\": \"{w}\", \"answer\": \"{new string(w.Reverse().ToArray())}\"}}\n"));

    /// <summary>The YAML of the tiny config; <paramref name="strategies"/> is the body of <c>strategies:</c>.</summary>
    public static string Yaml(string name = "tiny", string pretrain = "{corpus: builtin, steps: 5, batch_size: 8}",
        string strategies = "  - {type: replay, buffer_size: 8, replay_ratio: 0.25}",
        string training = "{batch_size: 8, epochs: 3, lr: 0.003, log_every: 2}") => $$"""
        name: {{name}}
        seed: 0
        device: cpu
        model: {d_model: 32, layers: 1, heads: 2, context: 64}
        tokenizer: {type: bpe, encoding: cl100k_base}
        pretrain: {{pretrain}}
        curriculum:
          - {id: math, source: math, train_size: 24, test_size: 8, heldout_size: 8}
          - {id: words, source: "jsonl:words.jsonl", train_size: 24, test_size: 8}
        training: {{training}}
        evaluation: {batch_size: 64}
        strategies:
        {{strategies}}

        """;

    /// <summary>Writes the config (and its words.jsonl) into <paramref name="directory"/>; returns the config's path.</summary>
    public static string WriteTo(TempDirectory directory, string fileName = "tiny.yaml", string? yaml = null)
    {
        directory.Write("words.jsonl", WordsJsonl());
        return directory.Write(fileName, yaml ?? Yaml());
    }
}
