using System.Data.Common;
using System.Text.Json.Nodes;
using Yibao.Domain.Cases;
using Yibao.Domain.Decisions;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Backfill;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Backfill;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using DMoney = Yibao.Domain.Money.Money;
using DRate = Yibao.Domain.Money.Rate;

namespace Yibao.Cli.Cases;

/// <summary>
/// <c>yibao cases run --stored</c>: the <c>crediting</c>, <c>backfill</c>, <c>withdrawal</c>, <c>transfer</c>
/// (StoredApplicationCases.cs) and <c>family-aid</c> (<see cref="StoredFamilyAidCases"/>) cases played through storage, each on a fresh database, with the services the server uses. The person, the employer
/// and the contributions the input describes are recorded (<see cref="RecordsStore"/>); the month
/// is credited by the monthly run (<see cref="CreditingRunner"/>) or the back-pay posted
/// (<see cref="BackfillPoster"/>, twice: the retry must move nothing); then the figures are read
/// back from the ledger — entries by their keys and account balances — not taken from a
/// decision's return value, and compared with the case. Each database must pass the ledger
/// checker before it is dropped. Besides the case's own fields, <c>ledger.*</c> fields report
/// balances that disagree with the entries that should have made them.
/// </summary>
internal sealed partial class StoredCases(StoredDatabases databases, PolicyBook book, TimeProvider clock)
{
    internal const string Actor = "yibao cases run --stored";

    /// <summary>The kinds played through storage; every other kind stays a pure decision in this mode.</summary>
    public static bool Plays(string kind) => kind is "crediting" or "backfill" or "withdrawal" or "transfer" or "family-aid";

    /// <summary>Null when the case passes, else what differs (or the error the code raised), as <see cref="CasesCommand.Evaluate"/> says it.</summary>
    public async Task<string?> EvaluateAsync(AcceptanceCase c, CancellationToken ct)
    {
        await using var fresh = await databases.NewAsync(ct).ConfigureAwait(false);
        var mismatches = new List<CaseMismatch>();
        var expectedError = CaseComparison.ExpectedError(c.Expect);
        try
        {
            var answer = c.Kind switch
            {
                "crediting" => await CreditingAsync(fresh.Db, c, mismatches, ct).ConfigureAwait(false),
                "withdrawal" => await WithdrawalAsync(fresh.Db, c, mismatches, ct).ConfigureAwait(false),
                "transfer" => await TransferAsync(fresh.Db, c, mismatches, ct).ConfigureAwait(false),
                "family-aid" => await new StoredFamilyAidCases(book).PlayAsync(fresh.Db, c, mismatches, ct).ConfigureAwait(false),
                _ => await BackfillAsync(fresh.Db, c, mismatches, ct).ConfigureAwait(false),
            };
            if (expectedError is not null) return CaseComparison.CompareError(expectedError, null);
            mismatches.InsertRange(0, CaseComparison.Compare(c.Expect, answer));
        }
        catch (YibaoException e) when (expectedError is not null)
        {
            // Refused as the case expects: what was recorded before the refusal must still be a sound ledger.
            if (CaseComparison.CompareError(expectedError, e.Error) is { } wrong) return wrong;
            var sound = await LedgerVerifier.VerifyAsync(fresh.Db, ct).ConfigureAwait(false);
            return sound.Ok ? null : "ledger invariants broken: " + string.Join("; ", sound.Violations.Select(v => $"{v.Invariant}: {v.Detail}"));
        }
        catch (YibaoException e)
        {
            return $"error {e.Error.Code.Value}: {e.Error.MessageEn}";
        }
        catch (DbException e)
        {
            return $"database error: {e.Message}";
        }
        var report = await LedgerVerifier.VerifyAsync(fresh.Db, ct).ConfigureAwait(false);
        if (!report.Ok)
            return "ledger invariants broken: " + string.Join("; ", report.Violations.Select(v => $"{v.Invariant}: {v.Detail}"));
        return mismatches.Count == 0
            ? null
            : string.Join("; ", mismatches.Select(m => $"{m.Field} expected {m.Expected} got {m.Got}"));
    }

