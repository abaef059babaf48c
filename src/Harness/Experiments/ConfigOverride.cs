using YamlDotNet.Core;

namespace Harness.Experiments;

/// <summary>
/// One <c>key.path: value</c> a suite file sets in a config, with where the suite file wrote it. The value's nodes
/// carry the suite file's name, so a value the config rejects is reported at the suite file's line.
/// </summary>
internal sealed record ConfigOverride(string KeyPath, Harness.Config.YamlTreeNode Value, string File, Mark At);
