using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>A mapping in document order; keys are unique (checked while reading).</summary>
internal sealed record YamlTreeMapping(Mark Start, IReadOnlyList<KeyValuePair<YamlTreeScalar, YamlTreeNode>> Entries)
    : YamlTreeNode(Start);
