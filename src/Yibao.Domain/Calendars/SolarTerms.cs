namespace Yibao.Domain.Calendars;

/// <summary>
/// 节气: the instant the sun's apparent ecliptic longitude reaches a term's angle, and its day in
/// China time (UTC+8), as 紫金山天文台 publishes them. Only 清明 (15°) is a statutory holiday
/// (《全国年节及纪念日放假办法》 art. 2), so only it is named here.
/// </summary>
/// <remarks>
/// The sun's position follows J. Meeus, <i>Astronomical Algorithms</i> (2nd ed.): the Earth's
/// heliocentric longitude from VSOP87D truncated as in his table 32.A, then ch. 25's higher
/// accuracy steps (FK5, nutation in longitude, aberration), good to about a second of arc, i.e.
/// well under a minute of time; ΔT is Espenak and Meeus's polynomial for 2005–2050. The simpler
/// series of his ch. 25 is off by up to a quarter of an hour, too near midnight for a day's term.
/// <c>double</c> is right here: this is astronomy, far from money, and the answer is a day. The
/// instants of 2024–2027 agree with 紫金山天文台's to the minute (see the tests).
/// </remarks>
public static class SolarTerms
{
    private const double QingMingLongitude = 15.0;
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>清明: the day, in China time, on which the sun reaches longitude 15° in <paramref name="year"/>.</summary>
    public static DateOnly QingMing(int year) => DateOnly.FromDateTime(QingMingInstant(year).DateTime);

