namespace Harness.Config;

/// <summary>One runnable experiment: a curriculum of domains (or a benchmark's tasks) trained in order with the listed strategies.</summary>
internal sealed record ExperimentConfig
{
    /// <summary>Names the run; results go to results/&lt;name&gt;/ by default.</summary>
    public required string Name { get; init; }
    /// <summary>Seeds data splits, sampling, initialisation and dropout: same seed, same matrix (on CPU).</summary>
    [ConfigRange(0, int.MaxValue)] public int Seed { get; init; }
    /// <summary>auto = CUDA when present, else CPU; cuda fails if no GPU is visible.</summary>
    [ConfigChoice("auto", "cpu", "cuda")] public string Device { get; init; } = "auto";
    /// <summary>CPU threads for libtorch; 0 keeps libtorch's default.</summary>
    [ConfigRange(0, 1024)] public int Threads { get; init; }
    /// <summary>The network trained on every stage.</summary>
    public ModelConfig Model { get; init; } = new();
    /// <summary>How text becomes token ids.</summary>
    public TokenizerConfig Tokenizer { get; init; } = new();
    /// <summary>General-text pretraining of the base before stage 1 (cached), or none.</summary>
    public PretrainConfig Pretrain { get; init; } = new();
    /// <summary>The ordered text domains; stage i trains domain i. Give this or <see cref="Benchmark"/>.</summary>
    public IReadOnlyList<DomainConfig> Curriculum { get; init; } = [];
    /// <summary>An image benchmark whose tasks are the curriculum (with model.type mlp), instead of curriculum.</summary>
    public BenchmarkConfig? Benchmark { get; init; }
    /// <summary>Optimiser and schedule of every stage.</summary>
    public TrainingConfig Training { get; init; } = new();
    /// <summary>Strategy plugins, composed in this order.</summary>
    [ConfigNonEmpty] public IReadOnlyList<StrategyConfig> Strategies { get; init; } = [new NaiveStrategyConfig()];
    /// <summary>How every domain is scored after every stage.</summary>
    public EvaluationConfig Evaluation { get; init; } = new();
}
