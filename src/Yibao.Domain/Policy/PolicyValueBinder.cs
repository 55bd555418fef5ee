using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using YamlDotNet.RepresentationModel;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using DomainMoney = Yibao.Domain.Money.Money;
using DomainRate = Yibao.Domain.Money.Rate;

namespace Yibao.Domain.Policy;

/// <summary>A problem found while binding a YAML value, at a line of the file.</summary>
internal sealed class BindException(int line, string message) : Exception(message)
{
    public int Line { get; } = line;
}

/// <summary>
/// Binds a YAML node to the C# type a policy key declares: money and rates from their exact
/// text (never through a binary float), dates, year-months, region codes, kebab-case enums,
/// lists, string-keyed maps and records (by constructor parameter, camelCase in YAML; an
/// unknown field is an error, a missing one takes the parameter's default or is an error).
/// </summary>
internal static class PolicyValueBinder
{
    public static object Bind(YamlNode node, Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null)
            return IsNull(node) ? null! : Bind(node, nullable);

        if (type == typeof(string)) return Scalar(node, "text");
        if (type == typeof(DomainMoney)) return Parse(node, "an amount such as \"700.00\"", s => DomainMoney.Parse(s));
        if (type == typeof(DomainRate)) return Parse(node, "a rate such as 0.85 or \"85%\"", s => DomainRate.Parse(s));
        if (type == typeof(int)) return Parse(node, "a whole number", s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        if (type == typeof(decimal)) return Parse(node, "a number", s => decimal.Parse(s, NumberStyles.Number, CultureInfo.InvariantCulture));
        if (type == typeof(bool)) return Parse(node, "true or false", s => s switch { "true" => true, "false" => false, _ => throw new FormatException() });
        if (type == typeof(DateOnly)) return Parse(node, "a date YYYY-MM-DD", s => Dates.Parse(s));
        if (type == typeof(YearMonth)) return Parse(node, "a month YYYY-MM", s => YearMonth.Parse(s));
        if (type == typeof(RegionCode)) return Parse(node, "a six-digit region code", s => RegionCode.Parse(s));
        if (type.IsEnum) return BindEnum(node, type);

        if (type.IsGenericType)
        {
            var def = type.GetGenericTypeDefinition();
            var args = type.GetGenericArguments();
            if (def == typeof(IReadOnlyList<>) || def == typeof(List<>) || def == typeof(IEnumerable<>))
            {
                if (node is not YamlSequenceNode seq) throw new BindException(Line(node), "expected a list");
                var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(args[0]))!;
                foreach (var item in seq.Children) list.Add(Bind(item, args[0]));
                return list;
            }
            if ((def == typeof(IReadOnlyDictionary<,>) || def == typeof(Dictionary<,>)) && args[0] == typeof(string))
            {
                if (node is not YamlMappingNode map) throw new BindException(Line(node), "expected a mapping");
                var dict = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), args[1]), StringComparer.Ordinal)!;
                foreach (var (k, v) in map.Children) dict[Scalar(k, "a key")] = Bind(v, args[1]);
                return dict;
            }
        }
        return BindRecord(node, type);
    }

    private static object BindRecord(YamlNode node, Type type)
    {
        if (node is not YamlMappingNode map) throw new BindException(Line(node), $"expected a mapping for {type.Name}");
        var ctor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var parameters = ctor.GetParameters();
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = Scalar(k, "a field name");
            if (!parameters.Any(p => CamelCase(p.Name!) == name))
                throw new BindException(Line(k), $"unknown field '{name}' (expected one of: {string.Join(", ", parameters.Select(p => CamelCase(p.Name!)))})");
            fields[name] = v;
        }
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var name = CamelCase(p.Name!);
            if (fields.TryGetValue(name, out var v)) values[i] = Bind(v, p.ParameterType);
            else if (p.HasDefaultValue) values[i] = p.DefaultValue;
            else if (Nullable.GetUnderlyingType(p.ParameterType) is not null || IsNullableReference(p)) values[i] = null;
            else throw new BindException(Line(node), $"missing field '{name}'");
        }
        return ctor.Invoke(values);
    }

    private static bool IsNullableReference(ParameterInfo p) =>
        !p.ParameterType.IsValueType && new NullabilityInfoContext().Create(p).WriteState == NullabilityState.Nullable;

    private static object BindEnum(YamlNode node, Type type)
    {
        var text = Scalar(node, "a name");
        foreach (var name in Enum.GetNames(type))
        {
            if (Kebab(name) == text) return Enum.Parse(type, name);
        }
        throw new BindException(Line(node), $"'{text}' is not one of: {string.Join(", ", Enum.GetNames(type).Select(Kebab))}");
    }

    private static object Parse(YamlNode node, string expected, Func<string, object> parse)
    {
        var text = Scalar(node, expected);
        try { return parse(text); }
        catch (Exception e) when (e is FormatException or OverflowException or YibaoException)
        {
            throw new BindException(Line(node), $"'{text}' is not {expected}");
        }
    }

    public static string Scalar(YamlNode node, string expected) =>
        node is YamlScalarNode { Value: { } v } ? v : throw new BindException(Line(node), $"expected {expected}");

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && (s.Value is null or "" or "~" or "null") && s.Style == YamlDotNet.Core.ScalarStyle.Plain;

    public static int Line(YamlNode node) => (int)node.Start.Line;

    public static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary><c>TemporaryOther</c> → <c>temporary-other</c>.</summary>
    public static string Kebab(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
