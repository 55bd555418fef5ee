using System.Globalization;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;

namespace Yibao.Storage.Records;

public sealed partial class RecordsStore
{
    /// <summary>
    /// Records contribution months (one or a list) of people already enrolled, all or nothing:
    /// one transaction; if any row is refused, nothing is written and the first refusal is thrown
    /// with its position (<c>item</c>, from 0) and the number of refused rows. Re-recording a month
    /// is idempotent; see <see cref="ContributionReconciliation"/> for what may change.
    /// </summary>
    public Task<IReadOnlyList<ContributionRowResult>> RecordContributionsAsync(
        RegionCode region, IReadOnlyList<ContributionRow> rows, string source = "api", CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new YibaoException(ErrorCatalog.MissingField("contributions"));
        return db.InTransactionAsync(async s =>
        {
            await RequireRegionAsync(s, region, ct).ConfigureAwait(false);
            await using var writer = new ContributionWriter(s, region, source, clock.GetUtcNow(), enrolUnknownWithName: false);
            var results = new List<ContributionRowResult>(rows.Count);
            foreach (var batch in rows.Chunk(ContributionWriter.BatchSize))
                results.AddRange(await writer.WriteAsync(batch, ct).ConfigureAwait(false));
            var bad = results.Where(r => r.Error is not null).ToList();
            if (bad.Count > 0)
            {
                // Nothing is committed: the session rolls back when it is disposed without a commit.
                throw new YibaoException(bad[0].Error!
                    .With("item", bad[0].Row.Line.ToString(CultureInfo.InvariantCulture))
                    .With("refusedItems", bad.Count.ToString(CultureInfo.InvariantCulture)));
            }
            await writer.CompleteAsync(ct).ConfigureAwait(false);
            return (IReadOnlyList<ContributionRowResult>)results;
        }, ct);
    }

    /// <summary>A person's recorded contribution months between two months (both inclusive, either open), in month order.</summary>
    public async Task<IReadOnlyList<ContributionMonth>> GetContributionsAsync(
        RegionCode region, IdNumber idNumber, YearMonth? from = null, YearMonth? to = null, CancellationToken ct = default)
    {
        if (from is { } f && to is { } t && f > t) throw new YibaoException(ErrorCatalog.InvalidDateRange(f.ToString(), t.ToString()));
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        var id = await InsuredIdAsync(c, region, idNumber, ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        // Months are stored as 'YYYY-MM' text, so text comparison is month order on both engines.
        cmd.CommandText =
            "SELECT c.month, e.credit_code, c.base, c.employer_part, c.individual_part, c.due_date, c.paid_date " +
            "FROM contribution c LEFT JOIN employer e ON e.id = c.employer_id " +
            "WHERE c.insured_id = @i AND c.month >= @f AND c.month <= @t ORDER BY c.month";
        cmd.With("i", id).With("f", (from ?? new YearMonth(1, 1)).ToString()).With("t", (to ?? new YearMonth(9999, 12)).ToString());
        var list = new List<ContributionMonth>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false)) list.Add(ContributionWriter.ReadContribution(r, 0));
        return list;
    }

    private static async Task<long> InsuredIdAsync(System.Data.Common.DbConnection c, RegionCode region, IdNumber idNumber, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM insured WHERE region_code = @r AND id_number = @id";
        cmd.With("r", region.Value).With("id", idNumber.Value);
        var id = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        if (id is null or DBNull) throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        return Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }
}
