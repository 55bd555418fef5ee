using System.Diagnostics;
using System.Globalization;
using NpgsqlTypes;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Crediting;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Ledger;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Crediting;

/// <summary>What <c>yibao demo generate</c> builds.</summary>
public sealed record DemoGenerateOptions
{
    public required RegionCode Region { get; init; }
    /// <summary>Insured people to create.</summary>
    public int Insured { get; init; } = 10_000;
    /// <summary>The last contribution month; ages, statuses and enrolment are reckoned at its end.</summary>
    public required YearMonth Through { get; init; }
    /// <summary>Contribution months per person, ending at <see cref="Through"/> (fewer for people who joined, retired, left or died inside the window).</summary>
    public int Months { get; init; } = 36;
    /// <summary>The same seed gives the same people on every machine.</summary>
    public int Seed { get; init; } = 20250501;
    /// <summary>People per transaction.</summary>
    public int ChunkSize { get; init; } = 20_000;
}

/// <summary>What was written.</summary>
public sealed record DemoGenerateResult(long Employers, long Insured, long StatusEvents, long Contributions, long Accounts, TimeSpan Elapsed);

/// <summary>
/// Generates a realistic synthetic population into an empty region: employers with valid unified
/// social credit codes (GB 32100), insured people with valid resident ID numbers (GB 11643) whose
/// area, birth date and sex agree with the person, a mix of statuses (about two thirds employed,
/// a fifth retired, some flexible workers, a few suspended and deceased) with their dated status
/// history, declared wages between the region's base floor and ceiling (most of them low), several
/// years of monthly contributions with gaps (single missed months, and arrears at the end), and a
/// personal account (当年 / 历年) for every employee-scheme person. The contributions are load data
/// for benchmarks: they are written with <c>in_ledger = 0</c> (their money is not posted — tens of
/// millions of months would make generation slower than the runs it is there to measure), so
/// <c>ledger verify</c>'s contribution invariants leave them out. Written in chunks, each in one
/// transaction through the engine's fastest path (binary COPY on PostgreSQL, prepared statements
/// on SQLite); memory stays bounded whatever the size. Deterministic for a seed and month.
/// </summary>
public sealed class DemoPopulationGenerator(YibaoDatabase db, PolicyBook book)
{
    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
    ];
    private static readonly string[] MaleNames = ["建国", "国华", "德明", "志刚", "卫东", "伟", "强", "军", "浩然", "子轩", "宇航", "俊杰", "文博", "磊", "涛", "鹏"];
    private static readonly string[] FemaleNames = ["秀英", "桂英", "玉兰", "淑珍", "丽华", "芳", "红", "敏", "欣怡", "梓涵", "思琪", "雨欣", "佳慧", "婷", "静", "颖"];
    private static readonly string[] EmployerWords = ["华信", "恒通", "宏达", "永盛", "瑞丰", "鼎新", "金桥", "博远", "安泰", "天诚", "众合", "嘉禾"];
    private static readonly string[] EmployerTrades = ["科技", "商贸", "建设", "物流", "制造", "餐饮", "医药", "教育", "物业", "电子"];

    private static readonly DateOnly SchemeStart = new(1999, 1, 1);

    public async Task<DemoGenerateResult> GenerateAsync(DemoGenerateOptions options, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Insured is < 1 or > 50_000_000) throw new YibaoException(ErrorCatalog.InvalidField("insured", "is a number of people from 1 to 50,000,000"));
        if (options.Months is < 1 or > 240) throw new YibaoException(ErrorCatalog.InvalidField("months", "is a number of months from 1 to 240"));
        var region = options.Region;
        if (!book.Has(region)) throw new YibaoException(ErrorCatalog.UnknownRegion(region.Value));
        var watch = Stopwatch.StartNew();
        var reference = options.Through.LastDay;
        var policy = book.For(region, reference);
        var contribution = ContributionPolicy.From(policy);
        var shape = new Shape(
            contribution.BaseLimits?.Value.Floor ?? DMoney.FromYuan(3_000m),
            contribution.BaseLimits?.Value.Ceiling ?? DMoney.FromYuan(30_000m),
            contribution.AverageWage?.Value ?? DMoney.FromYuan(7_000m),
            contribution.EmployerRate?.Value.Value ?? 0.08m,
            contribution.IndividualRate?.Value.Value ?? 0.02m,
            contribution.FlexibleRate?.Value.Value ?? 0.10m);

        await using (var c = await db.ConnectAsync(ct).ConfigureAwait(false))
        await using (var count = c.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM insured WHERE region_code = @r";
            count.With("r", region.Value);
            var existing = Convert.ToInt64(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (existing > 0) throw new YibaoException(ErrorCatalog.RegionNotEmpty(region.Value, existing));
        }

        var employers = await EmployersAsync(region, policy.RegionName, Math.Max(1, options.Insured / 40), options.Seed, ct).ConfigureAwait(false);
        var random = new Random(options.Seed);
        var identities = new Dictionary<(int District, int Day, bool Male), int>();
        long people = 0, events = 0, contributions = 0;
        for (var start = 0; start < options.Insured; start += options.ChunkSize)
        {
            var size = Math.Min(options.ChunkSize, options.Insured - start);
            var chunk = new List<Person>(size);
            for (var i = 0; i < size; i++) chunk.Add(NewPerson(random, region, reference, options, shape, employers, identities));
            var (e, k) = await WriteChunkAsync(region, chunk, options, shape, ct).ConfigureAwait(false);
            people += size;
            events += e;
            contributions += k;
            progress?.Report(people);
        }
        return new DemoGenerateResult(employers.Length, people, events, contributions, people, watch.Elapsed);
    }

    private sealed record Shape(DMoney Floor, DMoney Ceiling, DMoney AverageWage, decimal EmployerRate, decimal IndividualRate, decimal FlexibleRate);

    /// <summary>A generated person: the record and the dates of their history.</summary>
    private sealed record Person(
        string IdNumber, string Name, bool Male, DateOnly Birth, string Status, DateOnly EnrolledOn, long? EmployerId, DMoney Wage,
        DateOnly? Retired, DateOnly? Left, DateOnly? Died, int Gaps, int ArrearsMonths, int PaidSeed);