    // ---------------------------------------------------------------- crediting

    /// <summary>
    /// One month's credit: the person on record with the case's status, wage and ID number; for an
    /// employee, the month's contribution paid (its base is the declared wage within the region's
    /// floor and ceiling, K2, as a contribution record holds it); then the region's monthly run.
    /// <c>credit</c> is what the pooled fund paid out in the month's entry (the fund holds the month's
    /// contribution, received when it was recorded paid, less that), <c>deductions</c> what went
    /// to the long-term-care fund, <c>net</c> what the personal account received, <c>base</c> the
    /// base of the contribution the run credited from.
    /// </summary>
    private async Task<JsonObject> CreditingAsync(YibaoDatabase db, AcceptanceCase c, List<CaseMismatch> problems, CancellationToken ct)
    {
        var input = new CaseInput(c.Input);
        var month = input.Month("month");
        var status = input.String("status");
        var wage = input.MoneyOrNull("declaredWage") ?? input.MoneyOrNull("base");
        var records = new RecordsStore(db, clock);
        var person = await RecordPersonAsync(records, c, input, status, month.FirstDay, wage, ct).ConfigureAwait(false);
        var received = DMoney.Zero;
        if (person.Employer is { } employer)
        {
            var policy = ContributionPolicy.From(book.For(c.Region, month.FirstDay));
            var contributionBase = policy.Base(wage ?? throw new YibaoException(ErrorCatalog.MissingField("declaredWage")), Explanation.None);
            var row = new ContributionRow(1, person.Id, null, new ContributionMonth(month, employer, contributionBase,
                Part(contributionBase, policy.EmployerRate?.Value), Part(contributionBase, policy.IndividualRate?.Value), month.LastDay, month.LastDay));
            await records.RecordContributionsAsync(c.Region, [row], "case", ct).ConfigureAwait(false);
            received = row.Contribution.Total; // paid: received into the pooled fund before the run pays the credit out of it
        }

        var run = await new CreditingRunner(db, book, clock).RunAsync(c.Region, month, null, ct).ConfigureAwait(false);

        var ledger = new LedgerStore(db, clock);
        var entry = await ledger.GetEntryByKeyAsync(CreditingRunPlan.Key(c.Region, month, person.Id.Value), ct).ConfigureAwait(false);
        if (entry is null)
            return new JsonObject { ["credited"] = false, ["reasonCode"] = run.Run.SkippedByReason.Keys.FirstOrDefault() };

        var credit = -Sum(entry, AccountKind.PooledFund);
        var deductions = Sum(entry, AccountKind.LongTermCareFund);
        var net = Sum(entry, AccountKind.Personal);
        var contribution = (await records.GetContributionsAsync(c.Region, person.Id, month, month, ct).ConfigureAwait(false)).FirstOrDefault();

        Check(problems, "ledger.personalAccount", net, await BalanceAsync(ledger, AccountCode.Personal(c.Region, person.Id.Value), ct).ConfigureAwait(false));
        Check(problems, "ledger.pooledFund", received - credit, await BalanceAsync(ledger, AccountCode.Of(c.Region, AccountKind.PooledFund), ct).ConfigureAwait(false));
        if (deductions.IsPositive)
            Check(problems, "ledger.longTermCareFund", deductions, await BalanceAsync(ledger, AccountCode.Of(c.Region, AccountKind.LongTermCareFund), ct).ConfigureAwait(false));
        Check(problems, "ledger.runCredited", net, DMoney.FromFen(run.Run.SumCredited));
        return new JsonObject
        {
            ["credited"] = true,
            ["base"] = contribution?.Base.ToPlainString(),
            ["credit"] = credit.ToPlainString(),
            ["deductions"] = deductions.ToPlainString(),
            ["net"] = net.ToPlainString(),
        };
    }

    // ---------------------------------------------------------------- back-pay

