using System.Runtime.CompilerServices;
using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>
/// Remembers where each bound config key came from (key path and file position), so checks that run after binding
/// (a data file that does not exist, an impossible strategy combination) can still name file:line:col and the key.
/// </summary>
internal sealed class ConfigPositions(string file)
{
    private readonly ConditionalWeakTable<object, Dictionary<string, (string Path, Mark Mark, string? File)>> _table = new();

    /// <summary>The config file's path as the user gave it.</summary>
    public string File { get; } = file;

    internal void Record(object owner, string key, string path, Mark mark, string? file = null) =>
        _table.GetOrCreateValue(owner)[key] = (path, mark, file);

    /// <summary>Whether <paramref name="owner"/> was read from the file (not a default).</summary>
    public bool Contains(object owner) => _table.TryGetValue(owner, out _);

    /// <summary>The key path of <paramref name="key"/> of <paramref name="owner"/> (curriculum[1].source), or the key alone.</summary>
    public string PathOf(object owner, string key)
    {
        if (!_table.TryGetValue(owner, out var keys)) return key;
        if (keys.TryGetValue(key, out var at)) return at.Path;
        return keys.TryGetValue("", out var self) && self.Path.Length > 0 ? $"{self.Path}.{key}" : key;
    }

    /// <summary>An input error located at <paramref name="key"/> of <paramref name="owner"/> (or at the owner itself).</summary>
    public HarnessInputException Error(object owner, string key, string message)
    {
        if (_table.TryGetValue(owner, out var keys))
        {
            if (keys.TryGetValue(key, out var at))
                return new($"{at.File ?? File}:{at.Mark.Line}:{at.Mark.Column}: {at.Path}: {message}");
            if (keys.TryGetValue("", out var self))
            {
                var path = self.Path.Length == 0 ? key : $"{self.Path}.{key}";
                return new($"{self.File ?? File}:{self.Mark.Line}:{self.Mark.Column}: {path}: {message}");
            }
        }
        return new($"{File}: {key}: {message}");
    }
}
