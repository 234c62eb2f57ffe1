using System.Globalization;
using Toolkit.Rpc.Analyzers.Contract;
using static Toolkit.Rpc.Analyzers.Tests.AnalyzerHelper;

namespace Toolkit.Rpc.Analyzers.Tests;

/// <summary>
/// Each contract rule with its id, the exact span it points at and its message arguments, next to the nearest
/// contract that is fine. Every bad case is valid C#: only Toolkit objects, and only with the one diagnostic.
/// </summary>
public sealed class ContractRuleTests
{
    private const string UnionHeader = "[RpcUnion(0, typeof(Circle))]\n[RpcUnion(1, typeof(Square))]\n";

    private const string UnionCases = "public sealed record Circle(double Radius) : Shape;\npublic sealed record Square(double Side) : Shape;\n";

    /// <summary>A source file with a gateway <c>IFoo</c> declaring <paramref name="members"/>, followed by <paramref name="types"/>.</summary>
    internal static string Gateway(string members, string types = "", string gatewayName = "IFoo") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Toolkit.Rpc;

        namespace Toolkit.Samples;

        [RpcGateway]
        public interface {{gatewayName}}
        {
            {{members}}
        }

        {{types}}
        """;

    [Theory]
    [InlineData("int Count();", "int", "int")]
    [InlineData("IEnumerable<int> Count();", "IEnumerable<int>", "System.Collections.Generic.IEnumerable<int>")]
    [InlineData("Task<int>[] Count();", "Task<int>[]", "System.Threading.Tasks.Task<int>[]")]
    public async Task TK0001_a_method_that_returns_neither_a_task_nor_void(string member, string span, string returnType)
    {
        await AssertReportsAsync(Gateway(member), DiagnosticIds.UnsupportedReturnType, span, "IFoo.Count", returnType);
        await AssertCleanAsync(Gateway("Task<int> Count();"));
    }

    [Theory]
    [InlineData("ref int value", "a ref parameter")]
    [InlineData("out int value", "an out parameter")]
    [InlineData("in int value", "an in parameter")]
    [InlineData("ref readonly int value", "a ref readonly parameter")]
    public async Task TK0002_a_parameter_passed_by_reference(string parameter, string how)
    {
        await AssertReportsAsync(Gateway($"Task SendAsync({parameter});"), DiagnosticIds.UnsupportedParameter, "value", "value", "IFoo.SendAsync", how);
        await AssertCleanAsync(Gateway("Task SendAsync(int value);"));
    }

    [Fact]
    public async Task TK0003_names_the_path_to_a_member_that_cannot_cross_the_wire()
    {
        const string Types = "public sealed record SlotReport(string Owner, Slot[] Slots);\npublic sealed record Slot(int Id, Profile Profile);\npublic sealed record Profile(string Name, {0} Handle);\n";
        await AssertReportsAsync(
            Gateway("void Report(SlotReport report);", string.Format(CultureInfo.InvariantCulture, Types, "IntPtr")),
            DiagnosticIds.UnserializableType,
            "report",
            "Parameter 'report' of IFoo.Report",
            "SlotReport.Slots[].Profile.Handle",
            "nint",
            "its size depends on the platform; use int or long");
        await AssertCleanAsync(Gateway("void Report(SlotReport report);", string.Format(CultureInfo.InvariantCulture, Types, "long")));
    }

    [Theory]
    [InlineData("Task<Holder> GetAsync();", "Task<Holder>", "The result of IFoo.GetAsync", "Holder.Items[]", "object", "object has no fixed shape; use a concrete type or a union")]
    [InlineData("Task SendAsync(Dictionary<System.Text.StringBuilder, int> map);", "map", "Parameter 'map' of IFoo.SendAsync", "Dictionary<StringBuilder, int>.Keys[]", "System.Text.StringBuilder", "it is a framework type without a wire form")]
    [InlineData("Task SendAsync(Action callback);", "callback", "Parameter 'callback' of IFoo.SendAsync", "Action", "System.Action", "delegates are code, not data")]
    [InlineData("Task SendAsync(int[,] grid);", "grid", "Parameter 'grid' of IFoo.SendAsync", "int[,]", "int[,]", "multi-dimensional arrays are not supported; use an array of arrays")]
    [InlineData("Task SendAsync(ReadOnlyMemory<int> values);", "values", "Parameter 'values' of IFoo.SendAsync", "ReadOnlyMemory<int>", "System.ReadOnlyMemory<int>", "only memory of bytes has a wire form; use an array")]
    public async Task TK0003_other_types_without_a_wire_form(string member, string span, string subject, string path, string type, string reason)
    {
        await AssertReportsAsync(Gateway(member, "public sealed record Holder(List<object> Items);"), DiagnosticIds.UnserializableType, span, subject, path, type, reason);
        await AssertCleanAsync(Gateway("Task<Holder> GetAsync();\nTask SendAsync(Dictionary<string, int> map, int[][] grid, ReadOnlyMemory<byte> bytes);", "public sealed record Holder(List<string> Items);"));
    }

    [Fact]
    public async Task TK0003_a_member_marked_RpcIgnore_does_not_travel()
    {
        await AssertCleanAsync(Gateway("Task SendAsync(Slot slot);", "public sealed class Slot\n{\npublic int Id { get; set; }\n[RpcIgnore] public IntPtr Handle { get; set; }\n}"));
    }

    [Theory]
    [InlineData("int Count { get; }", "Count", "the property")]
    [InlineData("int this[int index] { get; }", "this", "the indexer")]
    [InlineData("event EventHandler Changed;", "Changed", "the event")]
    [InlineData("Task SendAsync<T>(T value);", "SendAsync", "the generic method")]
    [InlineData("static abstract Task CreateAsync();", "CreateAsync", "the static abstract member")]
    public async Task TK0004_a_gateway_member_that_is_not_a_plain_method(string member, string span, string what)
    {
        string name = span == "this" ? "this[]" : span;
        await AssertReportsAsync(Gateway(member), DiagnosticIds.UnsupportedGatewayMember, span, "Toolkit.Samples.IFoo", what, name);
        await AssertCleanAsync(Gateway("Task<int> CountAsync();\nTask SendAsync(int value);\nstatic Task CreateAsync() => Task.CompletedTask;"));
    }

    [Theory]
    [InlineData("Task SendAsync(CancellationToken cancellation, int value);", "value", "argument 'value' follows the timeout or cancellation parameter; those come last")]
    [InlineData("Task SendAsync([RpcTimeout] TimeSpan timeout, int value);", "value", "argument 'value' follows the timeout or cancellation parameter; those come last")]
    [InlineData("Task SendAsync([RpcTimeout] TimeSpan first, [RpcTimeout] TimeSpan second);", "second", "it takes more than one [RpcTimeout] parameter")]
    [InlineData("Task SendAsync(CancellationToken first, CancellationToken second);", "second", "it takes more than one CancellationToken")]
    [InlineData("Task SendAsync(CancellationToken cancellation, [RpcTimeout] TimeSpan timeout);", "timeout", "the [RpcTimeout] parameter must come before the CancellationToken")]
    [InlineData("Task SendAsync([RpcTimeout] int timeout);", "timeout", "[RpcTimeout] parameter 'timeout' is not a TimeSpan")]
    [InlineData("void Send(CancellationToken cancellation);", "cancellation", "one-way (void) methods never wait, so they take no timeout or CancellationToken")]
    [InlineData("void Send(int value, [RpcTimeout] TimeSpan timeout);", "timeout", "one-way (void) methods never wait, so they take no timeout or CancellationToken")]
    public async Task TK0005_a_misplaced_timeout_or_cancellation_parameter(string member, string span, string problem)
    {
        string method = member.StartsWith("void", StringComparison.Ordinal) ? "IFoo.Send" : "IFoo.SendAsync";
        await AssertReportsAsync(Gateway(member), DiagnosticIds.MisplacedSpecialParameter, span, method, problem);
        await AssertCleanAsync(Gateway("Task SendAsync(int value, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);\nvoid Send(int value);"));
    }

    [Fact]
    public async Task TK0006_two_methods_whose_ids_collide()
    {
        // FNV-1a of "Ping1232789()" and of "Ping1429192()" are both 0x9C941E10 (found by a birthday search).
        await AssertReportsAsync(Gateway("Task Ping1232789();\nTask Ping1429192();"), DiagnosticIds.MethodIdCollision, "Ping1429192", "Toolkit.Samples.IFoo.Ping1232789", "Toolkit.Samples.IFoo.Ping1429192", "9C941E10");
        await AssertCleanAsync(Gateway("Task Ping1232789();\nTask Ping1429193();"));
    }

    [Theory]
    [InlineData("", "it is abstract and declares no [RpcUnion(tag, typeof(Case))] cases, so nothing concrete can be created when it is read")]
    [InlineData("[RpcUnion(1, typeof(Circle))]\n[RpcUnion(1, typeof(Square))]\n", "the tag 1 is used by more than one case")]
    [InlineData("[RpcUnion(70000, typeof(Circle))]\n", "the tag 70000 of case 'Toolkit.Samples.Circle' is outside 0–65535")]
    [InlineData("[RpcUnion(0, typeof(Circle))]\n[RpcUnion(1, typeof(Circle))]\n", "case 'Toolkit.Samples.Circle' is listed more than once")]
    [InlineData("[RpcUnion(0, typeof(Point))]\n", "case 'Toolkit.Samples.Point' must be a concrete type deriving from it")]
    public async Task TK0007_an_invalid_union(string attributes, string problem)
    {
        string types = attributes + "public abstract record Shape;\n" + UnionCases + "public sealed record Point(int X, int Y);\n";
        await AssertReportsAsync(Gateway("Task SendAsync(Shape shape);", types), DiagnosticIds.InvalidUnion, "Shape", "Toolkit.Samples.Shape", problem);
        await AssertCleanAsync(Gateway("Task SendAsync(Shape shape);", UnionHeader + "public abstract record Shape;\n" + UnionCases));
    }

    [Theory]
    [InlineData("public Bad(string name) { }", "no public constructor has parameters that all match public members by name and type, and there is no public parameterless constructor; add one or mark one [RpcConstructor]")]
    [InlineData("private Bad() { }", "it has no public constructor")]
    [InlineData("public Bad() { }\n[RpcConstructor] public Bad(long count) { }", "a parameter of its [RpcConstructor] constructor matches no public member of the same name and type")]
    public async Task TK0008_a_class_that_cannot_be_constructed_when_read(string constructors, string problem)
    {
        static string Type(string members) => $"public sealed class Bad\n{{\n{members}\npublic int Count {{ get; set; }}\n}}\n";
        await AssertReportsAsync(Gateway("Task SendAsync(Bad bad);", Type(constructors)), DiagnosticIds.NotConstructible, "Bad", "Toolkit.Samples.Bad", problem);
        await AssertCleanAsync(Gateway("Task SendAsync(Bad bad);", Type("public Bad(int count) { Count = count; }")));
        await AssertCleanAsync(Gateway("Task SendAsync(Bad bad);", Type("public Bad() { }\npublic Bad(string name) { }")));
    }

    [Fact]
    public async Task TK0009_a_generic_gateway()
    {
        await AssertReportsAsync(Gateway("Task SendAsync(T value);", gatewayName: "IFoo<T>"), DiagnosticIds.GenericGateway, "IFoo", "Toolkit.Samples.IFoo<T>");
        await AssertCleanAsync(Gateway("Task SendAsync(int value);"));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("protected")]
    [InlineData("private protected")]
    public async Task TK0010_a_message_type_nested_out_of_reach_of_generated_code(string accessibility)
    {
        static string Types(string access) => $$"""
            public class Outer
            {
                [RpcUnion(0, typeof(Hidden))]
                public abstract record Shape;

