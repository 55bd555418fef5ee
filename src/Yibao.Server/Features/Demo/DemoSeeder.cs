using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Server.Hosting;
using Yibao.Storage;
using Yibao.Storage.Ledger;

namespace Yibao.Server.Features.Demo;

/// <summary>What a seeding run did.</summary>
public sealed record DemoSeedResult(bool AlreadySeeded, int People, int EntriesWritten, int EntriesReplayed, TimeSpan Took);

/// <summary>
/// Seeds the demo region 990100 示例市: the region row, its own ledger accounts, about 300
/// insured people with a personal account each, and their balances posted through the ledger.
/// Every write is idempotent (ON CONFLICT DO NOTHING, idempotency keys), never guarded by a
/// lock, so a second start changes nothing and two processes starting at once cannot
/// double-seed: whichever commits a row or an entry second finds it already there.
/// </summary>
/// <param name="db">The database to seed.</param>
/// <param name="ledger">Every amount goes through it.</param>
/// <param name="log">Where the one summary line goes.</param>
/// <param name="population">How many people; the first of them are always the same (tests seed fewer).</param>
public sealed partial class DemoSeeder(YibaoDatabase db, LedgerStore ledger, ILogger<DemoSeeder> log, int population = DemoPopulation.DefaultCount)
{
    /// <summary>People per transaction: large enough to be quick on SQLite, small enough to keep locks short.</summary>
    private const int BatchSize = 50;

    /// <summary>The region's own accounts: every kind but personal.</summary>
    public static IReadOnlyList<AccountCode> RegionAccounts { get; } =
        Enum.GetValues<AccountKind>().Where(k => k != AccountKind.Personal).Select(k => AccountCode.Of(DemoRegion.Code, k)).ToList();

