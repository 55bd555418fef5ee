using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using DomainMoney = Yibao.Domain.Money.Money;

namespace Yibao.Server.Features.Demo;

/// <summary>在职 / 退休 / 灵活就业, as stored in <c>insured.status</c>.</summary>
public enum DemoStatus { Employed, Retired, Flexible }

/// <summary>A pharmacy purchase paid from the personal account.</summary>
public sealed record DemoSpend(DateOnly On, DomainMoney Amount, string Pharmacy);

/// <summary>One demo insured person and the facts their demo ledger entries are computed from.</summary>
/// <param name="Id">The resident ID number (area 9901xx; birth date and sex as encoded).</param>
/// <param name="Name">Surname and given name.</param>
/// <param name="Status">在职 / 退休 / 灵活就业.</param>
/// <param name="EnrolledOn">The day they joined the employee scheme.</param>
/// <param name="Spends">Planned pharmacy purchases in date order (one the account cannot pay is skipped).</param>
/// <param name="Base">The monthly contribution base (缴费基数); zero for a retiree, who gets the fixed credit.</param>
/// <param name="HistoricalOpening">Balance brought into the historical segment (历年) on 2025-01-01; zero for some.</param>
public sealed record DemoPerson(
    IdNumber Id,
    string Name,
    DemoStatus Status,
    DomainMoney Base,
    DateOnly EnrolledOn,
    DomainMoney HistoricalOpening,
    IReadOnlyList<DemoSpend> Spends)
{
    public Sex Sex => Id.Sex;
    public DateOnly BirthDate => Id.BirthDate;
    public AccountCode Account => AccountCode.Personal(DemoRegion.Code, Id.Value);

    public string StatusCode => Status switch
    {
        DemoStatus.Employed => "employed",
        DemoStatus.Retired => "retired",
        DemoStatus.Flexible => "flexible",
        _ => throw new InvalidOperationException($"Unknown status {Status}"),
    };
}

/// <summary>
/// The demo people of 990100, generated from a fixed seed: the same list on every machine and
/// every start, so seeding is repeatable and its idempotency keys always name the same entries.
/// Pure: no clock, no I/O, no floating point near money.
/// </summary>
public static class DemoPopulation
{
    public const int DefaultCount = 300;
    public const int DefaultSeed = 990100;

    /// <summary>Bases a flexible worker may choose (60 %, 100 %, 150 %, 300 % of the 7,000.00 average wage).</summary>
    private static readonly decimal[] FlexibleBases = [4_200m, 4_200m, 7_000m, 7_000m, 10_500m, 21_000m];

    public static IReadOnlyList<DemoPerson> Generate(int count = DefaultCount, int seed = DefaultSeed)
    {
#pragma warning disable CA5394 // Demo data: a seeded, repeatable generator is the point, not unpredictability.
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var people = new List<DemoPerson>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var status = roll < 20 ? DemoStatus.Retired : roll < 32 ? DemoStatus.Flexible : DemoStatus.Employed;
            var male = random.Next(2) == 0;
            var age = status switch
            {
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

            var contributionBase = status switch
            {
                DemoStatus.Retired => DomainMoney.Zero,
                DemoStatus.Flexible => DomainMoney.FromYuan(FlexibleBases[random.Next(FlexibleBases.Length)]),
                _ => ClampToBase(DeclaredWage(random)),
            };

            var enrolledOn = status == DemoStatus.Flexible
                ? Later(birth.AddYears(18), new DateOnly(2010, 1, 1).AddDays(random.Next(15 * 365)))
                : birth.AddYears(18 + random.Next(Math.Min(26, age) - 17));
            if (enrolledOn < DemoRegion.SchemeStart) enrolledOn = DemoRegion.SchemeStart.AddDays(random.Next(730));
            if (enrolledOn > DemoRegion.ReferenceDate) enrolledOn = DemoRegion.ReferenceDate;

            var opening = DomainMoney.Zero;
            if (enrolledOn < new DateOnly(2024, 1, 1) && random.Next(100) < 85)
            {
                var years = Math.Min(DemoRegion.ReferenceDate.Year - enrolledOn.Year, 20);
                var yearly = status == DemoStatus.Retired
                    ? DemoRegion.RetireeMonthlyCredit.Yuan * 12
                    : contributionBase.MultiplyRoundHalfAwayFromZero(DemoRegion.InServiceCreditRate).Yuan * 12;
                // What is left of the years' credits after earlier spending: 10 %–60 %.
                opening = DomainMoney.RoundHalfAwayFromZero(yearly * years * (10 + random.Next(51)) / 100m);
            }

            var spends = new List<DemoSpend>();
            var spendDays = new HashSet<DateOnly>();
            var spendCount = status == DemoStatus.Retired ? 1 + random.Next(5) : random.Next(4);
            for (var s = 0; s < spendCount; s++)
            {
                var on = new DateOnly(2025, 1, 5).AddDays(random.Next(320));
                var amount = DomainMoney.FromFen(1_280 + random.Next(36_720));
                var pharmacy = DemoNames.Pharmacies[random.Next(DemoNames.Pharmacies.Length)];
                if (spendDays.Add(on)) spends.Add(new DemoSpend(on, amount, pharmacy));
            }
            spends.Sort((a, b) => a.On.CompareTo(b.On));

            people.Add(new DemoPerson(id, name, status, contributionBase, enrolledOn, opening, spends));
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

    private static DomainMoney ClampToBase(DomainMoney wage) =>
        DomainMoney.Min(DomainMoney.Max(wage, DemoRegion.BaseFloor), DemoRegion.BaseCeiling);

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;
}
