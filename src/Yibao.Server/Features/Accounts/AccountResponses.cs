namespace Yibao.Server.Features.Accounts;

/// <summary>An account's balance (余额); amounts are yuan with two decimals, as strings.</summary>
/// <param name="Account">The account code, e.g. <c>990100:personal:990102198003151239</c>.</param>
/// <param name="Kind">personal, pooled-fund, institution-settlement, …</param>
/// <param name="Region">The pooling region (统筹地区) code.</param>
/// <param name="Holder">The holder's ID number for a personal account, else null.</param>
/// <param name="HolderName">The holder's name when the region knows the person.</param>
/// <param name="Status">open or closed.</param>
/// <param name="Segments">Balance by segment: current-year (当年) and historical (历年) for a personal account, main otherwise.</param>
/// <param name="Total">The sum of the segments.</param>
public sealed record AccountBalanceResponse(
    string Account,
    string Kind,
    string Region,
    string? Holder,
    string? HolderName,
    string Status,
    IReadOnlyDictionary<string, string> Segments,
    string Total);

/// <summary>A page of an account's statement (对账单) between two dates, both inclusive.</summary>
/// <param name="Account">The account code.</param>
/// <param name="From">First business date of the range.</param>
/// <param name="To">Last business date of the range.</param>
/// <param name="Opening">Balance before <c>from</c>.</param>
/// <param name="Closing">Balance at the end of <c>to</c>.</param>
/// <param name="Page">This page, from 1.</param>
/// <param name="PageSize">Lines per page.</param>
/// <param name="TotalLines">Lines in the whole range, over all pages.</param>
/// <param name="Lines">This page's lines.</param>
public sealed record StatementResponse(
    string Account,
    DateOnly From,
    DateOnly To,
    string Opening,
    string Closing,
    int Page,
    int PageSize,
    long TotalLines,
    IReadOnlyList<StatementLineResponse> Lines);

/// <summary>One posting to the account, in business-date order, with the account's balance after it.</summary>
/// <param name="EntryId">The journal entry (记账凭证) the posting belongs to.</param>
/// <param name="BusinessDate">The day the movement belongs to.</param>
/// <param name="ReasonCode">Why money moved: monthly-credit, pharmacy-spend, opening-balance, reversal, …</param>
/// <param name="Memo">A human note, often in Chinese.</param>
/// <param name="Segment">current-year, historical or main.</param>
/// <param name="Amount">Signed: positive credits the account, negative debits it.</param>
/// <param name="BalanceAfter">The account's total balance after this line.</param>
/// <param name="ReversesEntryId">For a reversal (冲正), the entry it reverses.</param>
public sealed record StatementLineResponse(
    long EntryId,
    DateOnly BusinessDate,
    string ReasonCode,
    string? Memo,
    string Segment,
    string Amount,
    string BalanceAfter,
    long? ReversesEntryId);
