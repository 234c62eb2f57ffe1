using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Toolkit.Rpc.Generators.Tests;

/// <summary>
/// Each contract error the generator reports, with its id, the exact span it points at and its message arguments,
/// next to the nearest contract that is fine. Every bad case is otherwise valid C#: only the generator objects.
/// </summary>
public sealed class DiagnosticTests
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
    [InlineData("int Count();", "int")]
    [InlineData("IAsyncEnumerable<int> Count();", "System.Collections.Generic.IAsyncEnumerable<int>")]
    [InlineData("Task<int>[] Count();", "System.Threading.Tasks.Task<int>[]")]
    public void TK0001_a_method_that_returns_neither_a_task_nor_void(string member, string returnType)
    {
        AssertReports(Gateway(member), DiagnosticIds.UnsupportedReturnType, "Count", "IFoo.Count", returnType);
        AssertClean(Gateway("Task<int> Count();"));
    }

    [Fact]
    public void An_endpoint_of_a_gateway_with_errors_leaves_the_generated_code_compiling()
    {
        const string Endpoint = """
            [RpcGateway]
            public interface IGood
            {
                Task PingAsync();
            }

            public sealed class Both : RpcEndpoint, IFoo, IGood
            {
                public int Count() => 0;

                public Task PingAsync() => Task.CompletedTask;
            }

            public sealed class OnlyBroken : RpcEndpoint, IFoo
            {
                public int Count() => 0;
            }
            """;
        AssertReports(Gateway("int Count();", Endpoint), DiagnosticIds.UnsupportedReturnType, "Count", "IFoo.Count", "int");
        GeneratorRun run = CompilationHelper.Run(Gateway("int Count();", Endpoint));
        string registration = run.Source("RpcModuleRegistration.g.cs");
        Assert.Contains("RegisterEndpoint(typeof(global::Toolkit.Samples.Both), new global::Toolkit.Rpc.Gateways.RpcGatewayDescriptor[] { Toolkit_Samples_IGood_", registration, StringComparison.Ordinal);
        Assert.DoesNotContain("OnlyBroken", registration, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ref int value", "a ref parameter")]
    [InlineData("out int value", "an out parameter")]
    [InlineData("in int value", "an in parameter")]
    [InlineData("ref readonly int value", "a ref readonly parameter")]
    public void TK0002_a_parameter_passed_by_reference(string parameter, string how)
    {
        AssertReports(Gateway($"Task SendAsync({parameter});"), DiagnosticIds.UnsupportedParameter, "value", "value", "IFoo.SendAsync", how);
        AssertClean(Gateway("Task SendAsync(int value);"));
    }

    [Fact]
    public void TK0003_names_the_path_to_a_member_that_cannot_cross_the_wire()
    {
        const string Types = "public sealed record Report(string Owner, Slot[] Slots);\npublic sealed record Slot(int Id, {0} Handle);\n";
        AssertReports(
            Gateway("void Send(Report report);", string.Format(CultureInfo.InvariantCulture, Types, "IntPtr")),
            DiagnosticIds.UnserializableType,
            "report",
            "Parameter 'report' of IFoo.Send.Slots[].Handle",
            "nint",
            "its size depends on the platform; use int or long");
        AssertClean(Gateway("void Send(Report report);", string.Format(CultureInfo.InvariantCulture, Types, "long")));
    }

    [Theory]
    [InlineData("Task<Holder> GetAsync();", "GetAsync", "The result of IFoo.GetAsync.Items[]", "object", "object has no fixed shape; use a concrete type or a union")]
    [InlineData("Task SendAsync(Dictionary<System.Text.StringBuilder, int> map);", "map", "Parameter 'map' of IFoo.SendAsync.Keys[]", "System.Text.StringBuilder", "it is a framework type without a wire form")]
    [InlineData("Task SendAsync(Action callback);", "callback", "Parameter 'callback' of IFoo.SendAsync", "System.Action", "delegates are code, not data")]
    [InlineData("Task SendAsync(int[,] grid);", "grid", "Parameter 'grid' of IFoo.SendAsync", "int[,]", "multi-dimensional arrays are not supported; use an array of arrays")]
    [InlineData("Task SendAsync(ReadOnlyMemory<int> values);", "values", "Parameter 'values' of IFoo.SendAsync", "System.ReadOnlyMemory<int>", "only memory of bytes has a wire form; use an array")]
    public void TK0003_other_types_without_a_wire_form(string member, string span, string path, string type, string reason)
    {
        AssertReports(
            Gateway(member, "public sealed record Holder(List<object> Items);"),
            DiagnosticIds.UnserializableType,
            span,
            path,
            type,
            reason);
    }

    [Theory]
    [InlineData("int Count { get; }", "Count", "the property")]
    [InlineData("int this[int index] { get; }", "this", "the indexer")]
    [InlineData("event EventHandler Changed;", "Changed", "the event")]
    [InlineData("Task SendAsync<T>(T value);", "SendAsync", "the generic method")]
    [InlineData("static abstract Task CreateAsync();", "CreateAsync", "the static abstract member")]
    public void TK0004_a_gateway_member_that_is_not_a_plain_method(string member, string span, string what)
    {
        string name = span == "this" ? "this[]" : span;
        AssertReports(Gateway(member), DiagnosticIds.UnsupportedGatewayMember, span, "Toolkit.Samples.IFoo", what, name);
        AssertClean(Gateway("Task<int> CountAsync();"));
    }

    [Theory]
    [InlineData("Task SendAsync(CancellationToken cancellation, int value);", "value", "argument 'value' follows the timeout or cancellation parameter; those come last")]
    [InlineData("Task SendAsync([RpcTimeout] TimeSpan timeout, int value);", "value", "argument 'value' follows the timeout or cancellation parameter; those come last")]
    [InlineData("Task SendAsync([RpcTimeout] TimeSpan first, [RpcTimeout] TimeSpan second);", "second", "it takes more than one [RpcTimeout] parameter")]
    [InlineData("Task SendAsync(CancellationToken first, CancellationToken second);", "second", "it takes more than one CancellationToken")]
    [InlineData("Task SendAsync(CancellationToken cancellation, [RpcTimeout] TimeSpan timeout);", "timeout", "the [RpcTimeout] parameter must come before the CancellationToken")]
    [InlineData("Task SendAsync([RpcTimeout] int timeout);", "timeout", "[RpcTimeout] parameter 'timeout' is not a TimeSpan")]
    [InlineData("void Send(CancellationToken cancellation);", "Send", "one-way (void) methods never wait, so they take no timeout or CancellationToken")]
    [InlineData("void Send(int value, [RpcTimeout] TimeSpan timeout);", "Send", "one-way (void) methods never wait, so they take no timeout or CancellationToken")]
    [InlineData("[RpcTimeout] Task SendAsync();", "SendAsync", "[RpcTimeout] on a method needs its timeout in milliseconds, e.g. [RpcTimeout(5000)]")]
    public void TK0005_a_misplaced_timeout_or_cancellation_parameter(string member, string span, string problem)
    {
        string method = member.Contains("void", StringComparison.Ordinal) ? "IFoo.Send" : "IFoo.SendAsync";
        AssertReports(Gateway(member), DiagnosticIds.MisplacedSpecialParameter, span, method, problem);
        AssertClean(Gateway("Task SendAsync(int value, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);\nvoid Send(int value);"));
    }

    [Fact]
    public void TK0006_two_methods_whose_ids_collide()
    {
        // FNV-1a of "Ping1232789()" and of "Ping1429192()" are both 0x9C941E10 (found by a birthday search).
        AssertReports(Gateway("Task Ping1232789();\nTask Ping1429192();"), DiagnosticIds.MethodIdCollision, "IFoo", "Toolkit.Samples.IFoo.Ping1232789", "Toolkit.Samples.IFoo.Ping1429192", "9C941E10");
        AssertClean(Gateway("Task Ping1232789();\nTask Ping1429193();"));
    }

    [Theory]
    [InlineData("", "it is abstract and declares no [RpcUnion(tag, typeof(Case))] cases, so nothing concrete can be created when it is read")]
    [InlineData("[RpcUnion(1, typeof(Circle))]\n[RpcUnion(1, typeof(Square))]\n", "the tag 1 is used by more than one case")]
    [InlineData("[RpcUnion(70000, typeof(Circle))]\n", "the tag 70000 of case 'Toolkit.Samples.Circle' is outside 0–65535")]
    [InlineData("[RpcUnion(0, typeof(Circle))]\n[RpcUnion(1, typeof(Circle))]\n", "case 'Toolkit.Samples.Circle' is listed more than once")]
    [InlineData("[RpcUnion(0, typeof(Point))]\n", "case 'Toolkit.Samples.Point' must be a concrete type deriving from it")]
    public void TK0007_an_invalid_union(string attributes, string problem)
    {
        string types = attributes + "public abstract record Shape;\n" + UnionCases + "public sealed record Point(int X, int Y);\n";
        AssertReports(Gateway("Task SendAsync(Shape shape);", types), DiagnosticIds.InvalidUnion, "Shape", "Toolkit.Samples.Shape", problem);
        AssertClean(Gateway("Task SendAsync(Shape shape);", UnionHeader + "public abstract record Shape;\n" + UnionCases));
    }

    [Theory]
    [InlineData("public Bad(string name) { }", "no public constructor has parameters that all match public members by name and type, and there is no public parameterless constructor; add one or mark one [RpcConstructor]")]
    [InlineData("private Bad() { }", "it has no public constructor")]
    [InlineData("public Bad() { }\n[RpcConstructor] public Bad(long count) { }", "a parameter of its [RpcConstructor] constructor matches no public member of the same name and type")]
    public void TK0008_a_class_that_cannot_be_constructed_when_read(string constructors, string problem)
    {
        string Type(string members) => $"public sealed class Bad\n{{\n{members}\npublic int Count {{ get; set; }}\n}}\n";
        AssertReports(Gateway("Task SendAsync(Bad bad);", Type(constructors)), DiagnosticIds.NotConstructible, "Bad", "Toolkit.Samples.Bad", problem);
        AssertClean(Gateway("Task SendAsync(Bad bad);", Type("public Bad(int count) { Count = count; }")));
        AssertClean(Gateway("Task SendAsync(Bad bad);", Type("public Bad() { }\npublic Bad(string name) { }")));
    }

    [Fact]
    public void TK0009_a_generic_gateway()
    {
        AssertReports(Gateway("Task SendAsync(T value);", gatewayName: "IFoo<T>"), DiagnosticIds.GenericGateway, "IFoo", "Toolkit.Samples.IFoo<T>");
        AssertClean(Gateway("Task SendAsync(int value);"));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("protected")]
    public void TK0010_a_message_type_nested_out_of_reach_of_generated_code(string accessibility)
    {
        string Types(string access) => $$"""
            public class Outer
            {
                [RpcUnion(0, typeof(Hidden))]
                public abstract record Shape;

                {{access}} sealed record Hidden(int Id) : Shape;
            }
            """;
        AssertReports(Gateway("Task SendAsync(Outer.Shape shape);", Types(accessibility)), DiagnosticIds.InaccessibleType, "Hidden", "Toolkit.Samples.Outer.Hidden", accessibility);
        AssertClean(Gateway("Task SendAsync(Outer.Shape shape);", Types("internal")));
    }

    [Fact]
    public void TK0010_a_gateway_nested_out_of_reach_of_generated_code()
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
        AssertReports(Source, DiagnosticIds.InaccessibleType, "IHidden", "Toolkit.Samples.Outer.IHidden", "private");
        AssertClean(Source.Replace("private interface", "internal interface", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_type_reachable_from_two_gateways_is_reported_once()
    {
        string source = Gateway("Task SendAsync(Shape shape);", """
            public abstract record Shape;

            [RpcGateway]
            public interface IBar
            {
                Task DrawAsync(Shape shape);
            }
            """);
        GeneratorRun run = CompilationHelper.Run(source);
        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticIds.InvalidUnion, diagnostic.Id);
        Assert.True(diagnostic.Location.IsInSource, "the diagnostic points into the syntax tree, so IDEs and #pragma (for warnings) can find it");
    }

    /// <summary>
    /// The source compiles without the generator's help, and the generator reports exactly one diagnostic: the
    /// expected id, as an error, at a span whose text is <paramref name="spanText"/>, with exactly these arguments.
    /// </summary>
    private static void AssertReports(string source, string id, string spanText, params string[] arguments)
    {
        GeneratorRun run = CompilationHelper.Run(source);
        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Output.GetDiagnostics().Where(diagnostic => diagnostic.Severity >= DiagnosticSeverity.Warning).Select(diagnostic => diagnostic.ToString()));

        Diagnostic diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        string expectedMessage = string.Format(CultureInfo.InvariantCulture, diagnostic.Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), arguments);
        Assert.Equal(expectedMessage, diagnostic.GetMessage(CultureInfo.InvariantCulture));

        FileLinePositionSpan lineSpan = diagnostic.Location.GetLineSpan();
        SyntaxTree tree = run.Output.SyntaxTrees.Single(tree => tree.FilePath == lineSpan.Path);
        Assert.Equal(spanText, tree.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(tree.GetLineSpan(diagnostic.Location.SourceSpan).Span, lineSpan.Span);
    }

    /// <summary>The nearest good contract: no diagnostics from anyone, and the gateway's code is generated.</summary>
    private static void AssertClean(string source)
    {
        GeneratorRun run = CompilationHelper.RunClean(CompilationHelper.CreateCompilation(source));
        Assert.Contains(run.Sources, generated => generated.HintName.EndsWith("_Rpc.g.cs", StringComparison.Ordinal));
    }
}
