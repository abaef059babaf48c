using System.Globalization;
using System.Text.RegularExpressions;
using System.Text;
using Harness.Benchmarks;
using Harness.Data;

namespace Harness.Config;

/// <summary>
/// Strict loading of an experiment config: YAML → <see cref="ExperimentConfig"/>, then the checks that need more than
/// one key (unique domain ids, data files that exist, strategy combinations). Every error is a
/// <see cref="HarnessInputException"/> naming file:line:col and the key path.
/// </summary>
internal static partial class ConfigLoader
{
    /// <summary>
    /// Loads and validates <paramref name="path"/>; <paramref name="requireData"/> false skips the data files' existence
    /// (answering from a finished run needs no training data, and the run folder may have moved).
    /// </summary>
    public static LoadedConfig Load(string path, bool requireData = true) => Parse(ReadText(path), path, requireData);

    /// <summary>The text of a YAML file the harness reads (config or suite); unreadable files are input errors.</summary>
    public static string ReadText(string path, string kind = "config")
    {
        if (Directory.Exists(path)) throw new HarnessInputException($"{path}: is a directory, not a {kind} file");
        if (!File.Exists(path)) throw new HarnessInputException($"{path}: {kind} file not found");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new HarnessInputException($"{path}: cannot read: {e.Message}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new HarnessInputException($"{path}: cannot read: permission denied");
        }
        if (StrictUtf8.FirstInvalid(bytes) is { } bad)
        {
            // The key on that line, read leniently, so the message names a key like every other config error.
            var lineText = Encoding.UTF8.GetString(bytes).Split('\n')[bad.Line - 1];
            var key = YamlTree.LineKey(lineText) is { } k ? $"{k}: " : "";
            throw new HarnessInputException($"{path}:{bad.Line}:{bad.Column}: {key}not valid UTF-8 (byte 0x{bad.Value:X2}; save the file as UTF-8)");
        }
        return StrictUtf8.Decode(bytes, path);
    }

    /// <summary>Parses and validates config <paramref name="text"/> as if read from <paramref name="path"/>.</summary>
    public static LoadedConfig Parse(string text, string path, bool requireData = true) =>
        Bind(YamlTree.Parse(text, path), path, requireData);

    /// <summary>
    /// Binds and validates an already parsed config <paramref name="tree"/> of file <paramref name="path"/> (a suite
    /// applies its overrides to the tree first).
    /// </summary>
    public static LoadedConfig Bind(YamlTreeNode tree, string path, bool requireData = true)
    {
        if (tree is not YamlTreeMapping) throw new HarnessInputException($"{path}:{tree.Start.Line}:{tree.Start.Column}: a config is a mapping of sections (name:, curriculum:, ...)");
        var binder = new ConfigBinder(path);
        var config = binder.Bind<ExperimentConfig>(tree);
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Validate(config, binder.Positions, baseDirectory, requireData);
        return new LoadedConfig(config, binder.Positions, baseDirectory);
    }

