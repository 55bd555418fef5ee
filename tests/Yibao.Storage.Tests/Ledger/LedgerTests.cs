using Yibao.Domain.Errors;
using Yibao.Domain.Ledger;
using Yibao.Storage.Ledger;
using static Yibao.Storage.Tests.Ledger.LedgerFixtures;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Ledger;

/// <summary>The ledger's contract, written once and run on each engine (see the subclasses at the end).</summary>
public abstract class LedgerTests(Engine engine)
{
    private Task<TestDatabase> NewDb() => TestDatabase.CreateAsync(engine);

    private static async Task<Refusal> Refused(Func<Task> act) =>
        (await Assert.ThrowsAsync<YibaoException>(act)).Error;

    [Fact]
    public async Task Credit_moves_money_and_balances_show_per_segment()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));

        var result = await store.PostAsync(Credit("k1", Person(1), "120.00"));
        await store.PostAsync(Credit("k2", Person(1), "300.50", Segment.Historical));

        Assert.False(result.Replayed);
        var balance = await store.GetBalanceAsync(Person(1));
        Assert.Equal(Money.Parse("120.00"), balance.Segments[Segment.CurrentYear]);
        Assert.Equal(Money.Parse("300.50"), balance.Segments[Segment.Historical]);
        Assert.Equal(Money.Parse("420.50"), balance.Total);
        Assert.Equal(Money.Parse("-420.50"), (await store.GetBalanceAsync(Fund)).Total);
    }

    [Fact]
    public async Task Replaying_a_key_returns_the_first_entry_and_writes_nothing()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));

        var first = await store.PostAsync(Credit("same", Person(1), "10.00"));
        var again = await store.PostAsync(Credit("same", Person(1), "10.00"));

        Assert.True(again.Replayed);
        Assert.Equal(first.Entry.Id, again.Entry.Id);
        Assert.Equal(1, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(Money.Parse("10.00"), (await store.GetBalanceAsync(Person(1))).Total);
    }

    [Fact]
    public async Task Same_key_with_different_content_is_refused_and_writes_nothing()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("same", Person(1), "10.00"));

        var error = await Refused(() => store.PostAsync(Credit("same", Person(1), "10.01")));

        Assert.Equal("idempotency-key-reused", error.Code?.Value);
        Assert.Equal(1, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(Money.Parse("10.00"), (await store.GetBalanceAsync(Person(1))).Total);
    }

    [Fact]
    public async Task Overdraft_is_refused_and_nothing_of_the_entry_is_written()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "100.00"));

        var error = await Refused(() => store.PostAsync(Debit("d", Person(1), "100.01")));

        Assert.Equal("insufficient-balance", error.Code?.Value);
        Assert.Equal("100.00", error.Details["balance"]);
        Assert.Equal(1, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(2, await CountAsync(t.Db, "posting"));
        Assert.Equal(Money.Zero, (await store.GetBalanceAsync(Bank)).Total);
        // Exactly the balance is allowed: an account may reach zero.
        await store.PostAsync(Debit("d2", Person(1), "100.00"));
        Assert.Equal(Money.Zero, (await store.GetBalanceAsync(Person(1))).Total);
    }

    [Fact]
    public async Task Segments_do_not_cover_each_other()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "100.00", Segment.Historical));

        var error = await Refused(() => store.PostAsync(Debit("d", Person(1), "1.00", Segment.CurrentYear)));

        Assert.Equal("insufficient-balance", error.Code?.Value);
        Assert.Equal("current-year", error.Details["segment"]);
    }

    [Fact]
    public async Task Malformed_entries_are_refused_with_their_own_codes()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        var good = Credit("x", Person(1), "5.00");

        Assert.Equal("entry-unbalanced", (await Refused(() => store.PostAsync(good with
        {
            Postings = [good.Postings[0], good.Postings[1] with { Amount = Money.Parse("-4.99") }],
        }))).Code.Value);
        Assert.Equal("entry-empty", (await Refused(() => store.PostAsync(good with { Postings = [good.Postings[0]] }))).Code?.Value);
        Assert.Equal("zero-posting", (await Refused(() => store.PostAsync(good with
        {
            Postings = [good.Postings[0] with { Amount = Money.Zero }, good.Postings[1] with { Amount = Money.Zero }],
        }))).Code.Value);
        Assert.Equal("unknown-account", (await Refused(() => store.PostAsync(Credit("y", Person(2), "5.00")))).Code?.Value);
        Assert.Equal("invalid-segment", (await Refused(() => store.PostAsync(Credit("z", Person(1), "5.00", Segment.Main)))).Code?.Value);
        Assert.Equal("cross-region-entry", (await Refused(() => store.PostAsync(good with
        {
            Postings = [good.Postings[0], good.Postings[1] with { Account = AccountCode.Of(Yibao.Domain.Regions.RegionCode.Parse("620100"), AccountKind.PooledFund) }],
        }))).Code.Value);
        Assert.Equal("missing-field", (await Refused(() => store.PostAsync(good with { IdempotencyKey = " " }))).Code?.Value);
        Assert.Equal("amount-out-of-range", (await Refused(() => store.PostAsync(Credit("big", Person(1), "99999999999999999.00")))).Code?.Value);

        Assert.Equal(0, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(0, await CountAsync(t.Db, "posting"));
    }

    [Fact]
    public async Task Reversal_negates_the_entry_once_and_only_once()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        var credit = await store.PostAsync(Credit("c", Person(1), "80.00"));

        var reversal = await store.ReverseAsync(credit.Entry.Id, "rev-1", Day, "reviewer");
        var replay = await store.ReverseAsync(credit.Entry.Id, "rev-1", Day, "reviewer");

        Assert.Equal(credit.Entry.Id, reversal.Entry.ReversesEntryId);
        Assert.True(replay.Replayed);
        Assert.Equal(Money.Zero, (await store.GetBalanceAsync(Person(1))).Total);
        Assert.Equal("entry-already-reversed", (await Refused(() => store.ReverseAsync(credit.Entry.Id, "rev-2", Day, "reviewer"))).Code?.Value);
        Assert.Equal("cannot-reverse-reversal", (await Refused(() => store.ReverseAsync(reversal.Entry.Id, "rev-3", Day, "reviewer"))).Code?.Value);
        Assert.Equal("unknown-entry", (await Refused(() => store.ReverseAsync(999_999, "rev-4", Day, "reviewer"))).Code?.Value);
        Assert.Equal(2, await CountAsync(t.Db, "journal_entry"));
    }

    [Fact]
    public async Task Reversing_a_credit_that_was_already_spent_would_overdraw_and_is_refused()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        var credit = await store.PostAsync(Credit("c", Person(1), "80.00"));
        await store.PostAsync(Debit("d", Person(1), "50.00"));

        Assert.Equal("insufficient-balance", (await Refused(() => store.ReverseAsync(credit.Entry.Id, "rev", Day, "reviewer"))).Code?.Value);
        Assert.Equal(Money.Parse("30.00"), (await store.GetBalanceAsync(Person(1))).Total);
    }

    [Fact]
    public async Task Entries_and_postings_cannot_be_updated_or_deleted()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "80.00"));

        foreach (var sql in new[] { "UPDATE posting SET amount = amount + 1", "DELETE FROM posting", "UPDATE journal_entry SET memo = 'x'", "DELETE FROM journal_entry" })
        {
            await using var c = await t.Db.ConnectAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => cmd.ExecuteNonQueryAsync());
        }
    }

    [Fact]
    public async Task Closed_account_refuses_later_postings()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "80.00"));

        // The payout and the closing happen in one transaction, as a withdrawal will do them.
        await t.Db.InTransactionAsync(async s =>
        {
            await store.PostAsync(s, Debit("payout", Person(1), "80.00"));
            await LedgerStore.CloseAccountAsync(s, Person(1), Day);
            return 0;
        });

        var error = await Refused(() => store.PostAsync(Credit("late", Person(1), "1.00")));
        Assert.Equal("account-closed", error.Code?.Value);
        Assert.Equal(AccountStatus.Closed, (await store.GetBalanceAsync(Person(1))).Status);
    }

    [Fact]
    public async Task Account_with_money_cannot_be_closed()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "80.00"));

        var error = await Refused(() => t.Db.InTransactionAsync(async s => { await LedgerStore.CloseAccountAsync(s, Person(1), Day); return 0; }));
        Assert.Equal("invalid-field", error.Code?.Value);
        Assert.Equal(AccountStatus.Open, (await store.GetBalanceAsync(Person(1))).Status);
    }

    [Fact]
    public async Task A_refused_entry_inside_a_caller_transaction_rolls_back_the_whole_unit_of_work()
    {
        // One posting path, no savepoint: a refusal dooms the caller's transaction, so a caller that
        // catches it still cannot commit half its work (an entry without its balance changes).
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1), Person(2));

        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Db.InTransactionAsync(async s =>
        {
            await store.PostAsync(s, Credit("a", Person(1), "10.00"));
            var refused = await Assert.ThrowsAsync<YibaoException>(() => store.PostAsync(s, Debit("b", Person(2), "1.00")));
            Assert.Equal("insufficient-balance", refused.Error.Code.Value);
            await store.PostAsync(s, Credit("c", Person(2), "5.00"));
            return 0;
        }));

        Assert.Equal(0, await CountAsync(t.Db, "journal_entry"));
        Assert.Equal(Money.Zero, (await store.GetBalanceAsync(Person(2))).Total);
    }

    [Fact]
    public async Task Statement_pages_in_date_order_with_running_balance()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        for (var m = 1; m <= 10; m++)
        {
            var credit = Credit($"c{m}", Person(1), "100.00") with { BusinessDate = new DateOnly(2025, m, 5) };
            await store.PostAsync(credit);
        }
        await store.PostAsync(Debit("d", Person(1), "30.00", on: new DateOnly(2025, 3, 20)));

        var page1 = await store.GetStatementAsync(Person(1), new DateOnly(2025, 3, 1), new DateOnly(2025, 6, 30), page: 1, pageSize: 3);
        var page2 = await store.GetStatementAsync(Person(1), new DateOnly(2025, 3, 1), new DateOnly(2025, 6, 30), page: 2, pageSize: 3);

        Assert.Equal(Money.Parse("200.00"), page1.OpeningBalance);
        Assert.Equal(Money.Parse("570.00"), page1.ClosingBalance);
        Assert.Equal(5, page1.TotalLines);
        Assert.Equal(["300.00", "270.00", "370.00"], page1.Lines.Select(l => l.BalanceAfter.ToPlainString()));
        Assert.Equal(["470.00", "570.00"], page2.Lines.Select(l => l.BalanceAfter.ToPlainString()));
        Assert.Equal(new DateOnly(2025, 3, 20), page1.Lines[1].BusinessDate);
        Assert.Equal("pharmacy-spend", page1.Lines[1].ReasonCode);
    }

    [Fact]
    public async Task Statement_refuses_bad_ranges_and_unknown_accounts()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));

        Assert.Equal("invalid-date-range", (await Refused(() => store.GetStatementAsync(Person(1), Day, Day.AddDays(-1)))).Code?.Value);
        Assert.Equal("invalid-paging", (await Refused(() => store.GetStatementAsync(Person(1), Day, Day, page: 0))).Code?.Value);
        Assert.Equal("invalid-paging", (await Refused(() => store.GetStatementAsync(Person(1), Day, Day, pageSize: 501))).Code?.Value);
        Assert.Equal("unknown-account", (await Refused(() => store.GetStatementAsync(Person(9), Day, Day))).Code?.Value);
        Assert.Equal("unknown-account", (await Refused(() => store.GetBalanceAsync(Person(9)))).Code?.Value);
    }

    [Fact]
    public async Task Opening_an_account_twice_is_harmless()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Person(1), Person(1), Fund);
        Assert.Equal(2, await CountAsync(t.Db, "ledger_account"));
        Assert.Equal(LedgerStore.Shards + 2, await CountAsync(t.Db, "account_balance"));
    }

    [Fact]
    public async Task Migrations_run_twice_change_nothing()
    {
        await using var t = await NewDb();
        Assert.Equal(0, await Migrator.MigrateAsync(t.Db));
    }

    [Fact]
    public async Task Fifty_concurrent_debits_that_together_overdraw_leave_exactly_the_ones_that_fit()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));
        await store.PostAsync(Credit("c", Person(1), "1000.00"));

        // 50 × 30.00 = 1,500.00 against 1,000.00: exactly 33 fit (990.00), 17 are refused.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try { await store.PostAsync(Debit($"d{i}", Person(1), "30.00")); return "ok"; }
            catch (YibaoException e) { return e.Error.Code.Value; }
        })));

        Assert.Equal(33, outcomes.Count(o => o == "ok"));
        Assert.Equal(17, outcomes.Count(o => o == "insufficient-balance"));
        Assert.Equal(Money.Parse("10.00"), (await store.GetBalanceAsync(Person(1))).Total);
        Assert.Equal(34, await CountAsync(t.Db, "journal_entry"));
    }

    [Fact]
    public async Task Two_independent_connection_pools_posting_to_the_same_accounts_stay_correct()
    {
        await using var t = await NewDb();
        await using var other = t.OpenAnotherHandle();
        var a = Store(t.Db);
        var b = Store(other);
        await OpenAsync(a, Fund, Bank, Person(1), Person(2));
        await a.PostAsync(Credit("c1", Person(1), "500.00"));
        await a.PostAsync(Credit("c2", Person(2), "500.00"));

        // Both "processes" spend from both accounts and replay each other's keys.
        var work = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? a : b;
            var person = Person(1 + i % 4 / 2);
            try { await store.PostAsync(Debit($"d{i / 2}-{person.Holder}", person, "25.00")); }
            catch (YibaoException e) when (e.Error.Code.Value == "insufficient-balance") { }
        }));
        await Task.WhenAll(work);

        // 20 distinct keys per account at most → 20 × 25.00 = 500.00 exactly; replays wrote nothing twice.
        var spent1 = Money.Parse("500.00") - (await a.GetBalanceAsync(Person(1))).Total;
        var spent2 = Money.Parse("500.00") - (await b.GetBalanceAsync(Person(2))).Total;
        var entries = await CountAsync(t.Db, "journal_entry") - 2;
        Assert.Equal(spent1 + spent2, Money.FromFen(entries * 2500));
        Assert.True(spent1 <= Money.Parse("500.00") && spent2 <= Money.Parse("500.00"));
    }

    [Fact]
    public async Task Concurrent_replays_of_one_key_write_it_once()
    {
        await using var t = await NewDb();
        var store = Store(t.Db);
        await OpenAsync(store, Fund, Bank, Person(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.PostAsync(Credit("once", Person(1), "7.00")))));

        Assert.Single(results.Select(r => r.Entry.Id).Distinct());
        Assert.Equal(1, results.Count(r => !r.Replayed));
        Assert.Equal(Money.Parse("7.00"), (await store.GetBalanceAsync(Person(1))).Total);
    }
}

public sealed class SqliteLedgerTests() : LedgerTests(Engine.Sqlite);

public sealed class PostgresLedgerTests() : LedgerTests(Engine.Postgres);
