using Harness.Config;
using Harness.Data;
using Harness.Tokenizers;

namespace Harness.Training;

/// <summary>
/// Everything a run needs before any tensor exists: split domains, the pretraining corpus, the tokenizer, and every
/// pair encoded (so a pair too long for the context fails before training, also under `validate`).
/// </summary>
internal sealed record PreparedRun(
    IReadOnlyList<DomainData> Domains,
    IReadOnlyList<string> Corpus,
    ITextTokenizer Tokenizer,
    IReadOnlyList<IReadOnlyList<TrainingSample>> TrainSamples)
{
    /// <summary>Loads data and builds the tokenizer for <paramref name="loaded"/>.</summary>
    public static PreparedRun Prepare(LoadedConfig loaded)
    {
        var config = loaded.Config;
        var domains = CurriculumLoader.Load(loaded);
        var corpus = Pretrainer.ReadCorpus(config.Pretrain, loaded.BaseDirectory,
            reason => loaded.Positions.Error(config.Pretrain, "corpus", reason));
        if (config.Pretrain.Enabled && corpus.Count == 0)
            throw loaded.Positions.Error(config.Pretrain, "corpus", "the pretraining corpus has no text");
        var texts = domains.SelectMany(d => d.Pool).SelectMany(p => new[] { p.Prompt, p.Answer }).Concat(corpus);
        var tokenizer = TokenizerFactory.Build(config.Tokenizer, texts);
        var samples = domains.Select((d, i) =>
        {
            foreach (var pair in d.Heldout) Encode(loaded, tokenizer, pair, i, d.Id);
            return (IReadOnlyList<TrainingSample>)d.Train.Select(p => Encode(loaded, tokenizer, p, i, d.Id)).ToList();
        }).ToList();
        return new PreparedRun(domains, corpus, tokenizer, samples);
    }

    /// <summary>A pair as a sample; one too long for the context is an error at its data file's line.</summary>
    private static TrainingSample Encode(LoadedConfig loaded, ITextTokenizer tokenizer, QaPair pair, int domain, string domainId) =>
        TrainingSample.FromPair(pair, domain, tokenizer, loaded.Config.Model.Context, domainId,
            tooLong: (field, reason) => CurriculumLoader.PairError(loaded, loaded.Config.Curriculum[domain], pair, field, reason));
}
