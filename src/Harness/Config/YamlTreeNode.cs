using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>A YAML node with the position it came from, so every error can name file:line:col.</summary>
internal abstract record YamlTreeNode(Mark Start);
