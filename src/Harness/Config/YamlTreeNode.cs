using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>A YAML node with the position it came from, so every error can name file:line:col.</summary>
internal abstract record YamlTreeNode(Mark Start)
{
    /// <summary>
    /// The file this node was read from when it is not the document's own file (a value a suite file overrides), so
    /// errors about it point at the line that wrote it; null for the document's own nodes.
    /// </summary>
    public string? File { get; init; }
}
