using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Harness.Config;

/// <summary>
/// Binds a <see cref="YamlTreeNode"/> onto config records (init properties, snake_case keys), strictly: unknown keys,
/// wrong types, missing required keys and out-of-range values are errors that name file:line:col and the key path.
/// Positions of every bound key are kept in <see cref="ConfigPositions"/> for checks that run after binding.
/// </summary>
internal sealed class ConfigBinder(string file)
{
    /// <summary>Where each bound key was found, for later cross-field checks.</summary>
    public ConfigPositions Positions { get; } = new(file);

    /// <summary>Binds <paramref name="node"/> to a new <typeparamref name="T"/>.</summary>
    public T Bind<T>(YamlTreeNode node) where T : class => (T)BindValue(typeof(T), node, "")!;

    private object? BindValue(Type type, YamlTreeNode node, string path)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            if (node is YamlTreeScalar { Plain: true, Value: "" or "null" or "~" }) return null;
            type = underlying;
        }
        if (type == typeof(string)) return Scalar(node, path, "a string").Value;
        if (type == typeof(int)) return ParseNumber(node, path, "an integer", s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        if (type == typeof(long)) return ParseNumber(node, path, "an integer", s => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        if (type == typeof(double)) return ParseNumber(node, path, "a number", ParseDouble);
        if (type == typeof(bool))
        {
            var s = Scalar(node, path, "true or false");
            return s.Value switch
            {
                "true" or "True" => true,
                "false" or "False" => false,
                _ => throw Error(node, path, $"expected true or false, got '{s.Value}'"),
            };
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var g
            && (g == typeof(IReadOnlyList<>) || g == typeof(List<>)))
        {
            if (node is not YamlTreeSequence seq) throw Error(node, path, "expected a list");
            var itemType = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
            for (int i = 0; i < seq.Items.Count; i++) list.Add(BindValue(itemType, seq.Items[i], $"{path}[{i}]"));
            return list;
        }
        if (type.IsClass) return BindObject(type, node, path);
        throw new InvalidOperationException($"config binder cannot bind {type}");
    }

    private object BindObject(Type type, YamlTreeNode node, string path)
    {
        if (node is YamlTreeScalar shorthand
            && type.GetMethod("FromShorthand", BindingFlags.Public | BindingFlags.Static) is { } fromShorthand)
        {
            var made = fromShorthand.Invoke(null, [shorthand.Value])
                       ?? throw Error(node, path, $"'{shorthand.Value}' is not a valid shorthand here");
            Positions.Record(made, "", path, node.Start, node.File);
            return made;
        }
        if (node is not YamlTreeMapping map) throw Error(node, path, "expected a mapping (key: value lines)");

        if (type.IsAbstract) type = ChooseVariant(type, map, path);
        var instance = Activator.CreateInstance(type)!;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .ToDictionary(p => SnakeCase(p.Name));
        foreach (var (key, value) in map.Entries)
        {
            var keyPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
            if (key.Value == "type" && type.GetCustomAttribute<ConfigVariantAttribute>() is not null) continue;
            if (!properties.TryGetValue(key.Value, out var property))
                throw Error(key, keyPath, properties.Count == 0
                    ? "unknown key; this section takes no options"
                    : $"unknown key; expected one of: {string.Join(", ", properties.Keys.Order())}");
            // A nullable string (string?) takes null like int? does; the written resolved config says `null`.
            bool nullableReference = !property.PropertyType.IsValueType
                && new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable;
            var bound = nullableReference && value is YamlTreeScalar { Plain: true, Value: "null" or "~" }
                ? null
                : BindValue(property.PropertyType, value, keyPath);
            Check(property, bound, value, keyPath);
            property.SetValue(instance, bound);
            // A value a suite overrides is located at the suite file's line, not at the config key it replaced.
            if (value.File is null) Positions.Record(instance, key.Value, keyPath, key.Start, key.File);
            else Positions.Record(instance, key.Value, keyPath, value.Start, value.File);
        }
        foreach (var (name, property) in properties)
        {
            // Matched by name: ScottPlot ships a polyfill of the same attribute, which makes the type ambiguous.
            bool required = property.GetCustomAttributes().Any(a => a.GetType().Name == "RequiredMemberAttribute");
            if (required && !map.Entries.Any(e => e.Key.Value == name))
                throw Error(map, path.Length == 0 ? name : $"{path}.{name}", "required key is missing");
        }
        Positions.Record(instance, "", path, map.Start, map.File);
        return instance;
    }

    private Type ChooseVariant(Type baseType, YamlTreeMapping map, string path)
    {
        var variants = baseType.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && baseType.IsAssignableFrom(t))
            .Select(t => (t, attr: t.GetCustomAttribute<ConfigVariantAttribute>()))
            .Where(x => x.attr is not null)
            .ToDictionary(x => x.attr!.Name, x => x.t);
        var names = string.Join(", ", variants.Keys.Order());
        var typeEntry = map.Entries.FirstOrDefault(e => e.Key.Value == "type");
        if (typeEntry.Key is null) throw Error(map, $"{path}.type", $"required key is missing; one of: {names}");
        var typeName = Scalar(typeEntry.Value, $"{path}.type", "a name").Value;
        return variants.TryGetValue(typeName, out var chosen)
            ? chosen
            : throw Error(typeEntry.Value, $"{path}.type", $"unknown type '{typeName}'; expected one of: {names}");
    }

    private void Check(PropertyInfo property, object? value, YamlTreeNode node, string path)
    {
        if (property.GetCustomAttribute<ConfigRangeAttribute>() is { } range && value is not null)
        {
            double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
            if (v < range.Min || v > range.Max)
                throw Error(node, path, $"{FormatNumber(v)} is out of range [{FormatNumber(range.Min)}, {FormatNumber(range.Max)}]");
        }
        if (property.GetCustomAttribute<ConfigChoiceAttribute>() is { } choice && value is string s
            && !choice.Choices.Contains(s) && !choice.Choices.Any(c => c.EndsWith(':') && s.StartsWith(c, StringComparison.Ordinal)))
            throw Error(node, path, $"'{s}' is not one of: {string.Join(", ", choice.Choices.Select(c => c.EndsWith(':') ? c + "PATH" : c))}");
        if (property.GetCustomAttribute<ConfigNonEmptyAttribute>() is not null && value is ICollection { Count: 0 })
            throw Error(node, path, "must not be empty");
    }

    private YamlTreeScalar Scalar(YamlTreeNode node, string path, string expected) =>
        node as YamlTreeScalar ?? throw Error(node, path, $"expected {expected}, got a {(node is YamlTreeMapping ? "mapping" : "list")}");

    private object ParseNumber(YamlTreeNode node, string path, string expected, Func<string, object> parse)
    {
        var s = Scalar(node, path, expected);
        try
        {
            if (!s.Plain) throw new FormatException();
            return parse(s.Value.Replace("_", ""));
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            // A number of thousands of digits is shown by its start and length, keeping the error one readable line.
            var shown = s.Value.Length > 40 ? $"{s.Value[..20]}... ({s.Value.Length} characters)" : s.Value;
            throw Error(node, path, $"expected {expected}, got '{shown}'");
        }
    }

    private static object ParseDouble(string s)
    {
        var v = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(v) ? v : throw new FormatException();
    }

    private HarnessInputException Error(YamlTreeNode node, string path, string message) =>
        new($"{node.File ?? Positions.File}:{node.Start.Line}:{node.Start.Column}: {path}: {message}");

    private static string FormatNumber(double v) => v.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>PascalCase property name → snake_case YAML key (BufferSize → buffer_size).</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            bool wordStart = char.IsUpper(name[i]) && i > 0
                             && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1])));
            if (wordStart) sb.Append('_'); // DModel → d_model, BufferSize → buffer_size
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
