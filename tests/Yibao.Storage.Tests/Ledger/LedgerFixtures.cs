using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage.Ledger;
using Money = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Tests.Ledger;

internal static class LedgerFixtures
{
    public static readonly RegionCode Region = RegionCode.Demo;
    public static readonly DateOnly Day = new(2025, 5, 10);
    public static readonly AccountCode Fund = AccountCode.Of(Region, AccountKind.PooledFund);
    public static readonly AccountCode Bank = AccountCode.Of(Region, AccountKind.BankClearing);

    public static AccountCode Person(int n) => AccountCode.Personal(Region, $"99010019800101{n:D4}");

    public static LedgerStore Store(YibaoDatabase db) => new(db, TimeProvider.System);

    public static async Task OpenAsync(LedgerStore store, params AccountCode[] codes)
    {
        foreach (var c in codes) await store.OpenAccountAsync(c, new DateOnly(2025, 1, 1));
    }

    /// <summary>Moves <paramref name="yuan"/> from the pooled fund into a personal account segment.</summary>
    public static JournalEntryRequest Credit(string key, AccountCode person, string yuan, Segment segment = Segment.CurrentYear) => new()
    {
        IdempotencyKey = key,
        Region = Region,
        ReasonCode = "monthly-credit",
        BusinessDate = Day,
        Actor = "test",
        PolicyVersion = "990100@test",
        Postings =
        [
            new PostingLine(person, segment, Money.Parse(yuan)),
            new PostingLine(Fund, Segment.Main, -Money.Parse(yuan)),
        ],
    };

    /// <summary>Pays <paramref name="yuan"/> out of a personal account segment to bank clearing.</summary>
    public static JournalEntryRequest Debit(string key, AccountCode person, string yuan, Segment segment = Segment.CurrentYear, DateOnly? on = null) => new()
    {
        IdempotencyKey = key,
        Region = Region,
        ReasonCode = "pharmacy-spend",
        BusinessDate = on ?? Day,
        Actor = "test",
        PolicyVersion = "990100@test",
        Postings =
        [
            new PostingLine(person, segment, -Money.Parse(yuan)),
            new PostingLine(Bank, Segment.Main, Money.Parse(yuan)),
        ],
    };

    public static async Task<long> CountAsync(YibaoDatabase db, string table)
    {
        await using var c = await db.ConnectAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
