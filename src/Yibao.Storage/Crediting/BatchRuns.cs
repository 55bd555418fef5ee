using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Yibao.Domain.Regions;
using static Yibao.Storage.StorageValues;

namespace Yibao.Storage.Crediting;

/// <summary>What a batch run (月度划入 or 年终结转) has done so far, as its <c>batch_run</c> row says.</summary>
/// <param name="Id">The run's id.</param>
/// <param name="Region">The pooling region.</param>
/// <param name="Kind"><c>monthly-credit</c> or <c>year-end</c>.</param>
/// <param name="Period"><c>YYYY-MM</c> for a monthly run, the insurance year's label (<c>YYYY</c>) for year-end.</param>
/// <param name="Status"><c>running</c>, <c>finished</c> or <c>failed</c> (a failed or interrupted run resumes where it stopped).</param>
/// <param name="PolicyVersion">The pack versions the run's entries are justified by.</param>
/// <param name="StartedAt">When the run was first started.</param>
/// <param name="FinishedAt">When it finished, if it has.</param>
/// <param name="AccountsTotal">Accounts in scope when the run was first started.</param>
/// <param name="AccountsDone">Accounts the run wrote an entry for.</param>
/// <param name="AccountsSkipped">Accounts it did not (see <paramref name="SkippedByReason"/>).</param>
/// <param name="SumCredited">Monthly run: the net credited to personal accounts; year-end: the amount rolled into 历年.</param>
/// <param name="SumDeducted">Monthly run: deductions paid to the long-term-care fund; year-end: the interest credited.</param>
/// <param name="Checkpoint">The last insured id (monthly) or account id (year-end) fully processed; a resumed run starts after it.</param>
/// <param name="SkippedByReason">Skipped accounts by reason code.</param>
/// <param name="Error">Why the last attempt failed, if it did.</param>
public sealed record BatchRunRecord(
    long Id,
    RegionCode Region,
    string Kind,
    string Period,
    string Status,
    string PolicyVersion,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    long AccountsTotal,
    long AccountsDone,
    long AccountsSkipped,
    long SumCredited,
    long SumDeducted,
    long Checkpoint,
    IReadOnlyDictionary<string, long> SkippedByReason,
    string? Error)
{
    public bool Finished => Status == BatchRuns.Finished;
    public long Processed => AccountsDone + AccountsSkipped;
}

/// <summary>A run's progress after each chunk, for a progress bar or a log line.</summary>
public sealed record BatchRunProgress(long RunId, long Total, long Processed, long Done, long Skipped, long SumCredited, long SumDeducted);

/// <summary>
/// The <c>batch_run</c> rows. Every chunk of a run claims the row (a conditional UPDATE on the
/// checkpoint it started from), writes its entries and advances the row in the same transaction,
/// so the checkpoint and the counts can never disagree with the ledger: a crash rolls both back,
/// and a second process working on the same run waits for the row, sees the checkpoint moved and
/// goes on from there instead of counting the chunk twice. The counts by reason live in
/// <c>message</c> as JSON (<c>{"skipped":{…},"error":…}</c>).
/// </summary>
public static class BatchRuns
{
    public const string MonthlyCredit = "monthly-credit";
    public const string YearEnd = "year-end";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";

    private const string Columns =
        "id, region_code, kind, period, status, policy_version, started_at, finished_at, accounts_total, accounts_done, " +
        "accounts_skipped, sum_credited, sum_deducted, last_insured_id, message";

    /// <summary>The run of a region, kind and period, if one was ever started.</summary>
    public static async Task<BatchRunRecord?> GetAsync(YibaoDatabase db, RegionCode region, string kind, string period, CancellationToken ct = default)
    {
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM batch_run WHERE region_code = @r AND kind = @k AND period = @p";
        cmd.With("r", region.Value).With("k", kind).With("p", period);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? Read(r) : null;
    }

