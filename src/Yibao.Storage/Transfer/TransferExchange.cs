using System.Globalization;
using Yibao.Domain.Calendars;
using Yibao.Domain.Errors;
using Yibao.Domain.Features.Transfer;
using Yibao.Domain.Identity;
using Yibao.Domain.Ledger;
using Yibao.Domain.Policy;
using Yibao.Domain.Regions;
using Yibao.Domain.Time;
using Yibao.Storage.Applications;
using Yibao.Storage.Ledger;
using static Yibao.Storage.StorageValues;
using DMoney = Yibao.Domain.Money.Money;

namespace Yibao.Storage.Transfer;

/// <summary>
/// Which database holds which pooling region: one by default, others where a region is run
/// apart (a deployment split by region). A transfer never needs two of them in one transaction.
/// </summary>
public sealed class RegionDatabases(YibaoDatabase @default, IReadOnlyDictionary<RegionCode, YibaoDatabase>? apart = null)
{
    private readonly IReadOnlyDictionary<RegionCode, YibaoDatabase> _apart = apart ?? new Dictionary<RegionCode, YibaoDatabase>();

    public YibaoDatabase For(RegionCode region) => _apart.TryGetValue(region, out var db) ? db : @default;

    /// <summary>The region is run in a database of its own (configured), so a transfer to it is delivered there.</summary>
    public bool IsApart(RegionCode region) => _apart.ContainsKey(region);

    /// <summary>Every database once, the default first.</summary>
    public IReadOnlyList<YibaoDatabase> All => new[] { @default }.Concat(_apart.Values).Distinct().ToList();
}

/// <summary>A transfer-out message (《参保人员基本医疗保险信息表》 and the balance), as the source's outbox holds it.</summary>
public sealed record TransferMessage(
    string MessageId, RegionCode Source, RegionCode Target, IdNumber IdNumber, string Name, DMoney Amount,
    DateOnly AppliedOn, DateOnly AcceptedOn, DateOnly TransferOutDeadline, DateOnly SentOn);

/// <summary>A transfer as one region's queue shows it: outgoing (the source's outbox) or incoming (the target's inbox), with its deadline.</summary>
public sealed record TransferItem(
    string Direction, string MessageId, RegionCode Source, RegionCode Target, IdNumber IdNumber, string Name, DMoney Amount,
    DateOnly AppliedOn, DateOnly Deadline, string Status, DateOnly? ReceivedOn, DateOnly? CreditedOn, string? LastError, bool Overdue);

/// <summary>What one dispatch round did.</summary>
/// <param name="Delivered">Messages the targets accepted for the first time.</param>
/// <param name="Redelivered">Messages the targets already had (a delivery repeated after a crash): marked delivered, nothing credited twice.</param>
/// <param name="Failed">Deliveries that failed (tried again next round).</param>
/// <param name="Credited">Incoming messages credited to the person's account in the target region.</param>
/// <param name="Waiting">Incoming messages that cannot be credited yet (e.g. the person is not enrolled there).</param>
/// <param name="Errors">Why each failed or waiting message did not go through.</param>
public sealed record DispatchRound(int Delivered, int Redelivered, int Failed, int Credited, int Waiting, IReadOnlyList<string> Errors);

/// <summary>
/// 转移接续 between pooling regions as a message exchange (DESIGN: outbox on one side, idempotent
/// inbox on the other, never one shared transaction). The source's execution wrote the outbox row
/// in the transaction that debited the account to inter-region clearing; a round then
/// <list type="number">
/// <item>delivers each undelivered outbox row to the target region's database: the inbox takes a
/// message once (its id is the primary key) and records the day received and the transfer-in
/// deadline on the target's calendar;</item>
/// <item>marks the outbox row delivered and closes the application, in the source's database;</item>
/// <item>credits each received inbox message to the person's personal account in the target
/// region (key <c>transfer-in/{target}/{message id}</c>) and marks it credited, in one transaction.</item>
/// </list>
/// A process killed between any two steps leaves a state the next round completes: an
/// undelivered row is sent again and the inbox answers "already had it"; a received message is
/// credited by the next round, once.
/// </summary>
public sealed class TransferExchange(RegionDatabases regions, PolicyBook book, HolidayCalendars calendars, TimeProvider clock)
{
    public const string TransferInReason = "transfer-in";
    public const string Actor = "system:transfer-dispatcher";

    /// <summary>Test hook: runs after a target accepted a message and before the source marks it delivered (throwing there simulates a crash between the two).</summary>
    internal Func<TransferMessage, Task>? AfterDelivery { get; init; }

    public static string TransferInKey(RegionCode target, string messageId) => $"transfer-in/{target.Value}/{messageId}";

