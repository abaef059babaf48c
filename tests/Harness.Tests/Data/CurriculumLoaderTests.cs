using Harness.Config;
using Harness.Data;
using Harness.Tests.Cli;

namespace Harness.Tests.Data;

public sealed class CurriculumLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoadedConfig Config(int seed, string extraDomain = "") => ConfigLoader.Parse($$"""
        name: split
        seed: {{seed}}
        curriculum:
          - {id: math, source: math, train_size: 50, test_size: 10, heldout_size: 20}
        {{extraDomain}}
        """, _dir.File("split.yaml"));

    [Fact]
    public void Load_MathHeldout_SharesNoOperandPairWithTraining()
    {
        // Given math with a large held-out split, where 3+5 in training would give away 5+3 held out
        var loaded = ConfigLoader.Parse("""
            name: split
            curriculum:
              - {id: math, source: math, train_size: 2000, test_size: 10, heldout_size: 2000}
            """, _dir.File("operands.yaml"));

        // When
        var domain = CurriculumLoader.Load(loaded).Single();

        // Then no unordered operand pair is on both sides
        var trained = domain.Train.Select(MathFacts.OperandKey).ToHashSet();
        Assert.Equal(2000, domain.Heldout.Count);
        Assert.DoesNotContain(domain.Heldout, p => trained.Contains(MathFacts.OperandKey(p)));
    }

    [Fact]
    public void Load_OtherSeed_PoolIsTheSame()
    {
        // Given two seeds, whose splits differ
        var a = CurriculumLoader.Load(Config(seed: 3)).Single();
        var b = CurriculumLoader.Load(Config(seed: 4)).Single();

        // Then the pool the vocabulary is built from does not depend on the seed
        Assert.Equal(a.Pool, b.Pool);
        Assert.Equal(MathFacts.All().Count, a.Pool.Count);
    }

    [Fact]
    public void Load_SameSeed_GivesSameSplit()
    {
        // Given the same config loaded twice
        var a = CurriculumLoader.Load(Config(seed: 3)).Single();
        var b = CurriculumLoader.Load(Config(seed: 3)).Single();

        // Then every split is identical, element by element
        Assert.Equal(a.Train, b.Train);
        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Heldout, b.Heldout);
    }

    [Fact]
    public void Load_OtherSeed_GivesOtherSplit()
    {
        // Given seeds 3 and 4
        var a = CurriculumLoader.Load(Config(seed: 3)).Single();
        var b = CurriculumLoader.Load(Config(seed: 4)).Single();

        // Then the training sets differ (sets, not just order)
        Assert.NotEqual(a.Train.Select(p => p.Prompt).Order(), b.Train.Select(p => p.Prompt).Order());
    }

    [Fact]
    public void Load_Split_HasConfiguredSizesRecallInsideTrainHeldoutOutside()
    {
        // Given train 50, test 10, heldout 20
        var domain = CurriculumLoader.Load(Config(seed: 0)).Single();

        // Then sizes match, the recall test set is drawn from train, the held-out set never overlaps it
        Assert.Equal(50, domain.Train.Count);
        Assert.Equal(10, domain.Test.Count);
        Assert.Equal(20, domain.Heldout.Count);
        var train = domain.Train.Select(p => p.Prompt).ToHashSet();
        Assert.Equal(50, train.Count);
        Assert.All(domain.Test, p => Assert.Contains(p.Prompt, train));
        Assert.Equal(10, domain.Test.Select(p => p.Prompt).Distinct().Count());
        Assert.All(domain.Heldout, p => Assert.DoesNotContain(p.Prompt, train));
    }

    [Fact]
    public void Load_SecondDomain_DoesNotChangeFirstDomainsSplit()
    {
        // Given the same math domain alone and followed by poetry
        var alone = CurriculumLoader.Load(Config(seed: 5)).Single();
        var withPoetry = CurriculumLoader.Load(Config(seed: 5, "  - {id: poetry, source: poetry, train_size: 20, test_size: 5}"));

        // Then math's split depends only on the seed and its own id
        Assert.Equal(2, withPoetry.Count);
        Assert.Equal(alone.Train, withPoetry[0].Train);
        Assert.Equal(20, withPoetry[1].Train.Count);
    }

    [Fact]
    public void Validate_TrainSizeLargerThanData_ExitsTwoNamingTrainSize()
    {
        // Given a jsonl domain of 3 pairs asked for 5 training pairs (train_size value on line 5)
        _dir.Write("small.jsonl", "{\"prompt\": \"a\", \"answer\": \"1\"}\n{\"prompt\": \"b\", \"answer\": \"2\"}\n{\"prompt\": \"c\", \"answer\": \"3\"}\n");
        var path = _dir.Write("big.yaml", """
            name: big
            curriculum:
              - id: small
                source: jsonl:small.jsonl
                train_size: 5
                test_size: 2
            """);

        // When
        var result = CliResult.Run("validate", path);

        // Then
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"error: {path}:5:5: curriculum[0].train_size: ", line);
        Assert.Contains("3 distinct pairs", line);
    }
}