                {{access}} sealed record Hidden(int Id) : Shape;
            }
            """;
        await AssertReportsAsync(Gateway("Task SendAsync(Outer.Shape shape);", Types(accessibility)), DiagnosticIds.InaccessibleType, "Hidden", "Toolkit.Samples.Outer.Hidden", accessibility);
        await AssertCleanAsync(Gateway("Task SendAsync(Outer.Shape shape);", Types("internal")));
    }

    [Fact]
    public async Task TK0010_a_gateway_nested_out_of_reach_of_generated_code()
    {
        const string Source = """
            using System.Threading.Tasks;
            using Toolkit.Rpc;

            namespace Toolkit.Samples;

            public class Outer
            {
                [RpcGateway]
                private interface IHidden
                {
                    Task PingAsync();
                }
            }
            """;
        await AssertReportsAsync(Source, DiagnosticIds.InaccessibleType, "IHidden", "Toolkit.Samples.Outer.IHidden", "private");
        await AssertCleanAsync(Source.Replace("private interface", "internal interface", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[RpcTimeout] Task SendAsync();", "RpcTimeout", "no milliseconds")]
    [InlineData("[RpcTimeout(0)] Task SendAsync();", "RpcTimeout(0)", "0 milliseconds")]
    [InlineData("[RpcTimeout(-5)] Task SendAsync();", "RpcTimeout(-5)", "-5 milliseconds")]
    public async Task TK0011_a_method_timeout_without_milliseconds(string member, string span, string given)
    {
        await AssertReportsAsync(Gateway(member), DiagnosticIds.TimeoutWithoutMilliseconds, span, "IFoo.SendAsync", given);
        await AssertCleanAsync(Gateway("[RpcTimeout(5000)] Task SendAsync();"));
    }

    [Theory]
    [InlineData("Task SendAsync(IAsyncEnumerable<int> items);", "items", "IFoo.SendAsync", "parameter 'items' is an IAsyncEnumerable<T>: item streams travel only as a method's result")]
    [InlineData("Task<IAsyncEnumerable<int>> SendAsync();", "Task<IAsyncEnumerable<int>>", "IFoo.SendAsync", "it returns a task of an IAsyncEnumerable<T>: return the IAsyncEnumerable<T> itself")]
    [InlineData("[RpcTimeout(100)] IAsyncEnumerable<int> SendAsync();", "SendAsync", "IFoo.SendAsync", "it returns an item stream, which runs as long as its consumer reads: it takes no timeout, only a CancellationToken")]
    [InlineData("IAsyncEnumerable<int> SendAsync([RpcTimeout] TimeSpan timeout);", "SendAsync", "IFoo.SendAsync", "it returns an item stream, which runs as long as its consumer reads: it takes no timeout, only a CancellationToken")]
    public async Task TK0013_an_item_stream_where_a_gateway_cannot_carry_one(string member, string span, string method, string reason)
    {
        await AssertReportsAsync(Gateway(member), DiagnosticIds.MisplacedStream, span, method, reason);
        await AssertCleanAsync(Gateway("IAsyncEnumerable<int> SendAsync(int from, CancellationToken cancellation);\nIAsyncEnumerable<Item> ListAsync();", "public sealed record Item(string Name);"));
    }

    [Theory]
    [InlineData("void Send(System.IO.Stream data);", "data", "IFoo.Send", "parameter 'data' is a Stream, and a one-way (void) method never learns whether its stream was read; return Task")]
    [InlineData("IAsyncEnumerable<System.IO.Stream> ListAsync();", "IAsyncEnumerable<System.IO.Stream>", "IFoo.ListAsync", "the items of an item stream cannot be Streams; return Task<Stream> for one byte stream")]
    [InlineData("Task SendAsync(Upload upload);", "upload", "Parameter 'upload' of IFoo.SendAsync", "it reaches a Stream at Upload.Data: byte streams travel only as a gateway method's own argument or result, not inside a message, collection or item stream")]
    [InlineData("Task SendAsync(System.IO.Pipelines.PipeReader[] parts);", "parts", "Parameter 'parts' of IFoo.SendAsync", "it reaches a PipeReader at PipeReader[][]: byte streams travel only as a gateway method's own argument or result, not inside a message, collection or item stream")]
    public async Task TK0014_a_byte_stream_where_a_gateway_cannot_carry_one(string member, string span, string subject, string reason)
    {
        const string Types = "public sealed record Upload(string Name, System.IO.Stream Data);";
        await AssertReportsAsync(Gateway(member, Types), DiagnosticIds.MisplacedByteStream, span, subject, reason);
        await AssertCleanAsync(Gateway(
            "Task<long> UploadAsync(string name, System.IO.Stream data, CancellationToken cancellation);\n" +
            "Task<System.IO.Stream> DownloadAsync(string name);\n" +
            "ValueTask<System.IO.Pipelines.PipeReader> TailAsync(System.IO.Pipelines.PipeReader? input, [RpcTimeout] TimeSpan timeout);"));
    }

    [Fact]
    public async Task A_bad_type_reachable_from_two_gateways_is_reported_once()
    {
        string source = Gateway("Task SendAsync(Shape shape);", """
            public abstract record Shape;

