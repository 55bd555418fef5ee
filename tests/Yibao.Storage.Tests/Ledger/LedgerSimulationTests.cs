using System.Globalization;
using Xunit.Abstractions;
using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.Ledger.LedgerFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Ledger;

/// <summary>
/// A seeded random walk over the ledger in the TigerBeetle spirit: credits, debits (many of
/// them overdraw attempts), transfers, replays of old keys, conflicting replays, reversals
/// and transactions abandoned before commit (a crash), checked after every step against an
/// in-memory model and the invariant checker. A failure names its seed;
/// <c>YIBAO_SIM_SEED=n</c> replays it and <c>YIBAO_SIM_STEPS=n</c> walks longer.
/// </summary>
public abstract class LedgerSimulationTests(Engine engine, ITestOutputHelper output)
{
    private sealed record Posted(JournalEntryRequest Request, long Id, bool IsReversal)
    {
        public bool Reversed { get; set; }
    }

    [Fact]
    public async Task Random_operations_keep_every_invariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("YIBAO_SIM_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var steps = int.TryParse(Environment.GetEnvironmentVariable("YIBAO_SIM_STEPS"), CultureInfo.InvariantCulture, out var n) ? n : 1500;
        output.WriteLine($"seed={seed} steps={steps} engine={engine}");
        try
        {
            await RunAsync(seed, steps);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"ledger simulation failed: seed={seed} engine={engine}; replay with YIBAO_SIM_SEED={seed}\n{e.Message}", e);
        }
    }

    private async Task RunAsync(int seed, int steps)
    {
        var random = new Random(seed);
        await using var t = await TestDatabase.CreateAsync(engine);
        var store = Store(t.Db);
        var people = Enumerable.Range(1, 6).Select(Person).ToArray();
        await OpenAsync(store, [Fund, Bank, .. people]);

        var model = new Dictionary<(string, Segment), long>();
        long Get(AccountCode a, Segment g) => model.GetValueOrDefault((a.Value, g));
        void Apply(JournalEntryRequest r)
        {
            foreach (var p in r.Postings) model[(p.Account.Value, p.Segment)] = Get(p.Account, p.Segment) + p.Amount.Fen;
        }
        bool Fits(JournalEntryRequest r) => r.Postings
            .GroupBy(p => (p.Account, p.Segment))
            .All(g => g.Key.Account.Kind != AccountKind.Personal || Get(g.Key.Account, g.Key.Segment) + g.Sum(p => p.Amount.Fen) >= 0);

        var posted = new List<Posted>();
        var counter = 0;
        Segment RandomSegment() => random.Next(2) == 0 ? Segment.CurrentYear : Segment.Historical;
        string Amount() => (random.Next(1, 30_000) / 100m).ToString("0.00", CultureInfo.InvariantCulture);

        for (var step = 0; step < steps; step++)
        {
            var op = random.Next(100);
            var person = people[random.Next(people.Length)];
            string what;
            if (op < 30)
            {
                var r = Credit($"k{counter++}", person, Amount(), RandomSegment());
                var result = await store.PostAsync(r);
                Assert.False(result.Replayed);
                Apply(r);
                posted.Add(new Posted(r, result.Entry.Id, false));
                what = "credit";
            }
            else if (op < 55)
            {
                var r = Debit($"k{counter++}", person, Amount(), RandomSegment());
                await ExpectAsync(r, Fits(r));
                what = "debit";
            }
            else if (op < 65)
            {
                // A movement between two personal accounts, segment to segment.
                var other = people[random.Next(people.Length)];
                var amount = Money.Parse(Amount());
                var r = Credit($"k{counter++}", person, "1.00") with
                {
                    ReasonCode = "family-aid-spend",
                    Postings = [new PostingLine(person, RandomSegment(), -amount), new PostingLine(other, RandomSegment(), amount)],
                };
                await ExpectAsync(r, Fits(r));
                what = "transfer";
            }
            else if (op < 75 && posted.Count > 0)
            {
                var old = posted[random.Next(posted.Count)];
                if (old.IsReversal) { step--; continue; }
                var replay = await store.PostAsync(old.Request);
                Assert.True(replay.Replayed);
                Assert.Equal(old.Id, replay.Entry.Id);
                what = "replay";
            }
            else if (op < 82 && posted.Count > 0)
            {
                var old = posted[random.Next(posted.Count)];
                if (old.IsReversal) { step--; continue; }
                var conflicting = old.Request with { Memo = "changed" };
                var error = await Assert.ThrowsAsync<YibaoException>(() => store.PostAsync(conflicting));
                Assert.Equal("idempotency-key-reused", error.Error.Code?.Value);
                what = "conflicting-replay";
            }
            else if (op < 92 && posted.Count > 0)
            {
                var old = posted[random.Next(posted.Count)];
                var negated = old.Request with { Postings = old.Request.Postings.Select(p => p with { Amount = -p.Amount }).ToList() };
                var key = $"k{counter++}";
                var expected = old.IsReversal ? "cannot-reverse-reversal"
                    : old.Reversed ? "entry-already-reversed"
                    : !Fits(negated) ? "insufficient-balance"
                    : null;
                if (expected is null)
                {
                    var result = await store.ReverseAsync(old.Id, key, Day, "sim");
                    Apply(negated);
                    old.Reversed = true;
                    posted.Add(new Posted(result.Entry.ToRequest(), result.Entry.Id, true));
                }
                else
                {
                    var error = await Assert.ThrowsAsync<YibaoException>(() => store.ReverseAsync(old.Id, key, Day, "sim"));
                    Assert.Equal(expected, error.Error.Code?.Value);
                }
                what = "reversal";
            }
            else
            {
                // A crash before commit: the entry was written in a transaction that never commits.
                var r = Credit($"k{counter}", person, Amount(), RandomSegment());
                await using (var session = await t.Db.BeginAsync())
                {
                    await store.PostAsync(session, r);
                }
                Assert.Null(await store.GetEntryByKeyAsync(r.IdempotencyKey));
                what = "abandoned";
            }

            foreach (var p in people)
            {
                var balance = await store.GetBalanceAsync(p);
                foreach (var g in new[] { Segment.CurrentYear, Segment.Historical })
                    Assert.True(Get(p, g) == balance.Segments[g].Fen, $"step {step} ({what}): {p} {g} expected {Get(p, g)} got {balance.Segments[g].Fen}");
            }
            var report = await LedgerVerifier.VerifyAsync(t.Db);
            Assert.True(report.Ok, $"step {step} ({what}): " + string.Join("; ", report.Violations.Select(v => $"{v.Invariant} {v.Detail}")));
        }

        async Task ExpectAsync(JournalEntryRequest r, bool fits)
        {
            if (fits)
            {
                var result = await store.PostAsync(r);
                Apply(r);
                posted.Add(new Posted(r, result.Entry.Id, false));
            }
            else
            {
                var error = await Assert.ThrowsAsync<YibaoException>(() => store.PostAsync(r));
                Assert.Equal("insufficient-balance", error.Error.Code?.Value);
                Assert.Null(await store.GetEntryByKeyAsync(r.IdempotencyKey));
            }
        }
    }
}

internal static class JournalEntryExtensions
{
    public static JournalEntryRequest ToRequest(this JournalEntry e) => new()
    {
        IdempotencyKey = e.IdempotencyKey,
        Region = e.Region,
        ReasonCode = e.ReasonCode,
        BusinessDate = e.BusinessDate,
        Actor = e.Actor,
        PolicyVersion = e.PolicyVersion,
        Memo = e.Memo,
        Postings = e.Postings,
    };
}

public sealed class SqliteLedgerSimulationTests(ITestOutputHelper output) : LedgerSimulationTests(Engine.Sqlite, output);

public sealed class PostgresLedgerSimulationTests(ITestOutputHelper output) : LedgerSimulationTests(Engine.Postgres, output);
