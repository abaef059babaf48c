using Harness.Config;
using Harness.Data;
using Harness.Models;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>Decoding with the key/value cache gives the answers that recomputing the whole prefix gives.</summary>
[Collection(TorchCollection.Name)]
public sealed class GreedyDecodingTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(150)]
    public void WithCache_PromptsOfDifferentLengths_GivesTheAnswersOfRecomputing(int trainingSteps)
    {
        // Given the tiny GPT untrained (answers run to the length limit), half trained, or trained (answers stop at EOS),
        // and prompts of 2 and 3 characters in one batch, so the cache path left-pads some rows
        using var tiny = new TinyTraining(seed: 3);
        if (trainingSteps > 0) tiny.Train(trainingSteps);
        var chunk = tiny.Samples.ToArray();
        // When both ways decode the batch
        var cached = GreedyDecoding.WithCache(tiny.Model, chunk, CPU);
        var recomputed = GreedyDecoding.Recomputing(tiny.Model, chunk, CPU);
        // Then every row's answer is the same, and the untrained model really ran to the limit
        Assert.Equal(recomputed, cached);
        if (trainingSteps == 0) Assert.Contains(cached, answer => answer.Length == 4); // longest answer "xyy" + EOS
    }

    [Fact]
    public void WithCache_AnswerThatFillsTheContext_StopsThereLikeRecomputing()
    {
        // Given an untrained model of context 8 and a prompt of 5 tokens whose reference answer is long
        using var tiny = new TinyTraining(seed: 5);
        manual_seed(1);
        using var model = new GptModel(new ModelConfig { DModel = 32, Layers = 2, Heads = 2, Context = 8 }, tiny.Tokenizer.VocabSize);
        model.eval();
        var sample = TrainingSample.FromPair(new QaPair("ab", "x"), 0, tiny.Tokenizer, 8, "tiny") with { };
        var probe = new TrainingSample([.. sample.Tokens[..sample.AnswerStart], .. Enumerable.Repeat(3, 6)], sample.AnswerStart, 0);
        // When both decode
        using var noGrad = no_grad();
        var cached = GreedyDecoding.WithCache(model, [probe], CPU);
        var recomputed = GreedyDecoding.Recomputing(model, [probe], CPU);
        // Then both stop at the context (8 − 4 prompt tokens = at most 4 new) with the same tokens
        Assert.Equal(recomputed, cached);
        Assert.True(cached[0].Length <= 8 - probe.AnswerStart);
    }
}
