using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Gateways;

/// <summary><see cref="RpcContract.Compare"/> pairs two processes' contract lines by key and says what differs.</summary>
public sealed class RpcContractTests
{
    private const string Gateway = "Toolkit.Samples.IGreeter";

    private static readonly string[] Greeter =
    [
        "method Greet(string) -> string",
        "method Ping() -> void",
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }",
        "type int[]: block array of int",
        "type string: utf-8 string",
    ];

    [Fact]
    public void Equal_contracts_have_no_differences() => Assert.Null(RpcContract.Compare(Gateway, Greeter, [.. Greeter]));

    [Fact]
    public void The_order_of_the_lines_does_not_matter() => Assert.Null(RpcContract.Compare(Gateway, Greeter, [.. Enumerable.Reverse(Greeter)]));

    [Fact]
    public void A_changed_method_is_reported_with_both_lines()
    {
        string[] remote = Replace(Greeter, "method Greet(string) -> string", "method Greet(string, int) -> string");

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: method Greet: here 'method Greet(string) -> string', there 'method Greet(string, int) -> string'",
            RpcContract.Compare(Gateway, Greeter, remote));
    }

    [Fact]
    public void A_changed_type_is_reported_with_both_lines()
    {
        string[] remote = Replace(
            Greeter,
            "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }",
            "type Toolkit.Samples.Registration: object { Id: long, Slots: int[], Name: string }");

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: type Toolkit.Samples.Registration: "
                + "here 'type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }', "
                + "there 'type Toolkit.Samples.Registration: object { Id: long, Slots: int[], Name: string }'",
            RpcContract.Compare(Gateway, Greeter, remote));
    }

    [Fact]
    public void A_method_only_here_and_a_type_only_there_are_reported_by_key()
    {
        string[] remote = [.. Greeter.Where(line => !line.StartsWith("method Ping", StringComparison.Ordinal)), "type long: 8 raw bytes"];

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: method Ping only here; type long only there",
            RpcContract.Compare(Gateway, Greeter, remote));
    }

    [Fact]
    public void A_method_only_there_and_a_type_only_here_are_reported_by_key()
    {
        string[] remote = [.. Greeter.Where(line => !line.StartsWith("type int[]", StringComparison.Ordinal)), "method Stop() -> void (one-way)"];

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: method Stop only there; type int[] only here",
            RpcContract.Compare(Gateway, Greeter, remote));
    }

    [Fact]
    public void Differences_are_listed_in_key_order_whatever_the_order_of_the_lines()
    {
        string[] remote = [.. Enumerable.Reverse(Replace(Greeter, "method Ping() -> void", "method Ping() -> long")), "method Apply(int) -> void"];

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: method Apply only there; method Ping: here 'method Ping() -> void', there 'method Ping() -> long'",
            RpcContract.Compare(Gateway, Greeter, remote));
    }

    [Fact]
    public void Overloads_sharing_a_key_are_paired_after_their_equal_lines_are_set_aside()
    {
        string[] local = ["method Store(int) -> void", "method Store(string) -> void", "method Store(long) -> void"];
        string[] remote = ["method Store(string) -> void", "method Store(int, int) -> void"];

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: "
                + "method Store: here 'method Store(int) -> void', there 'method Store(int, int) -> void'; "
                + "method Store: 'method Store(long) -> void' only here",
            RpcContract.Compare(Gateway, local, remote));
    }

    [Fact]
    public void At_most_ten_differences_are_listed_and_the_rest_are_counted()
    {
        string[] local = [.. Enumerable.Range(0, 13).Select(i => $"method M{i:D2}() -> void")];
        string[] remote = [.. Enumerable.Range(0, 13).Select(i => $"method M{i:D2}() -> int")];

        string message = RpcContract.Compare(Gateway, local, remote)!;

        string[] listed = message["gateway Toolkit.Samples.IGreeter differs: ".Length..].Split("; ");
        Assert.Equal(11, listed.Length);
        Assert.Equal("method M00: here 'method M00() -> void', there 'method M00() -> int'", listed[0]);
        Assert.Equal("method M09: here 'method M09() -> void', there 'method M09() -> int'", listed[9]);
        Assert.Equal("and 3 more", listed[10]);
        Assert.DoesNotContain("M10", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_differences_are_listed_without_a_count()
    {
        string[] local = [.. Enumerable.Range(0, 10).Select(i => $"type T{i}: 4 raw bytes")];

        string message = RpcContract.Compare(Gateway, local, [])!;

        Assert.Equal(
            "gateway Toolkit.Samples.IGreeter differs: " + string.Join("; ", Enumerable.Range(0, 10).Select(i => $"type T{i} only here")),
            message);
    }

    [Fact]
    public void A_long_line_is_quoted_around_where_it_differs()
    {
        string members = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"Member{i:D3}: int"));
        string here = $"type Big: object {{ {members} }}";
        string there = here.Replace("Member050: int", "Member050: long", StringComparison.Ordinal);

        string message = RpcContract.Compare(Gateway, [here], [there])!;

        Assert.Contains("Member050: int", message, StringComparison.Ordinal);
        Assert.Contains("Member050: long", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Member000", message, StringComparison.Ordinal);
        Assert.StartsWith("gateway Toolkit.Samples.IGreeter differs: type Big: here '…", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1000, $"the message is {message.Length} characters long");
    }

    [Fact]
    public void A_generated_descriptor_carries_its_contract_and_compares_equal_to_itself()
    {
        RpcGatewayDescriptor probe = RpcGatewayRegistry.Get<IProbeGateway>();

        Assert.Contains("method IncrementAsync(int) -> long", probe.Contract);
        Assert.Contains("method Record(int) -> void (one-way)", probe.Contract);
        Assert.Contains("method EchoAsync(string) -> string", probe.Contract);
        Assert.Null(RpcContract.Compare(probe.Name, probe.Contract, [.. probe.Contract]));
        Assert.Equal(
            $"gateway {probe.Name} differs: method Record: here 'method Record(int) -> void (one-way)', there 'method Record(long) -> void (one-way)'",
            RpcContract.Compare(probe.Name, probe.Contract, Replace([.. probe.Contract], "method Record(int) -> void (one-way)", "method Record(long) -> void (one-way)")));
    }

    private static string[] Replace(string[] lines, string line, string replacement)
    {
        Assert.Contains(line, lines);
        return [.. lines.Select(existing => existing == line ? replacement : existing)];
    }
}
