namespace Yibao.Domain.Time;

/// <summary>
/// A clock standing at 10:00 in China on one day, until told another: for replaying a day (a
/// worked case on its date, a drill, a test), so that nothing depends on the machine's date.
/// </summary>
public sealed class DayClock(DateOnly day) : TimeProvider
{
    private DateTimeOffset _now = At(day);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Set(DateOnly day) => _now = At(day);

    // 10:00 China Standard Time (UTC+8) is 02:00 UTC: the same day on both sides.
    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);
}
