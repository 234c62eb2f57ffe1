namespace Toolkit.Benchmarks.Messages;

/// <summary>
/// Full structural equality of decoded messages, checked once per implementation in setup: records compare
/// arrays, dictionaries and memory by reference, which says nothing about a round trip.
/// </summary>
public static class MessageEquality
{
    public static bool Equivalent(Ping expected, Ping actual) => expected == actual;

    public static bool Equivalent(Registration expected, Registration actual) =>
        expected.ResourceId == actual.ResourceId
        && expected.Address == actual.Address
        && expected.Slots == actual.Slots
        && expected.Labels.Count == actual.Labels.Count
        && expected.Labels.All(label => actual.Labels.TryGetValue(label.Key, out string? value) && value == label.Value);

    // SlotStatus and ResourceProfile hold only values and strings, so their record equality is structural.
    public static bool Equivalent(SlotReport expected, SlotReport actual) =>
        expected.ResourceId == actual.ResourceId && expected.Slots.AsSpan().SequenceEqual(actual.Slots);

    // DateTimeOffset equality ignores the offset; the wire keeps it, so compare it too.
    public static bool Equivalent(Draw expected, Draw actual) => expected == actual && expected.At.Offset == actual.At.Offset;

    public static bool Equivalent(Chunk expected, Chunk actual) =>
        expected.Offset == actual.Offset && expected.Data.Span.SequenceEqual(actual.Data.Span);
}
