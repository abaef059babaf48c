using System.Text;
using Harness.Config;

namespace Harness.Tests.Cli;

/// <summary>
/// Malformed inputs (issue 6 item 6), each a small edit of one valid 12-line config that trains math and words into
/// --out. Every case must exit 2 before anything is written; line numbers were counted by hand on <see cref="Base"/>.
/// </summary>
internal static class BadInputCorpus
{
    /// <summary>A valid config: math (built in) and words (words.jsonl), char tokenizer, no pretraining, replay.</summary>
    private static readonly string[] Base =
    [
        /*  1 */ "name: bad",
        /*  2 */ "seed: 0",
        /*  3 */ "device: cpu",
        /*  4 */ "model: {d_model: 32, layers: 1, heads: 2, context: 64}",
        /*  5 */ "tokenizer: {type: char}",
        /*  6 */ "pretrain: none",
        /*  7 */ "curriculum:",
        /*  8 */ "  - {id: math, source: math, train_size: 24, test_size: 8}",
        /*  9 */ "  - {id: words, source: \"jsonl:words.jsonl\", train_size: 24, test_size: 8}",
        /* 10 */ "training: {batch_size: 8, epochs: 1}",
        /* 11 */ "strategies:",
        /* 12 */ "  - {type: replay, buffer_size: 8}",
    ];

    private const string Config = "bad.yaml";
    private const string Words = "words.jsonl";
    private const string WordsSource = "curriculum[1].source";

    /// <summary>The base config with line <c>n</c> (1-based) replaced by each edit's text (which may span lines).</summary>
    private static byte[] Yaml(params (int Line, string Text)[] edits)
    {
        var lines = Base.ToArray();
        foreach (var (line, text) in edits) lines[line - 1] = text;
        return Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
    }

    /// <summary>The base config with <paramref name="text"/> appended after line 12.</summary>
    private static byte[] YamlPlus(string text) => Encoding.UTF8.GetBytes(string.Join("\n", Base) + "\n" + text + "\n");

    private static Dictionary<string, byte[]> WordsFile(string jsonl) => new() { [Words] = Encoding.UTF8.GetBytes(jsonl) };

    private static Dictionary<string, byte[]> WordsFile(byte[] bytes) => new() { [Words] = bytes };

    /// <summary>Three good lines, then <paramref name="line"/> as line 4, then the rest of the words.</summary>
    private static Dictionary<string, byte[]> WordsWithLine4(string line)
    {
        var good = TinyConfig.WordsJsonl().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return WordsFile(string.Join("\n", good.Take(3).Append(line).Concat(good.Skip(3))) + "\n");
    }

    private static BadInputCase Case(string name, BadInputCategory category, string file, int? line, string key, byte[] config) =>
        new(name, category, file, line, key) { Config = config };

    /// <summary>Every case, names unique.</summary>
    public static IReadOnlyList<BadInputCase> All { get; } = Build();

    /// <summary>The case named <paramref name="name"/>.</summary>
    public static BadInputCase Get(string name) => All.Single(c => c.Name == name);

