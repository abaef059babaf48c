using System.Text;

namespace Harness.Tests.Cli;

/// <summary>
/// One malformed input: the config (bad.yaml) and data files to write, the command to run, and where its one error
/// line must point: <see cref="ErrorFile"/> (relative to the case's folder unless rooted), <see cref="Line"/> (null
/// only where no file has lines, such as an --out folder) and <see cref="Key"/> (a YAML key path, a JSONL field or
/// an option).
/// </summary>
public sealed record BadInputCase(string Name, BadInputCategory Category, string ErrorFile, int? Line, string Key)
{
    /// <summary>The bytes of bad.yaml.</summary>
    public required byte[] Config { get; init; }

    /// <summary>Other files to write next to bad.yaml, by relative name (words.jsonl by default).</summary>
    public IReadOnlyDictionary<string, byte[]> Files { get; init; } = new Dictionary<string, byte[]>
    {
        ["words.jsonl"] = Encoding.UTF8.GetBytes(TinyConfig.WordsJsonl()),
    };

    /// <summary>Folders to create next to bad.yaml.</summary>
    public IReadOnlyList<string> Folders { get; init; } = [];

    /// <summary>Run `validate bad.yaml` instead of training into <see cref="Out"/>.</summary>
    public bool Validate { get; init; }

    /// <summary>The --out folder of a training command, relative to the case's folder unless rooted.</summary>
    public string Out { get; init; } = "out";

    /// <summary>Train with <c>--resume</c> this folder (relative to the case's folder) instead of into <see cref="Out"/>.</summary>
    public string? Resume { get; init; }

    /// <summary>The --cache-dir folder, relative to the case's folder unless rooted.</summary>
    public string CacheDir { get; init; } = "cache";

    public override string ToString() => Name;
}
