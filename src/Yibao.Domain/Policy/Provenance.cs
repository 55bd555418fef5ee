namespace Yibao.Domain.Policy;

/// <summary>
/// Where a policy value comes from (policy-reference section 0). Example values are never
/// presented as real numbers: every surface shows the provenance next to the value.
/// </summary>
public enum Provenance
{
    /// <summary>[OFFICIAL] national law, regulation or NHSA notice.</summary>
    Official,
    /// <summary>[OFFICIAL-LOCAL] a local government or agency source.</summary>
    OfficialLocal,
    /// <summary>[MEMORY] an official rule not re-read in the sources; to be checked.</summary>
    Memory,
    /// <summary>[SEED] a claim that appears only in a seed article; unverified.</summary>
    Seed,
    /// <summary>[EX] an example parameter: not a real number; tests and demos only.</summary>
    Example,
    /// <summary>[CONV] an implementation convention where the rule is silent.</summary>
    Convention,
}

public static class ProvenanceNames
{
    public static string Code(this Provenance p) => p switch
    {
        Provenance.Official => "official",
        Provenance.OfficialLocal => "official-local",
        Provenance.Memory => "memory",
        Provenance.Seed => "seed",
        Provenance.Example => "example",
        Provenance.Convention => "convention",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static bool TryParse(string text, out Provenance provenance)
    {
        foreach (var p in Enum.GetValues<Provenance>())
        {
            if (p.Code() == text) { provenance = p; return true; }
        }
        provenance = default;
        return false;
    }

    /// <summary>How a person should read a value of this provenance, in Chinese and English.</summary>
    public static (string Zh, string En) Label(this Provenance p) => p switch
    {
        Provenance.Official => ("国家政策", "official"),
        Provenance.OfficialLocal => ("地方政策", "official (local)"),
        Provenance.Memory => ("官方规定(待核对原文)", "official, text not re-checked"),
        Provenance.Seed => ("来源文章所述(未核实)", "from a seed article, unverified"),
        Provenance.Example => ("示例参数(非真实数值)", "example value, not a real number"),
        Provenance.Convention => ("实现约定", "implementation convention"),
        _ => ("", ""),
    };
}
