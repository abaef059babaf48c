using Harness.Models;
using Harness.Strategies;
using Harness.Tokenizers;

namespace Harness.Training;

/// <summary>
/// What differs between a text run and an image-benchmark run, for <see cref="ExperimentRunner"/>: the curriculum, the
/// memory estimate, the log's description, the model, pretraining (returns whether the base came from the cache), the
/// evaluation, the tokenizer (null for images), and the digest of the data it trains and is scored on
/// (<see cref="CurriculumDigest"/>).
/// </summary>
internal sealed record RunWork(
    CurriculumSamples Curriculum,
    MemoryEstimate Memory,
    IReadOnlyList<string> Description,
    Func<ContinualModel> NewModel,
    Func<ContinualModel, RunLog, bool> Pretrain,
    Func<IReadOnlyList<IStrategyPlugin>, IDomainEvaluation> EvaluationFor,
    ITextTokenizer? Tokenizer,
    string DataDigest);
