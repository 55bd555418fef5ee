using Yibao.Domain.Features.Records;

namespace Yibao.Domain.Errors;

/// <summary>
/// Refusals with their particulars, one typed factory per case. The codes, their HTTP status and
/// their meanings are declared once in <see cref="Codes"/>; a factory only says what this
/// refusal is about (the field, the account, the dates), in each language wholly.
/// </summary>
public static partial class ErrorCatalog
{
    // Input shape
    public static Refusal InvalidAmount(string value, string whyZh, string whyEn) =>
        Codes.InvalidAmount.Refuse($"金额格式错误:{whyZh}", $"Invalid amount: {whyEn}").With("value", value);
    public static Refusal AmountOutOfRange(string value) =>
        Codes.AmountOutOfRange.Refuse("金额超出可表示范围", "Amount is out of the representable range").With("value", value);
    public static Refusal AmountNotPositive(string value) =>
        Codes.AmountNotPositive.Refuse("金额必须大于零", "Amount must be greater than zero").With("value", value);
    public static Refusal InvalidRate(string value, string whyZh, string whyEn) =>
        Codes.InvalidRate.Refuse($"比例格式错误:{whyZh}", $"Invalid rate: {whyEn}").With("value", value);
    public static Refusal InvalidIdNumber(string value, string why, string whyZh) =>
        Codes.InvalidIdNumber.Refuse($"身份证号码无效:{whyZh}", $"Invalid resident ID number: {why}").With("value", value);
    public static Refusal InvalidCreditCode(string value, string why, string whyZh) =>
        Codes.InvalidCreditCode.Refuse($"统一社会信用代码无效:{whyZh}", $"Invalid unified social credit code: {why}").With("value", value);
    public static Refusal InvalidRegionCode(string value) =>
        Codes.InvalidRegionCode.Refuse("行政区划代码必须是六位数字", "A region code is six digits (GB/T 2260)").With("value", value);
    public static Refusal InvalidDate(string value) =>
        Codes.InvalidDate.Refuse("日期格式错误,应为 YYYY-MM-DD", "Invalid date; expected YYYY-MM-DD").With("value", value);
    public static Refusal InvalidMonth(string value) =>
        Codes.InvalidMonth.Refuse("月份格式错误,应为 YYYY-MM", "Invalid month; expected YYYY-MM").With("value", value);
    public static Refusal InvalidDateRange(string from, string to) =>
        Codes.InvalidDateRange.Refuse("起始日期晚于结束日期", "The start date is after the end date").With("from", from).With("to", to);
    public static Refusal InvalidPaging(string whyZh, string whyEn) =>
        Codes.InvalidPaging.Refuse($"分页参数错误:{whyZh}", $"Invalid paging: {whyEn}");
    public static Refusal MissingField(string field) =>
        Codes.MissingField.Refuse($"缺少必填字段:{FieldLabels.Of(field)}", $"Required field '{field}' is missing").With("field", field);
    /// <summary>A field is invalid, with why in each language.</summary>
    public static Refusal InvalidField(string field, string whyZh, string whyEn) =>
        Codes.InvalidField.Refuse($"{FieldLabels.Of(field)}无效:{whyZh}", $"Field '{field}' is invalid: {whyEn}").With("field", field);
    /// <summary>A field is invalid; the why is English only, so the Chinese message names the field and no more.</summary>
    public static Refusal InvalidField(string field, string why) =>
        Codes.InvalidField.Refuse($"{FieldLabels.Of(field)}无效", $"Field '{field}' is invalid: {why}").With("field", field);

