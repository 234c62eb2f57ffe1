using System.Collections;
using System.Reflection;

namespace Toolkit.Rpc.Tests.Serialization;

/// <summary>
/// Compares two values member by member, since records compare collections by reference and floating-point,
/// <see cref="DateTime"/> and <see cref="DateTimeOffset"/> equality ignore bits that the wire must keep
/// (the sign of zero, NaN payloads, <see cref="DateTime.Kind"/>, the offset).
/// </summary>
public static class StructuralEquality
{
    /// <summary>Throws with the path of the first difference, prefixed by <paramref name="context"/>.</summary>
    public static void AssertEqual<T>(T expected, T actual, string context = "")
    {
        if (Difference(expected, actual, "value") is { } difference)
        {
            Assert.Fail(context.Length == 0 ? difference : $"{context}: {difference}");
        }
    }

    /// <summary>Describes the first difference between the two values, or returns null when they are equal.</summary>
    public static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
        }

        Type type = expected.GetType();
        // A member typed as an interface (IReadOnlyList<int>) is read back as the concrete type the reader picks.
        bool bothCollections = expected is IEnumerable and not string && actual is IEnumerable and not string && !IsSet(type);
        if (type != actual.GetType() && !bothCollections)
        {
            return $"{path}: expected a {type.Name}, got a {actual.GetType().Name}";
        }

        switch (expected)
        {
            case double d:
                return BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits((double)actual) ? null : Mismatch(path, expected, actual);
            case float f:
                return BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits((float)actual) ? null : Mismatch(path, expected, actual);
            case Half h:
                return BitConverter.HalfToInt16Bits(h) == BitConverter.HalfToInt16Bits((Half)actual) ? null : Mismatch(path, expected, actual);
            case decimal m:
                // decimal equality ignores the scale (1.0m == 1.00m); the bits do not.
                return decimal.GetBits(m).SequenceEqual(decimal.GetBits((decimal)actual)) ? null : Mismatch(path, expected, actual);
            case DateTime t:
                DateTime other = (DateTime)actual;
                return t.Ticks == other.Ticks && t.Kind == other.Kind ? null : $"{path}: expected {t:O} ({t.Kind}), got {other:O} ({other.Kind})";
            case DateTimeOffset o:
                DateTimeOffset otherOffset = (DateTimeOffset)actual;
                return o.Ticks == otherOffset.Ticks && o.Offset == otherOffset.Offset ? null : Mismatch(path, expected, actual);
            case string s:
                return string.Equals(s, (string)actual, StringComparison.Ordinal) ? null : $"{path}: strings differ (lengths {s.Length} and {((string)actual).Length})";
            case ReadOnlyMemory<byte> memory:
                return memory.Span.SequenceEqual(((ReadOnlyMemory<byte>)actual).Span) ? null : $"{path}: byte blocks differ";
            case Memory<byte> memory:
                return memory.Span.SequenceEqual(((Memory<byte>)actual).Span) ? null : $"{path}: byte blocks differ";
            case IDictionary dictionary:
                return DictionaryDifference(dictionary, (IDictionary)actual, path);
            case IEnumerable sequence when IsSet(type):
                return SetDifference(sequence, actual, type, path);
            case IEnumerable sequence:
                return SequenceDifference(sequence, (IEnumerable)actual, path);
        }

        if (type.IsPrimitive || type.IsEnum || expected is Guid or TimeSpan or Int128 or UInt128)
        {
            return expected.Equals(actual) ? null : Mismatch(path, expected, actual);
        }

        return MemberDifference(expected, actual, type, path);
    }

    private static string? MemberDifference(object expected, object actual, Type type, string path)
    {
        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract"
                && Difference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } difference)
            {
                return difference;
            }
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (Difference(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? SequenceDifference(IEnumerable expected, IEnumerable actual, string path)
    {
        List<object?> left = [.. expected.Cast<object?>()];
        List<object?> right = [.. actual.Cast<object?>()];
        if (left.Count != right.Count)
        {
            return $"{path}: expected {left.Count} elements, got {right.Count}";
        }

        for (int i = 0; i < left.Count; i++)
        {
            if (Difference(left[i], right[i], $"{path}[{i}]") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static string? DictionaryDifference(IDictionary expected, IDictionary actual, string path)
    {
        if (expected.Count != actual.Count)
        {
            return $"{path}: expected {expected.Count} entries, got {actual.Count}";
        }

        foreach (DictionaryEntry entry in expected)
        {
            if (!actual.Contains(entry.Key))
            {
                return $"{path}: key {Show(entry.Key)} is missing";
            }

            if (Difference(entry.Value, actual[entry.Key], $"{path}[{Show(entry.Key)}]") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }

    private static bool IsSet(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(HashSet<>);

    private static string? SetDifference(IEnumerable expected, object actual, Type type, string path)
    {
        // The sets' own comparer decides membership, as it would for the receiver.
        bool equal = (bool)type.GetMethod(nameof(HashSet<int>.SetEquals))!.Invoke(actual, [expected])!;
        return equal ? null : $"{path}: sets differ";
    }

    private static string Mismatch(string path, object expected, object actual) => $"{path}: expected {Show(expected)}, got {Show(actual)}";

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s.Length > 40 ? $"\"{s[..40]}…\" ({s.Length} chars)" : $"\"{s}\"",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
