using Harness.Data;
using Harness.Models;
using Harness.Tokenizers;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Scores a model on question → answer pairs: exact match of the batched greedy decoding (the decoded text before EOS
/// must equal the answer) and, teacher-forced, the share of answer tokens predicted right, EOS included (knowing
/// where the answer ends is part of knowing it).
/// </summary>
internal sealed class Evaluator(ITextTokenizer tokenizer, Device device, int batchSize, bool tokenAccuracy)
{
    /// <summary>
    /// Scores <paramref name="pairs"/> of the domain at index <paramref name="domain"/>. With <paramref name="routes"/>
    /// (one per pair, from a router), the pairs are scored in groups of equal route, each after
    /// <paramref name="activate"/>(route) has prepared the model (attached that adapter).
    /// </summary>
    public DomainScore Score(GptModel model, IReadOnlyList<QaPair> pairs, int domain, string domainId,
        IReadOnlyList<int>? routes = null, Action<int>? activate = null)
    {
        if (pairs.Count == 0) return new DomainScore(double.NaN, double.NaN);
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var samples = pairs.Select(p => TrainingSample.FromPair(p, domain, tokenizer, model.Context, domainId)).ToList();
            IEnumerable<List<TrainingSample>> groups = routes is null
                ? [samples]
                : samples.Select((sample, i) => (sample, route: routes[i])).GroupBy(x => x.route).OrderBy(g => g.Key)
                    .Select(g =>
                    {
                        activate?.Invoke(g.Key);
                        return g.Select(x => x.sample).ToList();
                    });
            int exact = 0;
            long correctTokens = 0, answerTokens = 0;
            foreach (var group in groups)
            foreach (var chunk in group.Chunk(batchSize))
            {
                var answers = GreedyDecoding.WithCache(model, chunk, device);
                // Compared as text: "1","98" and "198" are different token paths to the same right answer.
                for (int i = 0; i < chunk.Length; i++)
                    if (tokenizer.Decode(answers[i]) == tokenizer.Decode(AnswerOf(chunk[i]))) exact++;
                if (tokenAccuracy)
                {
                    var (correct, total) = TeacherForcedCounts(model, chunk);
                    correctTokens += correct;
                    answerTokens += total;
                }
            }
            return new DomainScore(exact / (double)samples.Count, tokenAccuracy ? correctTokens / (double)answerTokens : double.NaN);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The greedy answer to <paramref name="prompt"/>, as text, at most <paramref name="maxNewTokens"/> tokens.</summary>
    public string Answer(GptModel model, string prompt, int maxNewTokens)
    {
        model.eval();
        using var noGrad = no_grad();
        var tokens = new[] { ITextTokenizer.Bos }.Concat(tokenizer.Encode(prompt)).Append(ITextTokenizer.Sep).ToArray();
        var probe = new TrainingSample(tokens.Concat(Enumerable.Repeat(ITextTokenizer.Eos, maxNewTokens)).ToArray(), tokens.Length, -1);
        return tokenizer.Decode(GreedyDecoding.WithCache(model, [probe], device)[0]);
    }

    private static int[] AnswerOf(TrainingSample sample) => sample.Tokens[sample.AnswerStart..^1];

    private (long Correct, long Total) TeacherForcedCounts(GptModel model, TrainingSample[] chunk)
    {
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch(chunk, device);
        var predicted = model.Head(batch.AtAnswers(model.Hidden(batch.Inputs))).argmax(-1); // [N]
        long correct = predicted.eq(batch.AnswerTargets).sum().item<long>();
        return (correct, batch.AnswerTargets.shape[0]);
    }
}
