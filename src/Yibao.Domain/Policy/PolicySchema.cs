using System.Reflection;

namespace Yibao.Domain.Policy;

/// <summary>
/// A rule key of a policy pack (<c>inpatient.employee.ratios</c>) with the C# type its value
/// binds to and the checks it must pass at load. Each feature declares its keys in a static
/// class marked <see cref="PolicyKeysAttribute"/>; the loader refuses any key not declared.
/// </summary>
public abstract class PolicyKey
{
    protected PolicyKey(string name, Type valueType, string description)
    {
        Name = name;
        ValueType = valueType;
        Description = description;
    }

    public string Name { get; }
    public Type ValueType { get; }
    public string Description { get; }

    /// <summary>A working-day deadline rule: its region needs a holiday calendar for the years it is in force.</summary>
    public bool RequiresCalendar { get; init; }

    /// <summary>Null when the value is acceptable, else why not (English; shown with file and line).</summary>
    internal abstract string? Check(object value);
}

public sealed class PolicyKey<T> : PolicyKey where T : notnull
{
    private readonly Func<T, string?>? _check;

    public PolicyKey(string name, string description, Func<T, string?>? check = null) : base(name, typeof(T), description) =>
        _check = check;

    internal override string? Check(object value) => _check?.Invoke((T)value);
}

/// <summary>Marks a static class whose static <see cref="PolicyKey"/> fields are policy rule keys.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PolicyKeysAttribute : Attribute;

/// <summary>Every declared key, found once by reflection over the domain assembly.</summary>
public static class PolicySchema
{
    private static readonly Lazy<IReadOnlyDictionary<string, PolicyKey>> AllKeys = new(Discover);

    public static IReadOnlyDictionary<string, PolicyKey> Keys => AllKeys.Value;

    private static IReadOnlyDictionary<string, PolicyKey> Discover()
    {
        var keys = new Dictionary<string, PolicyKey>(StringComparer.Ordinal);
        foreach (var type in typeof(PolicySchema).Assembly.GetTypes().Where(t => t.GetCustomAttribute<PolicyKeysAttribute>() is not null))
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => typeof(PolicyKey).IsAssignableFrom(f.FieldType)))
            {
                var key = (PolicyKey)field.GetValue(null)!;
                if (!keys.TryAdd(key.Name, key))
                    throw new InvalidOperationException($"policy key '{key.Name}' is declared twice");
            }
        }
        return keys;
    }
}
