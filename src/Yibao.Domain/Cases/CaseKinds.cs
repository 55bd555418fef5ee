using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.CommercialInsurance;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.WaitingPeriod;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;

namespace Yibao.Domain.Cases;

/// <summary>What a case kind needs besides its input: the policy packs, the calendars, and whether to explain.</summary>
public sealed record CaseContext(PolicyBook Book, HolidayCalendars Calendars, bool Explain = true)
{
    /// <summary>The region's policy on the case's date (K16: the date selects the version).</summary>
    public ResolvedPolicy Policy(AcceptanceCase c) => Book.For(c.Region, c.Date);

    public Explanation Why() => Explain ? Explanation.Build() : Explanation.None;
}

/// <summary>
/// The kinds of question Yibao answers, by case-kind name, each mapping the case input to the
/// domain decision and its answer back to the case's output shape. No case-specific logic:
/// every kind calls the same domain code the server calls. The decision API
/// (<c>POST /api/decisions/{kind}</c>) uses the same table.
/// </summary>
public sealed class CaseKinds
{
    private readonly Dictionary<string, Func<AcceptanceCase, CaseContext, JsonObject>> _kinds = new(StringComparer.Ordinal)
    {
        ["id-number"] = (c, _) => IdNumberKind(c),
        ["credit-code"] = (c, _) => CreditCodeKind(c),
        ["working-days"] = WorkingDaysKind,
        ["commercial-insurance"] = CommercialInsuranceCase.Answer,
        ["withdrawal"] = WithdrawalCase.Answer,
        ["transfer"] = TransferCase.Answer,
        ["family-aid"] = FamilyAidCase.Answer,
        ["crediting"] = CreditingCase.Answer,
        ["backfill"] = BackfillCase.Answer,
        ["waiting-period"] = WaitingPeriodCase.Answer,
        ["inpatient"] = InpatientCase.Answer,
    };

    public CaseKinds(CaseContext context) => Context = context;

    public CaseContext Context { get; }

    /// <summary>The same kinds answering without building reasons (the fast path).</summary>
    public CaseKinds WithoutExplanation => _fast ??= new CaseKinds(Context with { Explain = false });

    private CaseKinds? _fast;

    /// <summary>The kinds with the packs of <c>policies/</c> and the shipped calendars (<c>calendars/</c>).</summary>
    public static CaseKinds Default { get; } = new(new CaseContext(PolicyPackLoader.Embedded, HolidayCalendars.Shipped));

    public IReadOnlyCollection<string> Names => _kinds.Keys;

    public bool Supports(string kind) => _kinds.ContainsKey(kind);

    /// <summary>Answers a case; throws <see cref="Errors.YibaoException"/> with <c>case-kind-not-supported</c> for an unknown kind.</summary>
    public JsonObject Answer(AcceptanceCase c) =>
        _kinds.TryGetValue(c.Kind, out var kind)
            ? kind(c, Context)
            : throw new Errors.YibaoException(Errors.ErrorCatalog.UnsupportedCaseKind(c.Kind));

    /// <summary>id-number: is an 18- (or legacy 15-) character resident ID valid; birth date and sex (GB 11643-1999, K15).</summary>
    private static JsonObject IdNumberKind(AcceptanceCase c)
    {
        var input = new CaseInput(c.Input);
        if (!IdNumber.TryParse(input.StringOrNull("value"), out var id, out var error))
            return new JsonObject { ["valid"] = false, ["reasonCode"] = error.Code.Value, ["reason"] = error.MessageEn };
        return new JsonObject
        {
            ["valid"] = true,
            ["value"] = id.Value,
            ["birthDate"] = Dates.Format(id.BirthDate),
            ["sex"] = id.Sex == Sex.Male ? "M" : "F",
            ["areaCode"] = id.AreaCode,
        };
    }

    /// <summary>credit-code: unified social credit code check (GB 32100-2015, K15).</summary>
    private static JsonObject CreditCodeKind(AcceptanceCase c)
    {
        var input = new CaseInput(c.Input);
        if (!CreditCode.TryParse(input.StringOrNull("value"), out var code, out var error))
            return new JsonObject { ["valid"] = false, ["reasonCode"] = error.Code.Value, ["reason"] = error.MessageEn };
        return new JsonObject { ["valid"] = true, ["innerCheckPasses"] = code.InnerCheckPasses };
    }

    /// <summary>
    /// working-days: the n-th working day strictly after a date, on the region's calendar (K5);
    /// <c>provisional</c> when the count read a day of the provisional year (K17).
    /// </summary>
    private static JsonObject WorkingDaysKind(AcceptanceCase c, CaseContext context)
    {
        var input = new CaseInput(c.Input);
        var calendar = context.Calendars.For(c.Region);
        var after = input.Date("after");
        var days = input.Int("days");
        if (days < 1) throw new Errors.YibaoException(Errors.ErrorCatalog.InvalidField("days", "at least 1"));
        var answer = calendar.AddWorkingDaysDetailed(after, days);
        var output = new JsonObject
        {
            ["date"] = Dates.Format(answer.Date),
            ["provisional"] = answer.Provisional,
            ["overlayMissing"] = answer.OverlayMissing,
            ["sources"] = new JsonArray(calendar.Sources(answer.Date.Year).Select(s => (JsonNode?)s).ToArray()),
        };
        if (answer.ProvisionalYear is { } year) output["provisionalYear"] = year;
        if (context.Explain) output["reasons"] = CaseOutput.Reasons(answer.Reasons);
        return output;
    }
}

/// <summary>Shared pieces of case answers.</summary>
public static class CaseOutput
{
    /// <summary>The reasons of a decision as JSON: rule id, text in both languages, values compared, provenance, source.</summary>
    public static JsonArray Reasons(IReadOnlyList<Reason> reasons) =>
        new(reasons.Select(r => (JsonNode?)new JsonObject
        {
            ["ruleId"] = r.RuleId,
            ["zh"] = r.TextZh,
            ["en"] = r.TextEn,
            ["values"] = new JsonObject(r.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)JsonValue.Create(v.Value)))),
            ["provenance"] = r.Provenance.Code(),
            ["source"] = r.Source,
        }).ToArray());
}
