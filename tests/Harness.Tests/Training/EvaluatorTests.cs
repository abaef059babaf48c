namespace Harness.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class EvaluatorTests
{
    [Fact]
    public void Score_ModelTrainedToMemorisePairs_ReachesExactMatchOne()
    {
        // Given a tiny GPT that has not seen the four pairs
        using var tiny = new TinyTraining();
        var before = tiny.Score();

        // When it trains on them for 150 steps
        tiny.Train(150);
        var after = tiny.Score();

        // Then greedy decoding (batched in chunks of 3, prompts of different lengths) reproduces every answer
        Assert.True(before.ExactMatch < 1.0, $"untrained model already scores {before.ExactMatch}");
        Assert.Equal(1.0, after.ExactMatch);
        Assert.Equal(1.0, after.TokenAccuracy);
        Assert.True(tiny.Loop.LossCurve[^1].Loss < tiny.Loop.LossCurve[0].Loss);
    }

    [Fact]
    public void Answer_MemorisedPrompt_ReturnsItsAnswerText()
    {
        // Given a model that memorised the pairs
        using var tiny = new TinyTraining();
        tiny.Train(150);

        // Then each prompt's greedy answer stops at EOS with the right text
        Assert.All(TinyTraining.Pairs, p => Assert.Equal(p.Answer, tiny.Evaluator.Answer(tiny.Model, p.Prompt, 6)));
    }

    [Fact]
    public void Score_NoPairs_IsNaN()
    {
        // Given an empty set (a domain without held-out pairs)
        using var tiny = new TinyTraining();

        // When
        var score = tiny.Evaluator.Score(tiny.Model, [], 0, "tiny");

        // Then nothing is claimed
        Assert.True(double.IsNaN(score.ExactMatch));
        Assert.True(double.IsNaN(score.TokenAccuracy));
    }
}
