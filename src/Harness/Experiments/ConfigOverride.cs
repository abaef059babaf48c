using YamlDotNet.Core;

namespace Harness.Experiments;

/// <summary>
/// One <c>key.path: value</c> a suite file sets in a config, with where the suite file wrote it. The value's nodes
/// carry the suite file's name, so a value the config rejects is reported at the suite file's line.
/// <see cref="Section"/> is the suite key it was written under (overrides or grid), for error messages.
/// </summary>
internal sealed record ConfigOverride(string KeyPath, Harness.Config.YamlTreeNode Value, string File, Mark At, string Section = "overrides");