    /// <summary>One round over every database: deliver what is pending everywhere, then credit what has arrived everywhere.</summary>
    public async Task<DispatchRound> RoundAsync(CancellationToken ct = default)
    {
        var rounds = new List<DispatchRound>();
        foreach (var db in regions.All) rounds.Add(await DeliverAsync(db, ct: ct).ConfigureAwait(false));
        foreach (var db in regions.All) rounds.Add(await CreditInboxAsync(db, ct).ConfigureAwait(false));
        foreach (var db in regions.All) await ReportBackAsync(db, ct).ConfigureAwait(false);
        return new DispatchRound(rounds.Sum(r => r.Delivered), rounds.Sum(r => r.Redelivered), rounds.Sum(r => r.Failed),
            rounds.Sum(r => r.Credited), rounds.Sum(r => r.Waiting), rounds.SelectMany(r => r.Errors).ToList());
    }

    /// <summary>Delivers the undelivered outbox rows of one (source) database, oldest first.</summary>
    public async Task<DispatchRound> DeliverAsync(YibaoDatabase source, int limit = 500, CancellationToken ct = default)
    {
        var pending = new List<TransferMessage>();
        await using (var c = await source.ConnectAsync(ct).ConfigureAwait(false))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT message_id, region_code, target_region, id_number, name, amount, applied_on, accepted_on, transfer_out_deadline, sent_on " +
                              "FROM transfer_outbox WHERE delivered_at IS NULL ORDER BY id LIMIT @limit";
            cmd.With("limit", limit);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                pending.Add(new TransferMessage(r.GetString(0), RegionCode.Parse(r.GetString(1)), RegionCode.Parse(r.GetString(2)), IdNumber.Parse(r.GetString(3)),
                    r.GetString(4), Fen(r, 5), r.GetFieldValue<DateOnly>(6), r.GetFieldValue<DateOnly>(7), r.GetFieldValue<DateOnly>(8), r.GetFieldValue<DateOnly>(9)));
        }