    private static void Validate(ExperimentConfig config, ConfigPositions at, string baseDirectory, bool requireData)
    {
        if (!SafeRunName().IsMatch(config.Name))
            throw at.Error(config, "name", $"'{config.Name}' must be letters, digits, '-', '_', '.' or '=', not starting with '.' (it names a folder)");
        if (config.Model.DModel % config.Model.Heads != 0)
            throw at.Error(config.Model, "heads", $"{config.Model.Heads} heads do not divide d_model {config.Model.DModel}");
        CheckCurriculumOrBenchmark(config, at);

        var ids = new HashSet<string>();
        foreach (var domain in config.Curriculum)
        {
            if (!SafeName().IsMatch(domain.Id))
                throw at.Error(domain, "id", $"'{domain.Id}' must be ASCII letters, digits, '-', '_' or '.', not starting with '.' (it labels plots and files)");
            if (!ids.Add(domain.Id)) throw at.Error(domain, "id", $"duplicate domain id '{domain.Id}'");
            if (domain.TestSize > domain.TrainSize)
                throw at.Error(domain, "test_size", $"{domain.TestSize} recall pairs cannot be drawn from {domain.TrainSize} training pairs");
            if (requireData && domain.Source.StartsWith("jsonl:", StringComparison.Ordinal))
                CheckFile(ResolvePath(baseDirectory, domain.Source["jsonl:".Length..]), at, domain, "source");
        }
        if (requireData && config.Pretrain.Corpus.StartsWith("text:", StringComparison.Ordinal))
            CheckFile(ResolvePath(baseDirectory, config.Pretrain.Corpus["text:".Length..]), at, config.Pretrain, "corpus");

        if (config.Training.Optimizer != "sgd" && config.Training.Momentum != 0)
            throw at.Error(config.Training, "momentum", "momentum is an sgd setting (AdamW has its own moments); set optimizer: sgd or remove it");
        CheckStrategyCombination(config, at);
        CheckReplayAndRehearsalOptions(config, at);
        if (requireData && config.Benchmark is { } benchmark) CheckBenchmarkData(benchmark, at, baseDirectory);
    }

    /// <summary>The benchmark's images are there: its data folder, or the cache that ./run.sh data fills.</summary>
    private static void CheckBenchmarkData(BenchmarkConfig benchmark, ConfigPositions at, string baseDirectory)
    {
        if (benchmark.Data is { } data && !Directory.Exists(ResolvePath(baseDirectory, data)))
            throw at.Error(benchmark, "data", $"{ResolvePath(baseDirectory, data)} is not a folder");
        if (benchmark.Data is null && ImageDataStore.Missing(BenchmarkTasks.Dataset(benchmark)) is { } missing)
            throw at.Error(benchmark, "name", missing);
    }

