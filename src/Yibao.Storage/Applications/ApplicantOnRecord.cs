using Yibao.Domain.Errors;
using Yibao.Domain.Features.Records;
using Yibao.Domain.Identity;
using Yibao.Domain.Regions;
using Yibao.Storage.Records;

namespace Yibao.Storage.Applications;

/// <summary>The applicant as the records hold them, read inside the application's transaction.</summary>
/// <param name="InsuredId">The person's row.</param>
/// <param name="Record">The record with its whole status history.</param>
internal sealed record ApplicantOnRecord(long InsuredId, InsuredRecord Record)
{
    public InsuredState? StatusOn(DateOnly day) => Record.History.StatusOn(day)?.State;

    /// <summary>The recorded death, if it took effect on or before <paramref name="day"/>.</summary>
    public DateOnly? DiedOn(DateOnly day) => Record.History.DiedOn is { } died && died <= day ? died : null;

    /// <summary>The day insurance here ended (a leave), when the person has left and not rejoined by <paramref name="day"/>.</summary>
    public DateOnly? LeftOn(DateOnly day) => Record.History.StatusOn(day) is { State: InsuredState.Suspended } status ? status.Since : null;

    /// <summary>
    /// Reads the applicant in one round trip; with <paramref name="lockRow"/> their row is locked
    /// (PostgreSQL; SQLite's writer holds the database's lock), so two requests for one person are
    /// decided one after the other.
    /// </summary>
    public static async Task<ApplicantOnRecord> LoadAsync(DbSession s, RegionCode region, IdNumber idNumber, bool lockRow, CancellationToken ct)
    {
        var loaded = await RecordsStore.LoadInsuredAsync(s.Connection, s.Transaction, region, idNumber, ct, lockRow: lockRow && !s.ReadOnly).ConfigureAwait(false)
                     ?? throw new YibaoException(ErrorCatalog.UnknownInsured(region.Value, idNumber.Value));
        return new ApplicantOnRecord(loaded.Id, loaded.Record);
    }
}
