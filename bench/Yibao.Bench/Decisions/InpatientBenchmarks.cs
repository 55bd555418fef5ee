using BenchmarkDotNet.Attributes;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Inpatient;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Bench.Decisions;

/// <summary>
/// The inpatient split (住院结算) as a hospital calls it in real time, on the 990100 policy
/// built once: a fixed, seeded mix of stays over tiers 1–3, admissions 1–6, in-service,
/// retired, flexible and resident members, remote care, self-pay items, account balances, and
/// fund already paid up to and past the annual cap. Each invocation settles every stay of the
/// mix once; the reported time is per split (OperationsPerInvoke), so 1 / mean = splits per
/// second on one core.
/// </summary>
[MemoryDiagnoser]
public class InpatientBenchmarks
{
    private const int Stays = 1024;

    private InpatientPolicy _policy = null!;
    private InpatientStay[] _stays = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = InpatientPolicy.From(PolicyPackLoader.Embedded.For(RegionCode.Demo, new DateOnly(2025, 6, 1)));
        _stays = Mix(new Random(20250601), Stays);
        // Every stay of the mix must settle, or the benchmark would time the refusal path.
        foreach (var stay in _stays)
        {
            if (!InpatientDecision.Decide(in stay, _policy, Explanation.None).Settled)
                throw new InvalidOperationException("a stay of the mix did not settle");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Stays, Description = "inpatient split, Explanation.None")]
    public long SplitWithoutExplanation()
    {
        var stays = _stays;
        var policy = _policy;
        long fen = 0;
        for (var i = 0; i < stays.Length; i++)
            fen += InpatientDecision.Decide(in stays[i], policy, Explanation.None).Fund.Fen;
        return fen;
    }

    [Benchmark(OperationsPerInvoke = Stays, Description = "inpatient split, Explanation.Build()")]
    public long SplitWithExplanation()
    {
        var stays = _stays;
        var policy = _policy;
        long reasons = 0;
        for (var i = 0; i < stays.Length; i++)
            reasons += InpatientDecision.Decide(in stays[i], policy, Explanation.Build()).Reasons.Count;
        return reasons;
    }

    /// <summary>A seeded mix roughly shaped like a year of admissions at a city hospital.</summary>
    internal static InpatientStay[] Mix(Random random, int count)
    {
        var stays = new InpatientStay[count];
        for (var i = 0; i < count; i++)
        {
            var resident = random.Next(100) < 30;
            var roll = random.Next(100);
            var status = roll < 65 ? InsuredStatus.Employed : roll < 95 ? InsuredStatus.Retired : InsuredStatus.Flexible;
            var tier = 1 + random.Next(3);
            // Most people are admitted once or twice a year; a few many times (4th and later share a deductible).
            var admission = random.Next(100) switch { < 60 => 1, < 82 => 2, < 92 => 3, < 97 => 4, _ => 5 + random.Next(4) };
            var policyCost = Money.FromFen(30_000 + random.NextInt64(8_000_000)); // 300.00 … 80,300.00
            var selfPay = random.Next(100) < 40 ? Money.FromFen(random.NextInt64(800_000)) : Money.Zero;
            var capFen = resident ? 50_000_000L : 90_000_000L;
            var paid = random.Next(100) switch
            {
                < 70 => Money.Zero,
                < 95 => Money.FromFen(random.NextInt64(capFen / 5)),
                _ => Money.FromFen(capFen - 3_000_000 + random.NextInt64(3_500_000)), // near, at or past the cap
            };
            var remote = random.Next(100) switch
            {
                < 80 => RemoteCareKind.None,
                < 88 => RemoteCareKind.LongTerm,
                < 92 => RemoteCareKind.TemporaryReferral,
                < 94 => RemoteCareKind.TemporaryEmergency,
                _ => RemoteCareKind.TemporaryOther,
            };
            var balance = resident ? Money.Zero : Money.FromFen(random.NextInt64(1_000_000));
            stays[i] = new InpatientStay(
                resident ? InsuranceScheme.Resident : InsuranceScheme.Employee,
                status, tier, admission, policyCost, selfPay, paid, remote, balance);
        }
        return stays;
    }
}
