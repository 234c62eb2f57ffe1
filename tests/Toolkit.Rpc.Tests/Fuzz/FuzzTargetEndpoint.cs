using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Toolkit.Rpc.Tests.Serialization;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// What the live fuzz aims hostile requests at: methods whose arguments run the generated deserializers over unions,
/// nesting, collections and strings, and which say exactly what they were called with.
/// </summary>
[RpcGateway]
public interface IFuzzTargetGateway
{
    Task<string> DescribeShapeAsync(Shape? shape);

    Task<string> DescribeDrawingAsync(Drawing? drawing);

    Task<string> DescribeTextAsync(string? text, int number);

    Task<string> DescribeCollectionsAsync(Collections? collections);

    Task<string> DescribeNodeAsync(Node? node);

    void Note(Ping ping);

    /// <summary>Tells <paramref name="peer"/> a note (a one-way call, which never fails its caller) and answers "told".</summary>
    Task<string> TellBackAsync(IFuzzTargetGateway? peer);

    /// <summary>Waits until the call is cancelled; counts the cancellations it observed.</summary>
    Task<bool> WaitForCancellationAsync(int tag, CancellationToken cancellation);

    /// <summary>The calls recorded since the last drain (and any type that should never have been instantiated).</summary>
    Task<string[]> DrainAsync();
}

/// <summary>
/// Records each call as a line. Started, it is the live fuzz's target; unstarted, the fuzz's model of the server calls
/// it directly through the same generated dispatch table to predict what the started one must record and answer.
/// </summary>
public sealed class FuzzTargetEndpoint : RpcEndpoint, IFuzzTargetGateway
{
    private readonly List<string> _calls = [];
    private int _waiting;
    private int _cancelled;

    /// <summary>Calls of <see cref="IFuzzTargetGateway.WaitForCancellationAsync"/> that started waiting.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Calls of <see cref="IFuzzTargetGateway.WaitForCancellationAsync"/> that observed their cancellation.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    public Task<string> DescribeShapeAsync(Shape? shape) => Task.FromResult(Record("DescribeShape", shape));

    public Task<string> DescribeDrawingAsync(Drawing? drawing) => Task.FromResult(Record("DescribeDrawing", drawing));

    public Task<string> DescribeTextAsync(string? text, int number) =>
        Task.FromResult(Record("DescribeText", text) + string.Create(CultureInfo.InvariantCulture, $" #{number}"));

    public Task<string> DescribeCollectionsAsync(Collections? collections) => Task.FromResult(Record("DescribeCollections", collections));

    public Task<string> DescribeNodeAsync(Node? node) => Task.FromResult(Record("DescribeNode", node));

    public void Note(Ping ping) => Record("Note", ping);

    public Task<string> TellBackAsync(IFuzzTargetGateway? peer)
    {
        _calls.Add("TellBack");
        peer?.Note(new Ping(1, 2, Urgent: true));
        return Task.FromResult("told");
    }

    public async Task<bool> WaitForCancellationAsync(int tag, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
            return false;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancelled);
            throw;
        }
    }

    public Task<string[]> DrainAsync()
    {
        string[] calls = [.. _calls];
        _calls.Clear();
        return Task.FromResult(calls);
    }

    private string Record(string method, object? argument)
    {
        List<string> violations = [];
        string description = ArgumentDescription.Of(argument, violations);
        _calls.Add(ArgumentDescription.Summary(method, description));
        _calls.AddRange(violations.Select(violation => "VIOLATION " + violation));
        return description;
    }
}

/// <summary>
/// Spells out an argument as the runtime sees it, type by type, and reports every object whose type is not one that
/// the generator emits a serializer for (or a BCL collection it builds): DESIGN §3 item 10.
/// </summary>
internal static class ArgumentDescription
{
    private static readonly HashSet<string> CollectionNamespaces = new(StringComparer.Ordinal)
    {
        "System.Collections.Generic",
        "System.Collections.ObjectModel",
        "System.Collections.Frozen",
    };

