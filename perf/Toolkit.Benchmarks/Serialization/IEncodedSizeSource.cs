namespace Toolkit.Benchmarks.Serialization;

/// <summary>A serializer benchmark that can say how many bytes its message encodes to.</summary>
public interface IEncodedSizeSource
{
    /// <summary>The message's encoded size with <paramref name="codec"/>, measured by encoding it once.</summary>
    int EncodedSize(Codec codec);
}
