using Harness.Models;
using Harness.Tokenizers;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Greedy decoding of a batch of prompts (the tokens of each sample before its <c>AnswerStart</c>), one answer per row,
/// each ending at EOS, at the longest reference answer + 1 tokens, or at the model's context. Two ways, same answers:
/// <see cref="WithCache"/> (what evaluation uses) and <see cref="Recomputing"/> (the plain way, kept as the reference
/// the cache is tested and benchmarked against).
/// </summary>
internal static class GreedyDecoding
{
    /// <summary>
    /// Prompts left-padded to one width run through the model once, filling a <see cref="KeyValueCache"/>; each later
    /// step feeds only the newest token of every row, which attends to the cache. Padding is masked out and every row
    /// keeps its own positions, so a row's answer does not depend on the others.
    /// </summary>
    public static int[][] WithCache(GptModel model, IReadOnlyList<TrainingSample> chunk, Device device)
    {
        using var outer = NewDisposeScope();
        using var inference = inference_mode(); // no autograd bookkeeping: a decoding step is dozens of small calls
        var rows = new DecodingRows(chunk, model.Context);
        int count = chunk.Count, prompt = chunk.Max(s => s.AnswerStart), capacity = prompt + rows.MaxNew;
        var tokens = new long[count * prompt];
        var positions = new long[count * prompt];
        var attendable = new bool[count * capacity]; // [B, capacity]: false on each row's left padding
        for (int r = 0; r < count; r++)
        {
            int pad = prompt - chunk[r].AnswerStart;
            for (int t = 0; t < chunk[r].AnswerStart; t++)
            {
                tokens[r * prompt + pad + t] = chunk[r].Tokens[t];
                positions[r * prompt + pad + t] = t;
            }
            for (int c = pad; c < capacity; c++) attendable[r * capacity + c] = true;
        }
        using var cache = model.NewCache(count, capacity);
        var attendableKeys = tensor(attendable, [count, 1, 1, capacity]).to(device);
        long[] next;
        using (var scope = NewDisposeScope())
        {
            // Prompt positions see earlier non-padding ones; a padding position sees itself only, so no row is all masked.
            var causal = ones(prompt, prompt, ScalarType.Bool, device).tril();
            var mask = attendableKeys.narrow(3, 0, prompt).logical_or(eye(prompt, dtype: ScalarType.Bool, device: device)).logical_and(causal);
            var hidden = model.DecodeHidden(tensor(tokens, [count, prompt]).to(device), tensor(positions, [count, prompt]).to(device), mask, cache);
            next = Argmax(model, hidden.select(1, prompt - 1));
        }
        for (int step = 0; rows.Accept(next) && step + 1 < rows.MaxNew; step++)
        {
            using var scope = NewDisposeScope();
            var newest = new long[2 * count]; // [newest token | its position] of each row, one copy to the device
            for (int r = 0; r < count; r++)
            {
                newest[r] = rows.Last(r);
                newest[count + r] = rows.Length(r) - 1; // < Width <= Context; a finished row's token is fed too, and ignored
            }
            var input = tensor(newest, [2, count, 1]).to(device);
            var mask = attendableKeys.narrow(3, 0, cache.Length + 1); // [B, 1, 1, cached + 1]
            var hidden = model.DecodeHidden(input[0], input[1], mask, cache);
            next = Argmax(model, hidden.select(1, 0));
        }
        return rows.Answers();
    }

    /// <summary>
    /// The plain way: every step runs the whole prefix again. Prompts are right-padded; each row reads its logits at its
    /// own last position, which causal attention keeps independent of the padding after it.
    /// </summary>
    public static int[][] Recomputing(GptModel model, IReadOnlyList<TrainingSample> chunk, Device device)
    {
        using var inference = inference_mode();
        var rows = new DecodingRows(chunk, model.Context);
        int count = chunk.Count, width = rows.Width;
        for (int step = 0; step < rows.MaxNew; step++)
        {
            using var scope = NewDisposeScope();
            int current = Enumerable.Range(0, count).Where(r => !rows.Done(r)).Max(rows.Length);
            var input = new long[count * current];
            var last = new long[count];
            for (int r = 0; r < count; r++)
            {
                var sequence = rows.Sequence(r);
                Array.Copy(sequence, 0, input, r * current, Math.Min(sequence.Length, current));
                last[r] = Math.Min(sequence.Length, current) - 1;
            }
            var hidden = model.Hidden(tensor(input, [count, current]).to(device)); // [B, T, C]
            var rowIndex = arange(count, dtype: ScalarType.Int64, device: device);
            if (!rows.Accept(Argmax(model, hidden[rowIndex, tensor(last).to(device)]))) break;
        }
        return rows.Answers();
    }

    /// <summary>The most likely next token of each row of <paramref name="hidden"/> ([B, C]), read on the host.</summary>
    private static long[] Argmax(GptModel model, Tensor hidden) => model.Head(hidden).argmax(-1).cpu().data<long>().ToArray();

    /// <summary>Each row's tokens so far and whether it has finished: the bookkeeping both ways share.</summary>
    private sealed class DecodingRows
    {
        private readonly List<int>[] _sequences;
        private readonly int[] _promptLengths;
        private readonly bool[] _done;

        /// <summary>The most tokens any row may add: the longest reference answer + EOS.</summary>
        public int MaxNew { get; }

        /// <summary>The longest a row may grow: the longest prompt plus <see cref="MaxNew"/>, within the context.</summary>
        public int Width { get; }

        public DecodingRows(IReadOnlyList<TrainingSample> chunk, int context)
        {
            MaxNew = chunk.Max(s => s.Tokens.Length - s.AnswerStart);
            Width = Math.Min(context, chunk.Max(s => s.AnswerStart) + MaxNew);
            _sequences = chunk.Select(s => s.Tokens[..s.AnswerStart].ToList()).ToArray();
            _promptLengths = chunk.Select(s => s.AnswerStart).ToArray();
            _done = new bool[chunk.Count];
        }

        public bool Done(int row) => _done[row];
        public int Length(int row) => _sequences[row].Count;
        public long Last(int row) => _sequences[row][^1];
        public int[] Sequence(int row) => _sequences[row].ToArray();

        /// <summary>Appends each unfinished row's next token (EOS or the width finishes it); false once every row is done.</summary>
        public bool Accept(long[] next)
        {
            for (int r = 0; r < _done.Length; r++)
            {
                if (_done[r]) continue;
                if (next[r] == ITextTokenizer.Eos || _sequences[r].Count >= Width) { _done[r] = true; continue; }
                _sequences[r].Add((int)next[r]);
                if (_sequences[r].Count >= Width) _done[r] = true;
            }
            return _done.Contains(false);
        }

        /// <summary>The tokens each row added after its prompt.</summary>
        public int[][] Answers() => _sequences.Select((s, r) => s.Skip(_promptLengths[r]).ToArray()).ToArray();
    }
}