    /// <summary>
    /// One back-pay: the person on record (with an employer for employer-caused arrears), the owed
    /// months recorded unpaid at the case's base as the region's rates make them, then the payment
    /// posted — and posted again, which must be a replay. <c>principal</c>, <c>lateFee</c>,
    /// <c>total</c> and <c>lateFeePayer</c> come from the back-pay's entries, <c>accountCredit</c> from
    /// the personal account's balance, the parts from the contribution records it marked paid.
    /// </summary>
    private async Task<JsonObject> BackfillAsync(YibaoDatabase db, AcceptanceCase c, List<CaseMismatch> problems, CancellationToken ct)
    {
        var input = new CaseInput(c.Input);
        var cause = input.String("cause") switch
        {
            "individual" => ArrearsCause.Individual,
            "employer" => ArrearsCause.Employer,
            var other => throw new YibaoException(ErrorCatalog.InvalidField("cause", $"'{other}' is not one of: individual, employer")),
        };
        var months = input.Strings("months").Select(YearMonth.Parse).ToList();
        if (months.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("months"));
        var paidOn = input.Date("paidOn");
        var contributionBase = input.MoneyOrNull("base");
        var rate = input.StringOrNull("rate") is { } r ? DRate.Parse(r) : (DRate?)null;
        var records = new RecordsStore(db, clock);
        var person = await RecordPersonAsync(records, c, input, input.String("status"), months.Min().FirstDay, contributionBase, ct).ConfigureAwait(false);
        if (OwedMonths(c, cause, months, paidOn, contributionBase, rate, person) is { } owed)
            await records.RecordContributionsAsync(c.Region, owed, "case", ct).ConfigureAwait(false);

        var ledger = new LedgerStore(db, clock);
        var poster = new BackfillPoster(db, ledger, book, clock);
        var request = new BackfillPaymentRequest(c.Region, person.Id.Value, cause, months, paidOn, contributionBase, rate, Actor);
        var posting = await poster.PostAsync(request, ct).ConfigureAwait(false);
        var retry = await poster.PostAsync(request, ct).ConfigureAwait(false);
        if (!retry.Replayed) problems.Add(new CaseMismatch("ledger.retry", "replayed", "posted again"));

        var key = BackfillEntries.Key(c.Region, person.Id.Value, paidOn, months);
        var principalEntry = await ledger.GetEntryByKeyAsync(BackfillEntries.PrincipalKey(key), ct).ConfigureAwait(false)
                             ?? throw new InvalidOperationException($"no principal entry under {key}");
        var feeEntry = await ledger.GetEntryByKeyAsync(BackfillEntries.LateFeeKey(key), ct).ConfigureAwait(false);
        var paymentEntry = await ledger.GetEntryByKeyAsync(BackfillEntries.PaymentKey(key), ct).ConfigureAwait(false)
                           ?? throw new InvalidOperationException($"no payment entry under {key}");
        var receivable = principalEntry.Postings.First(p => p.Account.Kind is AccountKind.EmployerReceivable or AccountKind.InsuredReceivable).Account;
        var principal = -Sum(principalEntry, receivable.Kind);
        var lateFee = feeEntry is null ? DMoney.Zero : Sum(feeEntry, AccountKind.LateFeeIncome);
        var total = -Sum(paymentEntry, AccountKind.BankClearing);
        var payer = (feeEntry ?? principalEntry).Postings.First(p => p.Account.Kind is AccountKind.EmployerReceivable or AccountKind.InsuredReceivable).Account.Kind;
        var personal = AccountCode.Personal(c.Region, person.Id.Value);
        var accountCredit = await BalanceAsync(ledger, personal, ct).ConfigureAwait(false);

        // The balances must be what these entries (and the months' credits) make them, once.
        DMoney credited = DMoney.Zero, fundPaidOut = DMoney.Zero;
        foreach (var month in months)
        {
            if (await ledger.GetEntryByKeyAsync(CreditingRunPlan.Key(c.Region, month, person.Id.Value), ct).ConfigureAwait(false) is not { } credit) continue;
            credited += Sum(credit, AccountKind.Personal);
            fundPaidOut -= Sum(credit, AccountKind.PooledFund);
        }
        Check(problems, "ledger.accountCredit", posting.AccountCredit, credited);
        Check(problems, "ledger.personalAccount", credited, accountCredit);
        Check(problems, "ledger.pooledFund", principal - fundPaidOut, await BalanceAsync(ledger, AccountCode.Of(c.Region, AccountKind.PooledFund), ct).ConfigureAwait(false));
        Check(problems, "ledger.lateFeeIncome", lateFee, await BalanceAsync(ledger, AccountCode.Of(c.Region, AccountKind.LateFeeIncome), ct).ConfigureAwait(false));
        Check(problems, "ledger.bankClearing", -total, await BalanceAsync(ledger, AccountCode.Of(c.Region, AccountKind.BankClearing), ct).ConfigureAwait(false));
        Check(problems, "ledger.receivable", DMoney.Zero, await BalanceAsync(ledger, receivable, ct).ConfigureAwait(false));
        Check(problems, "ledger.total", principal + lateFee, total);

        var paid = (await records.GetContributionsAsync(c.Region, person.Id, months.Min(), months.Max(), ct).ConfigureAwait(false))
            .Where(m => months.Contains(m.Month)).ToList();
        if (paid.Count != months.Count || paid.Any(m => m.PaidDate != paidOn))
            problems.Add(new CaseMismatch("records.paidMonths", $"{months.Count} paid on {Dates.Format(paidOn)}",
                string.Join(",", paid.Select(m => $"{m.Month}:{(m.PaidDate is { } d ? Dates.Format(d) : "unpaid")}"))));

        var answer = new JsonObject
        {
            ["principal"] = principal.ToPlainString(),
            ["lateFee"] = lateFee.ToPlainString(),
            ["total"] = total.ToPlainString(),
            ["accountCredit"] = accountCredit.ToPlainString(),
            ["lateFeePayer"] = payer == AccountKind.EmployerReceivable ? "employer" : "individual",
        };
        if (cause == ArrearsCause.Employer)
        {
            answer["employerPart"] = DMoney.Sum(paid.Select(m => m.EmployerPart)).ToPlainString();
            answer["individualPart"] = DMoney.Sum(paid.Select(m => m.IndividualPart)).ToPlainString();
        }
        return answer;
    }

