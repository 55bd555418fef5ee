using System.Globalization;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Time;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>在职 / 退休 / 灵活就业: the status a demo person is enrolled in.</summary>
public enum DemoStatus { Employed, Retired, Flexible }

/// <summary>What happens to a demo person while the demo's records run (from <see cref="DemoRegion.GoLive"/>).</summary>
public enum DemoLife
{
    /// <summary>Nothing changes.</summary>
    Stays,
    /// <summary>Reaches retirement age and retires (退休).</summary>
    Retires,
    /// <summary>A retiree who dies (死亡): their account waits for the heir.</summary>
    Dies,
    /// <summary>Leaves the job or stops paying as a flexible worker (离职/停保): suspended.</summary>
    Leaves,
    /// <summary>Leaves, then comes back as a flexible worker (恢复参保).</summary>
    LeavesAndRejoins,
    /// <summary>Changes employer (入职 at another).</summary>
    ChangesEmployer,
    /// <summary>Leaves and moves to another region: the balance goes with a transfer (转移接续).</summary>
    Moves,
}

/// <summary>A pharmacy purchase paid from the personal account.</summary>
public sealed record DemoSpend(DateOnly On, DomainMoney Amount, string Pharmacy);

/// <summary>A registered employer of the demo region.</summary>
public sealed record DemoEmployer(CreditCode Code, string Name);

/// <summary>One demo insured person: who they are, how they are enrolled, their dated history, how they pay and spend.</summary>
/// <param name="Id">The resident ID number (area 9901xx; birth date and sex as encoded).</param>
/// <param name="Name">Surname and given name.</param>
/// <param name="Status">The status they are enrolled in.</param>
/// <param name="Wage">The declared wage (在职) or the chosen base (灵活就业); null for a retiree.</param>
/// <param name="EnrolledOn">The day they are enrolled in the region's records (<see cref="DemoRegion.GoLive"/> for those insured before).</param>
/// <param name="RetirementDate">For a person enrolled retired: the day they retired.</param>
/// <param name="History">The status history: the enrolment and every later event, as the records will hold it.</param>
/// <param name="Life">What happens to them.</param>
/// <param name="PaySeed">Decides, month by month, whether their contribution is paid on time, late, not paid or not reported.</param>
/// <param name="Spends">Planned pharmacy purchases in date order (one the account cannot pay is skipped).</param>
public sealed record DemoPerson(
    IdNumber Id,
    string Name,
    DemoStatus Status,
    DomainMoney? Wage,
    DateOnly EnrolledOn,
    DateOnly? RetirementDate,
    StatusHistory History,
    DemoLife Life,
    int PaySeed,
    IReadOnlyList<DemoSpend> Spends)
{
    public Sex Sex => Id.Sex;
    public DateOnly BirthDate => Id.BirthDate;
    public AccountCode Account => AccountCode.Personal(DemoRegion.Code, Id.Value);
    public CreditCode? Employer => History.Events[0].Employer;

    public InsuredState EnrolledAs => Status switch
    {
        DemoStatus.Employed => InsuredState.Employed,
        DemoStatus.Retired => InsuredState.Retired,
        _ => InsuredState.FlexibleEmployed,
    };
}

/// <summary>
/// The demo people and employers of 990100, generated from a fixed seed: the same on every machine
/// and every start, so seeding is repeatable and its keys always name the same records and entries.
/// Pure: no clock, no I/O, no floating point near money.
/// </summary>
public static class DemoPopulation
{
    public const int DefaultCount = 300;
    public const int DefaultSeed = 990100;

    /// <summary>Bases a flexible worker may choose (60 %, 100 %, 150 %, 300 % of the 7,000.00 average wage).</summary>
    private static readonly decimal[] FlexibleBases = [4_200m, 4_200m, 7_000m, 7_000m, 10_500m, 21_000m];