    /// <param name="force">Run every step even when the last entry is already there (each step is idempotent anyway).</param>
    /// <param name="ct">Cancels the run; a batch in flight rolls back.</param>
    public async Task<DemoSeedResult> SeedAsync(bool force = false, CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var people = DemoPopulation.Generate(population);
        var plans = people.Select(p => (Person: p, Entries: DemoLedgerPlan.For(p))).ToList();

        // Entries are posted in plan order and each batch commits before the next starts, so
        // when the plan's last entry exists every earlier one does too.
        var lastKey = plans[^1].Entries[^1].IdempotencyKey;
        if (!force && await IsSeededAsync(lastKey, ct).ConfigureAwait(false))
            return new DemoSeedResult(true, people.Count, 0, 0, watch.Elapsed);

        await db.InTransactionAsync(async s =>
        {
            await using (var region = s.Command(
                                 "INSERT INTO region (code, name, created_on) VALUES (@c, @n, @d) ON CONFLICT (code) DO NOTHING")
                             .With("c", DemoRegion.Code.Value).With("n", DemoRegion.Name).With("d", DemoRegion.SchemeStart))
                await region.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            foreach (var account in RegionAccounts)
                await LedgerStore.OpenAccountAsync(s, account, DemoRegion.SchemeStart, ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);

        var written = 0;
        var replayed = 0;
        foreach (var batch in plans.Chunk(BatchSize))
        {
            var (w, r) = db.Engine == Engine.Postgres
                ? await SeedEntryByEntryAsync(batch, ct).ConfigureAwait(false)
                : await SeedInOneTransactionAsync(batch, ct).ConfigureAwait(false);
            written += w;
            replayed += r;
        }
        LogSeeded(log, DemoRegion.Code.Value, DemoRegion.Name, people.Count, written, replayed, watch.ElapsedMilliseconds);
        return new DemoSeedResult(false, people.Count, written, replayed, watch.Elapsed);
    }

    /// <summary>SQLite: a batch of people, their accounts and entries in one transaction (one commit, one fsync).</summary>
    private Task<(int Written, int Replayed)> SeedInOneTransactionAsync(
        (DemoPerson Person, IReadOnlyList<JournalEntryRequest> Entries)[] batch, CancellationToken ct) =>
        db.InTransactionAsync(async s =>
        {
            var existing = await ExistingEntriesAsync(s.Connection, s.Transaction, batch, ct).ConfigureAwait(false);
            int written = 0, replayed = 0;
            foreach (var (person, entries) in batch)
            {
                await InsertInsuredAsync(s, person, ct).ConfigureAwait(false);
                await LedgerStore.OpenAccountAsync(s, person.Account, person.EnrolledOn, ct).ConfigureAwait(false);
                foreach (var entry in entries)
                {
                    if (IsAlreadyPosted(existing, entry) || (await ledger.PostAsync(s, entry, ct).ConfigureAwait(false)).Replayed) replayed++;
                    else written++;
                }
            }
            return (written, replayed);
        }, ct);

    /// <summary>
    /// PostgreSQL: the people and accounts of a batch in one transaction, then each entry through
    /// the store's own PostgreSQL path (one round trip per entry, about five times faster than
    /// posting inside a shared transaction). Entries still go in plan order, so the last key
    /// existing still means everything before it does.
    /// </summary>
    private async Task<(int Written, int Replayed)> SeedEntryByEntryAsync(
        (DemoPerson Person, IReadOnlyList<JournalEntryRequest> Entries)[] batch, CancellationToken ct)
    {
        await db.InTransactionAsync(async s =>
        {
            foreach (var (person, _) in batch)
            {
                await InsertInsuredAsync(s, person, ct).ConfigureAwait(false);
                await LedgerStore.OpenAccountAsync(s, person.Account, person.EnrolledOn, ct).ConfigureAwait(false);
            }
            return 0;
        }, ct).ConfigureAwait(false);
        Dictionary<string, string> existing;
        await using (var connection = await db.ConnectAsync(ct).ConfigureAwait(false))
            existing = await ExistingEntriesAsync(connection, null, batch, ct).ConfigureAwait(false);
        int written = 0, replayed = 0;
        foreach (var (_, entries) in batch)
        {
            foreach (var entry in entries)
            {
                if (IsAlreadyPosted(existing, entry) || (await ledger.PostAsync(entry, ct).ConfigureAwait(false)).Replayed) replayed++;
                else written++;
            }
        }
        return (written, replayed);
    }

    /// <summary>
    /// The batch's entries that are already in the ledger, by key, with their content hash: a
    /// rerun or a second process skips them in one query instead of replaying each through the
    /// store. An entry missing here but written meanwhile is still answered by the store as a replay.
    /// </summary>
    private static async Task<Dictionary<string, string>> ExistingEntriesAsync(
        DbConnection connection, DbTransaction? transaction,
        (DemoPerson Person, IReadOnlyList<JournalEntryRequest> Entries)[] batch, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        var names = new List<string>();
        foreach (var entry in batch.SelectMany(b => b.Entries))
        {
            var name = "k" + names.Count.ToString(CultureInfo.InvariantCulture);
            names.Add("@" + name);
            cmd.With(name, entry.IdempotencyKey);
        }
        cmd.CommandText = $"SELECT idempotency_key, content_hash FROM journal_entry WHERE idempotency_key IN ({string.Join(", ", names)})";
        var existing = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) existing[r.GetString(0)] = r.GetString(1);
        return existing;
    }

    /// <summary>Already posted with the same content; the same key with other content is refused as the ledger would.</summary>
    private static bool IsAlreadyPosted(Dictionary<string, string> existing, JournalEntryRequest entry)
    {
        if (!existing.TryGetValue(entry.IdempotencyKey, out var hash)) return false;
        if (!string.Equals(hash, entry.ContentHash(), StringComparison.Ordinal))
            throw new YibaoException(ErrorCatalog.IdempotencyKeyReused(entry.IdempotencyKey));
        return true;
    }

    private async Task<bool> IsSeededAsync(string lastKey, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.Sql("SELECT COUNT(*) FROM journal_entry WHERE idempotency_key = @k").With("k", lastKey);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task InsertInsuredAsync(DbSession s, DemoPerson person, CancellationToken ct)
    {
        await using var insert = s.Command(
                "INSERT INTO insured (region_code, id_number, name, sex, birth_date, status, enrolled_on) " +
                "VALUES (@r, @id, @name, @sex, @birth, @status, @enrolled) ON CONFLICT (region_code, id_number) DO NOTHING")
            .With("r", DemoRegion.Code.Value).With("id", person.Id.Value).With("name", person.Name)
            .With("sex", person.Sex == Sex.Male ? "M" : "F").With("birth", person.BirthDate)
            .With("status", person.StatusCode).With("enrolled", person.EnrolledOn);
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Demo region {Region} {RegionName} seeded: {People} insured, {Written} entries written, {Replayed} already there, in {Milliseconds} ms")]
    private static partial void LogSeeded(ILogger logger, string region, string regionName, int people, int written, int replayed, long milliseconds);
}