    /// <summary>
    /// The owed months as the agency's records hold them before the payment: the case's base
    /// within the floor and ceiling, the employer and individual parts at the region's rates
    /// (employer-caused) or the individual's chosen rate (default: the flexible rate), due per the
    /// region's due-date rule, unpaid. Rates of the payment day, as the quote takes them (K16).
    /// Nothing when the case gives no base or the pack lacks a rate: the back-pay then records the months itself.
    /// </summary>
    private IReadOnlyList<ContributionRow>? OwedMonths(AcceptanceCase c, ArrearsCause cause, List<YearMonth> months, DateOnly paidOn, DMoney? given, DRate? rate, CasePerson person)
    {
        if (given is not { } wage) return null;
        var resolved = book.For(c.Region, paidOn);
        var contribution = ContributionPolicy.From(resolved);
        var due = BackfillPolicy.From(resolved).DueDate.Value;
        var contributionBase = contribution.Base(wage, Explanation.None);
        DMoney employerPart, individualPart;
        if (cause == ArrearsCause.Employer)
        {
            if (contribution.EmployerRate is not { } er || contribution.IndividualRate is not { } ir) return null;
            (employerPart, individualPart) = (contributionBase.MultiplyRoundHalfAwayFromZero(er.Value), contributionBase.MultiplyRoundHalfAwayFromZero(ir.Value));
        }
        else
        {
            if ((rate ?? contribution.FlexibleRate?.Value) is not { } own) return null;
            (employerPart, individualPart) = (DMoney.Zero, contributionBase.MultiplyRoundHalfAwayFromZero(own));
        }
        return months.Select((m, i) => new ContributionRow(i + 1, person.Id, null, new ContributionMonth(
            m, cause == ArrearsCause.Employer ? person.Employer : null, contributionBase, employerPart, individualPart,
            BackfillDecision.DueDate(m, due), null))).ToList();
    }

