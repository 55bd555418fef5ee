using Yibao.Domain.Errors;
using CreditingStatus = Yibao.Domain.Features.Crediting.InsuredStatus;

namespace Yibao.Domain.Features.Records;

/// <summary>职工医保 / 居民医保: which scheme a person is insured in.</summary>
public enum InsuredScheme
{
    /// <summary>职工基本医疗保险: monthly contributions, a personal account.</summary>
    Employee,
    /// <summary>城乡居民基本医疗保险: yearly contributions (集中缴费期), no monthly gaps to detect.</summary>
    Resident,
}

/// <summary>
/// A person's status on a day, from their status history. The first three are the statuses of
/// the glossary (在职 / 退休 / 灵活就业); <see cref="Suspended"/> (中断, after leaving a job
/// or flexible participation until they rejoin) and <see cref="Deceased"/> are where the history
/// can also stand.
/// </summary>
public enum InsuredState
{
    /// <summary>在职: employed; the employer owes each month's contribution.</summary>
    Employed,
    /// <summary>退休: retired; no contribution is due.</summary>
    Retired,
    /// <summary>灵活就业: flexible worker; the person owes their own contribution.</summary>
    FlexibleEmployed,
    /// <summary>中断: left a job or stopped flexible participation; nobody owes a contribution until hire or rejoin.</summary>
    Suspended,
    /// <summary>死亡: nothing follows.</summary>
    Deceased,
}

/// <summary>The dated status changes kept in the history (参保 / 入职 / 离职 / 退休 / 死亡 / 恢复参保).</summary>
public enum StatusEventKind
{
    /// <summary>参保: the first event, recorded when the person is enrolled.</summary>
    Enrol,
    /// <summary>入职: employed by an employer (also a change of employer).</summary>
    Hire,
    /// <summary>离职 / 停保: leaves the job or stops flexible participation.</summary>
    Leave,
    /// <summary>退休: once.</summary>
    Retire,
    /// <summary>死亡: last.</summary>
    Die,
    /// <summary>恢复参保: only after a leave; with an employer (employed) or without (flexible).</summary>
    Rejoin,
}

/// <summary>The stored and API names (kebab-case) of the record enums; the schema's CHECK constraints use the same.</summary>
public static class RecordNames
{
    public static string Code(this InsuredScheme scheme) => scheme switch
    {
        InsuredScheme.Employee => "employee",
        InsuredScheme.Resident => "resident",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    public static string Code(this InsuredState state) => state switch
    {
        InsuredState.Employed => "employed",
        InsuredState.Retired => "retired",
        InsuredState.FlexibleEmployed => "flexible",
        InsuredState.Suspended => "suspended",
        InsuredState.Deceased => "deceased",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    public static string Code(this StatusEventKind kind) => kind switch
    {
        StatusEventKind.Enrol => "enrol",
        StatusEventKind.Hire => "hire",
        StatusEventKind.Leave => "leave",
        StatusEventKind.Retire => "retire",
        StatusEventKind.Die => "die",
        StatusEventKind.Rejoin => "rejoin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The Chinese name, for messages.</summary>
    public static string Zh(this InsuredState state) => state switch
    {
        InsuredState.Employed => "在职",
        InsuredState.Retired => "退休",
        InsuredState.FlexibleEmployed => "灵活就业",
        InsuredState.Suspended => "中断缴费",
        InsuredState.Deceased => "死亡",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>The Chinese name, for messages.</summary>
    public static string Zh(this StatusEventKind kind) => kind switch
    {
        StatusEventKind.Enrol => "参保",
        StatusEventKind.Hire => "入职",
        StatusEventKind.Leave => "离职/停保",
        StatusEventKind.Retire => "退休",
        StatusEventKind.Die => "死亡",
        StatusEventKind.Rejoin => "恢复参保",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseScheme(string? code, out InsuredScheme scheme)
    {
        foreach (var s in Enum.GetValues<InsuredScheme>())
        {
            if (string.Equals(s.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { scheme = s; return true; }
        }
        scheme = default;
        return false;
    }

    public static bool TryParseState(string? code, out InsuredState state)
    {
        foreach (var s in Enum.GetValues<InsuredState>())
        {
            if (string.Equals(s.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { state = s; return true; }
        }
        state = default;
        return false;
    }

    public static bool TryParseEvent(string? code, out StatusEventKind kind)
    {
        foreach (var k in Enum.GetValues<StatusEventKind>())
        {
            if (string.Equals(k.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { kind = k; return true; }
        }
        kind = default;
        return false;
    }

    /// <summary>A scheme from the edge; an unknown value is <c>invalid-field</c>.</summary>
    public static InsuredScheme ParseScheme(string? code, string field = "scheme") =>
        TryParseScheme(code, out var s) ? s : throw new YibaoException(ErrorCatalog.InvalidField(field, "expected employee or resident").With("value", code ?? ""));

    /// <summary>A status a person may be enrolled with: employed, retired or flexible.</summary>
    public static InsuredState ParseEnrolmentState(string? code, string field = "status") =>
        TryParseState(code, out var s) && s is InsuredState.Employed or InsuredState.Retired or InsuredState.FlexibleEmployed
            ? s
            : throw new YibaoException(ErrorCatalog.InvalidField(field, "expected employed, retired or flexible").With("value", code ?? ""));

    /// <summary>An event that may be appended (every kind but enrol, which comes with the enrolment).</summary>
    public static StatusEventKind ParseEvent(string? code, string field = "event") =>
        TryParseEvent(code, out var k)
            ? k
            : throw new YibaoException(ErrorCatalog.InvalidField(field, "expected hire, leave, retire, die or rejoin").With("value", code ?? ""));

    /// <summary>The crediting status of a state, or null when no monthly credit applies (suspended, deceased).</summary>
    public static CreditingStatus? ToCreditingStatus(this InsuredState state) => state switch
    {
        InsuredState.Employed => CreditingStatus.Employed,
        InsuredState.Retired => CreditingStatus.Retired,
        InsuredState.FlexibleEmployed => CreditingStatus.FlexibleEmployed,
        _ => null,
    };
}
