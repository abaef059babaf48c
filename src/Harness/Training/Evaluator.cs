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
                var answers = GreedyAnswers(model, chunk);
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
        return tokenizer.Decode(GreedyAnswers(model, [probe])[0]);
    }

    private static int[] AnswerOf(TrainingSample sample) => sample.Tokens[sample.AnswerStart..^1];

    /// <summary>
    /// Decodes all prompts of the chunk at once. Prompts are right-padded; each row reads its logits at its own last
    /// position, which causal attention keeps independent of the padding after it. Stops at EOS or at the longest
    /// reference answer + 1 tokens.
    /// </summary>
    private int[][] GreedyAnswers(GptModel model, TrainingSample[] chunk)
    {
        int rows = chunk.Length;
        int maxNew = chunk.Max(s => s.Tokens.Length - s.AnswerStart);
        int width = Math.Min(model.Context, chunk.Max(s => s.AnswerStart) + maxNew);
        var buffer = new long[rows * width];
        var lengths = new int[rows];
        var done = new bool[rows];
        var answers = Enumerable.Range(0, rows).Select(_ => new List<int>()).ToArray();
        for (int r = 0; r < rows; r++)
        {
            lengths[r] = chunk[r].AnswerStart;
            for (int t = 0; t < lengths[r]; t++) buffer[r * width + t] = chunk[r].Tokens[t];
        }
        for (int step = 0; step < maxNew && done.Contains(false); step++)
        {
            using var scope = NewDisposeScope();
            int current = lengths.Where((_, r) => !done[r]).Max();
            var input = tensor(Slice(buffer, rows, width, current), [rows, current], ScalarType.Int64).to(device);
            var hidden = model.Hidden(input); // [B, T, C]
            var last = tensor(lengths.Select(l => (long)Math.Min(l, current) - 1).ToArray(), ScalarType.Int64).to(device);
            var rowIndex = arange(rows, dtype: ScalarType.Int64, device: device);
            var next = model.Head(hidden[rowIndex, last]).argmax(-1).cpu().data<long>().ToArray(); // [B]
            for (int r = 0; r < rows; r++)
            {
                if (done[r]) continue;
                if (next[r] == ITextTokenizer.Eos || lengths[r] >= width) { done[r] = true; continue; }
                answers[r].Add((int)next[r]);
                buffer[r * width + lengths[r]] = next[r];
                lengths[r]++;
                if (lengths[r] >= width) done[r] = true;
            }
        }
        return answers.Select(a => a.ToArray()).ToArray();
    }

    private static long[] Slice(long[] buffer, int rows, int width, int columns)
    {
        var slice = new long[rows * columns];
        for (int r = 0; r < rows; r++) Array.Copy(buffer, r * width, slice, r * columns, columns);
        return slice;
    }

    private (long Correct, long Total) TeacherForcedCounts(GptModel model, TrainingSample[] chunk)
    {
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch(chunk, device);
        var predicted = model.Head(batch.AtAnswers(model.Hidden(batch.Inputs))).argmax(-1); // [N]
        long correct = predicted.eq(batch.AnswerTargets).sum().item<long>();
        return (correct, batch.AnswerTargets.shape[0]);
    }
}