    /// <summary>The instant of 清明 in <paramref name="year"/>, in China time (UTC+8).</summary>
    public static DateTimeOffset QingMingInstant(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1901);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 2100);
        return Instant(year, QingMingLongitude, new DateTime(year, 4, 5, 0, 0, 0, DateTimeKind.Utc));
    }

    private static DateTimeOffset Instant(int year, double longitude, DateTime near)
    {
        // Newton's method on the sun's mean motion (360° in a tropical year): a few steps suffice.
        var jde = JulianDay(near);
        for (var i = 0; i < 20; i++)
        {
            var step = Signed(longitude - ApparentLongitude(jde)) * 365.2422 / 360.0;
            jde += step;
            if (Math.Abs(step) < 1e-7) break;
        }
        var universal = jde - DeltaTSeconds(year) / 86_400.0;
        var utc = DateTime.SpecifyKind(FromJulianDay(universal), DateTimeKind.Utc);
        return new DateTimeOffset(utc.Add(ChinaOffset).Ticks, ChinaOffset);
    }

    /// <summary>
    /// The sun's apparent longitude, degrees, at Julian Ephemeris Day <paramref name="jde"/>: the
    /// Earth's heliocentric longitude from the truncated VSOP87D series (Meeus ch. 32, table 32.A),
    /// turned geocentric, into the FK5 frame, with nutation in longitude and aberration (Meeus ch. 25).
    /// </summary>
    private static double ApparentLongitude(double jde)
    {
        var tau = (jde - 2_451_545.0) / 365_250.0;
        var t = tau * 10.0;
        var earth = Series(tau, L0, L1, L2, L3, L4, L5);
        var distance = Series(tau, R0, R1, R2, R3, R4);
        var geometric = Degrees(earth) + 180.0;
        var fk5 = -0.09033 / 3600.0;
        var omega = Radians(125.04452 - 1_934.136261 * t);
        var sunMean = Radians(280.4665 + 36_000.7698 * t);
        var moonMean = Radians(218.3165 + 481_267.8813 * t);
        var nutation = (-17.20 * Math.Sin(omega) - 1.32 * Math.Sin(2 * sunMean) - 0.23 * Math.Sin(2 * moonMean) + 0.21 * Math.Sin(2 * omega)) / 3600.0;
        var aberration = -20.4898 / 3600.0 / distance;
        return Normalize(geometric + fk5 + nutation + aberration);
    }

    /// <summary>Σ τⁿ Σ A cos(B + C τ) over the series, scaled by 10⁻⁸ (VSOP87 units: radians or AU).</summary>
    private static double Series(double tau, params double[][][] series)
    {
        var sum = 0.0;
        var power = 1.0;
        foreach (var terms in series)
        {
            var part = 0.0;
            foreach (var term in terms) part += term[0] * Math.Cos(term[1] + term[2] * tau);
            sum += part * power;
            power *= tau;
        }
        return sum / 1e8;
    }

    /// <summary>TT − UT in seconds (Espenak and Meeus, 2005–2050; a minute off changes no day).</summary>
    private static double DeltaTSeconds(int year)
    {
        var t = year - 2000.0;
        return 62.92 + 0.32217 * t + 0.005589 * t * t;
    }

    private static double JulianDay(DateTime utc) => utc.ToOADate() + 2_415_018.5;

    private static DateTime FromJulianDay(double jd) => DateTime.FromOADate(jd - 2_415_018.5);

    private static double Radians(double degrees) => degrees * Math.PI / 180.0;

    private static double Degrees(double radians) => radians * 180.0 / Math.PI;

    private static double Normalize(double degrees)
    {
        var d = degrees % 360.0;
        return d < 0 ? d + 360.0 : d;
    }

    private static double Signed(double degrees)
    {
        var d = Normalize(degrees);
        return d > 180.0 ? d - 360.0 : d;
    }

    // VSOP87D, the Earth, truncated as in Meeus table 32.A: A (10⁻⁸ rad or AU), B (rad), C (rad per millennium).
    private static readonly double[][] L0 =
    [
        [175347046, 0, 0], [3341656, 4.6692568, 6283.0758500], [34894, 4.62610, 12566.15170], [3497, 2.7441, 5753.3849], [3418, 2.8289, 3.5231],
        [3136, 3.6277, 77713.7715], [2676, 4.4181, 7860.4194], [2343, 6.1352, 3930.2097], [1324, 0.7425, 11506.7698], [1273, 2.0371, 529.6910],
        [1199, 1.1096, 1577.3435], [990, 5.233, 5884.927], [902, 2.045, 26.298], [857, 3.508, 398.149], [780, 1.179, 5223.694],
        [753, 2.533, 5507.553], [505, 4.583, 18849.228], [492, 4.205, 775.523], [357, 2.920, 0.067], [317, 5.849, 11790.629], [284, 1.899, 796.298],
        [271, 0.315, 10977.079], [243, 0.345, 5486.778], [206, 4.806, 2544.314], [205, 1.869, 5573.143], [202, 2.458, 6069.777],
        [156, 0.833, 213.299], [132, 3.411, 2942.463], [126, 1.083, 20.775], [115, 0.645, 0.980], [103, 0.636, 4694.003], [102, 0.976, 15720.839],
        [102, 4.267, 7.114], [99, 6.21, 2146.17], [98, 0.68, 155.42], [86, 5.98, 161000.69], [85, 1.30, 6275.96], [85, 3.67, 71430.70],
        [80, 1.81, 17260.15], [79, 3.04, 12036.46], [75, 1.76, 5088.63], [74, 3.50, 3154.69], [74, 4.68, 801.82], [70, 0.83, 9437.76],
        [62, 3.98, 8827.39], [61, 1.82, 7084.90], [57, 2.78, 6286.60], [56, 4.39, 14143.50], [56, 3.47, 6279.55], [52, 0.19, 12139.55],
        [52, 1.33, 1748.02], [51, 0.28, 5856.48], [49, 0.49, 1194.45], [41, 5.37, 8429.24], [41, 2.40, 19651.05], [39, 6.17, 10447.39],
        [37, 6.04, 10213.29], [37, 2.57, 1059.38], [36, 1.71, 2352.87], [36, 1.78, 6812.77], [33, 0.59, 17789.85], [30, 0.44, 83996.85],
        [30, 2.74, 1349.87], [25, 3.16, 4690.48],
    ];

    private static readonly double[][] L1 =
    [
        [628331966747, 0, 0], [206059, 2.678235, 6283.075850], [4303, 2.6351, 12566.1517], [425, 1.590, 3.523], [119, 5.796, 26.298],
        [109, 2.966, 1577.344], [93, 2.59, 18849.23], [72, 1.14, 529.69], [68, 1.87, 398.15], [67, 4.41, 5507.55], [59, 2.89, 5223.69],
        [56, 2.17, 155.42], [45, 0.40, 796.30], [36, 0.47, 775.52], [29, 2.65, 7.11], [21, 5.34, 0.98], [19, 1.85, 5486.78], [19, 4.97, 213.30],
        [17, 2.99, 6275.96], [16, 0.03, 2544.31], [16, 1.43, 2146.17], [15, 1.21, 10977.08], [12, 2.83, 1748.02], [12, 3.26, 5088.63],
        [12, 5.27, 1194.45], [12, 2.08, 4694.00], [11, 0.77, 553.57], [10, 1.30, 6286.60], [10, 4.24, 1349.87], [9, 2.70, 242.73], [9, 5.64, 951.72],
        [8, 5.30, 2352.87], [6, 2.65, 9437.76], [6, 4.67, 4690.48],
    ];

    private static readonly double[][] L2 =
    [
        [52919, 0, 0], [8720, 1.0721, 6283.0758], [309, 0.867, 12566.152], [27, 0.05, 3.52], [16, 5.19, 26.30], [16, 3.68, 155.42],
        [10, 0.76, 18849.23], [9, 2.06, 77713.77], [7, 0.83, 775.52], [5, 4.66, 1577.34], [4, 1.03, 7.11], [4, 3.44, 5573.14], [3, 5.14, 796.30],
        [3, 6.05, 5507.55], [3, 1.19, 242.73], [3, 6.12, 529.69], [3, 0.31, 398.15], [3, 2.28, 553.57], [2, 4.38, 5223.69], [2, 3.75, 0.98],
    ];

    private static readonly double[][] L3 =
    [
        [289, 5.844, 6283.076], [35, 0, 0], [17, 5.49, 12566.15], [3, 5.20, 155.42], [1, 4.72, 3.52], [1, 5.30, 18849.23], [1, 5.97, 242.73],
    ];

    private static readonly double[][] L4 =
    [
        [114, 3.142, 0], [8, 4.13, 6283.08], [1, 3.84, 12566.15],
    ];

    private static readonly double[][] L5 =
    [
        [1, 3.14, 0],
    ];

    private static readonly double[][] R0 =
    [
        [100013989, 0, 0], [1670700, 3.0984635, 6283.0758500], [13956, 3.05525, 12566.15170], [3084, 5.1985, 77713.7715], [1628, 1.1739, 5753.3849],
        [1576, 2.8469, 7860.4194], [925, 5.453, 11506.770], [542, 4.564, 3930.210], [472, 3.661, 5884.927], [346, 0.964, 5507.553],
        [329, 5.900, 5223.694], [307, 0.299, 5573.143], [243, 4.273, 11790.629], [212, 5.847, 1577.344], [186, 5.022, 10977.079],
        [175, 3.012, 18849.228], [110, 5.055, 5486.778], [98, 0.89, 6069.78], [86, 5.69, 15720.84], [86, 1.27, 161000.69], [65, 0.27, 17260.15],
        [63, 0.92, 529.69], [57, 2.01, 83996.85], [56, 5.24, 71430.70], [49, 3.25, 2544.31], [47, 2.58, 775.52], [45, 5.54, 9437.76],
        [43, 6.01, 6275.96], [39, 5.36, 4694.00], [38, 2.39, 8827.39], [37, 0.83, 19651.05], [37, 4.90, 12139.55], [36, 1.67, 12036.46],
        [35, 1.84, 2942.46], [33, 0.24, 7084.90], [32, 0.18, 5088.63], [32, 1.78, 398.15], [28, 1.21, 6286.60], [28, 1.90, 6279.55],
        [26, 4.59, 10447.39],
    ];

    private static readonly double[][] R1 =
    [
        [103019, 1.107490, 6283.075850], [1721, 1.0644, 12566.1517], [702, 3.142, 0], [32, 1.02, 18849.23], [31, 2.84, 5507.55], [25, 1.32, 5223.69],
        [18, 1.42, 1577.34], [10, 5.91, 10977.08], [9, 1.42, 6275.96], [9, 0.27, 5486.78],
    ];

    private static readonly double[][] R2 =
    [
        [4359, 5.7846, 6283.0758], [124, 5.579, 12566.152], [12, 3.14, 0], [9, 3.63, 77713.77], [6, 1.87, 5573.14], [3, 5.47, 18849.23],
    ];

    private static readonly double[][] R3 =
    [
        [145, 4.273, 6283.076], [7, 3.92, 12566.15],
    ];

    private static readonly double[][] R4 =
    [
        [4, 2.56, 6283.08],
    ];
}