    // Calendars
    public static Refusal CalendarYearNotLoaded(int year) =>
        Codes.CalendarYearNotLoaded.Refuse($"未载入 {year} 年的节假日安排,无法计算工作日", $"No holiday calendar is loaded for {year}; working days cannot be computed").With("year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static Refusal InvalidCalendarFile(string file, int line, string why, string whyZh) =>
        Codes.InvalidCalendarFile.Refuse($"节假日安排文件 {file}:{line} 无效:{whyZh}", $"Holiday calendar file {file}:{line} is invalid: {why}")
            .With("file", file).With("line", line.ToString(System.Globalization.CultureInfo.InvariantCulture));

    // Ledger
    public static Refusal UnknownAccount(string account) =>
        Codes.UnknownAccount.Refuse($"账户不存在:{account}", $"Unknown account: {account}").With("account", account);
    public static Refusal AccountClosed(string account) =>
        Codes.AccountClosed.Refuse($"账户已注销,不能再记账:{account}", $"The account is closed and takes no more postings: {account}").With("account", account);
    public static Refusal InsufficientBalance(string account, string segment, string balance, string needed) =>
        Codes.InsufficientBalance.Refuse("个人账户余额不足,不能透支", "Insufficient personal-account balance; an account never goes below zero")
            .With("account", account).With("segment", segment).With("balance", balance).With("needed", needed);
    public static Refusal EntryUnbalanced(string sum) =>
        Codes.EntryUnbalanced.Refuse("分录借贷不平衡(合计不为零)", "The journal entry does not balance (postings do not sum to zero)").With("sum", sum);
    public static Refusal EntryEmpty() =>
        Codes.EntryEmpty.Refuse("分录至少需要两条记账行", "A journal entry needs at least two postings");
    public static Refusal ZeroPosting(string account) =>
        Codes.ZeroPosting.Refuse("记账行金额不能为零", "A posting amount cannot be zero").With("account", account);
    public static Refusal InvalidSegment(string account, string segment) =>
        Codes.InvalidSegment.Refuse($"账户 {account} 没有 {segment} 分段", $"Account {account} has no segment '{segment}'").With("account", account).With("segment", segment);
    /// <summary>The key names an earlier request with other content; <paramref name="differs"/> names the fields that differ (e.g. <c>amount</c>).</summary>
    public static Refusal IdempotencyKeyReused(string key, IReadOnlyCollection<string>? differs = null)
    {
        var refusal = differs is { Count: > 0 }
            ? Codes.IdempotencyKeyReused.Refuse($"幂等键已用于内容不同的请求,不同之处:{string.Join("、", differs.Select(FieldLabels.Of))}",
                $"The idempotency key was already used for a request with different content; differs in: {string.Join(", ", differs)}")
                .With("differs", string.Join(",", differs))
            : Codes.IdempotencyKeyReused.Refuse();
        return refusal.With("key", key);
    }
    public static Refusal UnknownEntry(string entry) =>
        Codes.UnknownEntry.Refuse($"分录不存在:{entry}", $"Unknown journal entry: {entry}").With("entry", entry);
    public static Refusal AlreadyReversed(string entry) =>
        Codes.EntryAlreadyReversed.Refuse("该分录已被冲正", "The entry has already been reversed").With("entry", entry);
    public static Refusal CannotReverseReversal(string entry) =>
        Codes.CannotReverseReversal.Refuse("冲正分录不能再被冲正,请另行记账", "A reversal cannot itself be reversed; post a new entry instead").With("entry", entry);
    public static Refusal CrossRegionEntry() =>
        Codes.CrossRegionEntry.Refuse("一笔分录只能记入同一统筹地区的账户", "A journal entry posts to accounts of one region only");
    public static Refusal LedgerBusy() =>
        Codes.LedgerBusy.Refuse("账户正被并发修改,请稍后重试(未记账)", "The accounts are being changed concurrently; try again (nothing was posted)");
    public static Refusal AccountExists(string account) =>
        Codes.AccountExists.Refuse($"账户已存在:{account}", $"The account already exists: {account}").With("account", account);

    // Cases and generic
    public static Refusal UnsupportedCaseKind(string kind) =>
        Codes.CaseKindNotSupported.Refuse($"尚不支持的案例类型:{kind}", $"Case kind not supported yet: {kind}").With("kind", kind);
    public static Refusal PolicyRuleMissing(string region, string key, string date) =>
        Codes.PolicyRuleMissing.Refuse($"统筹地区 {region} 在 {date} 没有规则 {key}", $"Region {region} has no rule '{key}' in force on {date}")
            .With("region", region).With("key", key).With("date", date);
    public static Refusal UnknownDecisionKind(string kind) =>
        Codes.UnknownDecisionKind.Refuse($"不支持的计算事项:{kind}", $"Unknown kind of decision: {kind}").With("kind", kind);
    public static Refusal UnknownRegion(string region) =>
        Codes.UnknownRegion.Refuse($"未配置的统筹地区:{region}", $"No such pooling region is configured: {region}").With("region", region);

    // Insured records and back-pay (补缴)
    public static Refusal UnknownInsured(string region, string idNumber) =>
        Codes.UnknownInsured.Refuse($"统筹地区 {region} 没有该参保人:{idNumber}", $"No insured person with ID number {idNumber} in region {region}")
            .With("region", region).With("idNumber", idNumber);
    public static Refusal BackfillMonthAlreadyPaid(string month) =>
        Codes.BackfillMonthAlreadyPaid.Refuse($"{month} 的缴费已到账,不能重复补缴", $"The contribution of {month} is already paid; it cannot be back-paid again")
            .With("month", month);
    public static Refusal BackfillEmployerMissing(string idNumber) =>
        Codes.BackfillEmployerMissing.Refuse("单位欠缴的补缴须有参保人的用人单位记录", "Employer-caused back-pay needs the insured person's employer on record")
            .With("idNumber", idNumber);

    // Records: employers, insured people and their status history, contributions, imports
    public static Refusal UnknownEmployer(string creditCode, string region) =>
        Codes.UnknownEmployer.Refuse($"统筹地区 {region} 没有登记该单位:{creditCode}", $"No employer with credit code {creditCode} is registered in region {region}")
            .With("creditCode", creditCode).With("region", region);
    public static Refusal EmployerExistsDifferent(string creditCode, string field) =>
        Codes.EmployerExistsDifferent.Refuse($"该统一社会信用代码的单位已登记,且{FieldLabels.Of(field)}不同", $"An employer with this credit code is already registered with a different {field}")
            .With("creditCode", creditCode).With("field", field);
    public static Refusal InsuredExistsDifferent(string region, string idNumber, string field) =>
        Codes.InsuredExistsDifferent.Refuse($"该参保人已登记,且{FieldLabels.Of(field)}不同;变更请登记状态事件", $"The insured person is already enrolled with a different {field}; record a status event to change it")
            .With("region", region).With("idNumber", idNumber).With("field", field);
    public static Refusal StatusEventAfterDeath(StatusEventKind statusEvent, string deathDate) =>
        Codes.StatusEventAfterDeath.Refuse($"参保人已于 {deathDate} 死亡,不能再登记{statusEvent.Zh()}", $"The person died on {deathDate}; no '{statusEvent.Code()}' can follow")
            .With("event", statusEvent.Code()).With("deathDate", deathDate);
    public static Refusal StatusEventOutOfOrder(StatusEventKind statusEvent, string date, string lastDate) =>
        Codes.StatusEventOutOfOrder.Refuse($"{statusEvent.Zh()}的生效日期 {date} 早于上一次状态变更({lastDate});历史只能按日期向后追加", $"'{statusEvent.Code()}' on {date} is before the last recorded change ({lastDate}); history is appended in date order")
            .With("event", statusEvent.Code()).With("date", date).With("lastDate", lastDate);
    public static Refusal StatusEventNotAllowed(StatusEventKind statusEvent, InsuredState status, string why, string whyZh) =>
        Codes.StatusEventNotAllowed.Refuse($"当前参保状态为{status.Zh()},不能登记{statusEvent.Zh()}:{whyZh}", $"'{statusEvent.Code()}' is not allowed while the person is {status.Code()}: {why}")
            .With("event", statusEvent.Code()).With("status", status.Code());
    public static Refusal ContributionConflict(string idNumber, string month, string field, string stored, string given) =>
        Codes.ContributionConflict.Refuse($"{idNumber} 的 {month} 缴费已登记,{FieldLabels.Of(field)}不同(已登记 {stored},本次 {given})", $"The contribution of {idNumber} for {month} is already recorded with a different {field} (recorded {stored}, given {given})")
            .With("idNumber", idNumber).With("month", month).With("field", field).With("stored", stored).With("given", given);
    public static Refusal InsuredNameMismatch(string idNumber) =>
        Codes.InsuredNameMismatch.Refuse("姓名与该身份证号码的参保登记不一致", "The name does not match the enrolled person with this ID number")
            .With("idNumber", idNumber);
    public static Refusal InvalidImportFile(string file, string why, string whyZh) =>
        Codes.InvalidImportFile.Refuse($"导入文件无效:{whyZh}", $"The import file is invalid: {why}").With("file", file);
    public static Refusal InvalidCsvRow(string why, string whyZh) =>
        Codes.InvalidCsvRow.Refuse($"CSV 行格式错误:{whyZh}", $"Malformed CSV row: {why}");

    // Batch runs: monthly crediting, year-end, demo population
    public static Refusal CreditingMonthInFuture(string month, string today) =>
        Codes.CreditingMonthInFuture.Refuse($"{month} 尚未开始,不能划入", $"{month} has not started yet; it cannot be credited")
            .With("month", month).With("today", today);
    public static Refusal InsuranceYearNotEnded(string year, string end) =>
        Codes.InsuranceYearNotEnded.Refuse($"医保年度 {year} 于 {end} 结束,结束前不能年终结转", $"Insurance year {year} ends on {end}; it cannot be settled before then")
            .With("year", year).With("end", end);
    public static Refusal BatchRunNotFound(string region, string kind, string period) =>
        Codes.BatchRunNotFound.Refuse($"统筹地区 {region} 没有 {period} 的{(kind == "year-end" ? "年终结转" : "月度划入")}批次", $"Region {region} has no {kind} run for {period}")
            .With("region", region).With("kind", kind).With("period", period);
    public static Refusal RegionNotEmpty(string region, long insured) =>
        Codes.RegionNotEmpty.Refuse($"统筹地区 {region} 已有 {insured} 名参保人;示例人口只能生成到空的统筹地区", $"Region {region} already has {insured} insured people; a demo population is generated into an empty region only")
            .With("region", region).With("insured", insured.ToString(System.Globalization.CultureInfo.InvariantCulture));
    public static Refusal AmountNegative(string value, string field) =>
        Codes.AmountNegative.Refuse($"{FieldLabels.Of(field)}不能为负数", $"The amount cannot be negative ({field})").With("value", value).With("field", field);
    public static Refusal PreviousYearNotSettled(string region, string year) =>
        Codes.PreviousYearNotSettled.Refuse($"统筹地区 {region} 上一医保年度({year} 起)的预划入尚未年终清算:请先运行年终结转,再做新年度的一次性预划入,未做任何划入", $"Region {region} has not settled the pre-credits of the previous insurance year (from {year}): run its year-end first, then the new year's pre-credit; nothing was credited")
            .With("region", region).With("year", year);
}
