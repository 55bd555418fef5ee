using System.Globalization;
using Yibao.Domain.Ledger;
using Yibao.Domain.Regions;
using Yibao.Server.Hosting;
using Yibao.Storage;

namespace Yibao.Server.Features.Insured;

/// <summary>One insured person (参保人) of a region, with the code of their personal account.</summary>
/// <param name="IdNumber">The 18-character resident ID number.</param>
/// <param name="Name">Surname and given name.</param>
/// <param name="BirthDate">As encoded in the ID number.</param>
/// <param name="EnrolledOn">The day they joined the scheme.</param>
/// <param name="Sex">M or F, as encoded in the ID number.</param>
/// <param name="Status">employed, retired or flexible (在职 / 退休 / 灵活就业).</param>
/// <param name="Account">The personal account code, for the balance and statement endpoints.</param>
public sealed record InsuredPerson(
    string IdNumber,
    string Name,
    string Sex,
    DateOnly BirthDate,
    string Status,
    DateOnly EnrolledOn,
    string Account);

/// <summary>Reads of the <c>region</c> and <c>insured</c> tables (plain SQL, both engines).</summary>
internal static class InsuredQueries
{
    public static async Task<string?> FindNameAsync(YibaoDatabase db, RegionCode region, string idNumber, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.Sql("SELECT name FROM insured WHERE region_code = @r AND id_number = @id")
            .With("r", region.Value).With("id", idNumber);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    public static async Task<string?> RegionNameAsync(YibaoDatabase db, RegionCode region, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.Sql("SELECT name FROM region WHERE code = @r").With("r", region.Value);
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    public static async Task<(long Total, IReadOnlyList<InsuredPerson> People)> PageAsync(
        YibaoDatabase db, RegionCode region, int page, int pageSize, CancellationToken ct)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        long total;
        await using (var count = c.Sql("SELECT COUNT(*) FROM insured WHERE region_code = @r").With("r", region.Value))
            total = Convert.ToInt64(await count.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);

        var people = new List<InsuredPerson>();
        await using var cmd = c.Sql(
                "SELECT id_number, name, sex, birth_date, status, enrolled_on FROM insured WHERE region_code = @r " +
                "ORDER BY id LIMIT @limit OFFSET @offset")
            .With("r", region.Value).With("limit", pageSize).With("offset", (long)(page - 1) * pageSize);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            var idNumber = r.GetString(0);
            people.Add(new InsuredPerson(idNumber, r.GetString(1), r.GetString(2), r.GetFieldValue<DateOnly>(3),
                r.GetString(4), r.GetFieldValue<DateOnly>(5), AccountCode.Personal(region, idNumber).Value));
        }
        return (total, people);
    }
}
