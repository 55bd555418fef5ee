using Yibao.Domain.Regions;

namespace Yibao.Domain.Ledger;

/// <summary>The outcome of posting: the entry as stored, and whether this call wrote it or replayed it.</summary>
public sealed record PostResult(JournalEntry Entry, bool Replayed);

/// <summary>A stored, immutable journal entry (记账凭证).</summary>
public sealed record JournalEntry(
    long Id,
    string IdempotencyKey,
    RegionCode Region,
    string ReasonCode,
    DateOnly BusinessDate,
    string Actor,
    string PolicyVersion,
    string? Memo,
    long? ReversesEntryId,
    DateTimeOffset RecordedAt,
    IReadOnlyList<PostingLine> Postings);

/// <summary>A ledger account with its balance by segment.</summary>
public sealed record AccountBalance(
    AccountCode Account,
    AccountKind Kind,
    RegionCode Region,
    string? Holder,
    AccountStatus Status,
    IReadOnlyDictionary<Segment, Money.Money> Segments)
{
    public Money.Money Total => Money.Money.Sum(Segments.Values);
}

public enum AccountStatus { Open, Closed }

/// <summary>One line of a statement (对账单), with the balance after it.</summary>
public sealed record StatementLine(
    long EntryId,
    long PostingId,
    DateOnly BusinessDate,
    string ReasonCode,
    string? Memo,
    Segment Segment,
    Money.Money Amount,
    Money.Money BalanceAfter,
    long? ReversesEntryId);

/// <summary>A page of an account's statement between two dates (both inclusive).</summary>
public sealed record Statement(
    AccountCode Account,
    DateOnly From,
    DateOnly To,
    Money.Money OpeningBalance,
    Money.Money ClosingBalance,
    int Page,
    int PageSize,
    long TotalLines,
    IReadOnlyList<StatementLine> Lines);
