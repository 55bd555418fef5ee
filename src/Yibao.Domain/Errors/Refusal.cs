using Yibao.Domain.Decisions;

namespace Yibao.Domain.Errors;

/// <summary>
/// The one refusal type: why something was not done, as a <see cref="ResultCode"/>, a message in
/// Chinese and one in English (each wholly in its language), the values that explain it
/// (<see cref="Details"/>: the field, the value seen, the limit) and, for a refusal of a policy
/// decision, the decision's reasons. Decisions and stores return it as a value
/// (<see cref="Outcome{T}"/>); code that cannot return one (a value type parsing its text)
/// throws it inside a <see cref="YibaoException"/>. Either way it becomes a problem document in
/// one place on the server and one line on the CLI.
/// </summary>
public sealed record Refusal(ResultCode Code, string MessageZh, string MessageEn)
{
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>The reasons of the decision that refused (rule, values compared, source), empty for bad input.</summary>
    public IReadOnlyList<Reason> Reasons { get; init; } = [];

    public Refusal With(string key, string value)
    {
        var details = new Dictionary<string, string>(Details) { [key] = value };
        return this with { Details = details };
    }

    public Refusal Because(IReadOnlyList<Reason> reasons) => this with { Reasons = reasons };

    /// <summary>Whether this refusal carries <paramref name="code"/> (compared by symbol).</summary>
    public bool Is(ResultCode code) => ReferenceEquals(Code, code);

    public override string ToString() => $"{Code.Value}: {MessageZh} / {MessageEn}";
}

/// <summary>Carries a <see cref="Refusal"/> out of code that cannot return one (parsing at the edge, deep validation).</summary>
public sealed class YibaoException(Refusal refusal) : Exception(refusal.ToString())
{
    public Refusal Error { get; } = refusal;
}

/// <summary>
/// What a decision or a store answers: the value, or the refusal that stopped it. A refusal
/// means nothing was written.
/// </summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    public Refusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    /// <summary>The value; reading it from a refused outcome is a programming error.</summary>
    public T Value => Refusal is null ? _value! : throw new InvalidOperationException($"the outcome was refused: {Refusal}");

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal ?? throw new ArgumentNullException(nameof(refusal)));

    /// <summary>The value, or the refusal thrown (for callers that have no way to answer a refusal but to stop).</summary>
    public T OrThrow() => Refusal is null ? _value! : throw new YibaoException(Refusal);

    public Outcome<TOut> Map<TOut>(Func<T, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Refusal is null ? map(_value!) : Refusal;
    }
}
