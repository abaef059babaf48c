using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harness.Config;
using Harness.Data;
using Harness.Metrics.IO;
using Harness.Models;
using Harness.Tokenizers;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Trains the base model on general text that is not in the curriculum (language modelling on every token), so that
/// stage 1 starts from a model that already knows the scripts and common words. The result is cached under
/// <c>cacheDirectory</c> (which must exist) keyed by a hash of everything that determines it, so later runs load it
/// instead. Two runs that miss the cache at once both pretrain, each into its own temporary file; the rename makes the
/// last complete file win, and both files hold the same weights. An unreadable cache entry is pretrained again.
/// </summary>
internal sealed class Pretrainer(PretrainConfig config, ExperimentConfig experiment, Device device, RunLog log, string cacheDirectory,
    StopSignal? stop = null)
{
    /// <summary>Bumped whenever the pretraining procedure changes, so stale cache entries are never reused.</summary>
    private const int ProcedureVersion = 1;

    /// <summary>The corpus passages (one per non-empty line).</summary>
    public static IReadOnlyList<string> ReadCorpus(PretrainConfig config, string baseDirectory, Func<string, HarnessInputException>? fileError = null)
    {
        if (!config.Enabled) return [];
        fileError ??= reason => new HarnessInputException(reason);
        var files = config.Corpus == "builtin"
            ? DataPaths.BuiltinPretrainCorpus
            : [ConfigLoader.ResolvePath(baseDirectory, config.Corpus["text:".Length..])];
        return files.SelectMany(f => StrictUtf8.ReadLines(f, " (pretrain.corpus)", reason => fileError($"{f}: {reason}")))
            .Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
    }

    /// <summary>Pretrains <paramref name="model"/> on <paramref name="corpus"/>, or loads the cached result. Returns whether the cache was used.</summary>
    public bool Run(GptModel model, ITextTokenizer tokenizer, IReadOnlyList<string> corpus)
    {
        var path = Path.Combine(cacheDirectory, $"base-{CacheKey(tokenizer, corpus)}.pt");
        if (config.Cache && File.Exists(path))
        {
            try
            {
                // Read into a copy first: a file that fails halfway must not leave the model half overwritten.
                using (var probe = model.Copy())
                {
                    probe.load(path);
                    using var noGrad = no_grad();
                    model.load_state_dict(probe.state_dict());
                }
                log.Line($"pretrain: loaded cached base {path}");
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.Line($"pretrain: cached base {path} is unreadable ({e.Message}); pretraining again");
            }
        }
        var samples = corpus.Select(text => TrainingSample.FromText(text, tokenizer, model.Context)).ToList();
        var random = StableRandom.For(experiment.Seed, "pretrain");
        var batches = new EpochBatches(samples, config.BatchSize, random, dropLast: true);
        log.Line($"pretrain: {samples.Count} passages, {config.Steps} steps of {config.BatchSize}");
        using var loop = new StepLoop(model, device, log, experiment.Training, stop: stop);
        loop.Run("pretrain", config.Steps, config.Lr, batches.At, (_, _) => null, _ => { });
        if (config.Cache)
        {
            ModelFile.Save(model, path); // the runner created the cache folder before training
            log.Line($"pretrain: cached base {path}");
        }
        return false;
    }

    /// <summary>SHA-256 over the model shape, tokenizer, corpus, pretraining settings, optimiser settings and seed.</summary>
    private string CacheKey(ITextTokenizer tokenizer, IReadOnlyList<string> corpus)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s) => hash.AppendData(Encoding.UTF8.GetBytes(s + "\n"));
        Add($"procedure {ProcedureVersion}");
        Add(JsonSerializer.Serialize(experiment.Model));
        Add(tokenizer.ToJson());
        Add(JsonSerializer.Serialize(config with { Cache = true }));
        var t = experiment.Training; // only the optimiser settings pretraining uses
        Add(FormattableString.Invariant($"{t.AdamEps} {t.WeightDecay} {t.DecayFraction} {t.MinLrRatio} {t.GradClip}"));
        Add($"seed {experiment.Seed}");
        foreach (var line in corpus) Add(line);
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
