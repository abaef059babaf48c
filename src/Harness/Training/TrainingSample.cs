using Harness.Benchmarks;
using Harness.Config;
using Harness.Data;
using Harness.Tokenizers;

namespace Harness.Training;

/// <summary>
/// A sample as token ids (what replay buffers store, not tensors): [BOS] prompt [SEP] answer [EOS].
/// The loss covers the positions from <see cref="AnswerStart"/> on (answer and EOS); pretraining text has AnswerStart 1.
/// An image sample has no tokens: <see cref="Image"/> names its row of a shared pixel tensor and its target.
/// </summary>
internal sealed record TrainingSample(int[] Tokens, int AnswerStart, int Domain)
{
    /// <summary>The image and label of an image-classification sample; null for text.</summary>
    public ImageExample? Image { get; init; }

    /// <summary>
    /// Rows this sample contributes to a batch's loss logits: one per answer position (positions t in
    /// [AnswerStart − 1, length − 2], whose next token is an answer token or EOS), one per image.
    /// </summary>
    public int AnswerRowCount => Image is null ? Tokens.Length - Math.Max(1, AnswerStart) : 1;

    /// <summary>An image-classification sample of domain <paramref name="domain"/>.</summary>
    public static TrainingSample FromImage(ImageExample image, int domain) => new([], 0, domain) { Image = image };

    /// <summary>
    /// Encodes a question → answer pair of domain <paramref name="domain"/>; it must fit <paramref name="context"/>. A pair
    /// that does not is an error made by <paramref name="tooLong"/>(field at fault, reason), by default
    /// "<paramref name="domainId"/>: reason".
    /// </summary>
    public static TrainingSample FromPair(QaPair pair, int domain, ITextTokenizer tokenizer, int context, string domainId,
        Func<string, string, HarnessInputException>? tooLong = null)
    {
        var prompt = tokenizer.Encode(pair.Prompt);
        var answer = tokenizer.Encode(pair.Answer);
        int length = prompt.Length + answer.Length + 3;
        if (length > context)
        {
            // BOS, prompt, SEP: when these alone do not fit, the prompt is at fault whatever the answer.
            var field = prompt.Length + 2 >= context ? "prompt" : "answer";
            var reason = $"pair '{pair.Prompt}' → '{pair.Answer}' is {length} tokens, longer than model.context {context}";
            throw tooLong?.Invoke(field, reason) ?? new HarnessInputException($"{domainId}: {reason}");
        }
        var tokens = new int[length];
        tokens[0] = ITextTokenizer.Bos;
        prompt.CopyTo(tokens, 1);
        tokens[prompt.Length + 1] = ITextTokenizer.Sep;
        answer.CopyTo(tokens, prompt.Length + 2);
        tokens[^1] = ITextTokenizer.Eos;
        return new TrainingSample(tokens, prompt.Length + 2, domain);
    }

    /// <summary>A language-modelling sample over a whole text (truncated to the context).</summary>
    public static TrainingSample FromText(string text, ITextTokenizer tokenizer, int context)
    {
        var body = tokenizer.Encode(text);
        var tokens = new[] { ITextTokenizer.Bos }.Concat(body).Append(ITextTokenizer.Eos).Take(context).ToArray();
        return new TrainingSample(tokens, 1, -1);
    }
}
