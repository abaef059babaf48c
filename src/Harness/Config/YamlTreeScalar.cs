using YamlDotNet.Core;

namespace Harness.Config;

/// <summary>A scalar; <see cref="Plain"/> is false for quoted scalars (so "1" stays a string).</summary>
internal sealed record YamlTreeScalar(Mark Start, string Value, bool Plain) : YamlTreeNode(Start);
