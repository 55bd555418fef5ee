using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Storage.Crediting;
using Yibao.Storage.Ledger;

namespace Yibao.Storage.Records;

/// <summary>
/// Posts the entries of recorded contributions (<see cref="Domain.Features.Records.ContributionEntries"/>)
/// inside the writer's transaction, set-based through <see cref="BulkJournal"/>: entries are kept
/// by reason and business date (what one bulk write shares) and written when
/// <see cref="FlushAt"/> are waiting or when the writer completes, so a file of a million rows posts
/// in a few thousand bulk writes and memory stays bounded. An entry whose key is already in the
/// ledger is skipped by the bulk write, which is what makes a re-import write nothing.
/// <para>
/// All of a writer's postings to the region's accounts (receivables, 应缴待收, bank clearing, the
/// pooled fund) go to one balance shard. The shards exist so that single postings in parallel do not
/// queue on one row; an import holds the rows it changed until it commits, and holding one shard of
/// each instead of all sixteen leaves fifteen in sixteen concurrent postings free to go on.
/// </para>
/// </summary>
internal sealed class ContributionJournal(DbSession s, RegionCode region, string actor, DateTimeOffset now)
{
    /// <summary>Entries held before a write: a few megabytes at most.</summary>
    public const int FlushAt = 8_000;

    private static readonly DateOnly OpenedOn = new(1999, 1, 1);

    private readonly Dictionary<(string Reason, DateOnly Date), List<BulkEntry>> _pending = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _accounts = new(StringComparer.Ordinal);
    private readonly short _shard = BulkJournal.ShardOf($"{region.Value}/{actor}/{now.UtcTicks}");

    /// <summary>Entries written by bulk writes so far (ones already in the ledger are not counted).</summary>
    public long Posted { get; private set; }

    public async Task AddAsync(JournalEntryRequest? request, CancellationToken ct)
    {
        if (request is null || !_keys.Add(request.IdempotencyKey)) return;
        var lines = new BulkLine[request.Postings.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            var p = request.Postings[i];
            lines[i] = new BulkLine(await AccountIdAsync(p.Account, ct).ConfigureAwait(false), p.Segment.Code(), _shard, p.Amount.Fen, BulkJournal.LockGroupOf(p.Account));
        }
        var group = (request.ReasonCode, request.BusinessDate);
        if (!_pending.TryGetValue(group, out var list)) _pending[group] = list = [];
        list.Add(new BulkEntry(request.IdempotencyKey, EntryHash.Of(request), request.Memo, lines));
        if (_keys.Count >= FlushAt) await FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Writes what is waiting; call before the transaction commits.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        foreach (var ((reason, date), entries) in _pending.OrderBy(g => g.Key.Reason, StringComparer.Ordinal).ThenBy(g => g.Key.Date))
        {
            var header = new BulkHeader(region, reason, date, actor, Domain.Features.Records.ContributionEntries.PolicyVersion(region), now);
            foreach (var inserted in await BulkJournal.PostAsync(s, header, entries, ct).ConfigureAwait(false))
            {
                if (inserted) Posted++;
            }
        }
        _pending.Clear();
        _keys.Clear();
    }

    /// <summary>The region's own accounts are opened on first use (idempotent by code), as the batch runs open theirs.</summary>
    private async Task<long> AccountIdAsync(AccountCode account, CancellationToken ct)
    {
        if (_accounts.TryGetValue(account.Value, out var id)) return id;
        id = await LedgerStore.OpenAccountAsync(s, account, OpenedOn, ct).ConfigureAwait(false);
        _accounts[account.Value] = id;
        return id;
    }
}
