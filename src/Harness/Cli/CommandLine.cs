using System.Globalization;
using Harness.Config;

namespace Harness.Cli;

/// <summary>
/// One command's arguments split into options and positionals, strictly: an unknown option, an option without its
/// value, or a value option given twice (unless repeatable) is a bad-input error naming the command. Every
/// subcommand parses through this, so they all treat options alike.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new();
    private readonly HashSet<string> _flags = [];

    private CommandLine(string command) => Command = command;

    /// <summary>The command's name as errors show it.</summary>
    public string Command { get; }

    /// <summary>Arguments that are not options, in order.</summary>
    public List<string> Positionals { get; } = [];

    /// <summary>
    /// Parses <paramref name="args"/>. <paramref name="valueOptions"/> take a value (a trailing '*' marks one that may
    /// repeat: "--only*"); <paramref name="flags"/> take none.
    /// </summary>
    public static CommandLine Parse(string command, IReadOnlyList<string> args, string[] valueOptions, string[]? flags = null)
    {
        var line = new CommandLine(command);
        var repeatable = valueOptions.Where(o => o.EndsWith('*')).Select(o => o.TrimEnd('*')).ToHashSet();
        var takesValue = valueOptions.Select(o => o.TrimEnd('*')).ToHashSet();
        var known = flags?.ToHashSet() ?? [];
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (takesValue.Contains(arg))
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0)
                    throw new HarnessInputException($"{Prefix(command)}{arg} needs a value (see ./run.sh --help)");
                if (!line._values.TryGetValue(arg, out var list)) line._values[arg] = list = [];
                if (list.Count > 0 && !repeatable.Contains(arg))
                    throw new HarnessInputException($"{Prefix(command)}{arg} is given twice");
                list.Add(args[++i]);
            }
            else if (known.Contains(arg)) line._flags.Add(arg);
            // Only "--x" is an option: a question may start with a minus sign ("-3 plus 5?").
            else if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
                throw new HarnessInputException($"{Prefix(command)}unknown option {arg} (see ./run.sh --help)");
            else line.Positionals.Add(arg);
        }
        return line;
    }

    /// <summary>The value of a single-valued option, or null.</summary>
    public string? Value(string option) => _values.TryGetValue(option, out var v) ? v[0] : null;

    /// <summary>Every value of a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string option) => _values.TryGetValue(option, out var v) ? v : [];

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string option) => _flags.Contains(option);

    /// <summary>A non-negative integer value, or null when the option is absent.</summary>
    public int? Integer(string option, int min = 0) => Value(option) is { } text ? ParseInteger(option, text, min) : null;

    /// <summary>Every value of a repeatable integer option.</summary>
    public IReadOnlyList<int> Integers(string option, int min = 0) => Values(option).Select(t => ParseInteger(option, t, min)).ToList();

    /// <summary>
    /// The value of a folder option the command will create (--out, --cache-dir), checked without creating anything:
    /// not a file, and no file on the way to it (which would make creating it fail only after the data was read).
    /// </summary>
    public string? Folder(string option)
    {
        if (Value(option) is not { } folder) return null;
        string full;
        try
        {
            full = Path.GetFullPath(folder);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new HarnessInputException($"{Prefix(Command)}{option} {folder}: not a valid path ({e.Message})");
        }
        if (File.Exists(full)) throw new HarnessInputException($"{Prefix(Command)}{option} {folder}: is a file, not a folder");
        for (var parent = Path.GetDirectoryName(full); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (File.Exists(parent))
                throw new HarnessInputException($"{Prefix(Command)}{option} {folder}: cannot be created, {parent} is a file");
            if (Directory.Exists(parent)) break;
        }
        return folder;
    }

    /// <summary>The --device value, checked.</summary>
    public string? Device() => Value("--device") is { } d
        ? d is "auto" or "cpu" or "cuda" ? d : throw new HarnessInputException($"{Prefix(Command)}--device {d}: expected auto, cpu or cuda")
        : null;

    // The training command has no name on the command line (./run.sh CONFIG), so its errors have no prefix.
    private static string Prefix(string command) => command.Length == 0 ? "" : command + ": ";

    private int ParseInteger(string option, string text, int min) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min
            ? n
            : throw new HarnessInputException($"{Prefix(Command)}{option} {text}: expected an integer >= {min}");
}
