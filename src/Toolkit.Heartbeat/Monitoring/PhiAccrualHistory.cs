namespace Toolkit.Heartbeat.Monitoring;

/// <summary>
/// A target's heartbeat inter-arrival times (a bounded window, in milliseconds) and the phi computed from them, as
/// Pekko's <c>PhiAccrualFailureDetector</c> computes it: a logistic approximation of the normal distribution's tail.
/// </summary>
internal sealed class PhiAccrualHistory
{
    private readonly double[] _samples;
    private int _next;
    private int _count;
    private double _sum;
    private double _squares;

    public PhiAccrualHistory(int maxSampleSize, double firstEstimateMillis)
    {
        _samples = new double[maxSampleSize];

        // Pekko's bootstrap: two samples one quarter of the estimate either side of it.
        double deviation = firstEstimateMillis / 4;
        Add(firstEstimateMillis - deviation);
        Add(firstEstimateMillis + deviation);
    }

    public double Mean => _sum / _count;

    public double StdDeviation => Math.Sqrt(Math.Max(0, (_squares / _count) - (Mean * Mean)));

    public void Add(double intervalMillis)
    {
        if (_count == _samples.Length)
        {
            double dropped = _samples[_next];
            _sum -= dropped;
            _squares -= dropped * dropped;
        }
        else
        {
            _count++;
        }

        _samples[_next] = intervalMillis;
        _next = (_next + 1) % _samples.Length;
        _sum += intervalMillis;
        _squares += intervalMillis * intervalMillis;
    }

    /// <summary>The suspicion level after <paramref name="sinceLastMillis"/> of silence.</summary>
    public double Phi(double sinceLastMillis, double acceptablePauseMillis, double minStdDeviationMillis)
    {
        double mean = Mean + acceptablePauseMillis;
        double deviation = Math.Max(StdDeviation, minStdDeviationMillis);
        double y = (sinceLastMillis - mean) / deviation;
        double e = Math.Exp(-y * (1.5976 + (0.070566 * y * y)));
        return sinceLastMillis > mean ? -Math.Log10(e / (1.0 + e)) : -Math.Log10(1.0 - (1.0 / (1.0 + e)));
    }

    /// <summary>How much silence makes phi reach the threshold whose normalized distance is <paramref name="thresholdY"/>.</summary>
    public double SilenceAtThresholdMillis(double thresholdY, double acceptablePauseMillis, double minStdDeviationMillis) =>
        Mean + acceptablePauseMillis + (thresholdY * Math.Max(StdDeviation, minStdDeviationMillis));

    /// <summary>
    /// The normalized distance y at which phi equals <paramref name="threshold"/>: the root of
    /// <c>0.070566·y³ + 1.5976·y = ln((1 − p) / p)</c> with <c>p = 10^−threshold</c>, found by Newton's method.
    /// </summary>
    public static double ThresholdDistance(double threshold)
    {
        double p = Math.Pow(10, -threshold);
        double c = Math.Log((1 - p) / p);
        double y = c / 1.5976;
        for (int i = 0; i < 50; i++)
        {
            double f = (0.070566 * y * y * y) + (1.5976 * y) - c;
            double slope = (3 * 0.070566 * y * y) + 1.5976;
            double next = y - (f / slope);
            if (Math.Abs(next - y) < 1e-12)
            {
                return next;
            }

            y = next;
        }

        return y;
    }
}
