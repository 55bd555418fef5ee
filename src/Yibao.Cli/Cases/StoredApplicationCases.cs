using System.Globalization;
using System.Text.Json.Nodes;
using Yibao.Domain.Calendars;
using Yibao.Domain.Cases;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Applications;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Storage.Transfer;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Cli.Cases;

/// <summary>
/// The <c>withdrawal</c> and <c>transfer</c> cases through storage: the people, accounts and
/// balances the input describes are recorded, the application is submitted with its materials
/// on the case's day, accepted, approved and executed (twice: the retry must move nothing), a
/// transfer is delivered to the target region's inbox and credited there, and the figures are
/// read back from the ledger and the stored application, not from a decision's return value.
/// </summary>
internal sealed partial class StoredCases
{
    private const string Reviewer = "reviewer:cases";

    // ---------------------------------------------------------------- withdrawal

    private async Task<JsonObject> WithdrawalAsync(YibaoDatabase db, AcceptanceCase c, List<CaseMismatch> problems, CancellationToken ct)
    {
        var input = new CaseInput(c.Input);
        var clock = new DayClock(c.Date);
        var reasonText = input.String("reason");
        if (!WithdrawalNames.TryParseReason(reasonText, out var reason))
            throw new YibaoException(ErrorCatalog.InvalidField("reason", "不是可识别的支取事由", $"unknown reason '{reasonText}'"));
        var materials = input.Strings("materials").Select(code => WithdrawalNames.TryParseMaterial(code, out var m)
            ? m
            : throw new YibaoException(ErrorCatalog.UnknownMaterialCode(code, string.Join(", ", Enum.GetValues<WithdrawalMaterial>().Select(WithdrawalNames.Code))))).ToList();
        var balance = input.Money("balance");
        var records = new RecordsStore(db, clock);
        var status = input.String("status");
        var retiredOn = input.DateOrNull("retiredOn");
        var person = await RecordPersonAsync(records, c, input, status, status == "retired" && retiredOn is { } r ? r : c.Date.AddYears(-5), DMoney.Parse("6000.00"), ct).ConfigureAwait(false);
        await OpeningBalanceAsync(new LedgerStore(db, clock), AccountCode.Personal(c.Region, person.Id.Value), balance, ct).ConfigureAwait(false);
        // The fact the reason rests on is recorded first, as the agency does: a death, or the end of insurance here.
        if (reason == WithdrawalReason.Death)
            await records.AppendEventAsync(c.Region, person.Id, Domain.Features.Records.StatusEventKind.Die, c.Date, null, ct).ConfigureAwait(false);
        if (reason is WithdrawalReason.Emigration or WithdrawalReason.ForeignerLeaving && status != "retired")
            await records.AppendEventAsync(c.Region, person.Id, Domain.Features.Records.StatusEventKind.Leave, c.Date, null, ct).ConfigureAwait(false);
        IdNumber? heir = null;
        if (input.Bool("heirInsuredInRegion", false))
        {
            heir = IdNumber.Create(c.Region, new DateOnly(1990, 6, 6), 2);
            await RecordPersonAsync(records, c, input, "flexible", c.Date.AddYears(-1), DMoney.Parse("6000.00"), ct, known: heir).ConfigureAwait(false);
        }
        ApplicationAgent? agent = input.Bool("byAgent", false) ? new ApplicationAgent("代办人", IdNumber.Create(c.Region, new DateOnly(1980, 8, 8), 3)) : null;
        var target = reason == WithdrawalReason.TransferImpossible ? RegionCode.Parse(input.String("targetRegion")) : (RegionCode?)null;
        var written = input.Bool("writtenApplication", materials.Contains(WithdrawalMaterial.WrittenApplication));
        var submission = new ApplicationSubmission(c.Region, person.Id, ApplicationKind.Withdrawal, materials, agent,
            new WithdrawalClaim(reason, written, heir, heir is null ? null : "继承人", "6222 **** **** 0001", target));

        var ledger = new LedgerStore(db, clock);
        var store = new ApplicationStore(db, ledger, book, HolidayCalendars.Shipped, clock);
        var account = AccountCode.Personal(c.Region, person.Id.Value);
        var submitted = await store.SubmitAsync(submission, $"insured:{person.Id.Value}", ct).ConfigureAwait(false);
        if (submitted.IsRefused)
        {
            Check(problems, "ledger.personalAccount", balance, await BalanceAsync(ledger, account, ct).ConfigureAwait(false));
            return Refused(submitted.Refusal!.Code.Value, await AccountStatusAsync(ledger, account, ct).ConfigureAwait(false));
        }
        var app = submitted.Value.Application;
        if (app.Status == ApplicationStatus.Returned)
        {
            Check(problems, "ledger.personalAccount", balance, await BalanceAsync(ledger, account, ct).ConfigureAwait(false));
            var returned = Refused(app.ReasonCode, await AccountStatusAsync(ledger, account, ct).ConfigureAwait(false));
            returned["eligible"] = true;
            returned["missingMaterials"] = new JsonArray(app.Decision.MissingMaterials.Select(m => (JsonNode?)m).ToArray());
            return returned;
        }

        (await store.AcceptAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow();
        (await store.ApproveAsync(app.Id, Reviewer, null, ct).ConfigureAwait(false)).OrThrow();
        app = (await store.ExecuteAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow().Application;
        if (!(await store.ExecuteAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow().Replayed)
            problems.Add(new CaseMismatch("ledger.retry", "replayed", "executed again"));

        var entry = app.EntryKey is { } key ? await ledger.GetEntryByKeyAsync(key, ct).ConfigureAwait(false) : null;
        var payout = entry is null ? DMoney.Zero : -DMoney.Sum(entry.Postings.Where(p => p.Account == account).Select(p => p.Amount));
        var counter = entry?.Postings.FirstOrDefault(p => p.Account != account)?.Account;
        var decided = WithdrawalNames.Code(app.Standing.Withdrawal!.PayTo);
        var payTo = counter is { Kind: AccountKind.Personal } ? "heir-account" : decided;
        if (counter is { Kind: AccountKind.Personal } heirAccount)
            Check(problems, "ledger.heirAccount", payout, await BalanceAsync(ledger, heirAccount, ct).ConfigureAwait(false));
        if (counter is { Kind: AccountKind.BankClearing } bank)
            Check(problems, "ledger.bankClearing", payout, await BalanceAsync(ledger, bank, ct).ConfigureAwait(false));
        Check(problems, "ledger.personalAccount", DMoney.Zero, await BalanceAsync(ledger, account, ct).ConfigureAwait(false));
        Check(problems, "ledger.payout", balance, payout);
        return new JsonObject
        {
            ["eligible"] = true,
            ["complete"] = true,
            ["payout"] = payout.ToPlainString(),
            ["payTo"] = payTo,
            ["accountStatusAfter"] = await AccountStatusAsync(ledger, account, ct).ConfigureAwait(false),
            ["missingMaterials"] = new JsonArray(),
            ["applicationStatus"] = app.Status.Code(),
        };
    }

    private static JsonObject Refused(string? reasonCode, string accountStatus)
    {
        var answer = new JsonObject
        {
            ["eligible"] = false,
            ["complete"] = false,
            ["payout"] = "0.00",
            ["payTo"] = "none",
            ["accountStatusAfter"] = accountStatus,
            ["missingMaterials"] = new JsonArray(),
        };
        if (reasonCode is not null) answer["reasonCode"] = reasonCode;
        return answer;
    }

    // ---------------------------------------------------------------- transfer

    private async Task<JsonObject> TransferAsync(YibaoDatabase db, AcceptanceCase c, List<CaseMismatch> problems, CancellationToken ct)
    {
        var input = new CaseInput(c.Input);
        var target = RegionCode.Parse(input.String("targetRegion"));
        var applied = input.Date("appliedOn");
        var receivedOn = input.DateOrNull("receivedOn");
        var balance = input.Money("balance");
        var status = input.String("status");
        var clock = new DayClock(applied);
        var records = new RecordsStore(db, clock);
        var person = await RecordPersonAsync(records, c, input, status, applied.AddYears(-5), DMoney.Parse("6000.00"), ct).ConfigureAwait(false);
        await OpeningBalanceAsync(new LedgerStore(db, clock), AccountCode.Personal(c.Region, person.Id.Value), balance, ct).ConfigureAwait(false);
        // 参保 in the target region comes first (the new job), so the transfer-in can be credited.
        await RecordPersonAsync(records, c, input, status == "retired" ? "retired" : "flexible", applied.AddDays(-1), DMoney.Parse("6000.00"), ct, inRegion: target, known: person.Id).ConfigureAwait(false);

        var ledger = new LedgerStore(db, clock);
        var store = new ApplicationStore(db, ledger, book, HolidayCalendars.Shipped, clock);
        var source = AccountCode.Personal(c.Region, person.Id.Value);
        var submitted = await store.SubmitAsync(new ApplicationSubmission(c.Region, person.Id, ApplicationKind.Transfer, [], Transfer: new TransferClaim(target)),
            $"insured:{person.Id.Value}", ct).ConfigureAwait(false);
        if (submitted.IsRefused)
        {
            Check(problems, "ledger.sourceAccount", balance, await BalanceAsync(ledger, source, ct).ConfigureAwait(false));
            return new JsonObject { ["allowed"] = false, ["reasonCode"] = submitted.Refusal!.Code.Value, ["sourceBalanceAfter"] = balance.ToPlainString(), ["targetCredit"] = "0.00" };
        }
        var app = submitted.Value.Application;
        (await store.AcceptAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow();
        (await store.ApproveAsync(app.Id, Reviewer, null, ct).ConfigureAwait(false)).OrThrow();
        (await store.ExecuteAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow();
        if (!(await store.ExecuteAsync(app.Id, Reviewer, ct).ConfigureAwait(false)).OrThrow().Replayed)
            problems.Add(new CaseMismatch("ledger.retry", "replayed", "executed again"));

        // The target receives the record on receivedOn, or (not given) on the transfer-out deadline.
        app = await store.GetAsync(app.Id, ct).ConfigureAwait(false);
        clock.Set(receivedOn ?? app.DueOn);
        var exchange = new TransferExchange(new RegionDatabases(db), book, HolidayCalendars.Shipped, clock);
        var round = await exchange.RoundAsync(ct).ConfigureAwait(false);
        if (round.Errors.Count > 0) problems.Add(new CaseMismatch("exchange", "no errors", string.Join("; ", round.Errors)));
        var again = await exchange.RoundAsync(ct).ConfigureAwait(false);
        if (again.Delivered + again.Credited > 0) problems.Add(new CaseMismatch("exchange.retry", "nothing", $"{again.Delivered} delivered, {again.Credited} credited"));
        app = await store.GetAsync(app.Id, ct).ConfigureAwait(false);

        var messageId = $"transfer/{c.Region.Value}/{app.Id.ToString(CultureInfo.InvariantCulture)}";
        var credit = await ledger.GetEntryByKeyAsync(TransferExchange.TransferInKey(target, messageId), ct).ConfigureAwait(false);
        var targetAccount = AccountCode.Personal(target, person.Id.Value);
        var targetCredit = credit is null ? DMoney.Zero : DMoney.Sum(credit.Postings.Where(p => p.Account == targetAccount).Select(p => p.Amount));
        var inDeadline = await InboxDeadlineAsync(db, messageId, ct).ConfigureAwait(false) ?? app.TargetDueOn;
        var sourceAfter = await BalanceAsync(ledger, source, ct).ConfigureAwait(false);
        Check(problems, "ledger.targetAccount", targetCredit, await BalanceAsync(ledger, targetAccount, ct).ConfigureAwait(false));
        Check(problems, "ledger.moved", balance, sourceAfter + targetCredit);
        var answer = new JsonObject
        {
            ["allowed"] = true,
            ["mode"] = app.Standing.Transfer!.Mode is { } mode ? TransferNames.Code(mode) : null,
            ["acceptedOn"] = app.AcceptedOn is { } a ? Dates.Format(a) : null,
            ["transferOutDeadline"] = Dates.Format(app.DueOn),
            ["sourceBalanceAfter"] = sourceAfter.ToPlainString(),
            ["targetCredit"] = targetCredit.ToPlainString(),
            ["applicationStatus"] = app.Status.Code(),
        };
        if (inDeadline is { } due) answer["transferInDeadline"] = Dates.Format(due);
        return answer;
    }

    private static async Task<DateOnly?> InboxDeadlineAsync(YibaoDatabase db, string messageId, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT transfer_in_deadline FROM transfer_inbox WHERE message_id = @m";
        var p = cmd.CreateParameter();
        p.ParameterName = "m";
        p.Value = messageId;
        cmd.Parameters.Add(p);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? r.GetFieldValue<DateOnly>(0) : null;
    }

    // ---------------------------------------------------------------- shared

    /// <summary>The balance the case describes, as an opening entry from the region's pooled fund into 历年账户 (carried over), before any case's dates.</summary>
    internal static async Task OpeningBalanceAsync(LedgerStore ledger, AccountCode account, DMoney balance, CancellationToken ct)
    {
        if (!balance.IsPositive) return;
        var fund = AccountCode.Of(account.Region, AccountKind.PooledFund);
        await ledger.OpenAccountAsync(fund, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
        await ledger.PostAsync(new JournalEntryRequest
        {
            IdempotencyKey = $"case-opening/{account.Value}",
            Region = account.Region,
            ReasonCode = "opening-balance",
            BusinessDate = new DateOnly(2020, 1, 1),
            Actor = Actor,
            PolicyVersion = "case",
            Memo = "案例期初余额 / opening balance of the case",
            Postings = [new PostingLine(fund, Segment.Main, -balance), new PostingLine(account, Segment.Historical, balance)],
        }, ct).ConfigureAwait(false);
    }

    private static async Task<string> AccountStatusAsync(LedgerStore ledger, AccountCode account, CancellationToken ct) =>
        (await ledger.GetBalanceAsync(account, ct).ConfigureAwait(false)).Status == AccountStatus.Closed ? "closed" : "open";
}
