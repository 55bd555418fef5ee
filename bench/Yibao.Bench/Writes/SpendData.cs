using System.Diagnostics;
using Yibao.Domain.Features.FamilyAid;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage;
using Yibao.Storage.FamilyAid;
using Yibao.Storage.Ledger;
using Yibao.Storage.Records;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Bench.Writes;

/// <summary>
/// The people the spend load runs on, made through Yibao's own storage API before the server
/// starts: in the demo region 990100, <c>n</c> owners (employee scheme, an account holding
/// 1,000,000.00 yuan 当年 from the pooled fund) each bound to a spouse (resident scheme) from 30
/// days before today to a year after it — today by the real clock, which the server uses too.
/// </summary>
internal static class SpendData
{
    public static readonly RegionCode Region = RegionCode.Demo;

    public sealed record Prepared(IReadOnlyList<long> BindingIds, IReadOnlyList<string> OwnerAccounts, DateOnly Today, TimeSpan Took);

    public static IdNumber Owner(int i) => IdNumber.Create(Region, new DateOnly(1960, 1, 1).AddDays(i / 900), i % 900 + 1);

    public static IdNumber Spouse(int i) => IdNumber.Create(Region, new DateOnly(1965, 1, 1).AddDays(i / 900), i % 900 + 1);

    public static async Task<Prepared> PrepareAsync(string database, int owners, int parallel)
    {
        var watch = Stopwatch.StartNew();
        var clock = TimeProvider.System;
        var today = Dates.TodayInChina(clock);
        var boundOn = today.AddDays(-30);
        var since = new DateOnly(2020, 1, 1);
        await using var db = YibaoDatabase.Open(database);
        await Migrator.MigrateAsync(db).ConfigureAwait(false);
        var records = new RecordsStore(db, clock);
        var ledger = new LedgerStore(db, clock);
        await records.EnsureRegionAsync(Region, "示例市", since).ConfigureAwait(false);
        var fund = AccountCode.Of(Region, AccountKind.PooledFund);
        await ledger.OpenAccountAsync(fund, since).ConfigureAwait(false);

        // Enrolments and opening balances, 250 people to a transaction.
        const int chunk = 250;
        for (var from = 0; from < owners; from += chunk)
        {
            var first = from;
            await db.InTransactionAsync(async s =>
            {
                for (var i = first; i < Math.Min(owners, first + chunk); i++)
                {
                    await RecordsStore.EnrolAsync(s, Enrolment(Owner(i), "王共济", InsuredScheme.Employee, since), clock.GetUtcNow()).ConfigureAwait(false);
                    await RecordsStore.EnrolAsync(s, Enrolment(Spouse(i), "李配偶", InsuredScheme.Resident, since), clock.GetUtcNow()).ConfigureAwait(false);
                    var opening = Money.FromFen(Anchors.OpeningFen);
                    await ledger.PostAsync(s, new JournalEntryRequest
                    {
                        IdempotencyKey = "bench-opening/" + Owner(i).Value,
                        Region = Region,
                        ReasonCode = "opening-balance",
                        BusinessDate = since,
                        Actor = "bench",
                        PolicyVersion = "bench",
                        Postings =
                        [
                            new PostingLine(fund, Segment.Main, -opening),
                            new PostingLine(AccountCode.Personal(Region, Owner(i).Value), Segment.CurrentYear, opening),
                        ],
                    }).ConfigureAwait(false);
                }
                return 0;
            }).ConfigureAwait(false);
        }

        // The bindings, each through the store's own decision (BindRelativeAsync, its own transaction).
        var store = new FamilyAidStore(db, ledger, PolicyPackLoader.Embedded, clock);
        var ids = new long[owners];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, parallel)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < owners; i = Interlocked.Increment(ref next))
            {
                var outcome = await store.BindRelativeAsync(new FamilyAidBindingRequest(
                    Region, Owner(i), Spouse(i), "李配偶", Region, null, FamilyRelation.Spouse, false, RelationProof.HouseholdRegister, null,
                    boundOn, boundOn, today.AddDays(365), new FamilyAidConsent(FamilyAidParty.Relative, ConsentMethod.Online, boundOn), "bench")).ConfigureAwait(false);
                ids[i] = outcome.Binding?.Id ?? throw new InvalidOperationException($"binding {i} refused: {outcome.ReasonCode?.Value}");
            }
        }))).ConfigureAwait(false);

        return new Prepared(ids, Enumerable.Range(0, owners).Select(i => AccountCode.Personal(Region, Owner(i).Value).Value).ToList(), today, watch.Elapsed);
    }

    private static InsuredEnrolment Enrolment(IdNumber id, string name, InsuredScheme scheme, DateOnly since) =>
        InsuredEnrolment.Validated(new InsuredEnrolment(Region, id, name, scheme, InsuredState.FlexibleEmployed, null, null, since, null, "CHN"));

    /// <summary>The keys of the spends stored under a run's key prefix.</summary>
    public static async Task<HashSet<string>> StoredKeysAsync(string database, string prefix)
    {
        await using var db = YibaoDatabase.Open(database);
        await using var c = await db.ConnectAsync().ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT idempotency_key FROM family_aid_spend WHERE region_code = @r AND idempotency_key LIKE @p";
        foreach (var (name, value) in new[] { ("r", Region.Value), ("p", prefix + "-%") })
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            cmd.Parameters.Add(parameter);
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        while (await r.ReadAsync().ConfigureAwait(false)) keys.Add(r.GetString(0));
        return keys;
    }
}
