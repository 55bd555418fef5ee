using System.Diagnostics;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage;
using Yibao.Storage.Ledger;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Bench.Ledger;

/// <summary>
/// Journal entries per second through <see cref="LedgerStore.PostAsync(JournalEntryRequest, CancellationToken)"/>
/// (one entry per transaction, as an API call posts it) with 1, 8 and 32 concurrent writers.
/// Each entry moves money between a personal account and the pooled fund, so every writer
/// contends on the fund's balance row: the worst case for a region.
/// </summary>
public static class PostingThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var engine = Arg("--engine", "sqlite");
        var writers = Arg("--writers", "1,8,32").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(Arg("--seconds", "10"), CultureInfo.InvariantCulture);
        var accountCount = int.Parse(Arg("--accounts", "1000"), CultureInfo.InvariantCulture);
        var connection = Arg("--database", "") is { Length: > 0 } given ? given
            : engine == "postgres"
                ? Environment.GetEnvironmentVariable("YIBAO_TEST_POSTGRES") ?? throw new InvalidOperationException("--database or YIBAO_TEST_POSTGRES")
                : Path.Combine(Path.GetTempPath(), $"yibao-bench-{Guid.NewGuid():N}.db");

        Console.WriteLine($"posting throughput: engine={engine} accounts={accountCount} seconds={seconds} cores={Environment.ProcessorCount}");
        Console.WriteLine("writers | entries | seconds | entries/s | refused");
        foreach (var w in writers)
        {
            await using var db = YibaoDatabase.Open(connection);
            await Migrator.MigrateAsync(db);
            var store = new LedgerStore(db, TimeProvider.System);
            var fund = AccountCode.Of(RegionCode.Demo, AccountKind.PooledFund);
            await store.OpenAccountAsync(fund, new DateOnly(2025, 1, 1));
            var people = new AccountCode[accountCount];
            await db.InTransactionAsync(async s =>
            {
                for (var i = 0; i < accountCount; i++)
                {
                    people[i] = AccountCode.Personal(RegionCode.Demo, $"bench{i:D8}");
                    await LedgerStore.OpenAccountAsync(s, people[i], new DateOnly(2025, 1, 1));
                }
                return 0;
            });

            var run = $"{w}w-{Guid.NewGuid():N}";
            long posted = 0, refused = 0;
            var stop = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(seconds);
            await Task.WhenAll(Enumerable.Range(0, w).Select(writer => Task.Run(async () =>
            {
                var random = new Random(writer);
                var n = 0;
                while (stop.Elapsed < deadline)
                {
                    var person = people[random.Next(people.Length)];
                    var amount = Money.FromFen(random.Next(1, 50_000));
                    // Mostly credits, a fifth spends that may be refused for want of balance.
                    var spend = random.Next(5) == 0;
                    try
                    {
                        await store.PostAsync(new JournalEntryRequest
                        {
                            IdempotencyKey = $"{run}/{writer}/{n++}",
                            Region = RegionCode.Demo,
                            ReasonCode = spend ? "pharmacy-spend" : "monthly-credit",
                            BusinessDate = new DateOnly(2025, 5, 1),
                            Actor = "bench",
                            PolicyVersion = "990100@bench",
                            Postings =
                            [
                                new PostingLine(person, Segment.CurrentYear, spend ? -amount : amount),
                                new PostingLine(fund, Segment.Main, spend ? amount : -amount),
                            ],
                        });
                        Interlocked.Increment(ref posted);
                    }
                    catch (YibaoException e) when (e.Error.Is(Codes.InsufficientBalance))
                    {
                        Interlocked.Increment(ref refused);
                    }
                }
            })));
            var elapsed = stop.Elapsed.TotalSeconds;
            var report = await LedgerVerifier.VerifyAsync(db);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{w,7} | {posted,7} | {elapsed,7:0.0} | {posted / elapsed,9:0} | {refused,7}{(report.Ok ? "" : "  LEDGER BROKEN")}"));
            if (!report.Ok) return 1;
            if (engine == "postgres")
            {
                // Next round starts from empty tables so each figure is measured alike.
                await using var c = await db.ConnectAsync();
                await using var cmd = c.CreateCommand();
                cmd.CommandText = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;";
                await cmd.ExecuteNonQueryAsync();
            }
        }
        return 0;
    }
}
