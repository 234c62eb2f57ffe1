namespace Toolkit.Benchmarks.Serialization;

/// <summary>The implementations a serializer benchmark compares; benchmark method names start with one of these.</summary>
public enum Codec
{
    Toolkit,
    HandWritten,
    Json,
}