    // ---------------------------------------------------------------- records

    private sealed record CasePerson(IdNumber Id, CreditCode? Employer);

    /// <summary>
    /// The region, the person (the case's ID number, or a valid one made from the birth date) and,
    /// for an employee, an employer with a valid fictional credit code, through the records service.
    /// Enrolled on the 1st of the first month the case is about, so the status holds throughout.
    /// </summary>
    private async Task<CasePerson> RecordPersonAsync(RecordsStore records, AcceptanceCase c, CaseInput input, string status, DateOnly from, DMoney? wage, CancellationToken ct,
        Domain.Regions.RegionCode? inRegion = null, IdNumber? known = null)
    {
        var region = inRegion ?? c.Region;
        var state = status switch
        {
            "employed" => InsuredState.Employed,
            "retired" => InsuredState.Retired,
            "flexible" => InsuredState.FlexibleEmployed,
            _ => throw new YibaoException(ErrorCatalog.InvalidField("status", $"'{status}' is not one of: employed, retired, flexible")),
        };
        var birth = input.DateOrNull("birthDate");
        var id = known ?? (input.StringOrNull("idNumber") is { } text
            ? IdNumber.Parse(text)
            : IdNumber.Create(c.Region, birth ?? (state == InsuredState.Retired ? new DateOnly(1955, 3, 1) : new DateOnly(1985, 3, 1)), 1));
        if (birth is { } b && b != id.BirthDate)
            throw new YibaoException(ErrorCatalog.InvalidField("birthDate", $"{Dates.Format(b)} differs from the birth date in the ID number ({Dates.Format(id.BirthDate)})"));

        var regionName = book.Has(region) ? book.Pack(region).Name : region.Value;
        await records.EnsureRegionAsync(region, regionName, new DateOnly(1990, 1, 1), ct).ConfigureAwait(false);
        CreditCode? employer = null;
        if (state == InsuredState.Employed)
        {
            employer = CreditCode.Create('9', '1', region, "CA000001");
            await records.RegisterEmployerAsync(new Employer(employer.Value, region, $"案例单位 {c.Id}"), ct).ConfigureAwait(false);
        }
        var enrolledOn = from < id.BirthDate ? id.BirthDate : from;
        await records.EnrolAsync(InsuredEnrolment.Validated(new InsuredEnrolment(
            region, id, $"案例 {c.Id}", InsuredScheme.Employee, state, employer, state == InsuredState.Retired ? null : wage, enrolledOn, null, "CHN")), ct).ConfigureAwait(false);
        return new CasePerson(id, employer);
    }

    // ---------------------------------------------------------------- reading back

    private static DMoney Part(DMoney contributionBase, DRate? rate) =>
        rate is { } r ? contributionBase.MultiplyRoundHalfAwayFromZero(r) : DMoney.Zero;

    private static DMoney Sum(JournalEntry entry, AccountKind kind) =>
        DMoney.Sum(entry.Postings.Where(p => p.Account.Kind == kind).Select(p => p.Amount));

    internal static async Task<DMoney> BalanceAsync(LedgerStore ledger, AccountCode account, CancellationToken ct)
    {
        try
        {
            return (await ledger.GetBalanceAsync(account, ct).ConfigureAwait(false)).Total;
        }
        catch (YibaoException e) when (e.Error.Is(Codes.UnknownAccount))
        {
            return DMoney.Zero;
        }
    }

    internal static void Check(List<CaseMismatch> problems, string field, DMoney expected, DMoney got)
    {
        if (expected != got) problems.Add(new CaseMismatch(field, $"\"{expected.ToPlainString()}\"", $"\"{got.ToPlainString()}\""));
    }
}