            [RpcGateway]
            public interface IBar
            {
                Task DrawAsync(Shape shape);
            }
            """);
        await AssertReportsAsync(source, DiagnosticIds.InvalidUnion, "Shape", "Toolkit.Samples.Shape", "it is abstract and declares no [RpcUnion(tag, typeof(Case))] cases, so nothing concrete can be created when it is read");
    }

    [Fact]
    public async Task Every_broken_rule_of_a_gateway_is_reported_not_only_the_first()
    {
        var diagnostics = await AnalyzeAsync(Gateway("int Count();\nTask SendAsync(ref int value);\nint Size { get; }"));
        Assert.Equal([DiagnosticIds.UnsupportedReturnType, DiagnosticIds.UnsupportedParameter, DiagnosticIds.UnsupportedGatewayMember], diagnostics.Select(diagnostic => diagnostic.Id));
    }

    [Fact]
    public async Task An_interface_without_RpcGateway_is_not_a_contract()
    {
        await AssertCleanAsync(Gateway("Task SendAsync(int value);", "public interface IPlain\n{\nint Count { get; }\nvoid Send(ref int value);\n}"));
    }

    [Theory]
    [InlineData("[RpcFault(typeof(string))]", "string", "it does not derive from System.Exception")]
    [InlineData("[RpcFault(typeof(Failure))]", "Toolkit.Samples.Failure", "it is abstract: the caller could not create it")]
    public async Task TK0012_a_fault_that_is_no_concrete_exception(string attribute, string type, string reason)
    {
        const string Types = "public abstract class Failure(string message) : Exception(message);\n"
            + "public sealed class Rejected(string reason) : Exception($\"rejected: {reason}\") { public string Reason { get; } = reason; }\n";
        await AssertReportsAsync(Gateway($"{attribute}\nTask SendAsync(int value);", Types), DiagnosticIds.InvalidFault, attribute[1..^1], type, "IFoo.SendAsync", reason);
        await AssertCleanAsync(Gateway("[RpcFault(typeof(Rejected))]\nTask SendAsync(int value);", Types));
    }

    [Fact]
    public async Task A_fault_type_follows_the_message_rules()
    {
        const string Types = "public sealed class Broken : Exception { public Broken(int code) { } }\n";
        await AssertReportsAsync(
            Gateway("[RpcFault(typeof(Broken))]\nTask SendAsync(int value);", Types),
            DiagnosticIds.NotConstructible,
            "Broken",
            "Toolkit.Samples.Broken",
            "no public constructor has parameters that all match public members by name and type, and there is no public parameterless constructor; add one or mark one [RpcConstructor]");
    }

    [Fact]
    public void Every_contract_analyzer_reports_one_rule_of_its_own()
    {
        string[] ids = [.. AllAnalyzers().OfType<ContractAnalyzer>().SelectMany(analyzer => analyzer.SupportedDiagnostics).Select(descriptor => descriptor.Id).Order(StringComparer.Ordinal)];
        Assert.Equal([.. Enumerable.Range(1, 14).Select(n => $"TK{n:D4}")], ids);
    }
}
