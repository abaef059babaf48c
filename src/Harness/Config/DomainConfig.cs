namespace Harness.Config;

/// <summary>One curriculum domain: question → answer pairs from a source, split deterministically from the seed.</summary>
internal sealed record DomainConfig
{
    /// <summary>Short ASCII id used in tables, plots and file names (math, poetry, history).</summary>
    public required string Id { get; init; }
    /// <summary>math | poetry | history | geography (built-in) or jsonl:PATH (relative to the config file).</summary>
    [ConfigChoice("math", "poetry", "history", "geography", "jsonl:")] public required string Source { get; init; }
    /// <summary>Training pairs drawn from the source.</summary>
    [ConfigRange(1, 10_000_000)] public int TrainSize { get; init; } = 300;
    /// <summary>Recall test pairs, drawn from the training pairs (does learned knowledge survive?).</summary>
    [ConfigRange(1, 10_000_000)] public int TestSize { get; init; } = 100;
    /// <summary>Held-out pairs never trained on (for math: unseen operand pairs); 0 = none. Reported as its own matrix.</summary>
    [ConfigRange(0, 10_000_000)] public int HeldoutSize { get; init; }
    /// <summary>Epochs of this domain's stage; empty = training.epochs.</summary>
    [ConfigRange(1, 100_000)] public int? Epochs { get; init; }
    /// <summary>Words that send a question to this domain's adapter under keyword routing (case-insensitive substrings).</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
}
