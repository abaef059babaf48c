using YamlDotNet.Core;

namespace Harness.Experiments;

/// <summary>
/// One labelled variant of a suite: a config file plus the overrides that make it this variant. Its runs go to
/// <c>&lt;suite folder&gt;/&lt;Label&gt;/s&lt;seed&gt;/</c> and carry <see cref="Label"/> as their name.
/// </summary>
internal sealed record SuiteVariant(string Label, string ConfigPath, IReadOnlyList<ConfigOverride> Overrides, Mark At);
