namespace Toolkit.Rpc.Gateways;

/// <summary>How a call's epoch is kept without a nullable: <see cref="None"/> means the call carries none.</summary>
internal static class FencingToken
{
    /// <summary>No epoch. Epochs are create revisions and counters, never this value (the wire refuses it).</summary>
    public const long None = long.MinValue;

    public static long? ToNullable(long epoch) => epoch == None ? null : epoch;

    /// <summary>Throws when a caller passes <see cref="None"/> as an epoch.</summary>
    public static void ThrowIfNone(long epoch, string parameterName)
    {
        if (epoch == None)
        {
            throw new ArgumentOutOfRangeException(parameterName, epoch, "An epoch cannot be long.MinValue.");
        }
    }
}