    /// <summary>Text domains with the GPT, or an image benchmark with the MLP: exactly one of the two.</summary>
    private static void CheckCurriculumOrBenchmark(ExperimentConfig config, ConfigPositions at)
    {
        if (config.Benchmark is not { } benchmark)
        {
            if (config.Curriculum.Count == 0)
                throw at.Error(config, "curriculum", "required key is missing (give curriculum: for text domains or benchmark: for an image benchmark)");
            if (config.Model.Type != "gpt")
                throw at.Error(config.Model, "type", "the text curriculum needs model type gpt (mlp is for image benchmarks)");
            return;
        }
        if (config.Curriculum.Count > 0)
            throw at.Error(config, "curriculum", "give curriculum: or benchmark:, not both (the benchmark's tasks are the curriculum)");
        if (config.Model.Type != "mlp")
            throw at.Error(config.Model, "type", $"benchmark {benchmark.Name} needs model type mlp (gpt is for text curricula)");
        // A resolved config writes every section, so only a pretrain: that differs from the defaults is the user's.
        if (at.Contains(config.Pretrain) && config.Pretrain.Enabled && config.Pretrain != new PretrainConfig())
            throw at.Error(config.Pretrain, "corpus", "pretraining applies to the text model; remove pretrain: for an image benchmark");
        if (config.Strategies.FirstOrDefault(s => s is SiStrategyConfig) is { } si && config.Training.GradClip > 0)
            throw at.Error(config.Training, "grad_clip",
                $"si (strategies[{IndexOf(config.Strategies, si)}]) integrates the loss gradient along the path, which clipping rescales: set grad_clip: 0");
        if (config.Model.Hidden.Count == 0 || config.Model.Hidden.Any(h => h < 1))
            throw at.Error(config.Model, "hidden", "give at least one hidden layer width, each >= 1");
        if (benchmark.Name is "split_mnist" or "split_fashion_mnist" && 10 % benchmark.ClassesPerTask != 0)
            throw at.Error(benchmark, "classes_per_task", $"{benchmark.ClassesPerTask} does not divide the 10 classes into equal tasks");
        if (benchmark.Name == "rotated_mnist" && benchmark.Angles.Count == 0)
            throw at.Error(benchmark, "angles", "rotated_mnist needs angles: [..] (one task per angle, in degrees)");
        if (benchmark.Name != "rotated_mnist" && benchmark.Angles.Count > 0)
            throw at.Error(benchmark, "angles", $"only rotated_mnist uses angles (this is {benchmark.Name})");
        // Task ids show the angle to 3 decimals, so angles that print alike would name two tasks alike.
        // Compared with the defaults, not by presence: a resolved config writes every key and must load back.
        if (benchmark.Name != "permuted_mnist" && benchmark.Tasks != BenchmarkConfig.DefaultTasks)
            throw at.Error(benchmark, "tasks", $"only permuted_mnist takes a task count (this is {benchmark.Name})");
        if (benchmark.Name is not ("split_mnist" or "split_fashion_mnist") && benchmark.ClassesPerTask != BenchmarkConfig.DefaultClassesPerTask)
            throw at.Error(benchmark, "classes_per_task", $"only the split benchmarks group classes into tasks (this is {benchmark.Name})");
        if (benchmark.Validation > 0 && benchmark.TestSize is not null)
            throw at.Error(benchmark, "test_size", "with validation: the held-back images are scored, not the test set; remove test_size");
        if (benchmark.Scenario == "domain" && benchmark.Name is "split_mnist" or "split_fashion_mnist" && benchmark.ClassesPerTask == 1)
            throw at.Error(benchmark, "classes_per_task", "one class per task in the domain scenario leaves a single output, right by construction");
        if (benchmark.Angles.GroupBy(BenchmarkTasks.RotationId).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw at.Error(benchmark, "angles", $"angles {string.Join(" and ", twice.Select(a => a.ToString(CultureInfo.InvariantCulture)))} both make task {twice.Key}: give angles that differ in the first 3 decimals");
        if (config.Strategies.FirstOrDefault(s => s is AdaptersStrategyConfig or IsolationStrategyConfig) is { } adapters)
            throw at.Error(adapters, "type", $"'{adapters.Type}' adapts the text model's projections; it does not apply to the mlp");
    }

    private static void CheckStrategyCombination(ExperimentConfig config, ConfigPositions at)
    {
        var strategies = config.Strategies;
        if (strategies.Count > 1 && strategies.FirstOrDefault(s => s is JointStrategyConfig) is { } joint)
            throw at.Error(joint, "type", "joint trains all domains at once, so it cannot be combined with other strategies");
        if (strategies.Count > 1 && strategies.FirstOrDefault(s => s is NaiveStrategyConfig) is { } naive)
            throw at.Error(naive, "type", "naive means no strategy, so it cannot be combined with other strategies");
        foreach (var group in strategies.GroupBy(s => s.Type).Where(g => g.Count() > 1))
            throw at.Error(group.Skip(1).First(), "type", $"strategy '{group.Key}' is listed twice");
        if (config.Training.BatchSize < 2 && strategies.FirstOrDefault(s => s is ReplayStrategyConfig) is { } replay)
            throw at.Error(config.Training, "batch_size", $"replay (strategies[{IndexOf(strategies, replay)}]) needs batch_size >= 2: one slot for new data, one for replayed");
        if (config.Benchmark is null && config.Curriculum.Count < 2 && strategies.Any(s => s is JointStrategyConfig))
            throw at.Error(strategies[0], "type", "joint needs at least two domains");
        var adapterStrategies = strategies.Where(s => s is AdaptersStrategyConfig or IsolationStrategyConfig).ToList();
        if (adapterStrategies.Count > 1)
            throw at.Error(adapterStrategies[1], "type",
                $"'{adapterStrategies[1].Type}' cannot be combined with '{adapterStrategies[0].Type}': both give each domain its own adapter and route questions");
        foreach (var strategy in adapterStrategies) CheckAdapters(config, strategy, at);
        if (adapterStrategies.Count > 0 && !config.Training.ResetOptimizer)
            throw at.Error(config.Training, "reset_optimizer", $"'{adapterStrategies[0].Type}' trains new adapter weights in each stage, so one optimiser cannot be kept: remove reset_optimizer: false");
        if (adapterStrategies.Count > 0 && strategies.FirstOrDefault(s => s is DistillationStrategyConfig or EwcStrategyConfig or SiStrategyConfig or L2StrategyConfig) is { } weights)
            throw at.Error(weights, "type",
                $"'{weights.Type}' protects the model's own weights, which '{adapterStrategies[0].Type}' freezes: it would do nothing (use replay to protect adapters)");
    }

    /// <summary>Targets that exist and do not overlap, routing that has what it needs.</summary>
    private static void CheckAdapters(ExperimentConfig config, StrategyConfig strategy, ConfigPositions at)
    {
        var (routing, defaultDomain) = strategy switch
        {
            AdaptersStrategyConfig a => (a.Routing, a.DefaultDomain),
            IsolationStrategyConfig i => (i.Routing, i.DefaultDomain),
            _ => throw new InvalidOperationException(strategy.Type),
        };
        var targetLists = strategy switch
        {
            AdaptersStrategyConfig a => new[] { ("targets", a.Targets) },
            IsolationStrategyConfig i => [("shared_targets", i.SharedTargets), ("domain_targets", i.DomainTargets)],
            _ => [],
        };
        foreach (var (key, targets) in targetLists)
        {
            if (targets.FirstOrDefault(t => !AdapterTargets.Contains(t)) is { } unknown)
                throw at.Error(strategy, key, $"unknown target '{unknown}' (expected any of {string.Join(", ", AdapterTargets)})");
            if (targets.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw at.Error(strategy, key, $"target '{twice.Key}' is listed twice");
        }
        if (strategy is IsolationStrategyConfig isolation && isolation.SharedTargets.Intersect(isolation.DomainTargets).FirstOrDefault() is { } both)
            throw at.Error(strategy, "domain_targets", $"'{both}' is also a shared target: shared and per-domain adapters must adapt different projections");
        var ids = config.Curriculum.Select(d => d.Id).ToList();
        if (defaultDomain is not null && !ids.Contains(defaultDomain))
            throw at.Error(strategy, "default_domain", $"'{defaultDomain}' is not a curriculum domain ({string.Join(", ", ids)})");
        if (defaultDomain is not null && routing != "keyword")
            throw at.Error(strategy, "default_domain", $"only keyword routing uses a default domain (routing is {routing})");
        if (routing == "keyword" && config.Curriculum.All(d => d.Keywords.Count == 0))
            throw at.Error(strategy, "routing", "keyword routing needs `keywords:` lists on the curriculum's domains");
        if (routing == "keyword" && config.Curriculum.FirstOrDefault(d => d.Keywords.Count == 0 && d.Id != defaultDomain) is { } silent)
            throw at.Error(silent, "id", $"keyword routing: domain '{silent.Id}' has no keywords, so no question could reach its adapter (give it keywords or make it default_domain)");
        // Adapters are written to adapters/<domain id>/ next to adapters/shared/ and adapters/router.json.
        if (config.Curriculum.FirstOrDefault(d => d.Id is "shared" or "router.json") is { } clash)
            throw at.Error(clash, "id", $"'{clash.Id}' is reserved in the adapters folder (adapters/shared, adapters/router.json); rename the domain");
        if (config.Curriculum.SelectMany(d => d.Keywords).FirstOrDefault(k => k.Trim().Length == 0) is not null)
            throw at.Error(config.Curriculum.First(d => d.Keywords.Any(k => k.Trim().Length == 0)), "keywords", "a keyword is empty");
    }

    /// <summary>The model's projections an adapter can target.</summary>
    private static readonly string[] AdapterTargets = ["q", "k", "v", "o", "mlp_up", "mlp_down", "head", "tok_emb"];

    private static void CheckReplayAndRehearsalOptions(ExperimentConfig config, ConfigPositions at)
    {
        // A text curriculum's training pairs are known from the config (an image benchmark's only once it is read).
        var trainSizes = config.Benchmark is null ? config.Curriculum.Select(d => d.TrainSize).ToList() : null;
        foreach (var strategy in config.Strategies)
        {
            if (strategy is ReplayStrategyConfig replay)
            {
                if (replay.ReplayRatio is not null && replay.ReplayBatchSize is not null)
                    throw at.Error(replay, "replay_batch_size", "give replay_ratio or replay_batch_size, not both");
                if (replay.Proportional && (replay.ReplayRatio is not null || replay.ReplayBatchSize is not null))
                    throw at.Error(replay, "proportional", "give proportional, replay_ratio or replay_batch_size, not two of them");
                if (replay.ReplayBatchSize >= config.Training.BatchSize)
                    throw at.Error(replay, "replay_batch_size", $"{replay.ReplayBatchSize} must be below training.batch_size {config.Training.BatchSize}, leaving room for new data");
                if (replay.LogitWeight is not null && !replay.StoreLogits)
                    throw at.Error(replay, "logit_weight", "needs store_logits: true (the term compares with stored logits)");
                if (replay.RefreshLogits && !replay.StoreLogits)
                    throw at.Error(replay, "refresh_logits", "needs store_logits: true (there are no logits to refresh)");
                if (replay.RefreshLogits && replay.Update == "stage_end")
                    throw at.Error(replay, "refresh_logits", "update: stage_end already stores a stage's logits from its end; refresh_logits would do nothing");
                if (trainSizes is not null && replay.BufferSize > trainSizes.Sum())
                    throw at.Error(replay, "buffer_size",
                        $"{replay.BufferSize} is larger than the curriculum's {trainSizes.Sum()} training pairs ({string.Join(" + ", trainSizes)}): the buffer could never fill");
            }
            if (strategy is RehearsalStrategyConfig rehearsal)
            {
                if (rehearsal.Fraction is not null && rehearsal.PerDomain is not null)
                    throw at.Error(rehearsal, "per_domain", "give fraction or per_domain, not both");
                if (rehearsal.Fraction is null && rehearsal.PerDomain is null)
                    throw at.Error(rehearsal, "fraction", "required: give fraction or per_domain");
                if (rehearsal.Fraction == 0)
                    throw at.Error(rehearsal, "fraction", "must be above 0 (a rehearsal of nothing is naive)");
                // Every domain but the last is rehearsed later, so each must have per_domain pairs to draw.
                if (trainSizes is not null && rehearsal.PerDomain is { } perDomain
                    && config.Curriculum.SkipLast(1).FirstOrDefault(d => d.TrainSize < perDomain) is { } small)
                    throw at.Error(rehearsal, "per_domain", $"{perDomain} is larger than domain {small.Id}'s train_size {small.TrainSize}");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<StrategyConfig> strategies, StrategyConfig strategy) =>
        strategies.Select((s, i) => (s, i)).First(x => ReferenceEquals(x.s, strategy)).i;

    private static void CheckFile(string path, ConfigPositions at, object owner, string key)
    {
        if (Directory.Exists(path)) throw at.Error(owner, key, $"{path} is a directory, not a data file");
        if (!File.Exists(path)) throw at.Error(owner, key, $"data file {path} not found");
    }

    /// <summary>A data path from the config, relative to the config file's folder unless absolute.</summary>
    public static string ResolvePath(string baseDirectory, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));

    // No leading dot: "." and ".." would name the parent folder, and hidden folders are skipped by `compare`.
    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")]
    private static partial Regex SafeName();

    // '=' as in a suite's grid labels (replay-buffer_size=50): a grid run's resolved config must load back, or the
    // suite would never recognise the run as finished.
    [GeneratedRegex("^[A-Za-z0-9_=-][A-Za-z0-9_.=-]*$")]
    private static partial Regex SafeRunName();
}