    private static List<BadInputCase> Build()
    {
        var cases = new List<BadInputCase>();
        void Add(BadInputCase c) => cases.Add(c);
        var bomb = string.Join("\n",
            "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
            "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
            "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]",
            "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]",
            "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]");

        // YAML syntax
        Add(Case("unclosed flow mapping", BadInputCategory.YamlSyntax, Config, 4, "'model'",
            Yaml((4, "model: {d_model: 32, layers: 1, heads: 2, context: 64"))));
        Add(Case("unclosed quote", BadInputCategory.YamlSyntax, Config, 9, "'id'",
            Yaml((9, "  - {id: words, source: \"jsonl:words.jsonl, train_size: 24, test_size: 8}"))));
        Add(Case("stray closing bracket", BadInputCategory.YamlSyntax, Config, 10, "'training'",
            Yaml((10, "training: {batch_size: 8, epochs: 1}]"))));
        Add(Case("key without colon", BadInputCategory.YamlSyntax, Config, 3, "'seed'",
            Yaml((3, "device cpu"))));
        Add(Case("over-indented key", BadInputCategory.YamlSyntax, Config, 3, "'device'",
            Yaml((3, "   device: cpu"))) with { Validate = true });
        Add(Case("second document", BadInputCategory.YamlSyntax, Config, 13, "(---)",
            YamlPlus("---\nname: other")));

        // Tabs
        Add(Case("tab-indented list item", BadInputCategory.Tab, Config, 8, "'id'",
            Yaml((8, "\t- {id: math, source: math, train_size: 24, test_size: 8}"))));
        Add(Case("tab-indented mapping key", BadInputCategory.Tab, Config, 5, "'d_model'",
            Yaml((4, "model:\n\td_model: 32"))));
        Add(Case("tab before a second key of a block", BadInputCategory.Tab, Config, 12, "'epochs'",
            Yaml((10, "training:\n  batch_size: 8\n\tepochs: 1"))) with { Validate = true });

        // Unknown keys
        Add(Case("unknown top-level key", BadInputCategory.UnknownKey, Config, 13, "colour",
            YamlPlus("colour: blue")));
        Add(Case("unknown model key", BadInputCategory.UnknownKey, Config, 4, "model.layer",
            Yaml((4, "model: {d_model: 32, layer: 1, heads: 2, context: 64}"))));
        Add(Case("unknown strategy option", BadInputCategory.UnknownKey, Config, 12, "strategies[0].buffer",
            Yaml((12, "  - {type: replay, buffer: 8}"))));
        Add(Case("unknown domain key", BadInputCategory.UnknownKey, Config, 9, "curriculum[1].path",
            Yaml((9, "  - {id: words, path: words.jsonl, source: \"jsonl:words.jsonl\", train_size: 24}"))) with { Validate = true });

        // Wrong types
        Add(Case("word for an integer", BadInputCategory.WrongType, Config, 2, "seed", Yaml((2, "seed: zero"))));
        Add(Case("list for an integer", BadInputCategory.WrongType, Config, 10, "training.batch_size",
            Yaml((10, "training: {batch_size: [8], epochs: 1}"))));
        Add(Case("scalar for a section", BadInputCategory.WrongType, Config, 4, "model", Yaml((4, "model: 64"))));
        Add(Case("mapping for the curriculum list", BadInputCategory.WrongType, Config, 7, "curriculum",
            Yaml((7, "curriculum: {id: math, source: math}"), (8, "# (was math)"), (9, "# (was words)"))));
        Add(Case("quoted number", BadInputCategory.WrongType, Config, 10, "training.epochs",
            Yaml((10, "training: {batch_size: 8, epochs: \"1\"}"))));
        Add(Case("yes for a boolean", BadInputCategory.WrongType, Config, 10, "training.reset_optimizer",
            Yaml((10, "training: {batch_size: 8, epochs: 1, reset_optimizer: yes}"))) with { Validate = true });

        // Negative or zero sizes
        Add(Case("zero train_size", BadInputCategory.NonPositiveSize, Config, 8, "curriculum[0].train_size",
            Yaml((8, "  - {id: math, source: math, train_size: 0, test_size: 8}"))));
        Add(Case("negative batch_size", BadInputCategory.NonPositiveSize, Config, 10, "training.batch_size",
            Yaml((10, "training: {batch_size: -4, epochs: 1}"))));
        Add(Case("zero buffer_size", BadInputCategory.NonPositiveSize, Config, 12, "strategies[0].buffer_size",
            Yaml((12, "  - {type: replay, buffer_size: 0}"))));
        Add(Case("negative context", BadInputCategory.NonPositiveSize, Config, 4, "model.context",
            Yaml((4, "model: {d_model: 32, layers: 1, heads: 2, context: -1}"))));
        Add(Case("zero epochs", BadInputCategory.NonPositiveSize, Config, 10, "training.epochs",
            Yaml((10, "training: {batch_size: 8, epochs: 0}"))));
        Add(Case("zero test_size", BadInputCategory.NonPositiveSize, Config, 9, "curriculum[1].test_size",
            Yaml((9, "  - {id: words, source: \"jsonl:words.jsonl\", train_size: 24, test_size: 0}"))) with { Validate = true });

        // A buffer (or a split) larger than the data
        Add(Case("replay buffer larger than all training pairs", BadInputCategory.BufferLargerThanData, Config, 12, "strategies[0].buffer_size",
            Yaml((12, "  - {type: replay, buffer_size: 49}"))));
        Add(Case("rehearsal per_domain larger than a domain", BadInputCategory.BufferLargerThanData, Config, 12, "strategies[0].per_domain",
            Yaml((12, "  - {type: rehearsal, per_domain: 25}"))));
        Add(Case("train_size larger than the data file", BadInputCategory.BufferLargerThanData, Config, 9, "curriculum[1].train_size",
            Yaml((9, "  - {id: words, source: \"jsonl:words.jsonl\", train_size: 31, test_size: 8}"))));
        Add(Case("test_size larger than train_size", BadInputCategory.BufferLargerThanData, Config, 8, "curriculum[0].test_size",
            Yaml((8, "  - {id: math, source: math, train_size: 24, test_size: 25}"))));

        // Empty curriculum
        Add(Case("empty curriculum list", BadInputCategory.EmptyCurriculum, Config, 7, "curriculum",
            Yaml((7, "curriculum: []"), (8, "# (was math)"), (9, "# (was words)"))));
        Add(Case("curriculum with no value", BadInputCategory.EmptyCurriculum, Config, 7, "curriculum",
            Yaml((8, "# (was math)"), (9, "# (was words)"))));
        Add(Case("no curriculum key", BadInputCategory.EmptyCurriculum, Config, 1, "curriculum",
            Yaml((7, "# (no curriculum)"), (8, "# (was math)"), (9, "# (was words)"))) with { Validate = true });

        // Duplicate domain ids
        Add(Case("same id twice", BadInputCategory.DuplicateDomainId, Config, 9, "curriculum[1].id",
            Yaml((9, "  - {id: math, source: \"jsonl:words.jsonl\", train_size: 24, test_size: 8}"))));
        Add(Case("same id on a third domain", BadInputCategory.DuplicateDomainId, Config, 10, "curriculum[2].id",
            Yaml((9, "  - {id: words, source: \"jsonl:words.jsonl\", train_size: 24, test_size: 8}\n  - {id: words, source: poetry, train_size: 24, test_size: 8}"))));

        // Unknown strategy or selection policy
        Add(Case("misspelled strategy", BadInputCategory.UnknownStrategy, Config, 12, "strategies[0].type",
            Yaml((12, "  - {type: replayy, buffer_size: 8}"))));
        Add(Case("strategy without a type", BadInputCategory.UnknownStrategy, Config, 12, "strategies[0].type",
            Yaml((12, "  - {buffer_size: 8}"))));
        Add(Case("strategy as a bare name", BadInputCategory.UnknownStrategy, Config, 12, "strategies[0]",
            Yaml((12, "  - gem"))) with { Validate = true });
        Add(Case("unknown selection policy", BadInputCategory.UnknownSelectionPolicy, Config, 12, "strategies[0].selection",
            Yaml((12, "  - {type: replay, buffer_size: 8, selection: random}"))));
        Add(Case("selection policy in capitals", BadInputCategory.UnknownSelectionPolicy, Config, 12, "strategies[0].selection",
            Yaml((12, "  - {type: replay, buffer_size: 8, selection: Reservoir}"))) with { Validate = true });

        // Invalid combinations
        Add(Case("joint with replay", BadInputCategory.InvalidCombination, Config, 13, "strategies[1].type",
            Yaml((12, "  - {type: replay, buffer_size: 8}\n  - type: joint"))));
        Add(Case("naive with replay", BadInputCategory.InvalidCombination, Config, 12, "strategies[0].type",
            Yaml((12, "  - type: naive\n  - {type: replay, buffer_size: 8}"))));
        Add(Case("replay twice", BadInputCategory.InvalidCombination, Config, 13, "strategies[1].type",
            Yaml((12, "  - {type: replay, buffer_size: 8}\n  - {type: replay, buffer_size: 4}"))));
        Add(Case("replay ratio and batch size", BadInputCategory.InvalidCombination, Config, 12, "strategies[0].replay_batch_size",
            Yaml((12, "  - {type: replay, buffer_size: 8, replay_ratio: 0.5, replay_batch_size: 2}"))));
        Add(Case("momentum with adamw", BadInputCategory.InvalidCombination, Config, 10, "training.momentum",
            Yaml((10, "training: {batch_size: 8, epochs: 1, momentum: 0.9}"))));
        Add(Case("heads not dividing d_model", BadInputCategory.InvalidCombination, Config, 4, "model.heads",
            Yaml((4, "model: {d_model: 32, layers: 1, heads: 3, context: 64}"))));
        Add(Case("mlp model for a text curriculum", BadInputCategory.InvalidCombination, Config, 4, "model.type",
            Yaml((4, "model: {type: mlp, d_model: 32, layers: 1, heads: 2, context: 64}"))) with { Validate = true });

        // Missing data files
        Add(Case("missing jsonl file", BadInputCategory.MissingDataFile, Config, 9, WordsSource,
            Yaml((9, "  - {id: words, source: \"jsonl:nothere.jsonl\", train_size: 24, test_size: 8}"))));
        Add(Case("missing pretraining corpus", BadInputCategory.MissingDataFile, Config, 6, "pretrain.corpus",
            Yaml((6, "pretrain: {corpus: \"text:nothere.txt\", steps: 1}"))));
        Add(Case("jsonl path with no name", BadInputCategory.MissingDataFile, Config, 9, WordsSource,
            Yaml((9, "  - {id: words, source: \"jsonl:\", train_size: 24, test_size: 8}"))) with { Validate = true });

        // Empty data files
        Add(Case("empty jsonl file", BadInputCategory.EmptyDataFile, Config, 9, WordsSource, Yaml()) with { Files = WordsFile("") });
        Add(Case("jsonl file of blank lines", BadInputCategory.EmptyDataFile, Config, 9, WordsSource, Yaml()) with { Files = WordsFile("\n  \n\t\n") });
        Add(Case("empty pretraining corpus", BadInputCategory.EmptyDataFile, Config, 6, "pretrain.corpus",
            Yaml((6, "pretrain: {corpus: \"text:corpus.txt\", steps: 1}"))) with
        {
            Files = new Dictionary<string, byte[]> { [Words] = Encoding.UTF8.GetBytes(TinyConfig.WordsJsonl()), ["corpus.txt"] = [] },
        });

        // Unreadable data files (we run as root, so permissions do not stop reads; /proc/self/mem fails on read)
        Add(Case("unreadable jsonl file", BadInputCategory.UnreadableDataFile, Config, 9, WordsSource,
            Yaml((9, "  - {id: words, source: \"jsonl:/proc/self/mem\", train_size: 24, test_size: 8}"))));
        Add(Case("unreadable pretraining corpus", BadInputCategory.UnreadableDataFile, Config, 6, "pretrain.corpus",
            Yaml((6, "pretrain: {corpus: \"text:/proc/self/mem\", steps: 1}"))));

        // Not UTF-8
        Add(Case("latin-1 byte in a jsonl line", BadInputCategory.NonUtf8File, Words, 4, WordsSource, Yaml()) with
        {
            Files = WordsWithLine4Bytes([.. "{\"prompt\": \"caf"u8, 0xE9, .. "\", \"answer\": \"x\"}"u8]),
        });
        Add(Case("utf-16 jsonl file", BadInputCategory.NonUtf8File, Words, 1, WordsSource, Yaml()) with
        {
            Files = WordsFile(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(TinyConfig.WordsJsonl())).ToArray()),
        });
        Add(Case("latin-1 byte in the config", BadInputCategory.NonUtf8File, Config, 1, "name",
            [.. "name: caf"u8, 0xE9, (byte)'\n', .. Yaml()[10..]]));
        Add(Case("truncated utf-8 sequence in the config", BadInputCategory.NonUtf8File, Config, 13, "colour",
            [.. Yaml(), .. "colour: \""u8, 0xE6, 0x9C, .. "\"\n"u8]) with { Validate = true });

