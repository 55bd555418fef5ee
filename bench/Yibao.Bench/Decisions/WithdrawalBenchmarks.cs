using BenchmarkDotNet.Attributes;
using Yibao.Domain.Decisions;
using Yibao.Domain.Features.Withdrawal;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Bench.Decisions;

/// <summary>
/// Withdrawal eligibility (提取/支取) as the portal asks it before an application: the 990100
/// policy built once, a seeded mix of every reason (allowed and refused), retirees, agents,
/// complete and incomplete materials. Time is per decision (OperationsPerInvoke), so
/// 1 / mean = decisions per second on one core.
/// </summary>
[MemoryDiagnoser]
public class WithdrawalBenchmarks
{
    private const int Requests = 1024;

    private WithdrawalPolicy _policy = null!;
    private WithdrawalRequest[] _requests = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = WithdrawalPolicy.From(PolicyPackLoader.Embedded.For(RegionCode.Demo, new DateOnly(2025, 6, 1)));
        var random = new Random(20250601);
        var reasons = Enum.GetValues<WithdrawalReason>();
        var materials = Enum.GetValues<WithdrawalMaterial>();
        _requests = new WithdrawalRequest[Requests];
        for (var i = 0; i < Requests; i++)
        {
            // Most questions are about death and emigration; the rest cover every other reason.
            var reason = random.Next(100) switch { < 45 => WithdrawalReason.Death, < 70 => WithdrawalReason.Emigration, < 80 => WithdrawalReason.ForeignerLeaving, _ => reasons[random.Next(reasons.Length)] };
            var presented = materials.Where(_ => random.Next(100) < 40).ToArray();
            _requests[i] = new WithdrawalRequest(
                RegionCode.Demo, reason, Retired: random.Next(100) < 20, Money.FromFen(random.NextInt64(2_000_000)), presented,
                WrittenApplication: presented.Contains(WithdrawalMaterial.WrittenApplication), ByAgent: random.Next(100) < 15,
                HeirInsuredInRegion: random.Next(2) == 0,
                TargetRegion: reason == WithdrawalReason.TransferImpossible ? RegionCode.Parse("620100") : null);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Requests, Description = "withdrawal eligibility, Explanation.None")]
    public long DecideWithoutExplanation()
    {
        long paid = 0;
        foreach (var request in _requests)
            paid += WithdrawalDecision.Decide(request, _policy, Explanation.None).Payout.Fen;
        return paid;
    }

    [Benchmark(OperationsPerInvoke = Requests, Description = "withdrawal eligibility, Explanation.Build()")]
    public long DecideWithExplanation()
    {
        long reasons = 0;
        foreach (var request in _requests)
            reasons += WithdrawalDecision.Decide(request, _policy, Explanation.Build()).Reasons.Count;
        return reasons;
    }
}
