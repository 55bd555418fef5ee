using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Yibao.Domain.Errors;
using Yibao.Domain.Regions;

namespace Yibao.Domain.Ledger;

/// <summary>One line of a journal entry: a signed amount on one segment of one account.</summary>
public sealed record PostingLine(AccountCode Account, Segment Segment, Money.Money Amount);

/// <summary>
/// A request to post a balanced journal entry (记账凭证). The caller chooses the idempotency key,
/// so a retry is harmless; the same key with different content is <c>idempotency-key-reused</c>.
/// </summary>
public sealed record JournalEntryRequest
{
    public required string IdempotencyKey { get; init; }
    public required RegionCode Region { get; init; }
    /// <summary>Why money moved, as a stable code (<c>monthly-credit</c>, <c>withdrawal-payout</c>, …).</summary>
    public required string ReasonCode { get; init; }
    /// <summary>The day the movement belongs to (not the day it was recorded).</summary>
    public required DateOnly BusinessDate { get; init; }
    /// <summary>Who asked for it: a user id, or <c>system:batch</c> for a run.</summary>
    public required string Actor { get; init; }
    /// <summary>The policy version that justified the movement (e.g. <c>990100@2023-01-01</c>).</summary>
    public required string PolicyVersion { get; init; }
    public required IReadOnlyList<PostingLine> Postings { get; init; }
    public string? Memo { get; init; }

    public const int MaxKeyLength = 200;

    /// <summary>Checks the shape of the entry; returns the first problem, or null when it may be posted.</summary>
    public Refusal? Validate()
    {
        if (string.IsNullOrWhiteSpace(IdempotencyKey)) return ErrorCatalog.MissingField("idempotencyKey");
        if (IdempotencyKey.Length > MaxKeyLength) return ErrorCatalog.InvalidField("idempotencyKey", $"longer than {MaxKeyLength} characters");
        if (string.IsNullOrWhiteSpace(ReasonCode)) return ErrorCatalog.MissingField("reasonCode");
        if (string.IsNullOrWhiteSpace(Actor)) return ErrorCatalog.MissingField("actor");
        if (string.IsNullOrWhiteSpace(PolicyVersion)) return ErrorCatalog.MissingField("policyVersion");
        if (Postings.Count < 2) return ErrorCatalog.EntryEmpty();
        var sum = Money.Money.Zero;
        foreach (var p in Postings)
        {
            if (p.Amount.IsZero) return ErrorCatalog.ZeroPosting(p.Account.Value);
            if (p.Account.Region != Region) return ErrorCatalog.CrossRegionEntry();
            if (!p.Account.Kind.Segments().Contains(p.Segment)) return ErrorCatalog.InvalidSegment(p.Account.Value, p.Segment.Code());
            sum += p.Amount;
        }
        if (!sum.IsZero) return ErrorCatalog.EntryUnbalanced(sum.ToPlainString());
        return null;
    }

    /// <summary>
    /// A fingerprint of everything that makes two requests "the same entry". The actor is left
    /// out on purpose: a retry from another node of the same run is still the same entry.
    /// Posting order does not matter.
    /// </summary>
    public string ContentHash(long? reverses = null)
    {
        var sb = new StringBuilder();
        sb.Append(Region.Value).Append('|').Append(ReasonCode).Append('|')
          .Append(BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('|')
          .Append(PolicyVersion).Append('|').Append(Memo ?? "").Append('|')
          .Append(reverses?.ToString(CultureInfo.InvariantCulture) ?? "");
        foreach (var line in Postings
                     .Select(p => $"{p.Account.Value}/{p.Segment.Code()}/{p.Amount.Fen.ToString(CultureInfo.InvariantCulture)}")
                     .Order(StringComparer.Ordinal))
        {
            sb.Append('|').Append(line);
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
