using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>A sequence.</summary>
internal sealed record YamlTreeSequence(Mark Start, IReadOnlyList<YamlTreeNode> Items) : YamlTreeNode(Start);
