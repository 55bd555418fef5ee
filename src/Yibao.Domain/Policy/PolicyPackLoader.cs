using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Domain.Policy;

/// <summary>A problem in a pack, at a file and line.</summary>
public sealed record PolicyLoadError(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>Thrown when packs do not load; lists every problem found, each with its file and line.</summary>
public sealed class PolicyValidationException(IReadOnlyList<PolicyLoadError> errors)
    : Exception("policy packs are invalid:\n" + string.Join("\n", errors))
{
    public IReadOnlyList<PolicyLoadError> Errors { get; } = errors;
}

/// <summary>
/// Reads policy packs (one YAML file per region, format in <c>policies/README.md</c>) and
/// validates them: unknown keys and fields, wrong types, values a key refuses (e.g. a waiting
/// period over the national maximum of 6 months, overlapping brackets), overlapping versions of
/// one rule, missing provenance or source, unknown parents, inheritance cycles, and deadline
/// rules in a region whose calendar is not loaded.
/// </summary>
public static class PolicyPackLoader
{
    private static readonly Lazy<PolicyBook> EmbeddedBook = new(() => Load(EmbeddedFiles(), HolidayCalendars.Shipped));

    /// <summary>The packs of <c>policies/</c>, embedded in the domain assembly at build time.</summary>
    public static PolicyBook Embedded => EmbeddedBook.Value;

    public static IReadOnlyList<(string Name, string Text)> EmbeddedFiles()
    {
        var asm = typeof(PolicyPackLoader).Assembly;
        const string prefix = "Yibao.Domain.Policies.";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = asm.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (n[prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    public static PolicyBook LoadFolder(string folder, HolidayCalendars? calendars = null) =>
        Load(Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))), calendars ?? HolidayCalendars.Shipped);

    public static PolicyBook Load(IEnumerable<(string Name, string Text)> files, HolidayCalendars calendars)
    {
        var errors = new List<PolicyLoadError>();
        var packs = new List<PolicyPack>();
        foreach (var (name, text) in files)
        {
            var pack = ReadPack(name, text, errors);
            if (pack is null) continue;
            if (packs.FirstOrDefault(p => p.Region == pack.Region) is { } other)
            {
                errors.Add(new PolicyLoadError(name, 1, $"region {pack.Region} already has a pack in {other.File}"));
                continue;
            }
            packs.Add(pack);
        }

        var byRegion = packs.ToDictionary(p => p.Region);
        foreach (var pack in packs)
        {
            if (pack.Parent is { } parent && !byRegion.ContainsKey(parent))
                errors.Add(new PolicyLoadError(pack.File, 1, $"parent region {parent} has no pack"));
            var seen = new List<RegionCode> { pack.Region };
            for (var p = pack.Parent; p is not null && byRegion.TryGetValue(p.Value, out var next); p = next.Parent)
            {
                if (seen.Contains(p.Value))
                {
                    errors.Add(new PolicyLoadError(pack.File, 1, $"inheritance cycle: {string.Join(" → ", seen.Append(p.Value))}"));
                    break;
                }
                seen.Add(p.Value);
            }
            CheckOverlaps(pack, errors);
            CheckCalendar(pack, calendars, errors);
        }
        if (errors.Count > 0) throw new PolicyValidationException(errors);
        return new PolicyBook(packs);
    }

    private static readonly string[] PackFields = ["region", "name", "parent", "calendar", "versions"];
    private static readonly string[] VersionFields = ["id", "from", "to", "note", "rules"];
    private static readonly string[] RuleFields = ["value", "provenance", "source", "note"];

    private static PolicyPack? ReadPack(string file, string text, List<PolicyLoadError> errors)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e)
        {
            errors.Add(new PolicyLoadError(file, (int)e.Start.Line, $"not valid YAML: {e.Message}"));
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new PolicyLoadError(file, 1, "a pack is one YAML mapping (region, name, parent, calendar, versions)"));
            return null;
        }
        var before = errors.Count;
        var fields = Fields(file, root, PackFields, errors);
        var region = Required(file, root, fields, "region", n => RegionCode.Parse(PolicyValueBinder.Scalar(n, "a region code")), errors);
        var name = RequiredText(file, root, fields, "name", errors);
        RegionCode? parent = fields.TryGetValue("parent", out var parentNode)
            ? Try(file, parentNode, n => RegionCode.Parse(PolicyValueBinder.Scalar(n, "a region code")), errors)
            : region?.Parent;
        var calendar = fields.TryGetValue("calendar", out var calNode)
            ? Try(file, calNode, n => PolicyValueBinder.Scalar(n, "national or a region code") is var s && s == "national" ? RegionCode.National : RegionCode.Parse(s), errors)
            : region;
        var versions = new List<PolicyVersion>();
        if (fields.TryGetValue("versions", out var emptyNode) && PolicyValueBinder.IsNull(emptyNode))
        {
            // A region with no rules of its own yet (e.g. a province): it inherits everything.
        }
        else if (!fields.TryGetValue("versions", out var versionsNode) || versionsNode is not YamlSequenceNode seq)
        {
            errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(versionsNode ?? root), "versions: a list of dated versions is required"));
        }
        else if (region is { } reg)
        {
            foreach (var v in seq.Children) versions.Add(ReadVersion(file, reg, v, errors) ?? default!);
        }
        if (errors.Count > before || region is null || name is null) return null;
        return new PolicyPack(region.Value, name, parent, calendar ?? region.Value, file, versions);
    }

    private static PolicyVersion? ReadVersion(string file, RegionCode region, YamlNode node, List<PolicyLoadError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(node), "a version is a mapping (id, from, to, note, rules)"));
            return null;
        }
        var fields = Fields(file, map, VersionFields, errors);
        var id = RequiredText(file, map, fields, "id", errors);
        var from = Required(file, map, fields, "from", n => Dates.Parse(PolicyValueBinder.Scalar(n, "a date")), errors);
        DateOnly? to = fields.TryGetValue("to", out var toNode) && !PolicyValueBinder.IsNull(toNode)
            ? Try(file, toNode, n => Dates.Parse(PolicyValueBinder.Scalar(n, "a date")), errors)
            : null;
        var note = fields.TryGetValue("note", out var noteNode) ? PolicyValueBinder.Scalar(noteNode, "text") : null;
        if (from is { } f && to is { } t && t < f)
            errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(toNode!), $"version {id} ends ({t:yyyy-MM-dd}) before it starts ({f:yyyy-MM-dd})"));
        var rules = new List<PolicyValue>();
        if (!fields.TryGetValue("rules", out var rulesNode) || rulesNode is not YamlMappingNode rulesMap)
        {
            errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(rulesNode ?? map), "rules: a mapping of rule key → {value, provenance, source} is required"));
            return null;
        }
        foreach (var (keyNode, ruleNode) in rulesMap.Children)
        {
            var keyName = PolicyValueBinder.Scalar(keyNode, "a rule key");
            var line = PolicyValueBinder.Line(keyNode);
            if (!PolicySchema.Keys.TryGetValue(keyName, out var key))
            {
                errors.Add(new PolicyLoadError(file, line, $"unknown key '{keyName}'{Suggest(keyName)}"));
                continue;
            }
            if (ruleNode is not YamlMappingNode rule)
            {
                errors.Add(new PolicyLoadError(file, line, $"{keyName}: expected a mapping with value, provenance and source"));
                continue;
            }
            var ruleFields = Fields(file, rule, RuleFields, errors);
            if (!ruleFields.TryGetValue("value", out var valueNode))
            {
                errors.Add(new PolicyLoadError(file, line, $"{keyName}: missing value"));
                continue;
            }
            Provenance provenance = default;
            if (!ruleFields.TryGetValue("provenance", out var provNode))
                errors.Add(new PolicyLoadError(file, line, $"{keyName}: missing provenance (official, official-local, memory, seed, example or convention)"));
            else if (!ProvenanceNames.TryParse(PolicyValueBinder.Scalar(provNode, "a provenance"), out provenance))
                errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(provNode), $"{keyName}: provenance must be one of official, official-local, memory, seed, example, convention"));
            if (!ruleFields.TryGetValue("source", out var sourceNode) || PolicyValueBinder.IsNull(sourceNode) || string.IsNullOrWhiteSpace(PolicyValueBinder.Scalar(sourceNode, "a source")))
            {
                errors.Add(new PolicyLoadError(file, line, $"{keyName}: missing source (a document number, URL, seed file or reference section)"));
                continue;
            }
            object value;
            try
            {
                value = PolicyValueBinder.Bind(valueNode, key.ValueType);
            }
            catch (BindException e)
            {
                errors.Add(new PolicyLoadError(file, e.Line, $"{keyName}: {e.Message}"));
                continue;
            }
            if (key.Check(value) is { } refusal)
            {
                errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(valueNode), $"{keyName}: {refusal}"));
                continue;
            }
            var ruleNote = ruleFields.TryGetValue("note", out var rn) ? PolicyValueBinder.Scalar(rn, "text") : null;
            rules.Add(new PolicyValue(keyName, value, provenance, PolicyValueBinder.Scalar(sourceNode, "a source"), ruleNote,
                region, id ?? "?", from ?? default, to, file, line));
        }
        return id is null || from is null ? null : new PolicyVersion(id, from.Value, to, note, rules, PolicyValueBinder.Line(map));
    }

    /// <summary>Two versions of one region may not both define a rule on the same day.</summary>
    private static void CheckOverlaps(PolicyPack pack, List<PolicyLoadError> errors)
    {
        var versions = pack.Versions.Where(v => v is not null).ToList();
        foreach (var id in versions.GroupBy(v => v.Id).Where(g => g.Count() > 1))
            errors.Add(new PolicyLoadError(pack.File, id.Last().Line, $"version id '{id.Key}' is used twice"));
        for (var i = 0; i < versions.Count; i++)
        {
            for (var j = 0; j < versions.Count; j++)
            {
                var a = versions[i];
                var b = versions[j];
                if (i == j || a.From > b.From || (a.From == b.From && i > j)) continue;
                // A later version of a rule replaces an earlier one from its start date. Two that
                // start on the same day, or one that starts inside another's explicit end, are
                // ambiguous: the pack must say which value holds.
                var clash = a.From == b.From || (a.To is { } end && b.From <= end);
                if (!clash) continue;
                foreach (var rule in b.Rules.Where(r => a.Rules.Any(x => x.Key == r.Key)))
                {
                    errors.Add(new PolicyLoadError(pack.File, rule.Line,
                        $"{rule.Key}: versions '{a.Id}' ({Range(a)}) and '{b.Id}' ({Range(b)}) overlap and both set it"));
                }
            }
        }
    }

    /// <summary>
    /// A working-day deadline needs a holiday calendar: a deadline rule whose whole span has no
    /// year that can be computed — published, or the provisional year after the last published
    /// one (K17) — is refused (e.g. a version starting in 2028 while 2026 is the last notice, or one
    /// that ended before the first). Years inside a span that cannot be computed are refused when
    /// a deadline reaches them (<c>calendar-year-not-loaded</c>), never guessed.
    /// </summary>
    private static void CheckCalendar(PolicyPack pack, HolidayCalendars calendars, List<PolicyLoadError> errors)
    {
        var covered = calendars.Years.Concat(calendars.ProvisionalYear is { } p ? [p] : []).ToList();
        foreach (var rule in pack.Versions.Where(v => v is not null).SelectMany(v => v.Rules))
        {
            if (PolicySchema.Keys[rule.Key] is not { RequiresCalendar: true }) continue;
            var last = rule.To?.Year ?? Math.Max(rule.From.Year, covered.Count == 0 ? rule.From.Year : covered.Max());
            if (covered.Any(y => y >= rule.From.Year && y <= last)) continue;
            errors.Add(new PolicyLoadError(pack.File, rule.Line,
                $"{rule.Key}: a working-day deadline needs a holiday calendar, and none is loaded for {rule.From.Year}–{last} " +
                $"(published: {Years(calendars.Years)}, provisional: {calendars.ProvisionalYear?.ToString(CultureInfo.InvariantCulture) ?? "none"}; add calendars/national-<year>.json or run yibao calendar import)"));
        }
    }

    private static string Years(IReadOnlyList<int> years) =>
        years.Count == 0 ? "none" : years.Count == 1 ? years[0].ToString(CultureInfo.InvariantCulture) : $"{years[0]}–{years[^1]}";

    private static string Range(PolicyVersion v) => $"{v.From:yyyy-MM-dd}…{(v.To is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "")}";

    private static Dictionary<string, YamlNode> Fields(string file, YamlMappingNode map, string[] allowed, List<PolicyLoadError> errors)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = k is YamlScalarNode { Value: { } s } ? s : "";
            if (!allowed.Contains(name))
                errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(k), $"unknown field '{name}' (expected one of: {string.Join(", ", allowed)})"));
            else
                fields[name] = v;
        }
        return fields;
    }

    private static T? Required<T>(string file, YamlNode parent, Dictionary<string, YamlNode> fields, string name, Func<YamlNode, T> read, List<PolicyLoadError> errors)
        where T : struct
    {
        if (fields.TryGetValue(name, out var node)) return Try(file, node, read, errors);
        errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(parent), $"missing '{name}'"));
        return null;
    }

    private static string? RequiredText(string file, YamlNode parent, Dictionary<string, YamlNode> fields, string name, List<PolicyLoadError> errors)
    {
        if (fields.TryGetValue(name, out var node) && node is YamlScalarNode { Value: { Length: > 0 } text }) return text;
        errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(node ?? parent), $"missing '{name}'"));
        return null;
    }

    private static T? Try<T>(string file, YamlNode node, Func<YamlNode, T> read, List<PolicyLoadError> errors)
        where T : struct
    {
        try { return read(node); }
        catch (Exception e) when (e is YibaoException or BindException or FormatException)
        {
            errors.Add(new PolicyLoadError(file, PolicyValueBinder.Line(node), e is YibaoException y ? y.Error.MessageEn + $" ('{(node as YamlScalarNode)?.Value}')" : e.Message));
            return null;
        }
    }

    private static string Suggest(string key)
    {
        var close = PolicySchema.Keys.Keys
            .Select(k => (k, d: Distance(k, key)))
            .Where(x => x.d <= Math.Max(2, key.Length / 5))
            .OrderBy(x => x.d).Select(x => x.k).FirstOrDefault();
        return close is null ? "" : $" (did you mean '{close}'?)";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
