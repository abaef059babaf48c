using Harness.Config;
using Harness.Tests.Cli;

namespace Harness.Tests.Config;

/// <summary>
/// Strict config loading as the user meets it: `validate CONFIG` exits 2 with one line
/// `error: FILE:LINE:COL: KEY.PATH: message`, no stack trace.
/// </summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes <paramref name="yaml"/> as bad.yaml and validates it through the CLI.</summary>
    private (CliResult Result, string Path) Validate(string yaml)
    {
        var path = _dir.Write("bad.yaml", yaml);
        return (CliResult.Run("validate", path), path);
    }

    /// <summary>Exit 2 and exactly one stderr line, starting with <paramref name="expectedStart"/> after "error: ".</summary>
    private static string AssertInputError(CliResult result, string expectedStart) => result.InputErrorLine(expectedStart);

    [Fact]
    public void Validate_UnknownTopLevelKey_ExitsTwoAtKeyPosition()
    {
        // Given a config with a misspelled top-level section on line 4
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            colour: blue
            """);

        // Then the error points at the key and lists the valid keys
        var line = AssertInputError(result, $"{path}:4:1: colour: unknown key");
        Assert.Contains("curriculum", line);
    }

    [Fact]
    public void Validate_OptionOnNaive_SaysItTakesNoOptions()
    {
        // Given naive with an option it does not have, on line 5
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            strategies:
              - {type: naive, buffer_size: 3}
            """);

        // Then
        var line = AssertInputError(result, $"{path}:5:19: strategies[0].buffer_size: unknown key");
        Assert.Contains("takes no options", line);
    }

    [Fact]
    public void Validate_SecondYamlDocument_ExitsTwoAtItsStart()
    {
        // Given a second document after ---
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            ---
            name: other
            """);

        // Then
        AssertInputError(result, $"{path}:4:1: a second YAML document");
    }

    [Fact]
    public void Validate_EmptyPretrainingCorpus_ExitsTwoNamingCorpus()
    {
        // Given a text: corpus with only blank lines
        _dir.Write("empty.txt", "\n  \n");
        var (result, path) = Validate("""
            name: tiny
            pretrain: {corpus: "text:empty.txt"}
            curriculum:
              - {id: math, source: math}
            """);

        // Then it is refused when the config loads, not after a run folder exists
        AssertInputError(result, $"{path}:2:12: pretrain.corpus: the pretraining corpus has no text");
    }

    [Fact]
    public void Validate_UnknownNestedKey_ExitsTwoWithDottedPath()
    {
        // Given model.d_modle (a typo of d_model) on line 3, indented by two
        var (result, path) = Validate("""
            name: tiny
            model:
              d_modle: 32
            curriculum:
              - {id: math, source: math}
            """);

        // Then the message names model.d_modle at 3:3 and suggests d_model
        var line = AssertInputError(result, $"{path}:3:3: model.d_modle: unknown key");
        Assert.Contains("d_model", line.Split("expected one of:")[1]);
    }

    [Fact]
    public void Validate_WrongType_ExitsTwoAtValuePosition()
    {
        // Given training.batch_size: abc (the value starts at column 15 of line 5)
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            training:
              batch_size: abc
            """);

        // Then
        AssertInputError(result, $"{path}:5:15: training.batch_size: expected an integer, got 'abc'");
    }

    [Fact]
    public void Validate_DuplicateKey_ExitsTwoAtSecondOccurrence()
    {
        // Given seed twice, on lines 2 and 3
        var (result, path) = Validate("""
            name: tiny
            seed: 1
            seed: 2
            curriculum:
              - {id: math, source: math}
            """);

        // Then the second one is reported, with where the first was
        var line = AssertInputError(result, $"{path}:3:1: ");
        Assert.Contains("seed: duplicate key", line);
        Assert.Contains("first at line 2", line);
    }

    [Theory]
    [InlineData("name: tiny\ntraining:\n  lr: 0.1\n  lr: 0.2\ncurriculum:\n  - {id: math, source: math}\n", 4, 3, "training.lr")]
    [InlineData("name: tiny\nseed: &s 1\nthreads: *s\ncurriculum:\n  - {id: math, source: math}\n", 3, 10, "threads")]
    public void Validate_DuplicateKeyOrAlias_MessageNamesKeyPath(string yaml, int line, int column, string keyPath)
    {
        // Given a duplicate nested key or an alias
        var (result, path) = Validate(yaml);

        // Then the message has the key path like every other config error
        AssertInputError(result, $"{path}:{line}:{column}: {keyPath}: ");
    }

    [Fact]
    public void Validate_MissingName_ExitsTwoAtDocumentStart()
    {
        // Given no name
        var (result, path) = Validate("""
            seed: 1
            curriculum:
              - {id: math, source: math}
            """);

        // Then
        AssertInputError(result, $"{path}:1:1: name: required key is missing");
    }

    [Fact]
    public void Validate_MissingCurriculum_ExitsTwoNamingCurriculum()
    {
        // Given no curriculum
        var (result, path) = Validate("""
            name: tiny
            seed: 1
            """);

        // Then
        AssertInputError(result, $"{path}:1:1: curriculum: required key is missing");
    }

    [Fact]
    public void Validate_DomainWithoutId_ExitsTwoAtThatDomain()
    {
        // Given a second domain (line 5, column 5) without id
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - id: math
                source: math
              - source: poetry
                train_size: 10
            """);

        // Then
        AssertInputError(result, $"{path}:5:5: curriculum[1].id: required key is missing");
    }

    [Fact]
    public void Validate_MissingDataFile_ExitsTwoAtSourceKey()
    {
        // Given a jsonl source that does not exist next to the config
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - id: extra
                source: jsonl:missing.jsonl
            """);

        // Then the error points at the source key and names the resolved path
        var line = AssertInputError(result, $"{path}:4:5: curriculum[0].source: ");
        Assert.Contains($"{_dir.File("missing.jsonl")} not found", line);
    }

    [Fact]
    public void Validate_UnknownStrategyType_ExitsTwoListingTypes()
    {
        // Given strategy type gem (not implemented), its value at 5:11
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            strategies:
              - type: gem
            """);

        // Then
        var line = AssertInputError(result, $"{path}:5:11: strategies[0].type: unknown type 'gem'");
        Assert.Contains("adapters, distillation, ewc, isolation, joint, l2, naive, rehearsal, replay, si", line);
    }

    [Fact]
    public void Validate_ReplayRatioOutOfRange_ExitsTwoWithRange()
    {
        // Given replay_ratio: 2 (allowed: [0, 0.95]), its value at 6:19
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
            strategies:
              - type: replay
                replay_ratio: 2
            """);

        // Then
        AssertInputError(result, $"{path}:6:19: strategies[0].replay_ratio: 2 is out of range [0, 0.95]");
    }

    [Fact]
    public void Validate_YamlSyntaxError_ExitsTwoWithPosition()
    {
        // Given a key indented by one space under a mapping indented by two (line 4, column 2)
        var (result, path) = Validate("""
            name: tiny
            model:
              d_model: 32
             heads: 2
            curriculum:
              - {id: math, source: math}
            """);

        // Then
        AssertInputError(result, $"{path}:4:2: YAML syntax error near key 'heads': ");
    }

    [Fact]
    public void Validate_UnclosedFlowMappingBeforeNextKey_ExitsTwoWithOneLine()
    {
        // Given a domain whose closing brace is missing, followed by another key
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math
            seed: 1
            """);

        // Then it is reported like any other syntax error
        AssertInputError(result, $"{path}:");
        Assert.Contains("YAML syntax error", result.Stderr);
    }

    [Fact]
    public void Validate_Alias_ExitsTwoAtAlias()
    {
        // Given an anchor on line 2 and its alias *a on line 3, column 10
        var (result, path) = Validate("""
            name: tiny
            seed: &a 1
            threads: *a
            curriculum:
              - {id: math, source: math}
            """);

        // Then aliases are refused where they are used
        Assert.True(result.ExitCode == 2, result.ToString());
        var line = Assert.Single(result.StderrLines);
        Assert.StartsWith($"error: {path}:3:10: ", line);
        Assert.Contains("aliases (*a) are not supported", line);
    }

    [Fact]
    public void Validate_HeadsNotDividingDModel_ExitsTwoAtHeads()
    {
        // Given d_model 30 with 4 heads
        var (result, path) = Validate("""
            name: tiny
            model:
              d_model: 30
              heads: 4
            curriculum:
              - {id: math, source: math}
            """);

        // Then
        AssertInputError(result, $"{path}:4:3: model.heads: 4 heads do not divide d_model 30");
    }

    [Fact]
    public void Validate_DuplicateDomainIds_ExitsTwoAtSecondId()
    {
        // Given two domains with id math (the second id at 4:6)
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
              - {id: math, source: poetry}
            """);

        // Then
        AssertInputError(result, $"{path}:4:6: curriculum[1].id: duplicate domain id 'math'");
    }

    [Fact]
    public void Validate_JointWithReplay_ExitsTwoAtJoint()
    {
        // Given joint listed after replay (the joint entry at 7:5)
        var (result, path) = Validate("""
            name: tiny
            curriculum:
              - {id: math, source: math}
              - {id: poetry, source: poetry}
            strategies:
              - type: replay
              - type: joint
            """);

        // Then
        var line = AssertInputError(result, $"{path}:7:5: strategies[1].type: ");
        Assert.Contains("cannot be combined", line);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public void Run_ConfigPathDoesNotExist_ExitsTwoNamingPath(string verb)
    {
        // Given a path with no file
        var path = _dir.File("nope.yaml");

        // When
        var result = CliResult.Run(verb, path);

        // Then
        AssertInputError(result, $"{path}: config file not found");
    }

    [Fact]
    public void Load_TinyConfig_BindsValuesAndDefaults()
    {
        // Given the tiny config
        var path = TinyConfig.WriteTo(_dir);

        // When
        var loaded = ConfigLoader.Load(path);

        // Then given values are bound, the rest keeps the records' defaults
        var config = loaded.Config;
        Assert.Equal("tiny", config.Name);
        Assert.Equal(32, config.Model.DModel);
        Assert.Equal(1, config.Model.Layers);
        Assert.Equal(["math", "words"], config.Curriculum.Select(d => d.Id));
        Assert.Equal("jsonl:words.jsonl", config.Curriculum[1].Source);
        Assert.Equal(5, config.Pretrain.Steps);
        var replay = Assert.IsType<ReplayStrategyConfig>(Assert.Single(config.Strategies));
        Assert.Equal(8, replay.BufferSize);
        Assert.Equal(0.25, replay.ReplayRatio);
        Assert.Equal(new TrainingConfig().AdamEps, config.Training.AdamEps);
        Assert.Equal(_dir.Path, loaded.BaseDirectory);
    }

    [Fact]
    public void Load_PretrainNoneShorthand_DisablesPretraining()
    {
        // Given pretrain: none
        var path = TinyConfig.WriteTo(_dir, yaml: TinyConfig.Yaml(pretrain: "none"));

        // When
        var config = ConfigLoader.Load(path).Config;

        // Then
        Assert.False(config.Pretrain.Enabled);
    }

    [Fact]
    public void ToYaml_LoadedConfig_ParsesAgainAndReemitsIdenticalYaml()
    {
        // Given a loaded config and its resolved YAML
        var path = TinyConfig.WriteTo(_dir);
        var resolved = ConfigWriter.ToYaml(ConfigLoader.Load(path).Config);

        // When the resolved YAML is parsed and written again
        var again = ConfigWriter.ToYaml(ConfigLoader.Parse(resolved, path).Config);

        // Then nothing changed
        Assert.Equal(resolved, again);
    }

    [Fact]
    public void ToYaml_LoadedConfig_FillsInDefaults()
    {
        // Given a config that never mentions adam_eps, decay_fraction or token_accuracy
        var path = TinyConfig.WriteTo(_dir);

        // When
        var resolved = ConfigWriter.ToYaml(ConfigLoader.Load(path).Config);

        // Then the resolved YAML spells them out
        Assert.Contains("adam_eps: 1E-05", resolved);
        Assert.Contains("decay_fraction: 0.3", resolved);
        Assert.Contains("token_accuracy: true", resolved);
        Assert.Contains("selection: \"reservoir\"", resolved);
    }
}
