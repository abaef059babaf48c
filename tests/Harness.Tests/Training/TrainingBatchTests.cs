using Harness.Config;
using Harness.Data;
using Harness.Tokenizers;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainingBatchTests
{
    // [BOS] p p [SEP] a a [EOS] and [BOS] p [SEP] a [EOS]: answers start at 4 and 3.
    private static readonly TrainingSample Long = new([1, 10, 11, 2, 20, 21, 3], 4, 0);
    private static readonly TrainingSample Short = new([1, 12, 2, 22, 3], 3, 1);

    [Fact]
    public void Constructor_TwoSamples_InputsAreTokensWithoutLastPaddedWithZero()
    {
        // When
        using var batch = new TrainingBatch([Long, Short], CPU);

        // Then [B, T] with T = longest − 1
        Assert.Equal([2L, 6L], batch.Inputs.shape);
        Assert.Equal([1L, 10, 11, 2, 20, 21, 1, 12, 2, 22, 0, 0], batch.Inputs.data<long>().ToArray());
        Assert.Equal(6 + 4, batch.TokenCount);
    }

    [Fact]
    public void Constructor_TwoSamples_AnswerPositionsAndTargetsListTheLossPositions()
    {
        // When
        using var batch = new TrainingBatch([Long, Short], CPU);

        // Then flat indices b · 6 + t of the positions whose next token is in the answer (or EOS), and those tokens
        Assert.Equal([3L, 4, 5, 8, 9], batch.AnswerPositions.data<long>().ToArray());
        Assert.Equal([20L, 21, 3, 22, 3], batch.AnswerTargets.data<long>().ToArray());
    }

    [Fact]
    public void AtAnswers_HiddenStates_SelectsTheAnswerPositionsRows()
    {
        // Given hidden states [2, 6, 1] whose value is the flat position b · 6 + t
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch([Long, Short], CPU);
        var hidden = arange(12, dtype: ScalarType.Float32).view(2, 6, 1);

        // When
        var rows = batch.AtAnswers(hidden); // [N, C]

        // Then
        Assert.Equal([5L, 1L], rows.shape);
        Assert.Equal([3f, 4, 5, 8, 9], rows.flatten().data<float>().ToArray());
    }

    [Fact]
    public void Loss_AnswerLogitsConfidentlyRight_IsNearZero()
    {
        // Given [N, V] logits with a large margin on each answer target
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch([Long, Short], CPU);
        var targets = batch.AnswerTargets.data<long>().ToArray();
        var logits = zeros([targets.Length, 30]);
        for (int n = 0; n < targets.Length; n++) logits[n, targets[n]] = tensor(50f);

        // When
        float loss = batch.Loss(logits).item<float>();

        // Then
        Assert.True(loss < 1e-3f, $"loss {loss}");
    }

    [Fact]
    public void Loss_OneAnswerPositionWrong_CostsItsShareOfTheMean()
    {
        // Given confident logits that are right at 4 of the 5 answer positions and uniform at the last
        using var scope = NewDisposeScope();
        using var batch = new TrainingBatch([Long, Short], CPU);
        var targets = batch.AnswerTargets.data<long>().ToArray();
        var logits = zeros([targets.Length, 30]);
        for (int n = 0; n < targets.Length - 1; n++) logits[n, targets[n]] = tensor(50f);

        // When
        float loss = batch.Loss(logits).item<float>();

        // Then the mean over answer positions is ln(30) / 5
        Assert.Equal(Math.Log(30) / 5, loss, precision: 4);
    }

    [Fact]
    public void FromPair_Pair_LaysOutBosPromptSepAnswerEos()
    {
        // Given a char tokenizer
        var tokenizer = CharTokenizer.Build(["ab", "xyz"]);

        // When
        var sample = TrainingSample.FromPair(new QaPair("ab", "xyz"), 2, tokenizer, 16, "d");

        // Then
        int[] expected = [ITextTokenizer.Bos, .. tokenizer.Encode("ab"), ITextTokenizer.Sep, .. tokenizer.Encode("xyz"), ITextTokenizer.Eos];
        Assert.Equal(expected, sample.Tokens);
        Assert.Equal(4, sample.AnswerStart);
        Assert.Equal(2, sample.Domain);
    }

    [Fact]
    public void FromPair_LongerThanContext_ThrowsNamingContext()
    {
        // Given a 3 + 3 + 3 = 9 token sample for a context of 8
        var tokenizer = CharTokenizer.Build(["abc", "xyz"]);

        // Then
        var error = Assert.Throws<HarnessInputException>(() =>
            TrainingSample.FromPair(new QaPair("abc", "xyz"), 0, tokenizer, 8, "letters"));
        Assert.Contains("letters: pair 'abc'", error.Message);
        Assert.Contains("model.context 8", error.Message);
    }
}