#pragma warning disable CA5394 // Demo data: a seeded, repeatable generator is the point, not unpredictability.
    private static Person NewPerson(Random random, RegionCode region, DateOnly reference, DemoGenerateOptions options, Shape shape, long[] employers,
        Dictionary<(int, int, bool), int> identities)
    {
        var roll = random.Next(1000);
        var status = roll < 660 ? "employed" : roll < 880 ? "retired" : roll < 970 ? "flexible" : roll < 985 ? "suspended" : "deceased";
        var male = random.Next(2) == 0;
        var retirementAge = male ? 60 : 55;
        var age = status switch
        {
            "retired" or "deceased" => retirementAge + random.Next(91 - retirementAge),
            "flexible" => 25 + random.Next(retirementAge - 25),
            _ => 18 + (random.Next(retirementAge - 18) + random.Next(retirementAge - 18)) / 2,
        };
        var window = options.Through.AddMonths(-(options.Months - 1)).FirstDay;

        // A birth date that makes them `age` on the reference day, and a sequence number not used
        // yet for that district, day and sex: every ID number is valid and unique.
        var districts = 6;
        IdNumber id;
        DateOnly birth;
        while (true)
        {
            birth = reference.AddYears(-age).AddDays(-(1 + random.Next(364)));
            var district = 1 + random.Next(districts);
            var key = (district, birth.DayNumber, male);
            var used = identities.GetValueOrDefault(key);
            if (used >= 500) continue;
            identities[key] = used + 1;
            var area = RegionCode.Parse(region.Value[..4] + (district + 1).ToString("D2", CultureInfo.InvariantCulture));
            id = IdNumber.Create(area, birth, used * 2 + (male ? 1 : 0));
            break;
        }
        var name = Surnames[random.Next(Surnames.Length)] + (male ? MaleNames : FemaleNames)[random.Next(MaleNames.Length)];

        var enrolled = status == "flexible"
            ? Later(birth.AddYears(20), new DateOnly(2005, 1, 1).AddDays(random.Next(7000)))
            : birth.AddYears(18 + random.Next(9));
        if (enrolled < SchemeStart) enrolled = SchemeStart.AddDays(random.Next(730));
        if (enrolled > reference) enrolled = reference.AddDays(-random.Next(28));
        var retiredOn = status is "retired" or "deceased" ? Later(birth.AddYears(retirementAge), enrolled) : (DateOnly?)null;
        DateOnly? died = status == "deceased" ? Later(window, retiredOn!.Value).AddDays(random.Next(Math.Max(1, reference.DayNumber - Later(window, retiredOn.Value).DayNumber))) : null;
        DateOnly? left = status == "suspended" ? Later(window, enrolled).AddDays(random.Next(Math.Max(1, reference.DayNumber - Later(window, enrolled).DayNumber))) : null;

        // Wages: floor + (ceiling − floor) × u², to the ten yuan: most people near the floor, a few at the ceiling.
        var u = random.Next(1001) / 1000m;
        var wage = DMoney.FromYuan(decimal.Round((shape.Floor.Yuan + (shape.Ceiling.Yuan - shape.Floor.Yuan) * u * u) / 10m, 0, MidpointRounding.AwayFromZero) * 10m);
        if (status == "flexible")
        {
            decimal[] shares = [0.6m, 0.6m, 1m, 1m, 1.5m, 3m];
            wage = shape.AverageWage.MultiplyRoundHalfAwayFromZero(shares[random.Next(shares.Length)]);
            if (wage < shape.Floor) wage = shape.Floor;
            if (wage > shape.Ceiling) wage = shape.Ceiling;
        }
        long? employer = status is "employed" or "suspended" ? employers[(int)Math.Min(employers.Length - 1, (long)employers.Length * random.Next(1000) * random.Next(1000) / 1_000_000)] : null;

        // Gaps: most pay every month; some miss one to three months here and there, a few are in arrears at the end.
        var gapRoll = random.Next(100);
        var gaps = gapRoll < 10 ? 1 + random.Next(3) : 0;
        var arrears = gapRoll >= 95 ? 1 + random.Next(6) : 0;
        return new Person(id.Value, name, male, birth, status, enrolled, employer, wage, retiredOn, left, died, gaps, arrears, random.Next());
    }