        // A data path that is a directory
        Add(Case("jsonl source is a folder", BadInputCategory.DataPathIsDirectory, Config, 9, WordsSource,
            Yaml((9, "  - {id: words, source: \"jsonl:sub\", train_size: 24, test_size: 8}"))) with { Folders = ["sub"] });
        Add(Case("jsonl source is the config's folder", BadInputCategory.DataPathIsDirectory, Config, 9, WordsSource,
            Yaml((9, "  - {id: words, source: \"jsonl:.\", train_size: 24, test_size: 8}"))));
        Add(Case("pretraining corpus is a folder", BadInputCategory.DataPathIsDirectory, Config, 6, "pretrain.corpus",
            Yaml((6, "pretrain: {corpus: \"text:sub\", steps: 1}"))) with { Folders = ["sub"] });

        // Malformed JSONL lines
        Add(Case("jsonl value missing", BadInputCategory.MalformedJsonl, Words, 4, WordsSource, Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": }") });
        Add(Case("jsonl line is a list", BadInputCategory.MalformedJsonl, Words, 4, WordsSource, Yaml()) with
        { Files = WordsWithLine4("[\"a\", \"b\"]") });
        Add(Case("jsonl unknown field", BadInputCategory.MalformedJsonl, Words, 4, "extra", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": \"b\", \"extra\": 1}") });
        Add(Case("jsonl answer missing", BadInputCategory.MalformedJsonl, Words, 4, "answer", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\"}") });
        Add(Case("jsonl answer a number", BadInputCategory.MalformedJsonl, Words, 4, "answer", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": 7}") });
        Add(Case("jsonl trailing text", BadInputCategory.MalformedJsonl, Words, 4, WordsSource, Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": \"b\"} and more") });
        Add(Case("jsonl duplicate field", BadInputCategory.MalformedJsonl, Words, 4, "prompt", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"prompt\": \"c\", \"answer\": \"b\"}"), Validate = true });

        // Empty prompts or answers
        Add(Case("empty answer", BadInputCategory.EmptyPromptOrAnswer, Words, 4, "answer", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": \"\"}") });
        Add(Case("blank prompt", BadInputCategory.EmptyPromptOrAnswer, Words, 4, "prompt", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"   \", \"answer\": \"b\"}") });
        Add(Case("null answer", BadInputCategory.EmptyPromptOrAnswer, Words, 4, "answer", Yaml()) with
        { Files = WordsWithLine4("{\"prompt\": \"a\", \"answer\": null}"), Validate = true });

        // Answers (or prompts) longer than the context (64 characters with the char tokenizer)
        Add(Case("answer longer than the context", BadInputCategory.AnswerLongerThanContext, Words, 4, "answer", Yaml()) with
        { Files = WordsWithLine4($"{{\"prompt\": \"a\", \"answer\": \"{new string('b', 61)}\"}}") });
        Add(Case("prompt longer than the context", BadInputCategory.AnswerLongerThanContext, Words, 4, "prompt", Yaml()) with
        { Files = WordsWithLine4($"{{\"prompt\": \"{new string('a', 70)}\", \"answer\": \"b\"}}") });
        Add(Case("built-in facts longer than a small context", BadInputCategory.AnswerLongerThanContext, Config, 8, "curriculum[0].source",
            Yaml((4, "model: {d_model: 32, layers: 1, heads: 2, context: 8}"))) with { Validate = true });

        // YAML aliases: refused wherever they appear, before anything expands
        Add(Case("billion laughs", BadInputCategory.AliasBomb, Config, 14, "b[0]", YamlPlus(bomb)));
        Add(Case("alias of a strategy", BadInputCategory.AliasBomb, Config, 13, "strategies[1]",
            Yaml((12, "  - &r {type: replay, buffer_size: 8}\n  - *r"))));
        Add(Case("merge key", BadInputCategory.AliasBomb, Config, 12, "training.<<",
            Yaml((10, "base: &base {batch_size: 8}\ntraining:\n  <<: *base\n  epochs: 1"))) with { Validate = true });

        // Huge numbers
        Add(Case("integer beyond 64 bits", BadInputCategory.HugeNumber, Config, 10, "training.epochs",
            Yaml((10, "training: {batch_size: 8, epochs: 99999999999999999999}"))));
        Add(Case("float beyond double", BadInputCategory.HugeNumber, Config, 10, "training.lr",
            Yaml((10, "training: {batch_size: 8, epochs: 1, lr: 1e400}"))));
        Add(Case("integer beyond 32 bits", BadInputCategory.HugeNumber, Config, 12, "strategies[0].buffer_size",
            Yaml((12, "  - {type: replay, buffer_size: 2147483648}"))));
        Add(Case("exponent for an integer", BadInputCategory.HugeNumber, Config, 2, "seed", Yaml((2, "seed: 1e10"))));
        Add(Case("hundred-thousand-digit number", BadInputCategory.HugeNumber, Config, 10, "training.lr",
            Yaml((10, $"training: {{batch_size: 8, epochs: 1, lr: 1{new string('0', 100_000)}}}"))));
        Add(Case("size just above its range", BadInputCategory.HugeNumber, Config, 8, "curriculum[0].train_size",
            Yaml((8, "  - {id: math, source: math, train_size: 10000001, test_size: 8}"))) with { Validate = true });

        // Unwritable output folders (we run as root: chmod stops nothing, so the folder's parent is a file)
        Add(Case("out below a regular file", BadInputCategory.UnwritableOutput, "words.jsonl/out", null, "--out", Yaml()) with
        { Out = "words.jsonl/out" });
        Add(Case("out deep below a regular file", BadInputCategory.UnwritableOutput, "words.jsonl/a/b/c", null, "--out", Yaml()) with
        { Out = "words.jsonl/a/b/c" });
        Add(Case("out is a regular file", BadInputCategory.UnwritableOutput, Words, null, "--out", Yaml()) with { Out = Words });
        Add(Case("cache below a regular file", BadInputCategory.UnwritableOutput, "words.jsonl/cache", null, "--cache-dir", Yaml()) with
        { CacheDir = "words.jsonl/cache" });

        // --resume of something that is not this config's unfinished run
        Add(Case("resume of a folder that is not a run", BadInputCategory.BadResume, "plain", null, "--resume", Yaml()) with
        { Folders = ["plain"], Resume = "plain" });
        Add(Case("resume of a missing folder", BadInputCategory.BadResume, "missing", null, "--resume", Yaml()) with { Resume = "missing" });
        Add(Case("resume of a file", BadInputCategory.BadResume, Words, null, "--resume", Yaml()) with { Resume = Words });
        // A run of the same config but another seed (as `--seed 1` would have made it): the first differing key is named.
        var ofSeed1 = ConfigWriter.ToYaml(ConfigLoader.Parse(string.Join("\n", Base), Config, requireData: false).Config with { Seed = 1 });
        int seedLine = ofSeed1.Split('\n').ToList().FindIndex(l => l.StartsWith("seed:", StringComparison.Ordinal)) + 1;
        Add(Case("resume of a run of another seed", BadInputCategory.BadResume, "run/config.resolved.yaml", seedLine, "seed", Yaml()) with
        {
            Folders = ["run"],
            Files = new Dictionary<string, byte[]>
            {
                [Words] = Encoding.UTF8.GetBytes(TinyConfig.WordsJsonl()),
                ["run/config.resolved.yaml"] = Encoding.UTF8.GetBytes(ofSeed1),
                ["run/metrics.json"] = Encoding.UTF8.GetBytes("{\"status\": \"interrupted\"}\n"),
            },
            Resume = "run",
        });
        return cases;
    }

    private static Dictionary<string, byte[]> WordsWithLine4Bytes(byte[] line)
    {
        var good = TinyConfig.WordsJsonl().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = Encoding.UTF8.GetBytes(string.Join("\n", good.Take(3)) + "\n");
        var tail = Encoding.UTF8.GetBytes("\n" + string.Join("\n", good.Skip(3)) + "\n");
        return WordsFile([.. head, .. line, .. tail]);
    }
}