    public static string Of(object? value, List<string> violations)
    {
        StringBuilder text = new();
        Append(text, value, violations);
        return text.ToString();
    }

    /// <summary>A line short enough to keep: long descriptions are cut and carry a hash of the whole.</summary>
    public static string Summary(string method, string description)
    {
        if (description.Length <= 160)
        {
            return $"{method}({description})";
        }

        string hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(description)))[..16];
        return $"{method}({description[..100]}…{description.Length} chars #{hash})";
    }

    private static void Append(StringBuilder text, object? value, List<string> violations)
    {
        // A linked list is followed in a loop, so that a long chain cannot overflow the stack here.
        while (value is Node node && node.GetType() == typeof(Node))
        {
            text.Append(CultureInfo.InvariantCulture, $"Node({node.Value})->");
            value = node.Next;
        }

        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append('"').Append(s).Append('"');
                return;
            case bool or int or long or char:
                text.Append(CultureInfo.InvariantCulture, $"{value}");
                return;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
        }

        Type type = value.GetType();
        if (type == typeof(Circle))
        {
            text.Append(CultureInfo.InvariantCulture, $"Circle({((Circle)value).Radius:R})");
        }
        else if (type == typeof(Square))
        {
            text.Append(CultureInfo.InvariantCulture, $"Square({((Square)value).Side:R})");
        }
        else if (type == typeof(RoundedSquare))
        {
            RoundedSquare rounded = (RoundedSquare)value;
            text.Append(CultureInfo.InvariantCulture, $"RoundedSquare({rounded.Side:R},{rounded.Corner:R})");
        }
        else if (type == typeof(Triangle))
        {
            Triangle triangle = (Triangle)value;
            text.Append(CultureInfo.InvariantCulture, $"Triangle({triangle.A:R},{triangle.B:R},{triangle.C:R})");
        }
        else if (type == typeof(Drawing))
        {
            Drawing drawing = (Drawing)value;
            AppendMembers(text, "Drawing", [drawing.Name, drawing.Main, drawing.Layers], violations);
        }
        else if (type == typeof(Address))
        {
            Address address = (Address)value;
            AppendMembers(text, "Address", [address.Street, address.City], violations);
        }
        else if (type == typeof(Ping))
        {
            Ping ping = (Ping)value;
            text.Append(CultureInfo.InvariantCulture, $"Ping({ping.Id},{ping.Slot},{ping.Urgent})");
        }
        else if (type == typeof(Collections))
        {
            Collections collections = (Collections)value;
            AppendMembers(text, "Collections", [collections.Longs, collections.Names, collections.Addresses, collections.ReadOnlyInts, collections.Set, collections.Map, collections.ById, collections.Flags], violations);
        }
        else if ((type.IsArray || CollectionNamespaces.Contains(type.Namespace ?? "")) && value is IDictionary dictionary)
        {
            text.Append('{');
            foreach (DictionaryEntry entry in dictionary)
            {
                Append(text, entry.Key, violations);
                text.Append(':');
                Append(text, entry.Value, violations);
                text.Append(';');
            }

            text.Append('}');
        }
        else if ((type.IsArray || CollectionNamespaces.Contains(type.Namespace ?? "")) && value is IEnumerable items)
        {
            text.Append('[');
            foreach (object? item in items)
            {
                Append(text, item, violations);
                text.Append(';');
            }

            text.Append(']');
        }
        else
        {
            violations.Add($"an argument holds a {type.FullName}, which no generated serializer creates");
            text.Append('?').Append(type.FullName);
        }
    }

    // A record as its name and its members in order: Name(a,b,c).
    private static void AppendMembers(StringBuilder text, string name, object?[] members, List<string> violations)
    {
        text.Append(name).Append('(');
        for (int i = 0; i < members.Length; i++)
        {
            text.Append(i == 0 ? "" : ",");
            Append(text, members[i], violations);
        }

        text.Append(')');
    }
}
