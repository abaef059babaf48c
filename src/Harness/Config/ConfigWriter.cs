using System.Collections;
using System.Globalization;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Harness.Config;

/// <summary>
/// Writes a config record back as YAML with every default filled in (config.resolved.yaml), using the same
/// snake_case keys the loader reads, so a resolved config loads again to an equal config.
/// </summary>
internal static class ConfigWriter
{
    /// <summary>The YAML text of <paramref name="config"/>.</summary>
    public static string ToYaml(ExperimentConfig config)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitValue(emitter, config);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void EmitValue(IEmitter emitter, object? value)
    {
        switch (value)
        {
            case null: emitter.Emit(new Scalar("null")); break;
            case string s: emitter.Emit(new Scalar(null, null, s, ScalarStyle.DoubleQuoted, false, true)); break;
            case bool b: emitter.Emit(new Scalar(b ? "true" : "false")); break;
            case double d: emitter.Emit(new Scalar(d.ToString("R", CultureInfo.InvariantCulture))); break;
            case int or long: emitter.Emit(new Scalar(Convert.ToString(value, CultureInfo.InvariantCulture)!)); break;
            case IEnumerable list:
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var item in list) EmitValue(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            default:
                emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
                if (value is StrategyConfig strategy)
                {
                    emitter.Emit(new Scalar("type"));
                    emitter.Emit(new Scalar(strategy.Type));
                }
                foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                             .Where(p => p.SetMethod is not null))
                {
                    // An absent optional section (benchmark: in a text config) is left out, not written as null.
                    if (property.GetValue(value) is null && !property.PropertyType.IsValueType
                        && property.PropertyType != typeof(string)) continue;
                    emitter.Emit(new Scalar(ConfigBinder.SnakeCase(property.Name)));
                    EmitValue(emitter, property.GetValue(value));
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }
}
