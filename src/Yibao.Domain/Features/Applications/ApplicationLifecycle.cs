using Yibao.Domain.Errors;
using Yibao.Domain.Policy;

namespace Yibao.Domain.Features.Applications;

/// <summary>What an insured person applies for and the agency reviews (申请事项).</summary>
public enum ApplicationKind
{
    /// <summary>提取/支取: the balance paid out.</summary>
    Withdrawal,
    /// <summary>转移接续: the relationship and the balance moved to another pooling region.</summary>
    Transfer,
}

/// <summary>
/// Where an application stands. submitted → (returned for missing materials → submitted) →
/// accepted (受理) → approved / rejected → executed (money moved) → closed; or withdrawn by the
/// applicant before a decision.
/// </summary>
public enum ApplicationStatus
{
    Submitted,
    Returned,
    Accepted,
    Approved,
    Rejected,
    Executed,
    Closed,
    Withdrawn,
}

/// <summary>What someone does to an application; each moves it from some statuses to one.</summary>
public enum ApplicationAction
{
    /// <summary>The applicant files it (提交); it starts as submitted.</summary>
    Submit,
    /// <summary>The agency sends it back for missing materials (补正材料); the system does it at once when the decision finds some missing.</summary>
    Return,
    /// <summary>The applicant presents more materials; the decision runs again.</summary>
    Resubmit,
    /// <summary>The agency accepts the complete application (受理); the deadlines run from here.</summary>
    Accept,
    Approve,
    Reject,
    /// <summary>The approved movement of money is made (once, whatever the retries).</summary>
    Execute,
    /// <summary>Nothing is left to do (the payout made, the transfer delivered to the target region).</summary>
    Close,
    /// <summary>The applicant takes it back (撤回).</summary>
    Withdraw,
}

/// <summary>The allowed moves of an application, in one table, and the stable names of kinds and statuses.</summary>
public static class ApplicationLifecycle
{
    /// <summary>The status an action leads to from <paramref name="from"/>, or null when it is not allowed there.</summary>
    public static ApplicationStatus? Next(ApplicationStatus from, ApplicationAction action) => (from, action) switch
    {
        (ApplicationStatus.Submitted, ApplicationAction.Return) => ApplicationStatus.Returned,
        (ApplicationStatus.Returned, ApplicationAction.Resubmit) => ApplicationStatus.Submitted,
        (ApplicationStatus.Submitted, ApplicationAction.Accept) => ApplicationStatus.Accepted,
        (ApplicationStatus.Accepted, ApplicationAction.Approve) => ApplicationStatus.Approved,
        (ApplicationStatus.Submitted or ApplicationStatus.Accepted, ApplicationAction.Reject) => ApplicationStatus.Rejected,
        (ApplicationStatus.Approved, ApplicationAction.Execute) => ApplicationStatus.Executed,
        (ApplicationStatus.Executed, ApplicationAction.Close) => ApplicationStatus.Closed,
        (ApplicationStatus.Submitted or ApplicationStatus.Returned or ApplicationStatus.Accepted, ApplicationAction.Withdraw) => ApplicationStatus.Withdrawn,
        _ => null,
    };

    /// <summary>The statuses an action may start from (for the error that says where it could have been taken).</summary>
    public static IReadOnlyList<ApplicationStatus> From(ApplicationAction action) =>
        Enum.GetValues<ApplicationStatus>().Where(s => Next(s, action) is not null).ToList();

    /// <summary>Nothing more can happen to it (the queue leaves it out; a new application of the kind may be made).</summary>
    public static IReadOnlyList<ApplicationStatus> Final { get; } = [ApplicationStatus.Rejected, ApplicationStatus.Closed, ApplicationStatus.Withdrawn];

    /// <summary>Waiting on the agency, so its deadline counts (a returned one waits on the applicant; an executed one has had the agency's part done).</summary>
    public static IReadOnlyList<ApplicationStatus> WithAgency { get; } = [ApplicationStatus.Submitted, ApplicationStatus.Accepted, ApplicationStatus.Approved];

    /// <summary>Statuses as an SQL list of literals (<c>'a', 'b'</c>), from the codes above.</summary>
    public static string SqlList(IEnumerable<ApplicationStatus> statuses) => string.Join(", ", statuses.Select(s => $"'{s.Code()}'"));

    public static string Code(this ApplicationStatus status) => Kebab(status.ToString());

    public static string Code(this ApplicationKind kind) => Kebab(kind.ToString());

    public static string Code(this ApplicationAction action) => Kebab(action.ToString());

    public static ApplicationStatus ParseStatus(string? text) => Parse<ApplicationStatus>(text, "status", s => s.Code());

    public static ApplicationKind ParseKind(string? text) => Parse<ApplicationKind>(text, "kind", k => k.Code());

    private static T Parse<T>(string? text, string field, Func<T, string> code) where T : struct, Enum
    {
        var wanted = text?.Trim();
        foreach (var value in Enum.GetValues<T>())
        {
            if (code(value) == wanted) return value;
        }
        throw new YibaoException(ErrorCatalog.InvalidField(field,
            $"unknown {field} '{text}' (expected one of: {string.Join(", ", Enum.GetValues<T>().Select(code))})"));
    }

    /// <summary>Chinese names for messages.</summary>
    public static string Zh(this ApplicationStatus status) => status switch
    {
        ApplicationStatus.Submitted => "已提交",
        ApplicationStatus.Returned => "退回补正材料",
        ApplicationStatus.Accepted => "已受理",
        ApplicationStatus.Approved => "已审核通过",
        ApplicationStatus.Rejected => "不予通过",
        ApplicationStatus.Executed => "已办理",
        ApplicationStatus.Closed => "已办结",
        ApplicationStatus.Withdrawn => "已撤回",
        _ => status.ToString(),
    };

    /// <summary>Chinese names of the actions, for messages.</summary>
    public static string Zh(this ApplicationAction action) => action switch
    {
        ApplicationAction.Submit => "提交",
        ApplicationAction.Return => "退回补正材料",
        ApplicationAction.Resubmit => "补正后重新提交",
        ApplicationAction.Accept => "受理",
        ApplicationAction.Approve => "审核通过",
        ApplicationAction.Reject => "不予通过",
        ApplicationAction.Execute => "办理",
        ApplicationAction.Close => "办结",
        ApplicationAction.Withdraw => "撤回",
        _ => action.ToString(),
    };

    private static string Kebab(string pascal) => PolicyValueBinder.Kebab(pascal);
}

/// <summary>Rule keys of how an agency handles applications (经办时限).</summary>
[PolicyKeys]
public static class ApplicationKeys
{
    public static readonly PolicyKey<int> WithdrawalWorkingDays = new(
        "applications.withdrawal-working-days",
        "个人账户支取 processing time limit: working days from acceptance (受理) to payout",
        d => d is < 1 or > 60 ? $"{d} is not a number of working days from 1 to 60" : null);
}