    /// <summary>
    /// The run's row, created (status running, checkpoint 0) if it does not exist yet. Two
    /// processes starting the same run at once both get the one row (unique region, kind, period).
    /// A failed run is set running again: it resumes from its checkpoint. A region this database
    /// does not serve is <c>unknown-region</c>, decided in the transaction that would write the row.
    /// </summary>
    public static async Task<BatchRunRecord> EnsureAsync(YibaoDatabase db, RegionCode region, string kind, string period, string policyVersion,
        long accountsTotal, DateTimeOffset now, CancellationToken ct = default)
    {
        await db.InTransactionAsync(async s =>
        {
            await RegionRows.RequireAsync(s, region, ct).ConfigureAwait(false);
            await using (var insert = s.Command(
                             "INSERT INTO batch_run (region_code, kind, period, status, policy_version, started_at, accounts_total) " +
                             "VALUES (@r, @k, @p, 'running', @pv, @at, @total) ON CONFLICT (region_code, kind, period) DO NOTHING")
                         .With("r", region.Value).With("k", kind).With("p", period).With("pv", policyVersion)
                         .With("at", Timestamp(s.Engine, now)).With("total", accountsTotal))
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await using (var reopen = s.Command("UPDATE batch_run SET status = 'running' WHERE region_code = @r AND kind = @k AND period = @p AND status = 'failed'")
                             .With("r", region.Value).With("k", kind).With("p", period))
                await reopen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
        return await GetAsync(db, region, kind, period, ct).ConfigureAwait(false)
               ?? throw new InvalidOperationException("the batch run row vanished after it was created");
    }

    /// <summary>
    /// Claims the next chunk of a running run inside the caller's transaction: succeeds only when
    /// the checkpoint is still <paramref name="from"/>, and then holds the row until the commit
    /// (PostgreSQL: its row lock; SQLite: the write lock of BEGIN IMMEDIATE). Null when another
    /// process moved the run on (or finished it) first.
    /// </summary>
    internal static async Task<Dictionary<string, long>?> ClaimAsync(DbSession s, long runId, long from, CancellationToken ct)
    {
        await using var cmd = s.Command(
                "UPDATE batch_run SET last_insured_id = last_insured_id WHERE id = @id AND status = 'running' AND last_insured_id = @from RETURNING message")
            .With("id", runId).With("from", from);
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await r.ReadAsync(ct).ConfigureAwait(false)) return null;
        return ParseMessage(r.IsDBNull(0) ? null : r.GetString(0)).SkippedCopy;
    }

    /// <summary>Moves a claimed run past a chunk: its checkpoint, counts and sums; finished when the chunk was the last.</summary>
    internal static async Task AdvanceAsync(DbSession s, long runId, long checkpoint, long done, long skipped, long credited, long deducted,
        IReadOnlyDictionary<string, long> skippedByReason, bool finished, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = s.Command(
                "UPDATE batch_run SET last_insured_id = @cp, accounts_done = accounts_done + @done, accounts_skipped = accounts_skipped + @skipped, " +
                "sum_credited = sum_credited + @credited, sum_deducted = sum_deducted + @deducted, message = @message, " +
                "status = CASE WHEN @finished = 1 THEN 'finished' ELSE status END, " +
                "finished_at = CASE WHEN @finished = 1 THEN @at ELSE finished_at END WHERE id = @id")
            .With("cp", checkpoint).With("done", done).With("skipped", skipped).With("credited", credited).With("deducted", deducted)
            .With("message", Message(skippedByReason, null)).With("finished", finished ? 1 : 0).With("at", Timestamp(s.Engine, now)).With("id", runId);
        if (await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
            throw new InvalidOperationException($"batch run {runId} could not be advanced");
    }

    /// <summary>Records why a run stopped; it stays resumable (the next start sets it running again).</summary>
    internal static async Task FailAsync(YibaoDatabase db, long runId, string error, CancellationToken ct)
    {
        await db.InTransactionAsync(async s =>
        {
            string? message;
            await using (var read = s.Command("SELECT message FROM batch_run WHERE id = @id").With("id", runId))
                message = await read.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
            await using var cmd = s.Command("UPDATE batch_run SET status = 'failed', message = @m WHERE id = @id AND status = 'running'")
                .With("id", runId).With("m", Message(ParseMessage(message).SkippedCopy, error));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return 0;
        }, ct).ConfigureAwait(false);
    }


    private static string Message(IReadOnlyDictionary<string, long> skipped, string? error) =>
        JsonSerializer.Serialize(new RunMessage(new SortedDictionary<string, long>(skipped.ToDictionary(), StringComparer.Ordinal), error), Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static RunMessage ParseMessage(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new RunMessage(null, null);
        try
        {
            return JsonSerializer.Deserialize<RunMessage>(json, Json) ?? new RunMessage(null, null);
        }
        catch (JsonException)
        {
            return new RunMessage(null, json);
        }
    }

    private sealed record RunMessage(SortedDictionary<string, long>? Skipped, string? Error)
    {
        public Dictionary<string, long> SkippedCopy => Skipped is null ? new(StringComparer.Ordinal) : new(Skipped, StringComparer.Ordinal);
    }

    private static BatchRunRecord Read(DbDataReader r)
    {
        var message = ParseMessage(r.IsDBNull(14) ? null : r.GetString(14));
        return new BatchRunRecord(
            Long(r, 0), RegionCode.Parse(r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            ReadTimestamp(r, 6)!.Value, ReadTimestamp(r, 7), Long(r, 8), Long(r, 9), Long(r, 10), Long(r, 11), Long(r, 12), Long(r, 13),
            message.SkippedCopy, message.Error);
    }
}
