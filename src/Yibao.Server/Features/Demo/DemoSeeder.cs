using System.Diagnostics;
using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Yibao.Server.Hosting;
using Yibao.Storage.YearEnd;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>What a seeding run did.</summary>
/// <param name="AlreadySeeded">The demo was complete for the last month: nothing was done.</param>
/// <param name="People">Demo people of 990100.</param>
/// <param name="EntriesWritten">Journal entries the database gained during the run.</param>
/// <param name="Through">The last month on record.</param>
/// <param name="Took">How long it took.</param>
public sealed record DemoSeedResult(bool AlreadySeeded, int People, long EntriesWritten, YearMonth Through, TimeSpan Took);

/// <summary>
/// Seeds the demo region 990100 示例市 through the paths an agency uses, from the day its records
/// start (<see cref="DemoRegion.GoLive"/>) to last month: the region and its accounts, the
/// employers registered, the people enrolled with their dated status history (hires, leaves,
/// retirements, deaths), the contributions imported (most paid on time, some late — their payments
/// in a second file —, some never paid or not reported, flexible workers their own), then month by
/// month the monthly crediting run, the year-end after each December, and the pharmacy spends of the
/// next month; one person moves to 兰州 with a transfer, and an heir's
/// withdrawal for a deceased person waits for review (<see cref="DemoApplications"/>). The money is
/// the pack's: nothing here computes a credit, a carry-over or a balance.
/// <para>
/// Every step is idempotent and decided by the database (natural keys with ON CONFLICT, idempotency
/// keys, batch runs with checkpoints, conditional updates), never guarded by a lock, so a second start
/// changes nothing and two processes starting at once end with one demo: whichever writes a row or an
/// entry second finds it there. A later start, in a later month, records the months since.
/// </para>
/// </summary>
/// <param name="db">The database to seed.</param>
/// <param name="ledger">Spends and applications post through it.</param>
/// <param name="book">The packs: every figure is theirs.</param>
/// <param name="calendars">The applications' deadlines.</param>
/// <param name="clock">Today: the demo is recorded up to last month.</param>
/// <param name="log">Where the one summary line goes.</param>
/// <param name="population">How many people; the first of them are always the same (tests seed fewer).</param>
public sealed partial class DemoSeeder(
    YibaoDatabase db, LedgerStore ledger, PolicyBook book, HolidayCalendars calendars, TimeProvider clock, ILogger<DemoSeeder> log,
    int population = DemoPopulation.DefaultCount)
{
    public const string PharmacySpendReason = "pharmacy-spend";

    /// <summary>The region's own accounts: every kind but personal.</summary>
    public static IReadOnlyList<AccountCode> RegionAccounts { get; } =
        Enum.GetValues<AccountKind>().Where(k => k != AccountKind.Personal).Select(k => AccountCode.Of(DemoRegion.Code, k)).ToList();

    /// <param name="force">Run every step even when the demo is complete (each step is idempotent anyway).</param>
    /// <param name="ct">Cancels the run; the step in flight rolls back, and the next start goes on from there.</param>
    public async Task<DemoSeedResult> SeedAsync(bool force = false, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var today = Dates.TodayInChina(clock);
        var through = YearMonth.Of(today).AddMonths(-1);
        var people = DemoPopulation.Generate(population);
        if (through < DemoRegion.LastEventMonth)
        {
            // The demo's histories run to October 2025: on an earlier clock they would be in the future.
            LogTooEarly(log, DemoRegion.Code.Value, Dates.Format(today));
            return new DemoSeedResult(true, people.Count, 0, through, watch.Elapsed);
        }
        if (!force && await IsSeededAsync(through, ct).ConfigureAwait(false))
            return new DemoSeedResult(true, people.Count, 0, through, watch.Elapsed);

        var entriesBefore = await EntriesAsync(ct).ConfigureAwait(false);
        await RecordPeopleAsync(people, today, ct).ConfigureAwait(false);
        // The months as reported, then the late payments: two files through the import, as an agency sends them.
        ContributionPolicy PolicyOf(YearMonth m) => ContributionPolicy.From(book.For(DemoRegion.Code, m.FirstDay));
        var importer = new ContributionImporter(db, clock);
        await ImportAsync(importer, DemoContributions.Reported(people, DemoRegion.FirstMonth, through, PolicyOf), "demo:contributions", ct).ConfigureAwait(false);
        await ImportAsync(importer, DemoContributions.LatePayments(people, DemoRegion.FirstMonth, through, today, PolicyOf), "demo:late-payments", ct).ConfigureAwait(false);

        // Small runs one after the other: SQLite's own checkpoints suffice (BatchRunOptions.CheckpointWhenDone), and
        // 300 people fit SQLite's default page cache (a larger one, set and reset per run, costs more than it saves).
        var options = new BatchRunOptions { CheckpointWhenDone = false, SqliteCacheKib = 2_000 };
        var crediting = new CreditingRunner(db, book, clock, options);
        var yearEnd = new YearEndRunner(db, book, clock, options);
        for (var month = DemoRegion.FirstMonth; month <= through; month = month.AddMonths(1))
        {
            // The applications come before the last month's run, so that run is the demo's last write (IsSeededAsync).
            if (month == through) await new DemoApplications(db, ledger, book, calendars, clock, log).RunAsync(people, ct).ConfigureAwait(false);
            await crediting.RunAsync(DemoRegion.Code, month, ct: ct).ConfigureAwait(false);
            if (month.Month == 12 && month.LastDay < today) await yearEnd.RunAsync(DemoRegion.Code, month.Year, ct: ct).ConfigureAwait(false);
            if (month < through) await SpendAsync(people, month.AddMonths(1), ct).ConfigureAwait(false);
        }
        var written = await EntriesAsync(ct).ConfigureAwait(false) - entriesBefore;
        LogSeeded(log, DemoRegion.Code.Value, DemoRegion.Name, people.Count, DemoRegion.FirstMonth.ToString(), through.ToString(), written, watch.ElapsedMilliseconds);
        return new DemoSeedResult(false, people.Count, written, through, watch.Elapsed);
    }

    /// <summary>The region, its accounts, the employers, the people and their histories: one transaction.</summary>
    private Task RecordPeopleAsync(IReadOnlyList<DemoPerson> people, DateOnly today, CancellationToken ct) =>
        db.InTransactionAsync(async s =>
        {
            await using (var region = s.Command("INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                             .With("c", DemoRegion.Code.Value).With("n", DemoRegion.Name).With("d", DemoRegion.SchemeStart))
                await region.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            foreach (var account in RegionAccounts)
                await LedgerStore.OpenAccountAsync(s, account, DemoRegion.SchemeStart, ct).ConfigureAwait(false);
            foreach (var employer in DemoPopulation.Employers)
                await RecordsStore.RegisterEmployerAsync(s, new Employer(employer.Code, DemoRegion.Code, employer.Name), DemoRegion.GoLive, ct).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            foreach (var p in people)
            {
                var enrolment = InsuredEnrolment.Validated(new InsuredEnrolment(DemoRegion.Code, p.Id, p.Name, InsuredScheme.Employee, p.EnrolledAs,
                    p.Employer, p.Wage, p.EnrolledOn, p.RetirementDate, "CHN"));
                await RecordsStore.EnrolAsync(s, enrolment, now, ct).ConfigureAwait(false);
                foreach (var e in p.History.Events.Skip(1))
                    await RecordsStore.AppendEventAsync(s, DemoRegion.Code, p.Id, e.Kind, e.EffectiveOn, e.Employer, today, now, ct).ConfigureAwait(false);
            }
            return 0;
        }, ct);

    /// <summary>A contribution file through the import, all or nothing; a refused line would be the demo's bug.</summary>
    private static async Task ImportAsync(ContributionImporter importer, IEnumerable<ContributionLine> lines, string source, CancellationToken ct)
    {
        var bad = new List<BadRow>();
        var summary = await importer.ImportAsync(DemoRegion.Code, Stream(lines), source, bad.Add, ct: ct).ConfigureAwait(false);
        if (!summary.Committed && summary.Rows > 0)
            throw new InvalidOperationException($"the demo's file {source} was refused: {string.Join("; ", bad.Take(3).Select(b => $"line {b.Line}: {b.Error}"))}");
    }

    private static async IAsyncEnumerable<ContributionLine> Stream(IEnumerable<ContributionLine> lines)
    {
        foreach (var line in lines) yield return line;
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// The pharmacy spends of a month (刷卡购药) from 当年 first, then 历年, each decided on the account's
    /// balance read locked in the transaction: one the account could not pay on its day is skipped, and
    /// one already posted (a second process, a restart) is left as it is.
    /// </summary>
    private Task SpendAsync(IReadOnlyList<DemoPerson> people, YearMonth month, CancellationToken ct) =>
        db.InTransactionAsync(async s =>
        {
            var settlement = AccountCode.Of(DemoRegion.Code, AccountKind.InstitutionSettlement);
            foreach (var p in people)
            {
                foreach (var spend in p.Spends.Where(x => YearMonth.Of(x.On) == month))
                {
                    if (p.History.StatusOn(spend.On)?.State is null or InsuredState.Deceased) continue;
                    var key = $"{DemoRegion.KeyPrefix}/{PharmacySpendReason}/{Dates.Format(spend.On)}/{p.Id.Value}";
                    var balance = await LedgerStore.GetBalanceForUpdateAsync(s, p.Account, ct).ConfigureAwait(false);
                    if (balance is not { Status: AccountStatus.Open } || await ExistsAsync(s, key, ct).ConfigureAwait(false)) continue;
                    var current = balance.Segments.GetValueOrDefault(Segment.CurrentYear);
                    var historical = balance.Segments.GetValueOrDefault(Segment.Historical);
                    // Paid if the account held the amount on the day (its postings dated up to then), whatever was
                    // posted since: the same answer on a second start and in a second process. Never more than it holds now.
                    if (spend.Amount > await BalanceOnAsync(s, p.Account, spend.On, ct).ConfigureAwait(false) || spend.Amount > current + historical) continue;
                    var lines = PersonalAccountDraw.Lines(p.Account, current, historical, spend.Amount).Append(new PostingLine(settlement, Segment.Main, spend.Amount)).ToList();
                    await ledger.PostAsync(s, new JournalEntryRequest
                    {
                        IdempotencyKey = key,
                        Region = DemoRegion.Code,
                        ReasonCode = PharmacySpendReason,
                        BusinessDate = spend.On,
                        Actor = DemoRegion.Actor,
                        PolicyVersion = DemoRegion.PolicyVersion,
                        Memo = $"{spend.Pharmacy} 刷卡购药",
                        Postings = lines,
                    }, ct).ConfigureAwait(false);
                }
            }
            return 0;
        }, ct);

    private static async Task<DomainMoney> BalanceOnAsync(DbSession s, AccountCode account, DateOnly day, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT COALESCE(SUM(p.amount), 0) FROM posting p JOIN ledger_account a ON a.id = p.account_id WHERE a.code = @c AND p.business_date <= @d")
            .With("c", account.Value).With("d", day);
        return DomainMoney.FromFen(Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture));
    }

    private static async Task<bool> ExistsAsync(DbSession s, string key, CancellationToken ct)
    {
        await using var cmd = s.Command("SELECT COUNT(*) FROM journal_entry WHERE idempotency_key = @k").With("k", key);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Complete for <paramref name="through"/> when its last step is done: the month's run, and after a December the year-end.</summary>
    private async Task<bool> IsSeededAsync(YearMonth through, CancellationToken ct)
    {
        var lastRun = through.Month == 12 && through.LastDay < Dates.TodayInChina(clock)
            ? await BatchRuns.GetAsync(db, DemoRegion.Code, BatchRuns.YearEnd, through.Year.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false)
            : await BatchRuns.GetAsync(db, DemoRegion.Code, BatchRuns.MonthlyCredit, through.ToString(), ct).ConfigureAwait(false);
        return lastRun is { Finished: true };
    }

    private async Task<long> EntriesAsync(CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.Sql("SELECT COUNT(*) FROM journal_entry");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo region {Region} {RegionName} seeded: {People} insured, months {From}…{Through}, {Written} entries written, in {Milliseconds} ms")]
    private static partial void LogSeeded(ILogger logger, string region, string regionName, int people, string from, string through, long written, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo region {Region} not seeded: its records run to October 2025, and today is {Today}")]
    private static partial void LogTooEarly(ILogger logger, string region, string today);
}
