using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Withdrawal;

namespace Yibao.Domain.Tests.ErrorTexts;

/// <summary>
/// Every text a person reads is wholly in one language (issue 12): no English words or internal
/// codes in a Chinese message, no Chinese in an English one, and no case or rule ids such as
/// "(WE-61)" or "K17" in either (sources belong in a refusal's reasons). Checked over every code's
/// meanings and over every factory of <see cref="ErrorCatalog"/>, called with neutral arguments.
/// </summary>
public sealed partial class MessageLanguageTests
{
    [Fact]
    public void Every_code_means_something_in_each_language_wholly()
    {
        var offenders = Codes.All
            .SelectMany(c => Problems(c.Value, c.MeaningZh, c.MeaningEn))
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Every_factory_writes_each_message_in_its_language_wholly()
    {
        var factories = typeof(ErrorCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.ReturnType == typeof(Refusal))
            .ToList();
        Assert.True(factories.Count > 50, $"only {factories.Count} factories found");

        var offenders = new List<string>();
        foreach (var factory in factories)
        {
            var args = factory.GetParameters().Select(p => Neutral(p.ParameterType)).ToArray();
            var refusal = (Refusal)factory.Invoke(null, args)!;
            offenders.AddRange(Problems($"{factory.Name}({string.Join(", ", factory.GetParameters().Select(p => p.Name))})",
                refusal.MessageZh, refusal.MessageEn));
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Every_reason_of_every_acceptance_case_reads_in_each_language_wholly()
    {
        var offenders = new List<string>();
        var answered = 0;
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Features.Withdrawal.WithdrawalCaseTests.AcceptanceFile("withdrawal.json"))!, "*.json"))
        {
            foreach (var c in AcceptanceCase.ReadFile(File.ReadAllText(file), Path.GetFileName(file)))
            {
                if (!CaseKinds.Default.Supports(c.Kind)) continue;
                JsonObject answer;
                try { answer = CaseKinds.Default.Answer(c); }
                catch (YibaoException e) { offenders.AddRange(Problems(c.Id, e.Error.MessageZh, e.Error.MessageEn)); continue; }
                answered++;
                if (answer["reasons"] is not JsonArray reasons) continue;
                foreach (var r in reasons.OfType<JsonObject>())
                    offenders.AddRange(Problems($"{c.Id} {(string?)r["ruleId"]}", (string?)r["zh"] ?? "", (string?)r["en"] ?? ""));
            }
        }
        Assert.True(answered > 80, $"only {answered} cases answered");
        Assert.True(offenders.Count == 0, string.Join("\n", offenders.Distinct()));
    }

    /// <summary>What is wrong with a pair of messages, if anything.</summary>
    public static IEnumerable<string> Problems(string where, string zh, string en)
    {
        var latin = LatinWord().Matches(Allowed().Replace(zh, " ")).Select(m => m.Value).ToList();
        if (latin.Count > 0) yield return $"{where}: Chinese message has English \"{string.Join(" ", latin)}\": {zh}";
        if (Cjk().IsMatch(en)) yield return $"{where}: English message has Chinese: {en}";
        foreach (var text in new[] { zh, en })
        {
            if (RuleId().IsMatch(text)) yield return $"{where}: a rule or case id in the message: {text}";
        }
    }

    // Arguments that stand for what callers pass, in neither language so they never cause a finding.
    private static object? Neutral(Type type) => type switch
    {
        _ when type == typeof(string) => "1",
        _ when type == typeof(int) || type == typeof(int?) => 1,
        _ when type == typeof(long) || type == typeof(long?) => 1L,
        _ when type == typeof(ResultCode) => Codes.InternalError,
        _ when Nullable.GetUnderlyingType(type) is { IsEnum: true } e => Enum.GetValues(e).GetValue(0),
        _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
        _ when type == typeof(IReadOnlyList<IReadOnlyList<WithdrawalMaterial>>) =>
            (object)new IReadOnlyList<WithdrawalMaterial>[] { [WithdrawalMaterial.DeathCertificate] },
        _ when type == typeof(IReadOnlyCollection<string>) => new[] { "amount" },
        _ when type == typeof(IReadOnlyDictionary<string, string>) => new Dictionary<string, string> { ["1"] = "1" },
        _ => throw new InvalidOperationException($"no neutral value for {type}"),
    };

    // Names and notations that stay as they are in Chinese text (standards, formats, protocol names).
    [GeneratedRegex(@"GB/T|YYYY-MM-DD|YYYY-MM|JSON|UTF-8|GB18030|GBK|CSV|Excel|PDF|HTTP|URL|Idempotency-Key|Content-Type|application/json|--[a-z][a-z-]*|PostgreSQL|SQLite|API|ID")]
    private static partial Regex Allowed();

    [GeneratedRegex(@"[A-Za-z]{2,}")]
    private static partial Regex LatinWord();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"\b(WE|TC|CR|FA|RC|BF|K|L|A|C)-?\d+[a-z]?\b")]
    private static partial Regex RuleId();
}