        int delivered = 0, redelivered = 0, failed = 0;
        var errors = new List<string>();
        foreach (var message in pending)
        {
            try
            {
                if (await ReceiveAsync(regions.For(message.Target), message, ct).ConfigureAwait(false)) delivered++;
                else redelivered++;
            }
            catch (Exception e) when (e is YibaoException or System.Data.Common.DbException or InvalidOperationException)
            {
                failed++;
                errors.Add($"{message.MessageId}: {e.Message}");
                await source.RunAsync(async s =>
                {
                    await using var note = s.Command("UPDATE transfer_outbox SET attempts = attempts + 1, last_error = @e WHERE message_id = @m AND delivered_at IS NULL")
                        .With("e", e.Message.Length > 500 ? e.Message[..500] : e.Message).With("m", message.MessageId);
                    return await note.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
                continue;
            }
            if (AfterDelivery is { } hook) await hook(message).ConfigureAwait(false);
            await MarkDeliveredAsync(source, message, ct).ConfigureAwait(false);
        }
        return new DispatchRound(delivered, redelivered, failed, 0, 0, errors);
    }

    /// <summary>
    /// The target's inbox takes the message, once: true when it is new, false when it was already
    /// there (a repeated delivery). The day received is the target's today; the transfer-in
    /// deadline counts from it in the target's working days (K6).
    /// </summary>
    public async Task<bool> ReceiveAsync(YibaoDatabase target, TransferMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var received = Dates.TodayInChina(clock);
        var policy = book.For(TransferCase.NearestConfigured(book, message.Target), received);
        var deadline = calendars.For(TransferCase.CalendarOf(policy, message.Target)).AddWorkingDays(received, TransferPolicy.From(policy).InWorkingDays);
        return await target.RunAsync(async s =>
        {
            await using var insert = s.Command(
                    "INSERT INTO transfer_inbox (message_id, region_code, source_region, id_number, name, amount, applied_on, received_on, transfer_in_deadline, status, received_at) " +
                    "VALUES (@m, @t, @s, @i, @n, @a, @applied, @received, @deadline, 'received', @at) ON CONFLICT (message_id) DO NOTHING")
                .With("m", message.MessageId).With("t", message.Target.Value).With("s", message.Source.Value).With("i", message.IdNumber.Value)
                .With("n", message.Name).With("a", message.Amount.Fen).With("applied", message.AppliedOn).With("received", received)
                .With("deadline", deadline).With("at", Timestamp(s.Engine, clock.GetUtcNow()));
            return await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, ct).ConfigureAwait(false);
    }

    private async Task MarkDeliveredAsync(YibaoDatabase source, TransferMessage message, CancellationToken ct)
    {
        await source.RunAsync(async s =>
        {
            await using var mark = s.Command("UPDATE transfer_outbox SET delivered_at = @at, last_error = NULL WHERE message_id = @m AND delivered_at IS NULL RETURNING application_id")
                .With("at", Timestamp(s.Engine, clock.GetUtcNow())).With("m", message.MessageId);
            var applicationId = await mark.ExecuteScalarAsync(ct).ConfigureAwait(false);
            if (applicationId is null or DBNull) return 0;
            var app = await ApplicationRows.ReadAsync(s, Convert.ToInt64(applicationId, CultureInfo.InvariantCulture), forUpdate: true, withEvents: false, ct).ConfigureAwait(false);
            if (app is { Status: Domain.Features.Applications.ApplicationStatus.Executed })
                await ApplicationRows.TransitionAsync(s, app, Domain.Features.Applications.ApplicationAction.Close, Actor, clock.GetUtcNow(),
                    note: $"delivered to {message.Target.Value}", ct: ct).ConfigureAwait(false);
            return 1;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Credits every received message of one (target) database to the person's account there, each in its own transaction.</summary>
    public async Task<DispatchRound> CreditInboxAsync(YibaoDatabase target, CancellationToken ct = default)
    {
        var received = new List<(string MessageId, RegionCode Target, RegionCode Source, string IdNumber, DMoney Amount)>();
        await using (var c = await target.ConnectAsync(ct).ConfigureAwait(false))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT message_id, region_code, source_region, id_number, amount FROM transfer_inbox WHERE status = 'received' ORDER BY received_at, message_id";
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
                received.Add((r.GetString(0), RegionCode.Parse(r.GetString(1)), RegionCode.Parse(r.GetString(2)), r.GetString(3), Fen(r, 4)));
        }

        int credited = 0, waiting = 0;
        var errors = new List<string>();
        var ledger = new LedgerStore(target, clock);
        foreach (var m in received)
        {
            try
            {
                var creditedNow = await target.RunAsync(async s =>
                {
                    var today = Dates.TodayInChina(clock);
                    var key = TransferInKey(m.Target, m.MessageId);
                    // Claim the message first: a second round crediting it at the same time waits on
                    // this row, then finds it credited and does nothing (the claim rolls back with
                    // the rest if the credit below is refused).
                    await using (var claim = s.Command(
                                     "UPDATE transfer_inbox SET status = 'credited', entry_key = @k, credited_on = @d, last_error = NULL WHERE message_id = @m AND status = 'received'")
                                 .With("k", m.Amount.IsPositive ? key : null).With("d", today).With("m", m.MessageId))
                    {
                        if (await claim.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1) return false;
                    }
                    await using (var enrolled = s.Command("SELECT COUNT(*) FROM insured WHERE region_code = @r AND id_number = @i").With("r", m.Target.Value).With("i", m.IdNumber))
                    {
                        if (Convert.ToInt64(await enrolled.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
                            throw new YibaoException(ErrorCatalog.TransferTargetNotEnrolled(m.Target.Value, m.IdNumber));
                    }
                    if (m.Amount.IsPositive)
                    {
                        var account = AccountCode.Personal(m.Target, m.IdNumber);
                        var clearing = AccountCode.Of(m.Target, AccountKind.InterRegionClearing);
                        await LedgerStore.OpenAccountAsync(s, account, today, ct).ConfigureAwait(false);
                        await LedgerStore.OpenAccountAsync(s, clearing, AccountCode.SystemOpeningDate, ct).ConfigureAwait(false);
                        var policy = book.For(TransferCase.NearestConfigured(book, m.Target), today);
                        await ledger.PostNewAsync(s, new JournalEntryRequest
                        {
                            IdempotencyKey = key,
                            Region = m.Target,
                            ReasonCode = TransferInReason,
                            BusinessDate = today,
                            Actor = Actor,
                            PolicyVersion = policy.VersionOf("transfer."),
                            // 历年: the balance carried from earlier years and another region.
                            Memo = $"转移接续转入:自 {m.Source.Value} 转入个人账户余额 {m.Amount.ToPlainString()}(报文 {m.MessageId})",
                            Postings = [new PostingLine(clearing, Segment.Main, -m.Amount), new PostingLine(account, Segment.Historical, m.Amount)],
                        }, ct).ConfigureAwait(false);
                    }
                    return true;
                }, ct).ConfigureAwait(false);
                if (creditedNow) credited++;
            }
            catch (YibaoException e)
            {
                waiting++;
                errors.Add($"{m.MessageId}: {e.Error.Code.Value}");
                await target.RunAsync(async s =>
                {
                    await using var note = s.Command("UPDATE transfer_inbox SET last_error = @e WHERE message_id = @m AND status = 'received'")
                        .With("e", $"{e.Error.Code.Value}: {e.Error.MessageEn}").With("m", m.MessageId);
                    return await note.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }, ct).ConfigureAwait(false);
            }
        }
        return new DispatchRound(0, 0, 0, credited, waiting, errors);
    }

    /// <summary>
    /// The target's answer travels back to the source (the exchange's acknowledgement): for each
    /// delivered message of one (source) database not yet known to be credited, the target inbox's
    /// state — waiting (with why, e.g. <c>transfer-target-not-enrolled</c>) or credited — is copied
    /// onto the outbox row, so the source's queue shows a transfer until its target has credited it.
    /// </summary>
    public async Task ReportBackAsync(YibaoDatabase source, CancellationToken ct = default)
    {
        var open = new List<(string MessageId, RegionCode Target)>();
        await using (var c = await source.ConnectAsync(ct).ConfigureAwait(false))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT message_id, target_region FROM transfer_outbox WHERE delivered_at IS NOT NULL AND (target_status IS NULL OR target_status <> 'credited') ORDER BY id";
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) open.Add((r.GetString(0), RegionCode.Parse(r.GetString(1))));
        }
        foreach (var (messageId, target) in open)
        {
            string? status = null, error = null;
            DateOnly? creditedOn = null;
            await using (var c = await regions.For(target).ConnectAsync(ct).ConfigureAwait(false))
            await using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT status, last_error, credited_on FROM transfer_inbox WHERE message_id = @m";
                cmd.With("m", messageId);
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                if (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    status = r.GetString(0) == "credited" ? "credited" : (r.IsDBNull(1) ? "received" : "waiting");
                    error = StringOrNull(r, 1);
                    creditedOn = DateOrNull(r, 2);
                }
            }
            if (status is null) continue;
            await source.RunAsync(async s =>
            {
                await using var update = s.Command("UPDATE transfer_outbox SET target_status = @s, target_error = @e, credited_on = @d WHERE message_id = @m")
                    .With("s", status).With("e", error).With("d", creditedOn).With("m", messageId);
                return await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>A region's transfers in both directions, soonest deadline first: outgoing not yet delivered, incoming not yet credited (or all with <paramref name="includeDone"/>).</summary>
    public async Task<IReadOnlyList<TransferItem>> QueueAsync(RegionCode region, bool includeDone = false, CancellationToken ct = default)
    {
        var today = Dates.TodayInChina(clock);
        var items = new List<TransferItem>();
        var db = regions.For(region);
        await using var c = await db.ConnectAsync(ct).ConfigureAwait(false);
        await using (var cmd = c.CreateCommand())
        {
            // Outgoing: shown until the target has credited it (a delivered message waiting on the target stays in view).
            cmd.CommandText = "SELECT o.message_id, o.region_code, o.target_region, o.id_number, o.name, o.amount, o.applied_on, o.transfer_out_deadline, o.delivered_at, " +
                              "COALESCE(o.target_error, o.last_error), o.sent_on, o.target_status, o.credited_on " +
                              "FROM transfer_outbox o WHERE o.region_code = @r" + (includeDone ? "" : " AND (o.target_status IS NULL OR o.target_status <> 'credited')");
            cmd.With("r", region.Value);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var delivered = !r.IsDBNull(8);
                var deadline = r.GetFieldValue<DateOnly>(7);
                var status = !delivered ? "sent" : StringOrNull(r, 11) switch { "credited" => "credited", "waiting" => "waiting", _ => "delivered" };
                items.Add(new TransferItem("out", r.GetString(0), RegionCode.Parse(r.GetString(1)), RegionCode.Parse(r.GetString(2)), IdNumber.Parse(r.GetString(3)),
                    r.GetString(4), Fen(r, 5), r.GetFieldValue<DateOnly>(6), deadline, status, null, DateOrNull(r, 12), StringOrNull(r, 9),
                    Overdue: r.GetFieldValue<DateOnly>(10) > deadline));
            }
        }
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT message_id, source_region, region_code, id_number, name, amount, applied_on, transfer_in_deadline, status, received_on, credited_on, last_error " +
                              "FROM transfer_inbox WHERE region_code = @r" + (includeDone ? "" : " AND status = 'received'");
            cmd.With("r", region.Value);
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                var deadline = r.GetFieldValue<DateOnly>(7);
                var status = r.GetString(8);
                var creditedOn = DateOrNull(r, 10);
                items.Add(new TransferItem("in", r.GetString(0), RegionCode.Parse(r.GetString(1)), RegionCode.Parse(r.GetString(2)), IdNumber.Parse(r.GetString(3)),
                    r.GetString(4), Fen(r, 5), r.GetFieldValue<DateOnly>(6), deadline, status, r.GetFieldValue<DateOnly>(9), creditedOn, StringOrNull(r, 11),
                    Overdue: (creditedOn ?? today) > deadline));
            }
        }
        return items.OrderBy(i => i.Deadline).ThenBy(i => i.MessageId, StringComparer.Ordinal).ToList();
    }
}