#pragma warning restore CA5394

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private async Task<long[]> EmployersAsync(RegionCode region, string regionName, int count, int seed, CancellationToken ct)
    {
        await db.InTransactionAsync(async s =>
        {
            await using (var r = s.Command("INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                             .With("c", region.Value).With("n", regionName).With("d", SchemeStart))
                await r.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            foreach (var kind in Enum.GetValues<AccountKind>().Where(k => k != AccountKind.Personal))
                await LedgerStore.OpenAccountAsync(s, AccountCode.Of(region, kind), SchemeStart, ct).ConfigureAwait(false);

            await using var sink = await RowSink.OpenAsync(s, "employer",
                [("region_code", NpgsqlDbType.Text), ("credit_code", NpgsqlDbType.Text), ("name", NpgsqlDbType.Text), ("created_on", NpgsqlDbType.Date)], ct).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                // The organisation body carries the seed and the number, so two regions or seeds never share a code.
                var body = ((uint)(seed % 1000) * 100_000u + (uint)i).ToString("D8", CultureInfo.InvariantCulture)[^8..];
                var code = CreditCode.Create('9', '1', region, body);
                sink.Values[0] = region.Value;
                sink.Values[1] = code.Value;
                sink.Values[2] = $"{regionName}{EmployerWords[i % EmployerWords.Length]}{EmployerTrades[i / EmployerWords.Length % EmployerTrades.Length]}有限公司第{i + 1}分公司";
                sink.Values[3] = SchemeStart.AddDays(i % 9000);
                await sink.WriteAsync(ct).ConfigureAwait(false);
            }
            await sink.CompleteAsync(ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);

        var ids = new List<long>(count);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM employer WHERE region_code = @r ORDER BY id";
        cmd.With("r", region.Value);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) ids.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        return [.. ids];
    }

    private async Task<(long Events, long Contributions)> WriteChunkAsync(RegionCode region, List<Person> chunk, DemoGenerateOptions options, Shape shape, CancellationToken ct)
    {
        return await db.InTransactionAsync(async s =>
        {
            var pg = s.Engine == Engine.Postgres;
            long before, insuredBefore;
            await using (var max = s.Command("SELECT COALESCE(MAX(id), 0) FROM ledger_account"))
                before = Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
            await using (var max = s.Command("SELECT COALESCE(MAX(id), 0) FROM insured"))
                insuredBefore = Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);

            await using (var sink = await RowSink.OpenAsync(s, "insured",
                             [("region_code", NpgsqlDbType.Text), ("id_number", NpgsqlDbType.Text), ("name", NpgsqlDbType.Text), ("sex", NpgsqlDbType.Text),
                              ("birth_date", NpgsqlDbType.Date), ("status", NpgsqlDbType.Text), ("enrolled_on", NpgsqlDbType.Date), ("scheme", NpgsqlDbType.Text),
                              ("employer_id", NpgsqlDbType.Bigint), ("declared_wage", NpgsqlDbType.Bigint), ("retirement_date", NpgsqlDbType.Date),
                              ("death_date", NpgsqlDbType.Date), ("nationality", NpgsqlDbType.Text)], ct).ConfigureAwait(false))
            {
                foreach (var p in chunk)
                {
                    var v = sink.Values;
                    (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (region.Value, p.IdNumber, p.Name, p.Male ? "M" : "F", p.Birth, p.Status, p.EnrolledOn);
                    (v[7], v[8], v[9], v[10], v[11], v[12]) = ("employee", p.EmployerId, p.Status == "retired" || p.Status == "deceased" ? null : p.Wage.Fen, p.Retired, p.Died, "CHN");
                    await sink.WriteAsync(ct).ConfigureAwait(false);
                }
                await sink.CompleteAsync(ct).ConfigureAwait(false);
            }

            // The ids the engine gave this chunk's people, by ID number (bounded by the chunk).
            var ids = new Dictionary<string, long>(chunk.Count, StringComparer.Ordinal);
            await using (var read = s.Command("SELECT id, id_number FROM insured WHERE id > @before AND region_code = @r"))
            {
                read.With("r", region.Value).With("before", insuredBefore);
                await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false)) ids[r.GetString(1)] = Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture);
            }

            long events = 0;
            var recordedAt = pg ? (object)DateTimeOffset.UtcNow : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            await using (var sink = await RowSink.OpenAsync(s, "insured_status",
                             [("insured_id", NpgsqlDbType.Bigint), ("region_code", NpgsqlDbType.Text), ("event", NpgsqlDbType.Text), ("status", NpgsqlDbType.Text),
                              ("effective_on", NpgsqlDbType.Date), ("employer_id", NpgsqlDbType.Bigint), ("recorded_at", NpgsqlDbType.TimestampTz)], ct).ConfigureAwait(false))
            {
                foreach (var p in chunk)
                {
                    var id = ids[p.IdNumber];
                    var firstStatus = p.Status == "flexible" ? "flexible" : p.Retired is { } r0 && r0 <= p.EnrolledOn ? "retired" : "employed";
                    events += await Event(sink, id, "enrol", firstStatus, p.EnrolledOn, p.EmployerId).ConfigureAwait(false);
                    if (p.Retired is { } retired && retired > p.EnrolledOn) events += await Event(sink, id, "retire", "retired", retired, null).ConfigureAwait(false);
                    if (p.Left is { } left) events += await Event(sink, id, "leave", "suspended", Later(left, p.EnrolledOn), null).ConfigureAwait(false);
                    if (p.Died is { } died) events += await Event(sink, id, "die", "deceased", died, null).ConfigureAwait(false);
                }
                await sink.CompleteAsync(ct).ConfigureAwait(false);

                async Task<long> Event(RowSink sink, long id, string name, string status, DateOnly on, long? employer)
                {
                    var v = sink.Values;
                    (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (id, region.Value, name, status, on, employer, recordedAt);
                    await sink.WriteAsync(ct).ConfigureAwait(false);
                    return 1;
                }
            }

            long contributions = 0;
            await using (var sink = await RowSink.OpenAsync(s, "contribution",
                             [("region_code", NpgsqlDbType.Text), ("insured_id", NpgsqlDbType.Bigint), ("employer_id", NpgsqlDbType.Bigint), ("month", NpgsqlDbType.Text),
                              ("base", NpgsqlDbType.Bigint), ("employer_part", NpgsqlDbType.Bigint), ("individual_part", NpgsqlDbType.Bigint),
                              ("due_date", NpgsqlDbType.Date), ("paid_date", NpgsqlDbType.Date), ("source", NpgsqlDbType.Text),
                              ("in_ledger", NpgsqlDbType.Integer)], ct).ConfigureAwait(false))
            {
                var first = options.Through.AddMonths(-(options.Months - 1));
                foreach (var p in chunk)
                {
                    var from = Later(first.FirstDay, p.EnrolledOn);
                    var to = p.Retired ?? p.Left ?? p.Died ?? options.Through.LastDay;
                    if (p.Status == "retired" || p.Status == "deceased") to = p.Retired!.Value.AddDays(-1);
                    var flexible = p.Status == "flexible";
                    var contributionBase = flexible ? p.Wage : DMoney.Max(shape.Floor, DMoney.Min(shape.Ceiling, p.Wage));
                    var employerPart = flexible ? 0 : contributionBase.MultiplyRoundHalfAwayFromZero(shape.EmployerRate).Fen;
                    var individualPart = contributionBase.MultiplyRoundHalfAwayFromZero(flexible ? shape.FlexibleRate : shape.IndividualRate).Fen;
                    var months = YearMonth.Of(from).MonthsUntil(YearMonth.Of(to)) + 1;
#pragma warning disable CA5394 // seeded per person: the same gaps on every machine
                    var gapRandom = new Random(p.PaidSeed);
                    var gapMonths = new HashSet<int>();
                    for (var g = 0; g < p.Gaps && months > 0; g++) gapMonths.Add(gapRandom.Next(months));
                    for (var m = 0; m < months; m++)
                    {
                        var month = YearMonth.Of(from).AddMonths(m);
                        var unpaid = gapMonths.Contains(m) || m >= months - p.ArrearsMonths;
                        var v = sink.Values;
                        (v[0], v[1], v[2], v[3], v[4], v[5], v[6]) = (region.Value, ids[p.IdNumber], flexible ? null : p.EmployerId, month.ToString(), contributionBase.Fen, employerPart, individualPart);
                        (v[7], v[8], v[9], v[10]) = (month.LastDay, unpaid ? null : month.LastDay.AddDays(-gapRandom.Next(20)), "demo", 0);
                        await sink.WriteAsync(ct).ConfigureAwait(false);
                        contributions++;
                    }
#pragma warning restore CA5394
                }
                await sink.CompleteAsync(ct).ConfigureAwait(false);
            }

            // 个人账户: one per person, with its 当年 and 历年 balance rows.
            await using (var sink = await RowSink.OpenAsync(s, "ledger_account",
                             [("code", NpgsqlDbType.Text), ("region_code", NpgsqlDbType.Text), ("kind", NpgsqlDbType.Text), ("holder", NpgsqlDbType.Text),
                              ("status", NpgsqlDbType.Text), ("opened_on", NpgsqlDbType.Date)], ct).ConfigureAwait(false))
            {
                var prefix = $"{region.Value}:personal:";
                foreach (var p in chunk)
                {
                    var v = sink.Values;
                    (v[0], v[1], v[2], v[3], v[4], v[5]) = (prefix + p.IdNumber, region.Value, "personal", p.IdNumber, "open", p.EnrolledOn);
                    await sink.WriteAsync(ct).ConfigureAwait(false);
                }
                await sink.CompleteAsync(ct).ConfigureAwait(false);
            }
            await using (var balances = s.Command(
                             "INSERT INTO account_balance (account_id, segment, shard, region_code, non_negative, is_open, balance, posting_count) " +
                             "SELECT a.id, g.segment, 0, a.region_code, 1, 1, 0, 0 FROM ledger_account a CROSS JOIN (SELECT 'current-year' AS segment UNION ALL SELECT 'historical') g " +
                             "WHERE a.id > @before AND a.region_code = @r AND a.kind = 'personal' AND NOT EXISTS (SELECT 1 FROM account_balance b WHERE b.account_id = a.id)")
                         .With("before", before).With("r", region.Value))
                await balances.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return (events, contributions);
        }, ct).ConfigureAwait(false);
    }
}
