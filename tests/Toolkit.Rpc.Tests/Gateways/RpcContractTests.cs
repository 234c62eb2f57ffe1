using Toolkit.Rpc.Gateways;
using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Gateways;

/// <summary>
/// <see cref="RpcContract.Check"/> tells compatible versions of a gateway (members appended, methods, union cases or
/// enum members added) from incompatible ones, and says what differs, naming both sides.
/// </summary>
public sealed class RpcContractTests
{
    private const string Gateway = "Toolkit.Samples.IGreeter";
    private const string Old = "service old-1 at 10.0.0.1:5000";
    private const string New = "service new-2 (client mode)";

    private static readonly string[] Greeter =
    [
        "method Greet(string) -> string",
        "method Ping() -> void",
        "method Register(Toolkit.Samples.Registration) -> Toolkit.Samples.Color",
        "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1 }",
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }",
        "type Toolkit.Samples.Shape: union { 0: Toolkit.Samples.Circle, 1: Toolkit.Samples.Square }",
        "type int: 4 raw bytes",
        "type int[]: block array of int",
        "type long: 8 raw bytes",
        "type string: utf-8 string",
    ];

    [Fact]
    public void Equal_contracts_are_identical_whatever_the_order_of_their_lines()
    {
        Assert.Same(ContractCheck.Identical, Check(Greeter, [.. Greeter]));
        Assert.Same(ContractCheck.Identical, Check(Greeter, [.. Enumerable.Reverse(Greeter)]));
    }

    [Theory]
    [InlineData("type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }", "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[], Note: string }", "type Toolkit.Samples.Registration has Note appended at service new-2 (client mode)")]
    [InlineData("method Ping() -> void", "method Stop() -> void", "method Ping only at service old-1 at 10.0.0.1:5000")]
    [InlineData("type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1 }", "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1, Blue = 2 }", "enum Toolkit.Samples.Color has members only one side knows")]
    [InlineData("type Toolkit.Samples.Shape: union { 0: Toolkit.Samples.Circle, 1: Toolkit.Samples.Square }", "type Toolkit.Samples.Shape: union { 0: Toolkit.Samples.Circle, 1: Toolkit.Samples.Square, 2: Toolkit.Samples.Group }", "union Toolkit.Samples.Shape has cases only one side knows")]
    public void A_compatible_change_is_accepted_both_ways_and_described(string line, string newer, string difference)
    {
        string[] changed = Replace(Greeter, line, newer);

        ContractCheck check = Check(Greeter, changed);
        ContractCheck reverse = RpcContract.Check(Gateway, changed, Greeter, New, Old);

        Assert.True(check.IsCompatible, check.Problem);
        Assert.True(reverse.IsCompatible, reverse.Problem);
        Assert.Contains(difference, check.Differences);
    }

    [Theory]
    [InlineData(
        "method Greet(string) -> string", "method Greet(string, int) -> string",
        "method Greet is 'method Greet(string) -> string' at service old-1 at 10.0.0.1:5000 but 'method Greet(string, int) -> string' at service new-2 (client mode)")]
    [InlineData(
        "method Greet(string) -> string", "method Greet(string) -> long",
        "method Greet is 'method Greet(string) -> string' at service old-1 at 10.0.0.1:5000 but 'method Greet(string) -> long' at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }", "type Toolkit.Samples.Registration: object { Id: long, Slots: int[], Name: string }",
        "type Toolkit.Samples.Registration member 1 is 'Name: string' at service old-1 at 10.0.0.1:5000 but 'Slots: int[]' at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }", "type Toolkit.Samples.Registration: object { Id: double, Name: string, Slots: int[] }",
        "type Toolkit.Samples.Registration member 0 is 'Id: long' at service old-1 at 10.0.0.1:5000 but 'Id: double' at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Registration: object { Id: long, Name: string, Slots: int[] }", "type Toolkit.Samples.Registration: object { Id: long, Slots: int[] }",
        "type Toolkit.Samples.Registration member 1 is 'Name: string' at service old-1 at 10.0.0.1:5000 but 'Slots: int[]' at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1 }", "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 2 }",
        "enum Toolkit.Samples.Color member Green is 1 at service old-1 at 10.0.0.1:5000 but 2 at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1 }", "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Blue = 1 }",
        "enum Toolkit.Samples.Color value 1 is Green at service old-1 at 10.0.0.1:5000 but Blue at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Color: enum of 4 raw bytes { Red = 0, Green = 1 }", "type Toolkit.Samples.Color: enum of 1 raw byte { Red = 0, Green = 1 }",
        "type Toolkit.Samples.Color is 'enum of 4 raw bytes { Red = 0, Green = 1 }' at service old-1 at 10.0.0.1:5000 but 'enum of 1 raw byte { Red = 0, Green = 1 }' at service new-2 (client mode)")]
    [InlineData(
        "type Toolkit.Samples.Shape: union { 0: Toolkit.Samples.Circle, 1: Toolkit.Samples.Square }", "type Toolkit.Samples.Shape: union { 0: Toolkit.Samples.Group, 1: Toolkit.Samples.Square }",
        "union Toolkit.Samples.Shape case 0 is Toolkit.Samples.Circle at service old-1 at 10.0.0.1:5000 but Toolkit.Samples.Group at service new-2 (client mode)")]
    [InlineData(
        "type int[]: block array of int", "type int[]: collection of int",
        "type int[] is 'block array of int' at service old-1 at 10.0.0.1:5000 but 'collection of int' at service new-2 (client mode)")]
    [InlineData(
        "type long: 8 raw bytes", "type long: utf-8 string",
        "type long is '8 raw bytes' at service old-1 at 10.0.0.1:5000 but 'utf-8 string' at service new-2 (client mode)")]
    public void An_incompatible_change_is_refused_naming_what_differs_and_which_side_has_which(string line, string changed, string problem)
    {
        ContractCheck check = Check(Greeter, Replace(Greeter, line, changed));

        Assert.False(check.IsCompatible);
        Assert.Equal($"gateway {Gateway} differs: {problem}", check.Problem);
    }

    [Fact]
    public void An_added_overload_is_compatible_but_a_changed_one_is_not()
    {
        string[] local = ["method Store(int) -> void", "method Store(string) -> void"];

        Assert.True(Check(local, [.. local, "method Store(long) -> void"]).IsCompatible);
        Assert.False(Check(local, ["method Store(int) -> void", "method Store(long) -> void"]).IsCompatible);
    }

    [Fact]
    public void A_shape_this_version_does_not_know_is_compared_as_text()
    {
        string[] local = ["type Toolkit.Samples.Feed: stream of int"];

        Assert.Same(ContractCheck.Identical, Check(local, [.. local]));
        Assert.True(Check(local, ["type Toolkit.Samples.Other: stream of long"]).IsCompatible);
        Assert.Equal(
            $"gateway {Gateway} differs: type Toolkit.Samples.Feed is 'stream of int' at {Old} but 'stream of long' at {New}",
            Check(local, ["type Toolkit.Samples.Feed: stream of long"]).Problem);
    }

    [Fact]
    public void At_most_ten_problems_are_listed_and_the_rest_are_counted()
    {
        string[] local = [.. Enumerable.Range(0, 13).Select(i => $"method M{i:D2}() -> void")];
        string[] remote = [.. Enumerable.Range(0, 13).Select(i => $"method M{i:D2}() -> int")];

        string message = Check(local, remote).Problem!;

        string[] listed = message[$"gateway {Gateway} differs: ".Length..].Split("; ");
        Assert.Equal(11, listed.Length);
        Assert.StartsWith("method M00 is 'method M00() -> void'", listed[0], StringComparison.Ordinal);
        Assert.StartsWith("method M09 is", listed[9], StringComparison.Ordinal);
        Assert.Equal("and 3 more", listed[10]);
        Assert.DoesNotContain("M10", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_line_is_cut_in_the_message()
    {
        string members = string.Join(", ", Enumerable.Range(0, 100).Select(i => $"Member{i:D3}: int"));
        string here = $"type Big: union {{ 0: {members} }}";
        string there = here.Replace("Member050: int", "Member050: long", StringComparison.Ordinal);

        string message = Check([here], [there]).Problem!;

        Assert.StartsWith($"gateway {Gateway} differs: type Big is 'union {{ 0: Member000: int", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1000, $"the message is {message.Length} characters long");
    }

    [Fact]
    public void A_generated_descriptor_carries_its_contract_and_is_identical_to_itself()
    {
        RpcGatewayDescriptor probe = RpcGatewayRegistry.Get<IProbeGateway>();

        Assert.Contains("method IncrementAsync(int) -> long", probe.Contract);
        Assert.Contains("method Record(int) -> void (one-way)", probe.Contract);
        Assert.Contains("method EchoAsync(string) -> string", probe.Contract);
        Assert.Same(ContractCheck.Identical, RpcContract.Check(probe.Name, probe.Contract, [.. probe.Contract], Old, New));
        Assert.Equal(
            $"gateway {probe.Name} differs: method Record is 'method Record(int) -> void (one-way)' at {Old} but 'method Record(long) -> void (one-way)' at {New}",
            RpcContract.Check(probe.Name, probe.Contract, Replace([.. probe.Contract], "method Record(int) -> void (one-way)", "method Record(long) -> void (one-way)"), Old, New).Problem);
    }

    private static ContractCheck Check(string[] local, string[] remote) => RpcContract.Check(Gateway, local, remote, Old, New);

    private static string[] Replace(string[] lines, string line, string replacement)
    {
        Assert.Contains(line, lines);
        return [.. lines.Select(existing => existing == line ? replacement : existing)];
    }
}