    private static readonly string[] EmployerWords = ["华信", "恒通", "宏达", "永盛", "瑞丰", "鼎新", "金桥", "博远", "安泰", "天诚", "众合", "嘉禾"];
    private static readonly string[] EmployerTrades = ["科技", "商贸", "建设", "物流", "制造", "餐饮", "医药", "教育", "物业", "电子", "食品", "印务"];

    /// <summary>The region's employers: valid unified social credit codes (GB 32100) of 示例市.</summary>
    public static IReadOnlyList<DemoEmployer> Employers { get; } = Enumerable.Range(0, DemoRegion.Employers)
        .Select(i => new DemoEmployer(
            CreditCode.Create('9', '1', DemoRegion.Code, "DM" + (i + 1).ToString("D6", CultureInfo.InvariantCulture)),
            $"{DemoRegion.Name}{EmployerWords[i % EmployerWords.Length]}{EmployerTrades[i % EmployerTrades.Length]}有限公司"))
        .ToList();

    public static IReadOnlyList<DemoPerson> Generate(int count = DefaultCount, int seed = DefaultSeed)
    {
#pragma warning disable CA5394 // Demo data: a seeded, repeatable generator is the point, not unpredictability.
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var people = new List<DemoPerson>(count);
        var mover = false;
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var status = roll < 20 ? DemoStatus.Retired : roll < 32 ? DemoStatus.Flexible : DemoStatus.Employed;
            var male = random.Next(2) == 0;
            // A few of those in service reach retirement age during the demo's records.
            var retiring = status == DemoStatus.Employed && random.Next(100) < 5;
            var age = status switch
            {
                _ when retiring => male ? 59 : 54,
                DemoStatus.Retired => 60 + random.Next(26),                          // 60–85
                DemoStatus.Flexible => 25 + random.Next(35),                         // 25–59
                _ when male => 18 + random.Next(21) + random.Next(22),               // 18–59, most in their thirties and forties
                _ => 18 + random.Next(19) + random.Next(19),                         // 18–54: women in service retire earlier
            };
            // 1–365 days before the birthday that makes them `age`: exactly `age` full years on the reference date.
            var birth = DemoRegion.ReferenceDate.AddYears(-age).AddDays(-(1 + random.Next(365)));
            var area = DemoRegion.Districts[random.Next(DemoRegion.Districts.Count)];
            IdNumber id;
            do
            {
                // GB 11643: an odd sequence is a man, an even one a woman.
                id = IdNumber.Create(area, birth, random.Next(500) * 2 + (male ? 1 : 0));
            } while (!seen.Add(id.Value));
            var given = DemoNames.GivenNames(male, birth.Year);
            var name = DemoNames.Surnames[random.Next(DemoNames.Surnames.Length)] + given[random.Next(given.Length)];

            DomainMoney? wage = status switch
            {
                DemoStatus.Retired => null,
                DemoStatus.Flexible => DomainMoney.FromYuan(FlexibleBases[random.Next(FlexibleBases.Length)]),
                _ => DeclaredWage(random),
            };
            var employer = Employers[(int)((long)Employers.Count * random.Next(1000) * random.Next(1000) / 1_000_000)].Code;
            // A quarter of those in service join during the demo's records; everyone else is on record from the start.
            var joiner = status != DemoStatus.Retired && random.Next(4) == 0;
            var enrolledOn = joiner ? DemoRegion.GoLive.AddDays(31 + random.Next(210)) : DemoRegion.GoLive;
            var retirementAge = male ? 60 : 55;
            var retirement = birth.AddYears(retirementAge);
            DateOnly? retiredOn = status == DemoStatus.Retired ? Earlier(retirement, DemoRegion.GoLive) : null;

            var history = StatusHistory.Enrol(enrolledOn, status switch
            {
                DemoStatus.Employed => InsuredState.Employed,
                DemoStatus.Retired => InsuredState.Retired,
                _ => InsuredState.FlexibleEmployed,
            }, status == DemoStatus.Employed ? employer : null);
            var life = DemoLife.Stays;
            var last = DemoRegion.LastEventMonth.FirstDay;
            var lifeRoll = random.Next(100);
            var eventDay = FirstOfMonth(enrolledOn.AddDays(45 + random.Next(Math.Max(1, last.DayNumber - enrolledOn.DayNumber - 45))));
            if (status == DemoStatus.Retired)
            {
                if (lifeRoll < 8 && age >= 68)
                {
                    life = DemoLife.Dies;
                    history = history.Append(StatusEventKind.Die, eventDay.AddDays(random.Next(27)));
                }
            }
            else if (retirement > enrolledOn.AddDays(31) && retirement < last)
            {
                // Retires on the 1st of the month after the birthday: from then on a retiree's month.
                life = DemoLife.Retires;
                history = history.Append(StatusEventKind.Retire, FirstOfMonth(retirement.AddMonths(1)));
            }
            else if (status == DemoStatus.Employed && !mover && !joiner && i >= 10 && lifeRoll < 30)
            {
                // One person moves to 兰州: leaves in September 2025, applies for the transfer when the demo is seeded.
                mover = true;
                life = DemoLife.Moves;
                history = history.Append(StatusEventKind.Leave, new DateOnly(2025, 9, 1));
            }
            else if (lifeRoll < 5 && eventDay < last)
            {
                life = DemoLife.Leaves;
                history = history.Append(StatusEventKind.Leave, eventDay);
            }
            else if (lifeRoll < 9 && eventDay < last.AddMonths(-3))
            {
                life = DemoLife.LeavesAndRejoins;
                history = history.Append(StatusEventKind.Leave, eventDay).Append(StatusEventKind.Rejoin, eventDay.AddMonths(1 + random.Next(3)));
            }
            else if (status == DemoStatus.Employed && lifeRoll < 15 && eventDay < last)
            {
                life = DemoLife.ChangesEmployer;
                var other = Employers[(Employers.ToList().FindIndex(e => e.Code == employer) + 1 + random.Next(Employers.Count - 1)) % Employers.Count].Code;
                history = history.Append(StatusEventKind.Hire, eventDay, other);
            }

            var spends = new List<DemoSpend>();
            var spendDays = new HashSet<DateOnly>();
            var spendCount = status == DemoStatus.Retired ? 1 + random.Next(5) : random.Next(3);
            var spendFrom = DemoRegion.GoLive.AddMonths(1).AddDays(4);
            for (var s = 0; s < spendCount; s++)
            {
                var on = spendFrom.AddDays(random.Next(DemoRegion.LastEventMonth.LastDay.DayNumber - 7 - spendFrom.DayNumber));
                var amount = DomainMoney.FromFen(1_280 + random.Next(36_720));
                var pharmacy = DemoNames.Pharmacies[random.Next(DemoNames.Pharmacies.Length)];
                if (spendDays.Add(on)) spends.Add(new DemoSpend(on, amount, pharmacy));
            }
            spends.Sort((a, b) => a.On.CompareTo(b.On));

            people.Add(new DemoPerson(id, name, status, wage, enrolledOn, retiredOn, history, life, random.Next(), spends));
        }
        return people;
#pragma warning restore CA5394
    }

    /// <summary>A declared monthly wage from 3,000 to 30,000 yuan, most of them low, to the ten yuan.</summary>
    private static DomainMoney DeclaredWage(Random random)
    {
#pragma warning disable CA5394
        var u = random.Next(1001);
#pragma warning restore CA5394
        var yuan = 3_000m + 27_000m * u * u / 1_000_000m;
        return DomainMoney.FromYuan(decimal.Round(yuan / 10m, 0, MidpointRounding.AwayFromZero) * 10m);
    }

    private static DateOnly Earlier(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly FirstOfMonth(DateOnly d) => new(d.Year, d.Month, 1);
}
