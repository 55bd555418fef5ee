using Yibao.Domain.Identity;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Features.Withdrawal;

/// <summary>
/// What a withdrawal applicant states that the records do not hold: the reason, whether they
/// applied in writing (终止社会保险关系的书面申请), the heir (a death), where the money goes when it
/// goes to a bank (as written; shown masked), and for <c>transfer-impossible</c> the region the
/// person moves to. The person's status, death, balance and the heir's account come from the
/// records, never from here (<see cref="WithdrawalOnRecord"/>).
/// </summary>
public sealed record WithdrawalClaim(
    WithdrawalReason Reason,
    bool WrittenApplication,
    IdNumber? Heir = null,
    string? HeirName = null,
    string? BankAccount = null,
    RegionCode? TargetRegion = null);
